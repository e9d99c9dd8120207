"""Faults on the real fleet (deploy/fleet.sh): a replica killed under load, Redis stopped,
PostgreSQL stopped and restarted, and one partner quota shared exactly by two replicas.

The figures of the load test (requests, failures, retries the proxy made) are printed and
written to FLEET_RESULTS (default: the test's fleet directory, removed afterwards)."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine

from api import db
from api.guard.model import load_messages
from api.tokens import TokenSigner
from tests.fleet.conftest import OPERATOR_TOKEN, ORIGIN, QUOTA, Fleet

pytestmark = pytest.mark.fleet

QUESTIONS = ["What is kratom?", "How long does opioid withdrawal last?",
             "Is kratom safe to use during pregnancy?", "What helps with withdrawal symptoms?",
             "Can kratom be addictive?", "What is buprenorphine?"]
CRISIS = next(r["text"] for r in load_messages("test") if r["label"] == "crisis")


def ask(client: httpx.Client, base: str, question: str = "What is kratom?") -> httpx.Response:
    return client.post(f"{base}/api/v1/ask", json={"question": question}, timeout=30)


def widget_chat(client: httpx.Client, base: str, partner: str, token: str,
                question: str = "What is kratom?") -> httpx.Response:
    return client.post(f"{base}/chat", timeout=30,
                       data={"question": question, "partner": partner, "token": token})


def token_for(fleet: Fleet, partner: str) -> str:
    return TokenSigner(fleet.settings()["CLEARPATH_SECRET_KEY"], 1800).issue(partner, ORIGIN)


def running(pid: int) -> bool:
    """The process exists and is not a zombie (pid 1 does not always reap orphans)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def wait_until_both_serve(fleet: Fleet) -> None:
    """The proxy checks /readyz every second: wait until it routes to both replicas again."""
    deadline = time.monotonic() + 30
    with httpx.Client() as client:
        while time.monotonic() < deadline:
            if all(client.get(f"{r}/readyz").status_code == 200 for r in fleet.replicas):
                time.sleep(2.5)  # a check interval and a rise, with room
                return
            time.sleep(0.5)
    raise AssertionError("a replica did not come back")


