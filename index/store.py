"""The on-disk index: FAISS vectors, BM25, passage metadata and a manifest.

Layout under `<data dir>/index/`:

    builds/<build id>/      one complete build (manifest.json, passages.json, dense.faiss, ...)
    current -> builds/<id>  a symlink, swapped atomically once a build is complete

A crash mid-build leaves a half-written folder in `builds/` that nothing points at; the
previous build stays current. `save()` is the only writer; it prunes what interrupted builds
left (`.<id>.partial` folders, `.current.<id>` links).

The manifest records the SHA-256 of every other file of its build. `verify()` checks them:
`load()` and `clearpath index status` refuse a damaged build with `IndexDamaged`, one line
naming the file and the fix.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.answerable import Answerability, PassageAspects
from index.chunk import Passage
from index.features import Vocabulary
from index.lexical import Lexical
from index.records import DocumentRecord

INDEX_FORMAT = 4  # 2: every file's SHA-256 in the manifest; 3: typed documents, regions;
# 4: the answerability model over retrieval features (index/answerable.py)
KEEP_BUILDS = 2
# A build writes its `.partial` folder only in save(), seconds before renaming it: one
# untouched for ten minutes was left by a build that died.
STALE_PARTIAL_SECONDS = 600
STALE_LINK_SECONDS = 60
FIX = "rebuild it with `clearpath index build`"


class IndexMissing(Exception):
    """There is no built index in the data directory."""


class IndexDamaged(Exception):
    """A file of the current build does not match its manifest checksum (or is missing)."""


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
    files: dict[str, str] = field(default_factory=dict)  # path in the build -> SHA-256
    # The build's address, from what it was built from (index/artifact.py `artifact_id`).
    artifact: str = ""


@dataclass
class Store(PassageAspects):
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

    @cached_property
    def _dense_vectors(self) -> np.ndarray | None:
        """Every vector of `dense`, read in place (no copy) when it is a flat index, else
        None. The answer path reads a few passages' vectors per question: a slice of this is
        about 10 times quicker than `reconstruct_n` through the FAISS wrapper."""
        index = self.dense
        if not isinstance(index, faiss.IndexFlat) or index.ntotal == 0:
            return None
        return faiss.rev_swig_ptr(index.get_xb(), index.ntotal * index.d).reshape(
            index.ntotal, index.d)

    def passage_vectors(self, row: int) -> np.ndarray:
        """The passage's own vector and its questions' vectors (a copy: the store's index owns
        the memory)."""
        start, end = (int(x) for x in self.passage_vector_rows[row:row + 2])
        every = self._dense_vectors
        if every is None:
            return self.dense.reconstruct_n(start, end - start)
        return every[start:end].copy()

    def passage_sentences(self, row: int) -> tuple[tuple[str, ...], np.ndarray]:
        start, end = int(self.sentence_start[row]), int(self.sentence_start[row + 1])
        return self.passages[row].sentences, self.sentence_vectors[start:end]


def index_root(data_dir: Path) -> Path:
    return data_dir / "index"


def read_manifest(data_dir: Path) -> Manifest | None:
    return manifest_of((index_root(data_dir) / "current").resolve())


def manifest_of(folder: Path) -> Manifest | None:
    """The manifest of one build folder, or None if it has none (or an unreadable one)."""
    try:
        raw = json.loads((folder / "manifest.json").read_text())
        return Manifest(**raw)
    except (OSError, ValueError, TypeError):
        return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file in a build folder but the manifest, by relative path."""
    return {p.relative_to(folder).as_posix(): _sha256(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}


def verify(folder: Path, manifest: Manifest) -> None:
    """`IndexDamaged` naming the first file that is missing or does not match its checksum."""
    if not manifest.files:
        raise IndexDamaged(f"the index in {folder} lists no file checksums; {FIX}")
    for name, expected in sorted(manifest.files.items()):
        path = folder / name
        if not path.is_file():
            raise IndexDamaged(f"index file {name} is missing from {folder}; {FIX}")
        if _sha256(path) != expected:
            raise IndexDamaged(f"index file {name} in {folder} is damaged (its checksum does "
                               f"not match the manifest); {FIX}")


def check(data_dir: Path) -> str | None:
    """Why the current build cannot be used (one line), or None when it verifies."""
    folder = (index_root(data_dir) / "current").resolve()
    manifest = manifest_of(folder)
    if manifest is None:
        return None  # missing: said by build.status
    try:
        verify(folder, manifest)
    except IndexDamaged as exc:
        return str(exc)
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
    # The manifest is written last, with every other file's checksum: a build folder without
    # one is never loaded.
    manifest = replace(store.manifest, files=checksums(tmp))
    (tmp / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2))
    final = builds / build_id
    os.replace(tmp, final)
    point_current(root, build_id)
    _prune(builds, keep=final)
    return final


def point_current(root: Path, build_id: str) -> None:
    """Point `<root>/current` at `builds/<build_id>` in one atomic rename."""
    link_tmp = root / f".current.{build_id}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(Path("builds") / build_id)
    os.replace(link_tmp, root / "current")


def _prune(builds: Path, keep: Path) -> None:
    """Keep the newest complete builds; remove partial folders and `.current.<id>` links
    left by interrupted builds (once old enough not to belong to a build still saving)."""
    done = sorted(
        (p for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in done[KEEP_BUILDS:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    now = time.time()
    for partial in builds.glob(".*.partial"):
        if now - partial.stat().st_mtime > STALE_PARTIAL_SECONDS:
            shutil.rmtree(partial, ignore_errors=True)
    for link in builds.parent.glob(".current.*"):
        try:
            if now - link.lstat().st_mtime > STALE_LINK_SECONDS:
                link.unlink()
        except OSError:
            pass  # another build renamed it meanwhile


def load(data_dir: Path) -> Store:
    # Resolve `current` once, so a build that swaps it meanwhile cannot mix two builds.
    folder = (index_root(data_dir) / "current").resolve()
    manifest = manifest_of(folder)
    if manifest is None:
        raise IndexMissing(f"no index in {index_root(data_dir)}; run `clearpath index build`")
    verify(folder, manifest)  # IndexDamaged naming the file: nothing damaged is ever served
    return load_folder(folder, manifest)


def load_folder(folder: Path, manifest: Manifest) -> Store:
    """The store of one build folder whose files `verify` has checked. Reads only."""
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
        answerability_report=Answerability.load_report(folder / "answerability.json"),
    )
