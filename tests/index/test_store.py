"""index/store.py: a build saved and loaded again is the same store, typed; a missing index
is a clear error; old builds are pruned."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from api.settings import Settings
from index import build as build_mod
from index import store as store_mod
from index.embed import SentenceTransformerEmbedder
from index.records import DocumentRecord, SourceRecord
from tests.index.test_build import small_corpus


def test_the_loaded_store_is_typed_and_consistent(settings: Settings) -> None:
    store = store_mod.load(settings.data_dir)
    assert store.manifest.format == store_mod.INDEX_FORMAT
    assert store.manifest.passages == len(store.passages)
    assert store.manifest.documents == len(store.documents)
    for doc_id, doc in store.documents.items():
        assert isinstance(doc, DocumentRecord) and doc.id == doc_id
        assert all(isinstance(s, SourceRecord) and s.key == k for k, s in doc.sources.items())
        assert doc_id in doc.related
    for row, passage in enumerate(store.passages):
        assert set(passage.citations) <= set(store.documents[passage.doc_id].sources)
        texts, vectors = store.passage_sentences(row)
        assert len(texts) == len(vectors) == len(passage.sentences)
        assert store.passage_vectors(row).shape[0] == 1 + len(passage.questions)
    # Read in place from the flat index: the very vectors FAISS holds, in the same rows.
    every = np.vstack([store.passage_vectors(row) for row in range(len(store.passages))])
    assert np.array_equal(every, store.dense.reconstruct_n(0, store.dense.ntotal))
    norms = np.linalg.norm(store.sentence_vectors, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-4)


def test_document_records_round_trip_through_json(settings: Settings) -> None:
    store = store_mod.load(settings.data_dir)
    for doc in store.documents.values():
        assert DocumentRecord.from_json(json.loads(json.dumps(doc.to_json()))) == doc


def test_save_then_load_gives_the_same_store(tmp_path: Path,
                                             embedder: SentenceTransformerEmbedder) -> None:
    corpus, data = small_corpus(tmp_path / "corpus"), tmp_path / "data"
    build_mod.build(embedder, data, corpus, questions_file=None)
    first = store_mod.load(data)
    again = tmp_path / "again"
    store_mod.save(first, again, "copy")
    second = store_mod.load(again)
    assert second.manifest == first.manifest
    assert second.documents == first.documents and second.passages == first.passages
    assert np.array_equal(second.vector_owner, first.vector_owner)
    assert np.array_equal(second.sentence_vectors, first.sentence_vectors)
    assert second.dense.ntotal == first.dense.ntotal
    assert second.lexical.search("yellow skin", 3) == first.lexical.search("yellow skin", 3)
    assert (again / "index" / "current").resolve().name == "copy"


def test_a_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    assert store_mod.read_manifest(tmp_path) is None
    with pytest.raises(store_mod.IndexMissing, match="clearpath index build"):
        store_mod.load(tmp_path)


def test_only_the_newest_builds_are_kept(tmp_path: Path,
                                         embedder: SentenceTransformerEmbedder) -> None:
    corpus, data = small_corpus(tmp_path / "corpus"), tmp_path / "data"
    build_mod.build(embedder, data, corpus, questions_file=None)
    store = store_mod.load(data)
    for n in range(4):
        store_mod.save(store, data, f"b{n}")
    builds = sorted(p.name for p in (data / "index" / "builds").iterdir())
    assert len(builds) == store_mod.KEEP_BUILDS and "b3" in builds
    assert store_mod.load(data).manifest == store.manifest
