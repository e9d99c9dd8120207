"""What a question may be answered from, beyond similarity: reviewed data, no model.

- Synonyms (`index/data/query_terms.yaml`): slang and brand names in a question get the
  corpus's own word added, for retrieval only ("narcan" -> "narcan naloxone").
- Confusable topics (same file): a question that names one side of a confusable pair
  (overdose, naloxone, methadone, liver tests...) and not the other is never answered from a
  passage that names only the other side.
- Regions (`corpus/scope.yaml`): passages about one country's services or laws carry that
  region, set at index build time; they are quoted only on that region's deployment or when
  the question names the country.
- Related documents (`corpus/scope.yaml` and front-matter topics): which documents one answer
  may quote together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from corpus.load import CORPUS_DIR

QUERY_TERMS_FILE = Path(__file__).parent / "data" / "query_terms.yaml"
SCOPE_FILE = CORPUS_DIR.parent / "scope.yaml"


def _pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Whole words or phrases, any case; longest first so 'dope sickness' beats 'dope sick'."""
    alternatives = sorted({w.lower() for w in words}, key=len, reverse=True)
    body = "|".join(re.escape(w) for w in alternatives) or r"(?!)"
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Confusable:
    name: str
    a: re.Pattern[str]
    b: re.Pattern[str]

    def side_named(self, question: str) -> str:
        """'a' or 'b' when the question names that side only, else ''."""
        qa, qb = bool(self.a.search(question)), bool(self.b.search(question))
        return "" if qa == qb else ("a" if qa else "b")

    def only_other_side(self, side: str, passage_text: str) -> bool:
        """True when the passage names the side the question does not, and not the other."""
        pa, pb = bool(self.a.search(passage_text)), bool(self.b.search(passage_text))
        return (pb and not pa) if side == "a" else (pa and not pb)


@dataclass(frozen=True)
class QueryTerms:
    synonyms: dict[str, str]
    synonym_pattern: re.Pattern[str]
    confusables: tuple[Confusable, ...]

    def expand(self, question: str) -> str:
        """The question with the corpus word after each slang or brand word it contains."""
        def add(match: re.Match[str]) -> str:
            canonical = self.synonyms[match.group(0).lower()]
            return match.group(0) if canonical.lower() == match.group(0).lower() else (
                f"{match.group(0)} {canonical}")
        return self.synonym_pattern.sub(add, question)

    def gates(self, question: str) -> tuple[tuple[Confusable, str], ...]:
        """The confusable pairs this question names one side of, with that side."""
        named = ((c, c.side_named(question)) for c in self.confusables)
        return tuple((c, side) for c, side in named if side)


@cache
def query_terms(path: Path = QUERY_TERMS_FILE) -> QueryTerms:
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    synonyms = {str(k).lower(): str(v) for k, v in (raw.get("synonyms") or {}).items()}
    confusables = tuple(
        Confusable(str(c["name"]), _pattern(c["a"]), _pattern(c["b"]))
        for c in raw.get("confusable") or [])
    return QueryTerms(synonyms, _pattern(synonyms), confusables)


@dataclass(frozen=True)
class Regions:
    names: dict[str, re.Pattern[str]]  # region -> how a question names the country
    passages: dict[str, str]  # "doc id" or "doc id > heading" -> region
    anywhere: frozenset[str]  # "doc id > heading" reviewed as holding in every region
    related: tuple[tuple[str, str], ...]

    def of_passage(self, doc_id: str, heading: str) -> str:
        """The region a passage is scoped to, or '' for passages that hold anywhere."""
        return self.passages.get(f"{doc_id} > {heading}") or self.passages.get(doc_id, "")

    def named_in(self, question: str) -> frozenset[str]:
        return frozenset(r for r, pattern in self.names.items() if pattern.search(question))


@cache
def regions(path: Path = SCOPE_FILE) -> Regions:
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    names: dict[str, re.Pattern[str]] = {}
    passages: dict[str, str] = {}
    for region, entry in (raw.get("regions") or {}).items():
        names[str(region)] = _pattern(entry.get("names") or [])
        for key in entry.get("passages") or []:
            passages[str(key)] = str(region)
    related = tuple((str(a), str(b)) for a, b in raw.get("related") or [])
    return Regions(names, passages, frozenset(raw.get("anywhere") or ()), related)


def related_documents(topics: dict[str, tuple[str, ...]], links: Iterable[tuple[str, str]]
                      ) -> dict[str, frozenset[str]]:
    """doc id -> the documents an answer may quote with it: itself, those sharing a topic,
    and those linked in corpus/scope.yaml."""
    related = {d: {d} for d in topics}
    for d, mine in topics.items():
        for other, theirs in topics.items():
            if set(mine) & set(theirs):
                related[d].add(other)
    for a, b in links:
        if a in related and b in related:
            related[a].add(b)
            related[b].add(a)
    return {d: frozenset(r) for d, r in related.items()}


@dataclass(frozen=True)
class QuestionScope:
    """What one question, on one deployment, may be answered from."""

    region: str | None  # the deployment's region; None: every region's passages
    named: frozenset[str]  # regions the question names
    gates: tuple[tuple[Confusable, str], ...]

    @classmethod
    def of(cls, question: str, region: str | None) -> QuestionScope:
        """`question` as retrieval reads it (synonyms applied)."""
        return cls(region, regions().named_in(question), query_terms().gates(question))

    def allows(self, passage_text: str, passage_region: str) -> bool:
        if (passage_region and self.region is not None and passage_region != self.region
                and passage_region not in self.named):
            return False
        return not any(c.only_other_side(side, passage_text) for c, side in self.gates)
