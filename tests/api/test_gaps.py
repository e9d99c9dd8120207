"""Content gaps without questions (issue 16): no_answer outcomes counted by the nearest
passage's topic and document and by partner, reported only in cells of at least k."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from api import cli, db
from api.pipeline import Pipeline
from api.settings import Settings
from corpus.load import QUESTIONS_FILE
from tests.conftest import running

TOKEN = "a-content-gaps-operator-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUESTIONS = QUESTIONS_FILE  # the development part of the labelled questions
DEMO_ORIGIN = "http://127.0.0.1:8080"  # the demo partner of partners.toml


def unanswerable(pipeline: Pipeline) -> list[tuple[str, str, str]]:
    """(question, nearest document, its topic) for labelled no-answer questions the pipeline
    does decline, one per topic."""
    found: dict[str, tuple[str, str, str]] = {}
    for line in QUESTIONS.read_text().splitlines():
        item = json.loads(line)
        if item.get("expect") != "no_answer":
            continue
        result = pipeline.answer(item["question"])
        if result.kind != "no_answer" or not result._nearest:
            continue
        doc_id = result._nearest.split("#")[0]
        topic = pipeline.store.documents[doc_id].topics[0]
        found.setdefault(topic, (item["question"], doc_id, topic))
        if len(found) == 2:
            break
    assert len(found) == 2, "need declined questions near two topics"
    return list(found.values())


def rows(view: dict[str, object]) -> dict[tuple[str, ...], int]:
    return {tuple(str(v) for k, v in row.items() if k != "no_answer"): row["no_answer"]
            for row in view["rows"]}  # type: ignore[attr-defined]


@pytest.fixture
def counted(settings: Settings, pipeline: Pipeline, tmp_path: Path) -> Settings:
    return settings.model_copy(update={
        "database_url": f"sqlite:///{tmp_path / 'gaps.db'}", "operator_token": TOKEN,
        "rate_limit_enabled": False})


def test_gaps_are_counted_by_topic_document_and_partner_never_below_k(
        counted: Settings, pipeline: Pipeline) -> None:
    (often, often_doc, often_topic), (rare, _rare_doc, rare_topic) = unanswerable(pipeline)
    with running(counted, pipeline) as url, httpx.Client(base_url=url, timeout=30) as client:
        for question in [often] * 5 + [rare] * 2:
            assert client.post("/api/v1/ask", json={"question": question}).json()[
                "kind"] == "no_answer"
        page = client.get("/embed/demo", params={"origin": DEMO_ORIGIN})
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        for _ in range(5):
            reply = client.post("/chat", data={"question": often, "partner": "demo",
                                               "token": token}, headers={"HX-Request": "true"})
            assert reply.status_code == 200 and "kind-no_answer" in reply.text
        assert client.post("/api/v1/ask", json={"question": "what is kratom"}).json()[
            "kind"] == "answer"  # answers are not gaps
        assert client.get("/api/v1/operator/content-gaps").status_code == 401
        gaps = client.get("/api/v1/operator/content-gaps", headers=AUTH).json()
        demo = client.get("/api/v1/operator/content-gaps", headers=AUTH,
                          params={"partner": "demo"}).json()
        stats = client.get("/api/v1/operator/partners/stats", headers=AUTH).json()

    assert gaps["min_count"] == 5
    assert rows(gaps["by_topic"]) == {(often_topic,): 10}  # the rare topic's 2 are not shown
    assert gaps["by_topic"]["suppressed"] == "<5"  # a small sum is itself a small cell
    assert gaps["no_answer"] is None  # a total would give the suppressed 2 away
    assert rows(gaps["by_document"]) == {(often_doc, often_topic): 10}
    assert rows(gaps["by_partner"]) == {("", often_topic): 5, ("demo", often_topic): 5}
    assert rows(demo["by_topic"]) == {(often_topic,): 5} and demo["no_answer"] == 5
    assert stats["content_gaps"] == gaps
    assert stats["partners"]["demo"]["no_answer"] == 5

    # k is a setting; the CLI reports what the endpoint does.
    engine = db.make_engine(counted.db_url)
    two = db.content_gaps(engine, 2)
    assert rows(two["by_topic"]) == {(often_topic,): 10, (rare_topic,): 2}
    assert two["no_answer"] == 12 and two["by_topic"]["suppressed"] == 0
    env = {**os.environ, "CLEARPATH_DATABASE_URL": counted.db_url}
    result = CliRunner().invoke(cli.main, ["partners", "stats", "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["content_gaps"] == gaps
    table = CliRunner().invoke(cli.main, ["partners", "stats"], env=env)
    assert "Content gaps" in table.output and often_topic in table.output
    assert "(suppressed)" in table.output

    # Nothing of the questions is stored: every cell is a count, a day, a partner id, an
    # outcome kind, or a passage, document or topic id of the index.
    store = pipeline.store
    known = ({"", "demo", "answer", "no_answer", "dosing_refusal", "crisis", "out_of_scope"}
             | {p.id for p in store.passages} | set(store.documents)
             | {t for d in store.documents.values() for t in d.topics})
    connection = sqlite3.connect(counted.db_url.removeprefix("sqlite:///"))
    cells = [cell for name in ("content_gaps", "partner_counts")
             for row in connection.execute(f"select * from {name}") for cell in row]
    assert cells
    for cell in cells:
        assert isinstance(cell, int) or cell in known or re.fullmatch(
            r"\d{4}-\d{2}-\d{2}", cell), cell
