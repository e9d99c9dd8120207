"""The on-disk index: FAISS vectors, BM25, passage metadata and a manifest.

Layout under `<data dir>/index/`:

    builds/<build id>/      one complete build (manifest.json, passages.json, dense.faiss, ...)
    current -> builds/<id>  a symlink, swapped atomically once a build is complete

A crash mid-build leaves a half-written folder in `builds/` that nothing points at; the
previous build stays current. `save()` is the only writer.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.answerable import Answerability, Vocabulary
from index.chunk import Passage
from index.lexical import Lexical
from index.records import DocumentRecord

INDEX_FORMAT = 2  # 2: typed document records, passage regions
KEEP_BUILDS = 2
STALE_PARTIAL_SECONDS = 3600


class IndexMissing(Exception):
    """There is no built index in the data directory."""


@dataclass(frozen=True)
class Manifest:
    format: int
    model_name: str
    model_version: str
    dimension: int
    corpus_hash: str
    documents: int
    passages: int
    vectors: int
    sentences: int
    built_at: str
    build_seconds: float


@dataclass
class Store:
    """Everything search and composition need, in memory."""

    manifest: Manifest
    documents: dict[str, DocumentRecord]
    passages: list[Passage]
    dense: faiss.Index  # passage and question vectors, inner product over unit vectors
    vector_owner: np.ndarray  # row in `dense` -> passage row
    sentence_vectors: np.ndarray  # one unit vector per passage sentence, in passage order
    sentence_start: np.ndarray  # passage row -> first sentence row (len = passages + 1)
    lexical: Lexical
    answerability: Answerability | None = None  # fitted at build time; see index/answerable.py
    answerability_report: dict[str, Any] | None = None

    @cached_property
    def passage_ids(self) -> frozenset[str]:
        return frozenset(p.id for p in self.passages)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary([" ".join((p.context, *p.questions)) for p in self.passages])

    @cached_property
    def passage_vector_rows(self) -> np.ndarray:
        """passage row -> its first row in `dense` (len = passages + 1); builds add each
        passage's vectors together, so they are contiguous."""
        return np.searchsorted(self.vector_owner, np.arange(len(self.passages) + 1))

    def passage_vectors(self, row: int) -> np.ndarray:
        """The passage's own vector and its questions' vectors."""
        start, end = (int(x) for x in self.passage_vector_rows[row:row + 2])
        return self.dense.reconstruct_n(start, end - start)

    def passage_sentences(self, row: int) -> tuple[tuple[str, ...], np.ndarray]:
        start, end = int(self.sentence_start[row]), int(self.sentence_start[row + 1])
        return self.passages[row].sentences, self.sentence_vectors[start:end]


def index_root(data_dir: Path) -> Path:
    return data_dir / "index"


def read_manifest(data_dir: Path) -> Manifest | None:
    path = index_root(data_dir) / "current" / "manifest.json"
    try:
        raw = json.loads(path.read_text())
        return Manifest(**raw)
    except (OSError, ValueError, TypeError):
        return None


def save(store: Store, data_dir: Path, build_id: str) -> Path:
    """Write a complete build, then point `current` at it in one atomic rename."""
    root = index_root(data_dir)
    builds = root / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    tmp = builds / f".{build_id}.partial"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    faiss.write_index(store.dense, str(tmp / "dense.faiss"))
    np.save(tmp / "vector_owner.npy", store.vector_owner)
    np.save(tmp / "sentence_vectors.npy", store.sentence_vectors)
    np.save(tmp / "sentence_start.npy", store.sentence_start)
    store.lexical.save(tmp / "bm25")
    if store.answerability is not None:
        store.answerability.save(tmp / "answerability.json", store.answerability_report or {})
    (tmp / "passages.json").write_text(
        json.dumps(
            {"documents": {k: d.to_json() for k, d in store.documents.items()},
             "passages": [asdict(p) for p in store.passages]},
            ensure_ascii=False,
        )
    )
    # The manifest is written last: a build folder without one is never loaded.
    (tmp / "manifest.json").write_text(json.dumps(asdict(store.manifest), indent=2))
    final = builds / build_id
    os.replace(tmp, final)
    link_tmp = root / f".current.{build_id}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(Path("builds") / build_id)
    os.replace(link_tmp, root / "current")
    _prune(builds, keep=final)
    return final


def _prune(builds: Path, keep: Path) -> None:
    """Keep the newest complete builds, and remove partial folders untouched for an hour
    (left by a crashed build; a build still writing keeps touching its own)."""
    done = sorted(
        (p for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in done[KEEP_BUILDS:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    for partial in builds.glob(".*.partial"):
        if time.time() - partial.stat().st_mtime > STALE_PARTIAL_SECONDS:
            shutil.rmtree(partial, ignore_errors=True)


def load(data_dir: Path) -> Store:
    # Resolve `current` once, so a build that swaps it meanwhile cannot mix two builds.
    folder = (index_root(data_dir) / "current").resolve()
    try:
        manifest = Manifest(**json.loads((folder / "manifest.json").read_text()))
    except (OSError, ValueError, TypeError):
        manifest = None
    if manifest is None:
        raise IndexMissing(f"no index in {index_root(data_dir)}; run `clearpath index build`")
    raw = json.loads((folder / "passages.json").read_text())
    passages = [
        Passage(**{**p, "heading_path": tuple(p["heading_path"]),
                   "citations": tuple(p["citations"]), "questions": tuple(p["questions"]),
                   "sentences": tuple(p["sentences"])})
        for p in raw["passages"]
    ]
    return Store(
        manifest=manifest,
        documents={k: DocumentRecord.from_json(d) for k, d in raw["documents"].items()},
        passages=passages,
        dense=faiss.read_index(str(folder / "dense.faiss")),
        vector_owner=np.load(folder / "vector_owner.npy"),
        sentence_vectors=np.load(folder / "sentence_vectors.npy"),
        sentence_start=np.load(folder / "sentence_start.npy"),
        lexical=Lexical.load(folder / "bm25", size=len(passages)),
        answerability=Answerability.load(folder / "answerability.json"),
    )
