"""The index as a versioned artifact (issue 16): a content address, publish and pull through a
shared directory, and a replica that loads a published build read-only and refuses a damaged
or mismatched one."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from api import cli
from api.errors import IndexNotReady
from api.pipeline import Pipeline
from api.settings import Settings
from index import artifact
from index import store as store_mod
from index.embed import SentenceTransformerEmbedder

QUESTION = "how long does opioid withdrawal last"


def current(data: Path) -> Path:
    return (data / "index" / "current").resolve()


def with_guard(settings: Settings, data: Path) -> Path:
    """A data directory holding only the session's trained guard model (not an index)."""
    shutil.copytree(settings.data_dir / "guard", data / "guard", dirs_exist_ok=True)
    return data


def test_the_build_is_addressed_by_what_it_was_built_from(settings: Settings) -> None:
    manifest = store_mod.read_manifest(settings.data_dir)
    assert manifest is not None
    assert manifest.artifact == artifact.artifact_id(manifest)
    # The address follows the inputs, not the moment or the machine.
    assert artifact.artifact_id(replace(manifest, built_at="2000-01-01T00:00:00",
                                        build_seconds=1.0)) == manifest.artifact
    for changed in (replace(manifest, corpus_hash="0" * 16),
                    replace(manifest, model_name=manifest.model_name + "+onnx-int8"),
                    replace(manifest, model_version="other"),
                    replace(manifest, format=manifest.format + 1)):
        assert artifact.artifact_id(changed) != manifest.artifact


def test_publish_then_pull_round_trip(settings: Settings, tmp_path: Path,
                                      embedder: SentenceTransformerEmbedder,
                                      pipeline: Pipeline) -> None:
    shared, replica = tmp_path / "shared", tmp_path / "replica"
    runner = CliRunner()
    published = runner.invoke(cli.main, ["index", "publish", str(shared)],
                              env={"CLEARPATH_DATA_DIR": str(settings.data_dir)})
    assert published.exit_code == 0, published.output
    manifest = store_mod.read_manifest(settings.data_dir)
    assert manifest is not None
    pointer = json.loads((shared / "current").read_text())
    assert pointer["artifact"] == manifest.artifact
    assert (shared / "builds" / manifest.artifact / "manifest.json").is_file()

    pulled = runner.invoke(cli.main, ["index", "pull", str(shared)],
                           env={"CLEARPATH_DATA_DIR": str(replica),
                                "CLEARPATH_EMBED_BACKEND": "torch"})
    assert pulled.exit_code == 0, pulled.output
    assert manifest.artifact in pulled.output
    assert current(replica).name == manifest.artifact
    assert store_mod.read_manifest(replica) == manifest
    store_mod.verify(current(replica), manifest)

    # Publishing the same build again copies nothing and keeps the pointer.
    again = artifact.publish(settings.data_dir, shared)
    assert again.artifact == manifest.artifact
    assert sorted(p.name for p in (shared / "builds").iterdir()) == [manifest.artifact]

    # The pulled copy and a replica reading the shared directory in place answer alike.
    local = Pipeline(Settings(data_dir=with_guard(settings, replica)), embedder)
    own = with_guard(settings, tmp_path / "own")
    in_place = Pipeline(Settings(data_dir=own, index_from=shared), embedder)
    expected = [p.id for p in pipeline.answer(QUESTION).passages]
    assert expected
    assert [p.id for p in local.answer(QUESTION).passages] == expected
    assert [p.id for p in in_place.answer(QUESTION).passages] == expected
    assert in_place.store.manifest.artifact == manifest.artifact
    assert not (tmp_path / "own" / "index").exists()  # read in place, nothing built here


@pytest.fixture
def shared(settings: Settings, tmp_path: Path) -> Path:
    where = tmp_path / "shared"
    artifact.publish(settings.data_dir, where)
    return where


def published_folder(shared: Path) -> Path:
    return shared / "builds" / artifact.read_pointer(shared).artifact


def refusal(shared: Path, tmp_path: Path, embedder: SentenceTransformerEmbedder) -> str:
    """What pull and a replica each say about the published build; they must agree."""
    result = CliRunner().invoke(cli.main, ["index", "pull", str(shared)],
                                env={"CLEARPATH_DATA_DIR": str(tmp_path / "pulled"),
                                     "CLEARPATH_EMBED_BACKEND": "torch"})
    assert result.exit_code == 1, result.output
    assert not (tmp_path / "pulled" / "index" / "current").exists()  # nothing half-pulled
    with pytest.raises(IndexNotReady) as refused:
        Pipeline(Settings(data_dir=tmp_path / "own", index_from=shared), embedder)
    assert "refusing the published index" in str(refused.value)
    return str(refused.value)


def test_a_damaged_file_is_refused(shared: Path, tmp_path: Path,
                                   embedder: SentenceTransformerEmbedder) -> None:
    target = published_folder(shared) / "passages.json"
    text = target.read_text()
    target.write_text(text.replace("withdrawal", "withdrawa1", 1))  # one character, same size
    message = refusal(shared, tmp_path, embedder)
    assert "passages.json" in message and "damaged" in message


def test_an_edited_manifest_is_refused(shared: Path, tmp_path: Path,
                                       embedder: SentenceTransformerEmbedder) -> None:
    folder = published_folder(shared)
    raw = json.loads((folder / "manifest.json").read_text())
    raw["passages"] += 1
    (folder / "manifest.json").write_text(json.dumps(raw, indent=2))
    assert "not the one that was published" in refusal(shared, tmp_path, embedder)


def test_a_build_that_is_not_what_its_address_says_is_refused(
        shared: Path, tmp_path: Path, embedder: SentenceTransformerEmbedder) -> None:
    # A consistent forgery: another corpus hash, the pointer rewritten to match its manifest.
    folder = published_folder(shared)
    manifest = store_mod.manifest_of(folder)
    assert manifest is not None
    (folder / "manifest.json").write_text(
        json.dumps(asdict(replace(manifest, corpus_hash="f" * 16)), indent=2))
    pointer = artifact.Pointer(manifest.artifact, artifact._sha256_bytes(
        (folder / "manifest.json").read_bytes()))
    artifact._write_pointer(shared, pointer)
    assert "does not match its address" in refusal(shared, tmp_path, embedder)


def test_a_pointer_to_a_missing_build_is_refused(shared: Path, tmp_path: Path,
                                                 embedder: SentenceTransformerEmbedder) -> None:
    shutil.rmtree(published_folder(shared))
    assert "which is not there" in refusal(shared, tmp_path, embedder)


def test_a_build_for_another_model_is_refused(shared: Path) -> None:
    with pytest.raises(artifact.ArtifactRefused, match="this replica embeds questions with"):
        artifact.published(shared, model_name="another-model")


def test_nothing_published_says_so(tmp_path: Path) -> None:
    with pytest.raises(artifact.ArtifactRefused, match="nothing is published"):
        artifact.published(tmp_path)


def test_a_damaged_local_build_is_never_published(settings: Settings, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(settings.data_dir / "index", data / "index", symlinks=True)
    target = current(data) / "sentence_start.npy"
    damaged = bytearray(target.read_bytes())
    damaged[-1] ^= 1
    target.write_bytes(bytes(damaged))
    with pytest.raises(artifact.ArtifactRefused, match="sentence_start.npy"):
        artifact.publish(data, tmp_path / "shared")
    assert not (tmp_path / "shared" / "current").exists()
