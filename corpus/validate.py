"""Check corpus documents against the format in docs/corpus-format.md.

`check_corpus()` returns every problem found; `load_corpus()` is what the index builder
calls: it returns the documents, or raises `CorpusError` listing the errors.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

from corpus.load import CORPUS_DIR, Document, Problem, corpus_files, parse_document

REQUIRED = ("id", "title", "language", "topics", "sources", "reviewed_by", "reviewed_on",
            "review_due")
# Topics whose facts change fast: such a document carries `volatile: true`, and a volatile
# document is reviewed at least every VOLATILE_MONTHS months.
VOLATILE_TOPICS = {
    "kratom-regulation": "legal status",
    "drug-regulation": "regulatory actions",
    "drug-interactions": "interaction evidence",
    "helplines": "helplines",
}
VOLATILE_MONTHS = 6
# A passage is quoted alone, so it may not open by pointing back at a neighbour: a pronoun or
# demonstrative ("This", "They"), a connective ("However", "Also"), "Another ...", "The review",
# "The researchers" or "In that survey" without saying which.
DANGLING_OPENING = re.compile(
    r"^(?:(?:This|These|Those|That|It|Its|They|Their|Them|He|She|His|Her|Such|Both|Also|"
    r"However|But|And|Still|Yet|Another|Others|Here)\b"
    r"|The (?i:review|reviews|researchers|authors|doctors|investigators|study|studies|survey|"
    r"surveys|report|same|case|patient|man|woman|people|program|trial|outbreak|agency|list|"
    r"helpline|hotline)\b"
    r"|(?:In|From|Of|For|At|By|After|With|Among|Like|Unlike) (?:that|this|these|those|"
    r"the same|them|it|such|both)\b)"
)
# The same rule for Spanish passages: "Esto", "Además", "Sin embargo", "La revisión", "En ese
# estudio"... without saying which.
DANGLING_OPENING_ES = re.compile(
    r"^(?:(?:Esto|Esta|Este|Estos|Estas|Eso|Esa|Ese|Esos|Esas|Ello|Ellos|Ellas|Él|Ella|Su|Sus|"
    r"Además|También|Pero|Sin embargo|Aun así|Y|Otro|Otra|Otros|Otras|Aquí|Tales|Ambos|Ambas)\b"
    r"|(?:El|La|Los|Las) (?i:revisión|revisiones|investigadores|autores|estudio|estudios|"
    r"encuesta|encuestas|informe|mismo|misma|caso|paciente|hombre|mujer|programa|"
    r"ensayo|brote|agencia|lista)\b"
    r"|(?:En|De|Para|Por|Tras|Con|Entre|Como|A diferencia de) (?:ese|esa|esos|esas|este|esta|"
    r"estos|estas|ello|ellos|ellas|el mismo|la misma|ambos|ambas)\b)"
)
SOURCE_FIELDS = ("key", "title", "publisher", "url", "accessed")
# A document in another language names the English document it corresponds to; `corpus check`
# warns when the English one was reviewed after it, or when their review dates drift apart.
TRANSLATION_FIELD = "translation_of"
PAIR_DRIFT_DAYS = 90
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:[/?#]\S*)?$")
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    "forty|fifty|hundred|half|a half|a quarter"
)
_UNITS = (
    r"mg|milligrams?|g|gm|grm?s?|grams?|kg|kilograms?|mcg|µg|ug|micrograms?|ml|millilit(?:er|re)s?|"
    r"l|lit(?:er|re)s?|cc|tablets?|tabs?|capsules?|caps|pills?|teaspoons?|tsps?|tablespoons?|"
    r"tbsps?|drops?|cups?|oz|ounces?|patch(?:es)?|puffs?|sprays?|shots?"
)
DOSE_LIKE = re.compile(
    rf"(?<![\w.])(?:\d+(?:[.,]\d+)?(?:\s*(?:-|to|–)\s*\d+(?:[.,]\d+)?)?|{_NUMBER_WORDS})"
    rf"\s*-?\s*(?:{_UNITS})(?![\w])",
    re.IGNORECASE,
)
_NUMBER_WORDS_ES = (
    "un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|quince|veinte|"
    "treinta|cuarenta|cincuenta|cien|medio|media|un cuarto"
)
_UNITS_ES = (
    r"mg|miligramos?|g|gr|grs?|gramos?|kg|kilos?|kilogramos?|mcg|µg|microgramos?|ml|mililitros?|"
    r"l|litros?|cc|tabletas?|pastillas?|píldoras?|pildoras?|cápsulas?|capsulas?|cucharaditas?|"
    r"cucharadas?|gotas?|tazas?|onzas?|parches?|disparos?|atomizaciones?|inhalaciones?"
)
DOSE_LIKE_ES = re.compile(
    rf"(?<![\w.])(?:\d+(?:[.,]\d+)?(?:\s*(?:-|a|–)\s*\d+(?:[.,]\d+)?)?|{_NUMBER_WORDS_ES})"
    rf"\s*-?\s*(?:de\s+)?(?:{_UNITS_ES})(?![\w])",
    re.IGNORECASE,
)


class CorpusError(Exception):
    """The corpus has errors; `problems` lists them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"the corpus has {len(problems)} error(s):\n{lines}{more}")

    def __reduce__(self) -> tuple[type[CorpusError], tuple[list[Problem]]]:
        # Rebuilt from its problems when it crosses a process boundary (`serve` builds in one).
        return (type(self), (self.problems,))


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def check_document(doc: Document, today: dt.date, allow_overdue: bool) -> list[Problem]:
    problems: list[Problem] = []

    def err(key: str, message: str, severity: str = "error") -> None:
        problems.append(Problem(doc.path, doc.line_of(key), message, severity))

    meta = doc.meta
    if not meta:
        return problems  # the parser already reported the missing front matter
    for key in REQUIRED:
        if meta.get(key) in (None, "", []):
            err(key, f"missing field '{key}'")
    doc_id = meta.get("id")
    if doc_id is not None and (not isinstance(doc_id, str) or not _ID.match(doc_id)):
        err("id", "'id' must be lowercase letters, digits and hyphens")
    elif isinstance(doc_id, str) and doc_id != doc.path.stem:
        err("id", f"'id' {doc_id!r} must equal the file name {doc.path.stem!r}")
    for key in ("title", "reviewed_by", "summary"):
        if key in meta and not isinstance(meta[key], str):
            err(key, f"'{key}' must be text")
    if "language" in meta and not (isinstance(meta["language"], str)
                                   and _LANG.match(meta["language"])):
        err("language", "'language' must be a language tag such as 'en' or 'es'")
    topics = meta.get("topics")
    if topics is not None and not (
        isinstance(topics, list) and topics and all(isinstance(t, str) for t in topics)
    ):
        err("topics", "'topics' must be a non-empty list of names")

    reviewed_on = _as_date(meta.get("reviewed_on"))
    review_due = _as_date(meta.get("review_due"))
    if "reviewed_on" in meta and reviewed_on is None:
        err("reviewed_on", "'reviewed_on' must be a date YYYY-MM-DD")
    elif reviewed_on is not None and reviewed_on > today:
        err("reviewed_on", f"'reviewed_on' {reviewed_on} is in the future")
    if "review_due" in meta and review_due is None:
        err("review_due", "'review_due' must be a date YYYY-MM-DD")
    elif review_due is not None:
        if reviewed_on is not None and review_due <= reviewed_on:
            err("review_due", "'review_due' must come after 'reviewed_on'")
        if review_due < today:
            if allow_overdue:
                err("review_due", f"review was due on {review_due}", "warning")
            else:
                err("review_due", f"review was due on {review_due} (--allow-overdue to accept)")

    problems += _check_volatile(doc, reviewed_on, review_due)
    problems += _check_sources(doc, today)
    problems += _check_paragraphs(doc)
    return problems


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _check_volatile(doc: Document, reviewed_on: dt.date | None,
                    review_due: dt.date | None) -> list[Problem]:
    problems: list[Problem] = []
    volatile = doc.meta.get("volatile", False)
    line = doc.line_of("volatile") if "volatile" in doc.meta else doc.line_of("topics")
    if not isinstance(volatile, bool):
        return [Problem(doc.path, line, "'volatile' must be true or false")]
    topics = doc.meta.get("topics")
    fast = [t for t in topics if t in VOLATILE_TOPICS] if isinstance(topics, list) else []
    if fast and not volatile:
        problems.append(Problem(
            doc.path, line,
            f"a document on {VOLATILE_TOPICS[fast[0]]} (topic '{fast[0]}') must carry "
            "'volatile: true'"))
    if volatile and reviewed_on is not None and review_due is not None:
        latest = add_months(reviewed_on, VOLATILE_MONTHS)
        if review_due > latest:
            problems.append(Problem(
                doc.path, doc.line_of("review_due"),
                f"a volatile document is reviewed within {VOLATILE_MONTHS} months: "
                f"'review_due' must be on or before {latest}"))
    return problems