def test_killing_a_replica_under_load_loses_no_request(fleet: Fleet) -> None:
    threads, per_thread, kill_after = 4, 40, 40
    done, failures, latencies = [0], [], []
    lock = threading.Lock()
    killed = threading.Event()

    def client_loop(k: int) -> None:
        with httpx.Client() as client:  # keep-alive, as a browser or a partner's server
            for i in range(per_thread):
                started = time.perf_counter()
                try:
                    response = ask(client, fleet.proxy, QUESTIONS[(k + i) % len(QUESTIONS)])
                    status = response.status_code
                    ok = status == 200 and response.json()["kind"] in ("answer", "no_answer")
                except httpx.HTTPError as exc:
                    status, ok = type(exc).__name__, False
                with lock:
                    latencies.append(time.perf_counter() - started)
                    done[0] += 1
                    if not ok:
                        failures.append({"status": status, "after_kill": killed.is_set()})

    workers = [threading.Thread(target=client_loop, args=(k,)) for k in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    while done[0] < kill_after:
        time.sleep(0.01)
    victim = int((fleet.dir / "replica-1.pid").read_text())
    fleet.run("kill", "replica-1")  # SIGKILL, with requests in flight on it
    killed.set()
    assert not running(victim)
    for w in workers:
        w.join(timeout=300)
    elapsed = time.perf_counter() - started
    log_lines = [line for line in fleet.logs("proxy").splitlines() if "/api/v1/ask" in line]
    retried = sum(1 for line in log_lines if re.search(r"retries=\+?[1-9]", line))
    served = {r: sum(f"replicas/{r} " in line for line in log_lines) for r in ("r1", "r2")}
    latencies.sort()
    figures = {"requests": threads * per_thread, "concurrency": threads,
               "failed": len(failures), "failures": failures,
               "retried_by_proxy": retried,
               "served_by": served, "seconds": round(elapsed, 2),
               "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
               "max_ms": round(latencies[-1] * 1000, 1)}
    print("\nkill one replica under load:", json.dumps(figures))  # noqa: T201 (-s shows it)
    out = Path(os.environ.get("FLEET_RESULTS", fleet.dir)) / "kill-replica.json"
    out.write_text(json.dumps(figures, indent=2))
    assert done[0] == threads * per_thread
    assert served["r1"] > 0 and served["r2"] > 0  # both took load before the kill
    # HAProxy retries what the dead replica had in flight (retry-on empty-response) and sends
    # new connections to the live one: the clients see no failure at all.
    assert failures == [], figures
    fleet.run("start", "replica-1")
    wait_until_both_serve(fleet)


def test_with_redis_stopped_answers_flow_limits_fail_open_crisis_served(fleet: Fleet) -> None:
    token = token_for(fleet, "counted")
    fleet.run("stop", "redis")
    try:
        with httpx.Client() as client:
            for replica in fleet.replicas:  # each replica, not whichever the proxy picks
                answered = ask(client, replica)
                assert answered.status_code == 200 and answered.json()["kind"] == "answer"
                crisis = ask(client, replica, CRISIS)
                assert crisis.status_code == 200 and crisis.json()["kind"] == "crisis"
                # The partner's limits and quota are in Redis too: they let the request through.
                widget = widget_chat(client, replica, "counted", token)
                assert widget.status_code == 200, widget.text[:300]
                # A refused token sends a crisis to the crisis path, whose ceiling is in Redis.
                refused = widget_chat(client, replica, "counted", "not-a-token", CRISIS)
                assert refused.status_code == 200 and 'class="crisis-text"' in refused.text
            through_proxy = ask(client, fleet.proxy)
            assert through_proxy.status_code == 200
        for n in (1, 2):
            assert '"event": "rate_limits_failing_open"' in fleet.logs(f"replica-{n}")
    finally:
        fleet.run("start", "redis")
    # Back: limits are counted again (the operator lockout counts wrong tokens in Redis),
    # for one address the replicas see through their trusted proxy, shared by both replicas.
    time.sleep(2.5)  # ratelimit.RETRY_SECONDS: the store is tried again after this
    headers = {"Authorization": "Bearer wrong", "X-Forwarded-For": "198.51.100.7"}
    with httpx.Client() as client:
        statuses = [client.get(f"{fleet.replicas[i % 2]}/api/v1/operator/partners/stats",
                               headers=headers).status_code for i in range(12)]
    assert statuses[:10] == [403] * 10 and statuses[10:] == [429, 429]
    assert '"event": "rate_limits_restored"' in fleet.logs("replica-1")


def test_with_postgres_stopped_feedback_is_refused_clearly_and_counts_survive(
        fleet: Fleet) -> None:
    engine = create_engine(fleet.settings()["CLEARPATH_DATABASE_URL"])
    token = token_for(fleet, "counted")
    rating = {"kind": "answer", "rating": 1}
    with httpx.Client() as client:
        saved = client.post(f"{fleet.proxy}/api/v1/feedback", json=rating)
        assert saved.status_code == 200
        assert widget_chat(client, fleet.proxy, "counted", token).status_code == 200
        before = (db.feedback_counts(engine), db.partner_counts(engine, "counted"))
        assert before[1]["counted"]["answer"] >= 1
        engine.dispose()
        fleet.run("stop", "postgres")
        try:
            assert ask(client, fleet.proxy).status_code == 200  # answers keep flowing
            assert widget_chat(client, fleet.proxy, "counted", token).status_code == 200
            refused = client.post(f"{fleet.proxy}/api/v1/feedback", json=rating)
            assert refused.status_code == 503, refused.text
            assert refused.json()["error"]["code"] == "storage_unavailable"
            assert refused.headers["retry-after"]
            page = client.post(f"{fleet.proxy}/feedback", data={"kind": "answer", "rating": 1})
            assert page.status_code == 503 and "could not be saved" in page.text
        finally:
            fleet.run("start", "postgres")
        after = (db.feedback_counts(engine), db.partner_counts(engine, "counted"))
        assert after == before  # nothing lost, nothing half-written
        again = client.post(f"{fleet.proxy}/api/v1/feedback", json=rating)
        assert again.status_code == 200 and again.json()["id"] > saved.json()["id"]
    assert db.feedback_counts(engine)["answer"]["up"] == before[0]["answer"]["up"] + 1
    engine.dispose()
    assert any('"event": "feedback_not_saved"' in fleet.logs(f"replica-{n}") for n in (1, 2))


def test_two_replicas_share_one_partner_quota_exactly(fleet: Fleet) -> None:
    token = token_for(fleet, "shared-quota")
    statuses: dict[str, list[int]] = {r: [] for r in fleet.replicas}
    with httpx.Client() as client:
        for i in range(3 * QUOTA):
            replica = fleet.replicas[i % 2]
            statuses[replica].append(widget_chat(client, replica, "shared-quota", token,
                                                 QUESTIONS[i % len(QUESTIONS)]).status_code)
        stats = client.get(f"{fleet.proxy}/api/v1/operator/partners/stats",
                           headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"}).json()
    accepted = sum(s.count(200) for s in statuses.values())
    refused = sum(s.count(429) for s in statuses.values())
    assert (accepted, refused) == (QUOTA, 2 * QUOTA), statuses
    assert all(200 in s for s in statuses.values())  # both replicas took part
    assert sum(stats["partners"]["shared-quota"].values()) == QUOTA  # counted in PostgreSQL


def test_migrated_postgres_schema_is_the_models_schema(fleet: Fleet) -> None:
    """`clearpath db upgrade` (run by fleet.sh up) leaves PostgreSQL exactly as api/db.py's
    models describe it, and a second upgrade changes nothing."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = create_engine(fleet.settings()["CLEARPATH_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.Base.metadata)
        assert diff == []
        assert db.upgrade(engine) == "0002"
    finally:
        engine.dispose()
