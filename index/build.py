"""Corpus -> passages -> vectors -> store. The only code that writes an index."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import uuid
from collections import ChainMap
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from corpus.load import CORPUS_DIR, QUESTIONS_FILE, corpus_files
from corpus.validate import language_of, load_corpus
from index import spanish
from index import store as store_mod
from index.answerable import ASPECTS_FILE, Answerability, C, signals
from index.artifact import artifact_id
from index.chunk import Passage, chunk
from index.embed import Embedder
from index.lexical import Lexical
from index.records import DocumentRecord
from index.scope import QUERY_TERMS_FILE, SCOPE_FILE, regions, related_documents

Progress = Callable[[str], None]


def corpus_hash(corpus_dir: Path = CORPUS_DIR) -> str:
    """Changes whenever a document, the question set, the aspect or synonym table (both read
    by the answerability model fitted here) or the index format changes."""
    digest = hashlib.sha256(
        f"format={store_mod.INDEX_FORMAT} es={spanish.FORMAT}\n".encode())
    for path in [*corpus_files(corpus_dir), QUESTIONS_FILE, SCOPE_FILE, ASPECTS_FILE,
                 QUERY_TERMS_FILE, *spanish.HASHED]:
        if not path.exists():
            continue
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def status(data_dir: Path, corpus_dir: Path = CORPUS_DIR, model_name: str | None = None) -> str:
    """'missing', 'stale' (corpus, format or model changed), 'damaged' (a file does not match
    its manifest checksum: `store.check` says which) or 'ok'."""
    manifest = store_mod.read_manifest(data_dir)
    if manifest is None:
        return "missing"
    if manifest.format != store_mod.INDEX_FORMAT or manifest.corpus_hash != corpus_hash(
        corpus_dir
    ):
        return "stale"
    if model_name is not None and manifest.model_name != model_name:
        return "stale"
    if store_mod.check(data_dir) is not None:
        return "damaged"
    return "ok"


EMBED_CHUNK = 2048  # texts per progress line


def previous_vectors(data_dir: Path, embedder: Embedder,
                     progress: Progress) -> dict[str, np.ndarray]:
    """Text -> vector from the current build, if the same model and version made it.

    Rebuilding after an edit then embeds only the new or changed texts. Vectors are never
    reused across models, backends, exports or versions (the manifest records them), and a
    damaged previous build is simply not reused: it must never stop a rebuild."""
    if store_mod.read_manifest(data_dir) is None:
        return {}
    try:
        old = store_mod.load(data_dir)  # resolves `current` once: one build, checked below
        manifest = old.manifest
        if (manifest.model_name != embedder.name or manifest.model_version != embedder.version
                or manifest.format != store_mod.INDEX_FORMAT):
            return {}
        # Row views into two arrays, not one array per text.
        dense = old.dense.reconstruct_n(0, old.dense.ntotal)
        known: dict[str, np.ndarray] = {}
        for row, passage in enumerate(old.passages):
            start, end = (int(x) for x in old.passage_vector_rows[row:row + 2])
            known.update(zip((passage.context, *passage.questions), dense[start:end],
                             strict=True))  # a count that does not match raises: not reused
            known.update(zip(*old.passage_sentences(row), strict=True))
        return known
    except Exception as exc:
        progress(f"not reusing the previous build's vectors ({type(exc).__name__}: {exc})")
        return {}


class Embedding:
    """Embeds a build's texts: each distinct text once, known texts not at all, with progress."""

    def __init__(self, embedder: Embedder, known: dict[str, np.ndarray],
                 progress: Progress) -> None:
        self.embedder, self.known, self.progress = embedder, known, progress
        self.new = 0
        self.reused = 0

    def all(self, *groups: list[str]) -> list[np.ndarray]:
        """One array per group of texts, rows in the groups' order."""
        distinct = list(dict.fromkeys(t for group in groups for t in group))
        todo = [t for t in distinct if t not in self.known]
        self.reused = len(distinct) - len(todo)
        self.new = len(todo)
        fresh: dict[str, np.ndarray] = {}
        started = time.perf_counter()
        for start in range(0, len(todo), EMBED_CHUNK):
            chunk_texts = todo[start:start + EMBED_CHUNK]
            fresh.update(zip(chunk_texts, self.embedder.encode(chunk_texts), strict=True))
            if len(todo) > EMBED_CHUNK:
                done = start + len(chunk_texts)
                rate = done / max(time.perf_counter() - started, 1e-9)
                self.progress(f"  embedded {done}/{len(todo)} "
                              f"({rate:.0f} texts/s, about {(len(todo) - done) / rate:.0f} s left)")
        dimension = self.embedder.dimension
        vectors = ChainMap(fresh, self.known)  # no copy of the known vectors
        return [np.vstack([vectors[t] for t in group]).astype(np.float32, copy=False)
                if group else np.zeros((0, dimension), np.float32) for group in groups]


