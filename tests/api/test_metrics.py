"""/metrics in Prometheus format (issue 16): outcomes, stage latencies, the index version and
limit refusals, behind the operator token, and never a word of a question."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api import metrics
from api.pipeline import Pipeline
from api.settings import Settings
from tests.conftest import running

TOKEN = "a-metrics-operator-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# Words that appear in no metric name, label or help text: if any shows up, a question leaked.
MARKED = ["how long does quokkaesque opioid withdrawal last",
          "what does zeppelinium taste like in soup",
          "I want to end my life tonight, xylophonic"]
MARKERS = ("quokkaesque", "zeppelinium", "xylophonic", "soup", "tonight")


@pytest.fixture(scope="module")
def metered(settings: Settings, pipeline: Pipeline) -> Iterator[str]:
    with running(settings.model_copy(update={"rate_limit": "4/minute",
                                             "operator_token": TOKEN}), pipeline) as url:
        yield url


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str,
          **labels: str) -> float:
    return sum(v for (n, ls), v in found.items()
               if n == name and set(labels.items()) <= set(ls))


def test_metrics_need_the_operator_token(metered: str) -> None:
    assert httpx.get(f"{metered}/metrics").status_code == 401
    wrong = httpx.get(f"{metered}/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert wrong.json()["error"]["code"] == "operator_token"


def test_metrics_count_what_was_served_and_never_the_question(metered: str,
                                                              pipeline: Pipeline) -> None:
    before = samples(httpx.get(f"{metered}/metrics", headers=AUTH).text)
    kinds = []
    with httpx.Client(base_url=metered, timeout=30) as client:
        for question in MARKED:
            reply = client.post("/api/v1/ask", json={"question": question})
            assert reply.status_code == 200
            kinds.append(reply.json()["kind"])
        refused = [client.post("/api/v1/ask", json={"question": "what is kratom"}).status_code
                   for _ in range(4)]
        reply = client.get("/metrics", headers=AUTH)
    assert 429 in refused  # 4 per minute: the fourth question of this client at the latest
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/plain")
    text = reply.text
    for marker in MARKERS:
        assert marker not in text.lower()
    after = samples(text)
    for kind in set(kinds):
        grew = (value(after, "clearpath_outcomes_total", kind=kind, surface="api")
                - value(before, "clearpath_outcomes_total", kind=kind, surface="api"))
        assert grew == kinds.count(kind) + (kind == "answer") * refused.count(200)
    for stage in ("embed", "guard", "search", "compose"):
        assert value(after, "clearpath_stage_seconds_count", stage=stage) > value(
            before, "clearpath_stage_seconds_count", stage=stage)
    assert value(after, "clearpath_limit_refusals_total", limit="ask") - value(
        before, "clearpath_limit_refusals_total", limit="ask") == refused.count(429)
    manifest = pipeline.store.manifest
    assert value(after, "clearpath_index_info", artifact=manifest.artifact,
                 corpus_version=manifest.corpus_hash) == 1


def test_the_limit_backend_counter_is_exposed(metered: str) -> None:
    metrics.limit_backend_error("redis")
    found = samples(httpx.get(f"{metered}/metrics", headers=AUTH).text)
    assert value(found, "clearpath_limit_backend_errors_total", backend="redis") >= 1


def test_metrics_can_be_public_on_a_private_bind(settings: Settings, pipeline: Pipeline) -> None:
    with running(settings.model_copy(update={"metrics_public": True}), pipeline) as url:
        assert "clearpath_outcomes" in httpx.get(f"{url}/metrics").text
