"""The index as a versioned artifact: published to a shared location, pulled or loaded from it.

A build's address is its *artifact id*, a hash of what it was built from: the index format,
the corpus hash (every document, the question set, the scope file), the embedding model's name
and version and the vector dimension. The build has no other inputs (thresholds and retrieval
settings apply at query time), so two builds of the same corpus with the same model share an
id. The manifest records the id and the SHA-256 of every other file.

A shared location (a directory here) holds:

    builds/<artifact id>/   one published build, as `clearpath index build` wrote it
    current                 the pointer: {"artifact": id, "manifest_sha256": ...} as JSON

`publish` copies the local current build in (verified after the copy), then swaps the pointer
in one atomic rename; `pull` copies the pointed-at build into the local data directory
(verified again) and makes it current. A replica started with `CLEARPATH_INDEX_FROM=<dir>`
loads the pointed-at build straight from the shared directory, read-only, and follows the
pointer when it changes (api/reload.py).

Every reader checks, and refuses with `ArtifactRefused` (one line saying what and how to fix):
the pointer names a build that is there; the manifest's own SHA-256 is the pointer's (so a
manifest edited after publishing is caught); the id recomputed from the manifest is the
folder's name and the manifest's `artifact`; every file matches its checksum; the format is
this code's and the model is the replica's.

An object store plugs in behind the same three operations: `publish` uploads
`builds/<id>/...` first and writes `current` last (a conditional put, so two publishers cannot
interleave); `pull` downloads into the local data directory and verifies exactly as here. A
replica then pulls rather than loading in place (objects cannot be memory-mapped).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from index import store as store_mod

POINTER = "current"


class ArtifactRefused(Exception):
    """A published build that is missing, damaged or does not match what it claims to be."""


@dataclass(frozen=True)
class Pointer:
    artifact: str
    manifest_sha256: str


def artifact_id(manifest: store_mod.Manifest) -> str:
    """The content address of a build: a hash of everything it is built from."""
    inputs = {"format": manifest.format, "corpus_hash": manifest.corpus_hash,
              "model_name": manifest.model_name, "model_version": manifest.model_version,
              "dimension": manifest.dimension}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:20]


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_pointer(shared: Path) -> Pointer:
    path = shared / POINTER
    try:
        raw = json.loads(path.read_text())
        return Pointer(artifact=str(raw["artifact"]), manifest_sha256=str(raw["manifest_sha256"]))
    except FileNotFoundError as exc:
        raise ArtifactRefused(f"nothing is published in {shared} (no {POINTER} pointer); "
                              "publish a build with `clearpath index publish DIR`") from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ArtifactRefused(f"the pointer {path} is unreadable; publish again with "
                              "`clearpath index publish DIR`") from exc


def verify_build(folder: Path, pointer: Pointer | None = None,
                 model_name: str | None = None) -> store_mod.Manifest:
    """The manifest of a build folder once every check passes, else `ArtifactRefused`."""
    fix = "publish it again with `clearpath index publish DIR`"
    try:
        data = (folder / "manifest.json").read_bytes()
    except OSError as exc:
        raise ArtifactRefused(f"the build {folder} has no manifest; {fix}") from exc
    if pointer is not None and _sha256_bytes(data) != pointer.manifest_sha256:
        raise ArtifactRefused(f"the manifest of {folder} is not the one that was published "
                              f"(its SHA-256 differs from the pointer's); {fix}")
    manifest = store_mod.manifest_of(folder)
    if manifest is None:
        raise ArtifactRefused(f"the manifest of {folder} is unreadable; {fix}")
    if manifest.format != store_mod.INDEX_FORMAT:
        raise ArtifactRefused(f"the build {folder.name} has index format {manifest.format}; this "
                              f"version of Clearpath reads format {store_mod.INDEX_FORMAT}; "
                              "build and publish it with this version")
    expected = artifact_id(manifest)
    if manifest.artifact != expected or (pointer is not None and pointer.artifact != expected):
        raise ArtifactRefused(f"the build {folder.name} does not match its address (its "
                              f"manifest hashes to {expected}); {fix}")
    if model_name is not None and manifest.model_name != model_name:
        raise ArtifactRefused(f"the build {manifest.artifact} was embedded with "
                              f"{manifest.model_name!r}, this replica embeds questions with "
                              f"{model_name!r}; set the same CLEARPATH_EMBED_BACKEND or publish "
                              "a build made with this one")
    try:
        store_mod.verify(folder, manifest)
    except store_mod.IndexDamaged as exc:
        raise ArtifactRefused(str(exc).replace(store_mod.FIX, fix)) from exc
    return manifest


def published(shared: Path, model_name: str | None = None
              ) -> tuple[Path, store_mod.Manifest, Pointer]:
    """The build the pointer names, verified: (folder, manifest, pointer)."""
    pointer = read_pointer(shared)
    folder = shared / "builds" / pointer.artifact
    if not folder.is_dir():
        raise ArtifactRefused(f"the pointer in {shared} names build {pointer.artifact}, which "
                              "is not there; publish again with `clearpath index publish DIR`")
    return folder, verify_build(folder, pointer, model_name), pointer


def load_published(shared: Path, model_name: str | None = None) -> store_mod.Store:
    """Load the published current build straight from the shared location (reads only)."""
    folder, manifest, _pointer = published(shared, model_name)
    return store_mod.load_folder(folder, manifest)


def _copy_verified(source: Path, target: Path, pointer: Pointer) -> None:
    """Copy a build folder to `target` through a partial folder next to it, verified."""
    partial = target.parent / f".{target.name}.partial-{uuid.uuid4().hex[:6]}"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copytree(source, partial)
        verify_build(partial, pointer)
        try:
            os.rename(partial, target)
        except OSError:
            if not target.is_dir():  # anything but "another copy got there first"
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _write_pointer(shared: Path, pointer: Pointer) -> None:
    tmp = shared / f".{POINTER}.{uuid.uuid4().hex[:6]}"
    tmp.write_text(json.dumps({"artifact": pointer.artifact,
                               "manifest_sha256": pointer.manifest_sha256}) + "\n")
    os.replace(tmp, shared / POINTER)


def publish(data_dir: Path, shared: Path, point: bool = True) -> Pointer:
    """Copy the local current build to `shared/builds/<id>` and (unless `point` is False) make
    it the published current build. An id already published is verified, not copied again."""
    local = (store_mod.index_root(data_dir) / "current").resolve()
    manifest = store_mod.manifest_of(local)
    if manifest is None:
        raise ArtifactRefused(f"no index in {store_mod.index_root(data_dir)}; run "
                              "`clearpath index build` first")
    if not manifest.artifact:
        raise ArtifactRefused(f"the index in {local} predates artifact ids; rebuild it with "
                              "`clearpath index build`")
    pointer = Pointer(manifest.artifact, _sha256_bytes((local / "manifest.json").read_bytes()))
    verify_build(local, pointer)  # never publish a damaged build
    target = shared / "builds" / manifest.artifact
    if target.is_dir():
        # Same inputs, so the same id; an earlier upload of it stays, if it is intact.
        existing = Pointer(manifest.artifact,
                           _sha256_bytes((target / "manifest.json").read_bytes()))
        verify_build(target, existing)
        pointer = existing
    else:
        _copy_verified(local, target, pointer)
    if point:
        _write_pointer(shared, pointer)
    return pointer


def pull(shared: Path, data_dir: Path, model_name: str | None = None) -> store_mod.Manifest:
    """Copy the published current build into the local data directory and make it current."""
    folder, manifest, pointer = published(shared, model_name)
    root = store_mod.index_root(data_dir)
    target = root / "builds" / pointer.artifact
    if target.is_dir():
        try:
            verify_build(target, pointer, model_name)
        except ArtifactRefused:
            # A damaged local copy: set it aside and copy again. Never delete in place what a
            # running server might be reading.
            os.rename(target, target.parent / f".{target.name}.damaged-{uuid.uuid4().hex[:6]}")
    if not target.is_dir():
        _copy_verified(folder, target, pointer)
    store_mod.point_current(root, pointer.artifact)
    return manifest
