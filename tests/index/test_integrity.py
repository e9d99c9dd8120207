"""A damaged index is refused with one line naming the file and the fix (issue 15)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from api import cli
from api.errors import IndexNotReady
from api.pipeline import Pipeline
from api.settings import Settings
from index import store as store_mod
from index.embed import SentenceTransformerEmbedder
from tests.conftest import free_port

EXE = str(Path(sys.executable).parent / "clearpath")


def copy_index(settings: Settings, where: Path) -> Path:
    """The session's real index, copied (links kept), so it can be damaged."""
    shutil.copytree(settings.data_dir / "index", where / "index", symlinks=True)
    return where


def current(data: Path) -> Path:
    return (data / "index" / "current").resolve()


def same_size_noise(path: Path) -> None:
    path.write_bytes(np.random.default_rng(7).bytes(path.stat().st_size))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


DAMAGE: dict[str, tuple[str, Callable[[Path], None]]] = {
    "noise-in-dense": ("dense.faiss", same_size_noise),
    "truncated-dense": ("dense.faiss", truncate),
    "random-vector-owner": ("vector_owner.npy", lambda p: np.save(
        p, np.random.default_rng(1).integers(0, 10**6, size=601))),
    "truncated-answerability": ("answerability.json", truncate),
    "truncated-passages": ("passages.json", truncate),
    "truncated-sentences": ("sentence_vectors.npy", truncate),
    "missing-bm25-file": ("bm25/vocab.index.json", lambda p: p.unlink()),
}


def test_every_build_file_has_a_checksum(settings: Settings) -> None:
    folder = current(settings.data_dir)
    files = store_mod.read_manifest(settings.data_dir).files  # type: ignore[union-attr]
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert set(files) == on_disk - {"manifest.json"}
    assert {"dense.faiss", "vector_owner.npy", "answerability.json", "passages.json"} <= set(files)
    assert any(name.startswith("bm25/") for name in files)
    assert all(len(digest) == 64 for digest in files.values())


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_a_damaged_build_is_refused_naming_the_file(
        case: str, tmp_path: Path, settings: Settings, embedder: SentenceTransformerEmbedder,
        cli_env: dict[str, str]) -> None:
    name, damage = DAMAGE[case]
    data = copy_index(settings, tmp_path)
    damage(current(data) / name)
    with pytest.raises(IndexNotReady) as refused:
        Pipeline(settings.model_copy(update={"data_dir": data}), embedder)
    line = str(refused.value)
    assert name in line and "clearpath index build" in line and "\n" not in line
    status = CliRunner().invoke(cli.main, ["index", "status"],
                                env={**cli_env, "CLEARPATH_DATA_DIR": str(data)})
    assert status.exit_code == 1
    assert status.stdout.startswith("index: damaged")
    assert name in status.stderr and "clearpath index build" in status.stderr
    with pytest.raises(store_mod.IndexDamaged, match=name):
        store_mod.load(data)


def test_serve_refuses_a_damaged_index_in_one_line(tmp_path: Path, settings: Settings,
                                                   cli_env: dict[str, str]) -> None:
    data = copy_index(settings, tmp_path)
    same_size_noise(current(data) / "dense.faiss")
    env = {**cli_env, "CLEARPATH_DATA_DIR": str(data), "CLEARPATH_PORT": str(free_port())}
    out = subprocess.run([EXE, "serve"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        f"Error: index file dense.faiss in {current(data)} is damaged (its checksum does not "
        "match the manifest); rebuild it with `clearpath index build`"]


def test_save_prunes_what_interrupted_builds_left(tmp_path: Path, settings: Settings) -> None:
    data = copy_index(settings, tmp_path)
    store = store_mod.load(data)
    root, builds = data / "index", data / "index" / "builds"
    old = time.time() - 3 * 3600
    dead = builds / ".20260101T000000-dead.partial"
    dead.mkdir()
    (dead / "dense.faiss").write_bytes(b"half")
    os.utime(dead, (old, old))
    saving = builds / ".20260101T000001-live.partial"  # another build, saving right now
    saving.mkdir()
    stray = root / ".current.20260101T000000-dead"
    stray.symlink_to(Path("builds") / "nowhere")
    os.utime(stray, (old, old), follow_symlinks=False)
    fresh = root / ".current.20260101T000001-live"
    fresh.symlink_to(Path("builds") / "nowhere")
    store_mod.save(store, data, "20260102T000000-test")
    assert not dead.exists() and not stray.is_symlink()
    assert saving.exists() and fresh.is_symlink()
    assert current(data).name == "20260102T000000-test"
    saved = json.loads((current(data) / "manifest.json").read_text())
    assert saved["files"] == store_mod.checksums(current(data))
    store_mod.load(data)  # verifies
