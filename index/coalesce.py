"""Concurrent one-question embeddings share one model call.

The server answers from a thread pool. When several questions arrive together, embedding them
one by one wastes the model's batch efficiency: on the 2-core machine, one onnxruntime thread
spends 4.97 ms of CPU per question alone and 3.84 ms per question in batches of four (the
question set, bench/results/RESULTS.md). `CoalescingEmbedder` lets the first caller run the
model for everyone waiting at that moment; callers that arrive while it runs wait, and the
first of them runs the next batch. Nothing waits on a timer, so a lone question is embedded at
once, exactly as before. A batch is padded to its longest text, so a question's vector can
differ in the seventh decimal with what else was in flight (cosine > 0.9999 with the vector
it gets alone; tests/index/test_coalesce.py).
"""

from __future__ import annotations

import threading

import numpy as np

from index.embed import Embedder


class _Slot:
    __slots__ = ("done", "error", "lead", "text", "vector")

    def __init__(self, text: str) -> None:
        self.text = text
        self.vector: np.ndarray | None = None
        self.error: BaseException | None = None
        self.lead = False  # woken to run the next batch rather than with a result
        self.done = threading.Event()


class CoalescingEmbedder:
    """An embedder whose single-text calls from different threads are batched together."""

    def __init__(self, inner: Embedder, max_batch: int = 16) -> None:
        self.inner = inner
        self.name = inner.name
        self.version = inner.version
        self.dimension = inner.dimension
        self.max_batch = max(1, max_batch)
        self.batches = 0  # model calls made for single texts (for tests and benchmarks)
        self.coalesced = 0  # texts embedded in those calls
        self._lock = threading.Lock()
        self._queue: list[_Slot] = []
        self._busy = False  # a caller is running a batch; the others wait for it

    def encode(self, texts: list[str]) -> np.ndarray:
        if len(texts) != 1:
            return self.inner.encode(texts)
        slot = _Slot(texts[0])
        with self._lock:
            self._queue.append(slot)
            lead = not self._busy
            self._busy = True
        if not lead:
            slot.done.wait()  # set with a result, or to run the next batch
        if lead or slot.lead:
            self._run_batch()  # this slot is at the head of the queue, so in the batch
        if slot.error is not None:
            raise slot.error
        assert slot.vector is not None
        return slot.vector.reshape(1, -1)

    def _run_batch(self) -> None:
        batch: list[_Slot] = []
        following: _Slot | None = None
        try:
            with self._lock:
                batch, self._queue = self._queue[:self.max_batch], self._queue[self.max_batch:]
            vectors = self.inner.encode([s.text for s in batch])
            if len(vectors) != len(batch):
                raise RuntimeError(f"the embedder returned {len(vectors)} vectors for "
                                   f"{len(batch)} texts")
            for s, vector in zip(batch, vectors, strict=True):
                s.vector = vector
        except Exception as exc:  # every caller in the batch sees the model's error
            for s in batch:
                s.error = RuntimeError(f"embedding failed: {exc}")
                s.error.__cause__ = exc
        finally:
            # Always hand on: otherwise the callers waiting now, and every later one, would
            # wait forever.
            with self._lock:
                self.batches += 1
                self.coalesced += len(batch)
                following = self._queue[0] if self._queue else None
                if following is None:
                    self._busy = False
                else:
                    following.lead = True
            for s in batch[1:]:
                s.done.set()
            if following is not None:
                following.done.set()
