"""Concurrent single-question embeddings are batched, and each caller gets its own vector."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from corpus.load import QUESTIONS_FILE
from index.coalesce import CoalescingEmbedder
from index.embed import Embedder, SentenceTransformerEmbedder

QUESTIONS = [json.loads(x)["question"] for x in QUESTIONS_FILE.read_text().splitlines()
             if x.strip()][:24]


class Gated:
    """The real model, but its first call waits until the test opens the gate, so the other
    callers are certainly queued behind it."""

    def __init__(self, inner: Embedder, fail: bool = False) -> None:
        self.inner, self.fail = inner, fail
        self.name, self.version, self.dimension = inner.name, inner.version, inner.dimension
        self.gate = threading.Event()
        self.calls: list[int] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.gate.wait(timeout=30)
        self.calls.append(len(texts))
        if self.fail:
            raise RuntimeError("model failed")
        return self.inner.encode(texts)


def queued(embedder: CoalescingEmbedder) -> int:
    with embedder._lock:
        return len(embedder._queue)


def run_concurrently(embedder: CoalescingEmbedder, gated: Gated, texts: list[str]) -> list:
    with ThreadPoolExecutor(len(texts)) as pool:
        futures = [pool.submit(embedder.encode, [t]) for t in texts]
        for _ in range(3000):  # the first caller runs its batch of one; the rest queue
            if queued(embedder) == len(texts) - 1:
                break
            threading.Event().wait(0.01)
        gated.gate.set()
        return [f.exception() or f.result() for f in futures]


def test_waiting_questions_share_one_model_call(embedder: SentenceTransformerEmbedder) -> None:
    gated = Gated(embedder)
    coalescing = CoalescingEmbedder(gated, max_batch=16)
    texts = QUESTIONS[:9]

    vectors = run_concurrently(coalescing, gated, texts)

    assert gated.calls == [1, 8]  # the first alone, then the eight that waited, together
    alone = embedder.encode(texts)
    for text_vector, want in zip(vectors, alone, strict=True):
        assert text_vector.shape == (1, embedder.dimension)
        assert float(text_vector[0] @ want) > 0.9999


def test_batches_are_capped(embedder: SentenceTransformerEmbedder) -> None:
    gated = Gated(embedder)
    coalescing = CoalescingEmbedder(gated, max_batch=4)

    run_concurrently(coalescing, gated, QUESTIONS[:11])

    assert gated.calls == [1, 4, 4, 2]
    assert coalescing.coalesced == 11 and not coalescing._busy


def test_a_model_error_reaches_every_waiting_caller(embedder: SentenceTransformerEmbedder) -> None:
    gated = Gated(embedder, fail=True)
    coalescing = CoalescingEmbedder(gated)

    results = run_concurrently(coalescing, gated, QUESTIONS[:5])

    assert all(isinstance(r, RuntimeError) and "model failed" in str(r) for r in results)
    gated.fail = False
    assert coalescing.encode([QUESTIONS[0]]).shape == (1, embedder.dimension)  # not stuck


def test_lists_pass_straight_through(embedder: SentenceTransformerEmbedder) -> None:
    coalescing = CoalescingEmbedder(embedder)
    assert coalescing.encode(QUESTIONS[:3]).shape == (3, embedder.dimension)
    assert coalescing.batches == 0


@pytest.mark.parametrize("max_batch", [0, 1])
def test_batch_of_one_still_answers(embedder: SentenceTransformerEmbedder,
                                    max_batch: int) -> None:
    coalescing = CoalescingEmbedder(embedder, max_batch=max_batch)
    assert float(coalescing.encode([QUESTIONS[0]])[0] @ embedder.encode(QUESTIONS[:1])[0]) > 0.9999


class Short(Gated):
    """A broken model that returns one vector too few."""

    def encode(self, texts: list[str]) -> np.ndarray:
        return super().encode(texts)[:-1]


def test_a_wrong_number_of_vectors_fails_the_batch_without_blocking_others(
        embedder: SentenceTransformerEmbedder) -> None:
    gated = Short(embedder)
    coalescing = CoalescingEmbedder(gated)

    results = run_concurrently(coalescing, gated, QUESTIONS[:4])

    assert all(isinstance(r, RuntimeError) for r in results)
    assert not coalescing._busy and queued(coalescing) == 0