def _check_sources(doc: Document, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    line = doc.line_of("sources")
    raw_sources = doc.meta.get("sources")
    if raw_sources is None:
        return problems
    if not isinstance(raw_sources, list):
        return [Problem(doc.path, line, "'sources' must be a list")]
    seen: set[str] = set()
    for i, raw in enumerate(raw_sources, 1):
        if not isinstance(raw, dict):
            problems.append(Problem(doc.path, line, f"source {i} must be a mapping"))
            continue
        for name in SOURCE_FIELDS:
            if raw.get(name) in (None, ""):
                problems.append(Problem(doc.path, line, f"source {i} is missing '{name}'"))
        key = str(raw.get("key", ""))
        if key in seen:
            problems.append(Problem(doc.path, line, f"source key '{key}' is declared twice"))
        seen.add(key)
        url = raw.get("url")
        if url and not (isinstance(url, str) and _URL.match(url)):
            problems.append(Problem(doc.path, line, f"source '{key}' has a malformed url {url!r}"))
        accessed = raw.get("accessed")
        if accessed is not None:
            day = _as_date(accessed)
            if day is None:
                problems.append(
                    Problem(doc.path, line, f"source '{key}': 'accessed' must be YYYY-MM-DD")
                )
            elif day > today:
                problems.append(
                    Problem(doc.path, line, f"source '{key}': 'accessed' is in the future")
                )
    return problems


def _check_paragraphs(doc: Document) -> list[Problem]:
    problems: list[Problem] = []
    if not doc.paragraphs:
        problems.append(Problem(doc.path, doc.body_line, "the document has no paragraphs"))
    declared = set(doc.sources)
    cited: set[str] = set()
    for para in doc.paragraphs:
        if not para.citations:
            problems.append(
                Problem(doc.path, para.line, "paragraph has no citation (end it with [^key])")
            )
        for key in para.citations:
            cited.add(key)
            if key not in declared:
                problems.append(
                    Problem(doc.path, para.line, f"unknown source key '{key}'")
                )
        spanish = str(doc.meta.get("language", "")).startswith("es")
        opening = (DANGLING_OPENING_ES if spanish else DANGLING_OPENING).match(para.text)
        if opening:
            problems.append(
                Problem(doc.path, para.line,
                        f"paragraph opens with '{_first_words(para.text)}', which points at "
                        "another passage: name the subject so the passage reads alone")
            )
        if para.factual_report is None:
            for match in (DOSE_LIKE_ES if spanish else DOSE_LIKE).finditer(para.text):
                problems.append(
                    Problem(doc.path, para.line,
                            f"dose-like amount '{match.group(0)}' in a paragraph not marked "
                            "'Factual-report:'")
                )
    for key in sorted(declared - cited):
        problems.append(
            Problem(doc.path, doc.line_of("sources"), f"source '{key}' is never cited", "warning")
        )
    return problems


def _first_words(text: str, n: int = 3) -> str:
    return " ".join(text.split()[:n]).rstrip(",;:")


def check_corpus(
    corpus_dir: Path = CORPUS_DIR,
    *,
    today: dt.date | None = None,
    allow_overdue: bool = False,
) -> tuple[list[Document], list[Problem]]:
    """Parse and check every document; return the documents and all problems found."""
    today = today or dt.date.today()
    docs: list[Document] = []
    problems: list[Problem] = []
    files = corpus_files(corpus_dir)
    if not files:
        problems.append(Problem(corpus_dir, 0, "no documents (*.md) found"))
    for path in files:
        doc, parse_problems = parse_document(path)
        problems += parse_problems
        problems += check_document(doc, today, allow_overdue)
        docs.append(doc)
    problems += _check_across(docs)
    problems += _check_translations(docs)
    return docs, problems


def _check_across(docs: list[Document]) -> list[Problem]:
    problems: list[Problem] = []
    by_id: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        by_id[doc.id].append(doc)
    for doc_id, same in by_id.items():
        for doc in same[1:]:
            problems.append(
                Problem(doc.path, doc.line_of("id"),
                        f"duplicate id '{doc_id}' (also in {same[0].path.name})")
            )
    first: dict[str, tuple[Document, tuple[str, str, str]]] = {}
    for doc in docs:
        for key, src in doc.sources.items():
            sig = (src.title, src.publisher, src.url)
            if key not in first:
                first[key] = (doc, sig)
            elif first[key][1] != sig:
                problems.append(
                    Problem(doc.path, doc.line_of("sources"),
                            f"source '{key}' differs from its declaration in "
                            f"{first[key][0].path.name} (title, publisher and url must match)")
                )
    return problems


def language_of(doc: Document) -> str:
    """The document's primary language subtag ('en', 'es'), or '' when it has none."""
    return str(doc.meta.get("language", "")).split("-")[0].lower()


def _check_translations(docs: list[Document]) -> list[Problem]:
    """A document not in English names the English document it corresponds to
    (`translation_of`); a pair whose English side was reviewed after the other, or whose review
    dates drift more than PAIR_DRIFT_DAYS apart, gets a warning: one side was reviewed and the
    other was not."""
    problems: list[Problem] = []
    english = {d.id: d for d in docs if language_of(d) == "en"}
    for doc in docs:
        if not doc.meta or language_of(doc) in ("en", ""):
            if doc.meta.get(TRANSLATION_FIELD):
                problems.append(Problem(doc.path, doc.line_of(TRANSLATION_FIELD),
                                        f"'{TRANSLATION_FIELD}' is for documents not in English"))
            continue
        target = doc.meta.get(TRANSLATION_FIELD)
        line = doc.line_of(TRANSLATION_FIELD) if TRANSLATION_FIELD in doc.meta else doc.line_of(
            "language")
        if not isinstance(target, str) or not target:
            problems.append(Problem(
                doc.path, line, f"a document in '{language_of(doc)}' names the English "
                f"document it corresponds to ('{TRANSLATION_FIELD}')"))
            continue
        other = english.get(target)
        if other is None:
            problems.append(Problem(doc.path, line, f"'{TRANSLATION_FIELD}' names {target!r}, "
                                    "which is not an English document of the corpus"))
            continue
        mine, theirs = _as_date(doc.meta.get("reviewed_on")), _as_date(
            other.meta.get("reviewed_on"))
        if mine is None or theirs is None:
            continue  # a missing or bad date is an error of its own document
        if theirs > mine:
            problems.append(Problem(
                doc.path, doc.line_of("reviewed_on"),
                f"{other.path.name} was reviewed on {theirs}, after this translation ({mine}): "
                "review this document against it", "warning"))
        elif (mine - theirs).days > PAIR_DRIFT_DAYS:
            problems.append(Problem(
                other.path, other.line_of("reviewed_on"),
                f"its translation {doc.path.name} was reviewed on {mine}, more than "
                f"{PAIR_DRIFT_DAYS} days after this document ({theirs}): review the pair "
                "together", "warning"))
    return problems


def load_corpus(corpus_dir: Path = CORPUS_DIR, *, allow_overdue: bool = True) -> list[Document]:
    """The checked documents, or `CorpusError` if any has an error.

    Serving accepts overdue reviews (with a warning from `corpus check`) so that an
    overdue date never takes the service down; `corpus check` is where they fail.
    """
    docs, problems = check_corpus(corpus_dir, allow_overdue=allow_overdue)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CorpusError(errors)
    return docs
