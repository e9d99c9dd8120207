"""Shared fixtures: the real model, a real index built from the real corpus, a real server."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from api.pipeline import Pipeline
from api.settings import Settings
from index.build import build
from index.embed import SentenceTransformerEmbedder

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def settings(data_dir: Path, embedder: SentenceTransformerEmbedder) -> Settings:
    built = Settings(data_dir=data_dir)
    build(embedder, built.data_dir, built.corpus_dir)
    return built


@pytest.fixture(scope="session")
def pipeline(settings: Settings, embedder: SentenceTransformerEmbedder) -> Pipeline:
    return Pipeline(settings, embedder)


@pytest.fixture
def cli_env(settings: Settings) -> dict[str, str]:
    """Environment for running the `clearpath` command against the test index."""
    return {**os.environ, "CLEARPATH_DATA_DIR": str(settings.data_dir), "HF_HUB_OFFLINE": "1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThreadServer(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # the test runner owns signals
        pass


@contextmanager
def running(settings: Settings, pipeline: Pipeline) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port, in a thread; yields its base URL."""
    from api.app import create_app

    port = free_port()
    # As `clearpath serve` runs it: the app, not uvicorn, reads X-Forwarded-For.
    config = uvicorn.Config(create_app(settings, pipeline), host="127.0.0.1", port=port,
                            log_level="warning", proxy_headers=False)
    srv = ThreadServer(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def server(settings: Settings, pipeline: Pipeline) -> Iterator[str]:
    """The app with rate limits lifted (tests send many questions)."""
    with running(settings.model_copy(update={"rate_limit_enabled": False}), pipeline) as url:
        yield url


@pytest.fixture(scope="session")
def limited_server(settings: Settings, pipeline: Pipeline) -> Iterator[str]:
    """The app with a tiny rate limit, to see 429s."""
    with running(settings.model_copy(update={"rate_limit": "3/minute"}), pipeline) as url:
        yield url