def build(
    embedder: Embedder,
    data_dir: Path,
    corpus_dir: Path = CORPUS_DIR,
    progress: Progress = lambda _msg: None,
    questions_file: Path | None = QUESTIONS_FILE,
) -> store_mod.Manifest:
    started = time.perf_counter()
    # Hash first: an edit made while this build runs then makes the result stale, not current.
    version = corpus_hash(corpus_dir)
    corpus = load_corpus(corpus_dir)
    # This index holds the English documents; the Spanish ones get index/spanish.py's.
    docs = [d for d in corpus if language_of(d) in ("en", "")]
    progress(f"loaded {len(docs)} documents from {corpus_dir}")
    scope = regions()
    passages: list[Passage] = [
        replace(p, region=scope.of_passage(p.doc_id, p.heading_path[-1]))
        for doc in docs for p in chunk(doc)]
    related = related_documents({d.id: tuple(d.meta.get("topics") or ()) for d in docs},
                                scope.related)
    documents = {
        doc.id: DocumentRecord(
            id=doc.id,
            title=doc.title,
            summary=str(doc.meta.get("summary", "")),
            topics=tuple(doc.meta.get("topics") or ()),
            language=str(doc.meta.get("language", "")),
            reviewed_by=str(doc.meta.get("reviewed_by", "")),
            reviewed_on=doc.reviewed_on,
            review_due=str(doc.meta.get("review_due", "")),
            sources=dict(doc.sources),
            related=related[doc.id],
        )
        for doc in docs
    }

    texts: list[str] = []
    owner: list[int] = []
    for row, passage in enumerate(passages):
        for text in (passage.context, *passage.questions):
            texts.append(text)
            owner.append(row)
    sentences = [s for p in passages for s in p.sentences]
    embed = Embedding(embedder, previous_vectors(data_dir, embedder, progress), progress)
    progress(f"embedding {len(passages)} passages and their questions ({len(texts)} texts) "
             f"and {len(sentences)} sentences")
    vectors, sentence_vectors = embed.all(texts, sentences)
    repeats = len(texts) + len(sentences) - embed.new - embed.reused
    progress(f"embedded {embed.new} texts ({embed.reused} known from the previous build, "
             f"{repeats} repeats)")
    dense = faiss.IndexFlatIP(vectors.shape[1])
    dense.add(vectors)
    sentence_start = np.cumsum([0] + [len(p.sentences) for p in passages]).astype(np.int64)

    progress("building the BM25 index")
    lexical = Lexical.build([" ".join((p.context, *p.questions)) for p in passages])

    now = dt.datetime.now(dt.UTC)
    manifest = store_mod.Manifest(
        format=store_mod.INDEX_FORMAT,
        model_name=embedder.name,
        model_version=embedder.version,
        dimension=int(vectors.shape[1]),
        corpus_hash=version,
        documents=len(docs),
        passages=len(passages),
        vectors=len(texts),
        sentences=len(sentences),
        built_at=now.isoformat(timespec="seconds"),
        build_seconds=round(time.perf_counter() - started, 3),
    )
    manifest = replace(manifest, artifact=artifact_id(manifest))
    built = store_mod.Store(
        manifest=manifest,
        documents=documents,
        passages=passages,
        dense=dense,
        vector_owner=np.asarray(owner, dtype=np.int64),
        sentence_vectors=sentence_vectors,
        sentence_start=sentence_start,
        lexical=lexical,
    )
    if questions_file is not None and questions_file.exists():
        progress(f"fitting the answerability model on {questions_file.name}")
        built.answerability, built.answerability_report = fit_answerability(
            built, embedder, questions_file)
    # Locally every build gets its own folder (a rebuild never rewrites one a server may be
    # reading); the artifact id is its address once published (index/artifact.py).
    build_id = f"{now:%Y%m%dT%H%M%S}-{manifest.artifact[:8]}-{uuid.uuid4().hex[:6]}"
    # Written before the English build becomes current, under the same corpus version.
    spanish.build(corpus, passages, data_dir, version, progress)
    folder = store_mod.save(built, data_dir, build_id)
    progress(f"wrote {folder}")
    return store_mod.manifest_of(folder) or manifest  # with the files' checksums


def fit_answerability(
    built: store_mod.Store, embedder: Embedder, questions_file: Path
) -> tuple[Answerability | None, dict[str, Any] | None]:
    """Fit the no-answer decision on the labelled questions whose documents exist here."""
    from index.search import Searcher

    rows = [json.loads(line) for line in questions_file.read_text().splitlines() if line.strip()]
    known = set(built.documents)
    # A question marked `expect: crisis` gets the crisis reply before retrieval (POLICY.md,
    # order 1), so it never reaches the decision and is left out of its fit.
    rows = [r for r in rows if r.get("expect") == "no_answer"
            or (r.get("expect") != "crisis" and r.get("doc_ids") and set(r["doc_ids"]) <= known)]
    labels = np.array([r.get("expect") != "no_answer" for r in rows])
    if labels.sum() < 5 or (~labels).sum() < 5:
        return None, None
    searcher = Searcher(built, embedder)
    vectors = embedder.encode([r["question"] for r in rows])
    x = np.vstack([
        signals(r["question"], searcher.search(r["question"], k=5, query_vector=v), built)
        for r, v in zip(rows, vectors, strict=True)
    ])
    return Answerability.fit(x, labels, C)
