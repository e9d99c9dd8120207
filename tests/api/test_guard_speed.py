"""No message up to the length limit takes the guard more than 10 ms of CPU (rules and model):
one crafted question must never stall a server. Adversarial strings from hypothesis: digit
runs, repeated words and amounts, punctuation runs, unicode, and the wordings rules look for.

The guard's own CPU time is measured (`time.thread_time`: this thread only), not wall-clock
time, so a loaded machine (other processes on the same cores) cannot fail it: it tests the
code, not the machine. Speed figures belong in bench/ (`python -m bench.run`, guard stage)."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from api import guard
from api.pipeline import Pipeline

LIMIT = 2000
BUDGET_S = 0.010
PIECES = ["1", "12", "2000", "1.5", "1,5", "-", " ", "mg", "grams", "g ", "how much ", "how many ",
          "is that ok ", "kill my", "self ", "my friend ", "is not ", "breathing ", "take ", "or ",
          "per day ", "a", "é", "ñ", "¿", "?", ".", "'", "/", "+", "=", "\u200b", "cuánto ",
          "too much ", "dose ", "taper ", "every 4 hours ", "x ", "kratom ", "i'm ", "at ",
          "QUJD", "\n", "!!", "blue ", "lips ", "he ", "she ", "won't ", "wake ", "up "]

adversarial = st.one_of(
    st.builds(lambda piece, n: (piece * n)[:LIMIT], st.sampled_from(PIECES),
              st.integers(100, LIMIT)),
    st.lists(st.sampled_from(PIECES), min_size=50, max_size=600).map(lambda p: "".join(p)[:LIMIT]),
    st.text(min_size=500, max_size=LIMIT),
)


def guard_cpu_time(text: str, pipeline: Pipeline) -> float:
    """The CPU time this thread spends in the guard on one message never seen before (rules
    and model, every cache emptied first), best of three: a virtual machine's CPU time has
    noise, the code's cost does not."""
    vector = pipeline.embedder.encode([text])[0]
    best = float("inf")
    for _ in range(3):
        guard.forget()
        started = time.thread_time()
        guard.check(text, vector, pipeline.guard_model)
        best = min(best, time.thread_time() - started)
    return best


# No shrinking: a failure prints its message, and shrinking 2,000-character strings is slow.
@settings(max_examples=150, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=adversarial)
def test_no_message_takes_the_guard_over_10_ms(text: str, pipeline: Pipeline) -> None:
    assert guard_cpu_time(text, pipeline) < BUDGET_S, (len(text), text[:60])


def test_the_reported_freeze_is_gone(pipeline: Pipeline) -> None:
    # 2,000 digits took about 38 s in one dosing rule; 800 took 2.8 s.
    for text in ("1" * 2000, "1" * 800, "1-" * 1000, "1 mg " * 400):
        assert guard_cpu_time(text, pipeline) < BUDGET_S
