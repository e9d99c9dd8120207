"""The crisis reply is never hidden (api/gate.py): past a rate limit, past a partner's quota
and with an expired widget token, every crisis message of the guard's test split still gets
the crisis reply, over real HTTP; the path has its own ceiling; CPU work stays off the loop."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.guard.model import load_messages
from api.pipeline import Pipeline
from api.settings import Settings
from api.tokens import TokenSigner
from tests.conftest import running

ORIGIN = "http://127.0.0.1:9"
CRISIS = [r["text"] for r in load_messages("test") if r["label"] == "crisis"]


def registry(folder: Path) -> Path:
    path = folder / "partners.toml"
    path.write_text(f"""
[[partner]]
id = "spent"
name = "Spent quota"
allowed_origins = ["{ORIGIN}"]
daily_quota = 1

[[partner]]
id = "fresh"
name = "Fresh"
allowed_origins = ["{ORIGIN}"]
""")
    return path


@pytest.fixture(scope="module")
def gated(tmp_path_factory: pytest.TempPathFactory, settings: Settings,
          pipeline: Pipeline) -> Iterator[tuple[str, Settings]]:
    folder = tmp_path_factory.mktemp("gate")
    app_settings = settings.model_copy(update={
        "partners_file": registry(folder), "rate_limit": "1/minute",
        "crisis_rate_limit": "100000/minute", "database_url": f"sqlite:///{folder / 'g.db'}"})
    with running(app_settings, pipeline) as url:
        yield url, app_settings


def is_crisis_page(response: httpx.Response) -> bool:
    return response.status_code == 200 and "kind-crisis" in response.text \
        and 'href="tel:911"' in response.text


def test_a_rate_limited_client_gets_every_crisis_reply(gated: tuple[str, Settings]) -> None:
    url, _ = gated
    httpx.post(f"{url}/api/v1/ask", json={"question": "what is kratom"})
    assert httpx.post(f"{url}/api/v1/ask", json={"question": "what is kratom"}).status_code == 429
    missed = [q for q in CRISIS
              if httpx.post(f"{url}/api/v1/ask", json={"question": q}).json().get("kind")
              != "crisis"]
    assert not missed
    page = [q for q in CRISIS[:20] if not is_crisis_page(
        httpx.post(f"{url}/chat", data={"question": q}, headers={"HX-Request": "true"}))]
    assert not page


def test_a_partner_past_its_quota_gets_every_crisis_reply(gated: tuple[str, Settings]) -> None:
    url, _ = gated
    token = httpx.get(f"{url}/embed/spent", params={"origin": ORIGIN},
                      headers={"Sec-Fetch-Dest": "iframe"}).text.split('name="token" value="')[1]
    token = token.split('"')[0]
    form = {"partner": "spent", "token": token}
    httpx.post(f"{url}/chat", data={**form, "question": "what is kratom"})
    refused = httpx.post(f"{url}/chat", data={**form, "question": "what is kratom"})
    assert refused.status_code == 429
    missed = [q for q in CRISIS
              if not is_crisis_page(httpx.post(f"{url}/chat", data={**form, "question": q}))]
    assert not missed


def test_an_expired_widget_token_gets_every_crisis_reply(
        gated: tuple[str, Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    url, app_settings = gated
    signer = TokenSigner(app_settings.secret_key, app_settings.token_max_age)
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: 1_000_000_000.0)
    old = signer.issue("fresh", ORIGIN)
    monkeypatch.undo()
    form = {"partner": "fresh", "token": old}
    expired = httpx.post(f"{url}/chat", data={**form, "question": "what is kratom"})
    assert expired.status_code == 403 and "expired" in expired.text
    missed = [q for q in CRISIS
              if not is_crisis_page(httpx.post(f"{url}/chat", data={**form, "question": q}))]
    assert not missed
    # A token nobody issued is refused too, and still never hides a crisis.
    forged = {"partner": "nobody", "token": "forged"}
    assert is_crisis_page(httpx.post(f"{url}/chat", data={**forged, "question": CRISIS[0]}))


def test_the_crisis_path_has_its_own_ceiling(tmp_path: Path, settings: Settings,
                                             pipeline: Pipeline) -> None:
    tight = settings.model_copy(update={"rate_limit": "1/minute", "crisis_rate_limit": "2/minute"})
    with running(tight, pipeline) as url:
        codes = [httpx.post(f"{url}/api/v1/ask", json={"question": CRISIS[0]}).status_code
                 for _ in range(4)]
    # The first is within the ordinary limit; two more pass the crisis ceiling; then 429.
    assert codes == [200, 200, 200, 429]


class Blocking:
    """The real pipeline, whose crisis path waits until released."""

    def __init__(self, pipeline: Pipeline) -> None:
        self._pipeline = pipeline
        self.entered, self.release = threading.Event(), threading.Event()

    def __getattr__(self, name: str) -> object:
        return getattr(self._pipeline, name)

    def crisis_reply(self, question: object, region: str | None = None) -> object:
        self.entered.set()
        self.release.wait(30)
        return self._pipeline.crisis_reply(question, region)


def test_the_limited_path_never_blocks_the_event_loop(settings: Settings,
                                                      pipeline: Pipeline) -> None:
    slow = Blocking(pipeline)
    tight = settings.model_copy(update={"rate_limit": "1/minute"})
    with running(tight, slow) as url:  # type: ignore[arg-type]
        httpx.post(f"{url}/api/v1/ask", json={"question": "what is kratom"})
        result: dict[str, httpx.Response] = {}
        asker = threading.Thread(target=lambda: result.update(r=httpx.post(
            f"{url}/api/v1/ask", json={"question": CRISIS[0]}, timeout=60)))
        asker.start()
        assert slow.entered.wait(30)
        # While the limited request is inside the guard, the server still answers.
        assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200
        slow.release.set()
        asker.join(60)
    assert result["r"].json()["kind"] == "crisis"
