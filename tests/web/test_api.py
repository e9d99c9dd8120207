"""The JSON API over real HTTP: schema, feedback storage, rate limits, and a property-based
run over the OpenAPI schema."""

from __future__ import annotations

import json
import re

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db import Feedback, make_engine
from api.settings import Settings


def test_sources_lists_every_source_with_citing_documents(server: str) -> None:
    data = httpx.get(f"{server}/api/v1/sources").json()
    assert data["count"] == len(data["data"]) >= 20
    first = data["data"][0]
    assert {"key", "title", "publisher", "url", "accessed", "documents"} <= set(first)
    assert first["documents"][0]["url"].startswith("/sources/")


def test_feedback_is_stored_without_question_text(server: str, settings: Settings) -> None:
    answer = httpx.post(f"{server}/api/v1/ask", json={"question": "what is kratom"}).json()
    passages = [c["passage_id"] for c in answer["citations"]]
    saved = httpx.post(f"{server}/api/v1/feedback", json={
        "kind": answer["kind"], "rating": 1, "passage_ids": passages,
        "corpus_version": answer["corpus_version"]})
    assert saved.status_code == 200
    with Session(make_engine(settings.db_url)) as session:
        row = session.scalars(select(Feedback).where(Feedback.id == saved.json()["id"])).one()
    assert row.outcome == "answer" and row.rating == 1 and row.question is None
    assert json.loads(row.passage_ids) == passages


def test_feedback_form_without_js(server: str) -> None:
    page = httpx.post(f"{server}/feedback", data={"kind": "answer", "rating": "-1",
                                                  "passages": "x#1",
                                                  "corpus_version": "0123456789abcdef"})
    assert page.status_code == 200 and "Thank you" in page.text
    bad = httpx.post(f"{server}/api/v1/feedback", json={"kind": "answer", "rating": 0})
    assert bad.status_code == 422 and bad.json()["error"]["message"]


def test_rate_limit_answers_429_with_a_clear_message(limited_server: str) -> None:
    codes = [httpx.post(f"{limited_server}/api/v1/ask", json={"question": "what is kratom"})
             for _ in range(4)]
    assert [r.status_code for r in codes[:3]] == [200, 200, 200]
    limited = codes[3]
    assert limited.status_code == 429
    assert "try again" in limited.json()["error"]["message"]
    assert int(limited.headers["retry-after"]) >= 1
    page = httpx.post(f"{limited_server}/chat", data={"question": "what is kratom"},
                      headers={"HX-Request": "true"})
    assert page.status_code == 429 and "Please try again" in page.text
    # Past the limit, an emergency still gets its numbers, on both surfaces.
    crisis = httpx.post(f"{limited_server}/api/v1/ask",
                        json={"question": "my friend is not breathing"})
    assert crisis.status_code == 200 and crisis.json()["kind"] == "crisis"
    crisis_page = httpx.post(f"{limited_server}/chat", data={"question": "he won't wake up"},
                             headers={"HX-Request": "true"})
    assert crisis_page.status_code == 200 and 'href="tel:911"' in crisis_page.text


def test_openapi_docs_are_served_without_a_cdn(server: str) -> None:
    docs = httpx.get(f"{server}/docs")
    assert docs.status_code == 200 and "/docs-static/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert httpx.get(f"{server}/docs-static/swagger-ui-bundle.js").status_code == 200
    spec = httpx.get(f"{server}/openapi.json").json()
    assert "/api/v1/ask" in spec["paths"]


def test_no_generated_request_makes_a_5xx(server: str) -> None:
    """Property-based: schemathesis generates requests from the OpenAPI schema."""
    schema = schemathesis.openapi.from_url(f"{server}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        def check(case: schemathesis.Case) -> None:
            response = case.call()
            assert response.status_code < 500, (case.path, case.body, response.text[:300])

        check()


def test_logs_carry_outcomes_not_questions(server: str,
                                            caplog: pytest.LogCaptureFixture) -> None:
    secret = "what is kratom zebra-7731"
    with caplog.at_level("INFO", logger="clearpath"):
        httpx.post(f"{server}/api/v1/ask", json={"question": secret})
        httpx.post(f"{server}/chat", data={"question": secret})
    records = [r for r in caplog.records if r.name == "clearpath.answers"]
    assert len(records) == 2
    assert all(getattr(r, "fields", {}).get("outcome") for r in records)
    assert "zebra-7731" not in caplog.text
    assert all("zebra-7731" not in str(getattr(r, "fields", {})) for r in records)


def test_schemathesis_stateful_and_negative_checks_pass(settings: Settings, pipeline,
                                                        tmp_path) -> None:  # noqa: ANN001
    """Every schemathesis check and phase (boundary values, valid and invalid data, stateful
    sequences: ask, then rate the result through the OpenAPI link), bounded in time."""
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import running

    token = "Z_hs-dKV7ZKUuipcbrKBGMZL8JpPjrkxh6CO6lMfmYo"
    app = settings.model_copy(update={"rate_limit_enabled": False, "operator_token": token,
                                      "database_url": f"sqlite:///{tmp_path / 'st.db'}"})
    exe = str(Path(sys.executable).parent / "schemathesis")
    with running(app, pipeline) as url:
        out = subprocess.run(
            [exe, "run", f"{url}/openapi.json", "--checks", "all", "--mode", "all",
             "--phases", "examples,coverage,fuzzing,stateful", "--max-examples", "25",
             "--max-time", "90", "--seed", "15", "--workers", "1",
             "--request-timeout", "30", "--warnings", "off", "--report-dir", str(tmp_path)],
            capture_output=True, text=True, timeout=400, cwd=tmp_path)  # its cache too
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    for phase in ("Coverage", "Fuzzing", "Stateful"):  # ran and passed, not skipped
        assert re.search(rf"✅\s+{phase}", out.stdout), out.stdout[-2000:]
