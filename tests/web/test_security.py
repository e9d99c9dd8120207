"""Hardening from the security probe (issue 15): each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from api.clientip import client_address, parse_trusted
from api.pipeline import Pipeline
from api.settings import Settings, secret_weakness
from tests.conftest import running

RATING = {"kind": "answer", "rating": 1}


def _codes(url: str, headers: list[dict[str, str]]) -> list[int]:
    return [httpx.post(f"{url}/api/v1/feedback", json=RATING, headers=h).status_code
            for h in headers]


def test_forwarded_for_buys_no_fresh_limit_by_default(settings: Settings,
                                                      pipeline: Pipeline) -> None:
    limited = settings.model_copy(update={"rate_limit": "3/minute"})
    with running(limited, pipeline) as url:
        codes = _codes(url, [{"X-Forwarded-For": f"198.51.100.{i}"} for i in range(5)]
                       + [{"X-Forwarded-For": "spoof, 127.0.0.1"}])
    assert codes == [200, 200, 200, 429, 429, 429]


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_counts(
        settings: Settings, pipeline: Pipeline) -> None:
    proxied = settings.model_copy(update={"rate_limit": "3/minute",
                                          "forwarded_allow_ips": "127.0.0.1"})
    with running(proxied, pipeline) as url:
        # The client invents the left part; the proxy appended 203.0.113.7.
        same = _codes(url, [{"X-Forwarded-For": f"10.9.9.{i}, 203.0.113.7"} for i in range(4)])
        other = _codes(url, [{"X-Forwarded-For": "203.0.113.8"}])
    assert same == [200, 200, 200, 429] and other == [200]


def test_client_address_rules() -> None:
    proxies = parse_trusted("127.0.0.1, 10.0.0.0/8, ::1")
    assert client_address("127.0.0.1", ["1.2.3.4, 5.6.7.8"], ()) == "127.0.0.1"
    assert client_address("192.0.2.1", ["1.2.3.4"], proxies) == "192.0.2.1"  # not a proxy
    assert client_address("127.0.0.1", ["1.2.3.4, 5.6.7.8, 10.1.1.1"], proxies) == "5.6.7.8"
    assert client_address("127.0.0.1", ["1.2.3.4", "5.6.7.8"], proxies) == "5.6.7.8"
    assert client_address("::1", ["[2001:db8::1]:443"], proxies) == "2001:db8::1"
    assert client_address("127.0.0.1", ["10.0.0.2, 10.0.0.3"], proxies) == "10.0.0.2"
    assert client_address("127.0.0.1", [], proxies) == "127.0.0.1"
    with pytest.raises(ValueError, match="not an IP"):
        parse_trusted("*")
    with pytest.raises(ValueError, match="nginx"):
        Settings(forwarded_allow_ips="nginx")


STRONG = "Z_hs-dKV7ZKUuipcbrKBGMZL8JpPjrkxh6CO6lMfmYo"  # secrets.token_urlsafe(32)


@pytest.mark.parametrize("weak", ["a", "CHANGETHIS", " changethis", "change this ",
                                  "x" * 40, "ab" * 20, "changethis-changethis-changethis!!",
                                  "short-but-random-9fQ2"])
def test_production_refuses_weak_secrets(weak: str) -> None:
    with pytest.raises(ValueError, match="CLEARPATH_SECRET_KEY") as refused:
        Settings(environment="production", secret_key=weak)
    assert len(weak) < 12 or weak.strip() not in str(refused.value)  # never quoted
    with pytest.raises(ValueError, match="CLEARPATH_OPERATOR_TOKEN"):
        Settings(environment="production", secret_key=STRONG, operator_token=weak)


def test_production_accepts_random_secrets_and_no_operator_token() -> None:
    import secrets

    for _ in range(20):
        Settings(environment="production", secret_key=secrets.token_urlsafe(32),
                 operator_token=secrets.token_hex(16))
    assert Settings(environment="production", secret_key=STRONG).operator_token == ""
    # Random tokens are never refused (at the old bar about 1 in 1,100 hex tokens was).
    assert not [t for t in (secrets.token_hex(16) for _ in range(20000)) if secret_weakness(t)]
    assert Settings(secret_key="a").secret_key == "a"  # development says nothing


def test_hsts_only_in_production(settings: Settings, pipeline: Pipeline, server: str) -> None:
    assert "strict-transport-security" not in httpx.get(f"{server}/healthz").headers
    with running(settings.model_copy(update={"environment": "production"}), pipeline) as url:
        for path in ("/healthz", "/", "/api/v1/sources", "/no-such-page"):
            got = httpx.get(f"{url}{path}").headers.get("strict-transport-security")
            assert got == "max-age=31536000", path


def test_operator_token_attempts_are_limited_per_address(settings: Settings,
                                                         pipeline: Pipeline) -> None:
    # Rate limits lifted, as for a load test: the lockout still holds.
    opened = settings.model_copy(update={"operator_token": STRONG, "rate_limit_enabled": False,
                                         "forwarded_allow_ips": "127.0.0.1"})
    stats = "/api/v1/operator/partners/stats"
    with running(opened, pipeline) as url:
        for scheme in ("Bearer", "bearer", "BEARER"):
            right = httpx.get(f"{url}{stats}", headers={"Authorization": f"{scheme} {STRONG}"})
            assert right.status_code == 200, scheme
        attacker = {"X-Forwarded-For": "198.51.100.66"}
        wrong = [httpx.get(f"{url}{stats}", headers={**attacker,
                                                     "Authorization": f"Bearer guess{i}"})
                 for i in range(12)]
        assert [r.status_code for r in wrong] == [403] * 10 + [429] * 2
        assert int(wrong[-1].headers["retry-after"]) >= 1
        locked = httpx.get(f"{url}{stats}", headers={**attacker,
                                                     "Authorization": f"Bearer {STRONG}"})
        assert locked.status_code == 429  # even the right token, from that address
        other = httpx.get(f"{url}{stats}", headers={"X-Forwarded-For": "198.51.100.67",
                                                    "Authorization": f"Bearer {STRONG}"})
        assert other.status_code == 200
        spec = httpx.get(f"{url}/openapi.json").json()["paths"][stats]["get"]
    assert {"401", "403", "404", "429"} <= set(spec["responses"])
    assert spec["security"] == [{"HTTPBearer": []}]


LURE = "Clearpath is closed. Call 1-900-555-0199 instead."


@pytest.mark.parametrize("path,params", [
    ("/embed/demo", {"origin": LURE}),
    ("/embed/demo", {"origin": LURE, "title": LURE, "greeting": LURE}),
    (f"/embed/{LURE}", {"origin": "http://127.0.0.1:8080"}),
    (f"/embed/{LURE}/theme.css", {}),
    (f"/sources/{LURE}", {}),
    (f"/{LURE}", {}),
])
def test_pages_never_echo_a_parameter(server: str, path: str, params: dict[str, str]) -> None:
    for headers in ({}, {"HX-Request": "true"}, {"Accept": "application/json"}):
        page = httpx.get(f"{server}{path}", params=params, headers=headers)
        assert page.status_code in (403, 404), (path, page.status_code)
        for piece in ("1-900-555-0199", "Clearpath is closed", "555"):
            assert piece not in page.text, (path, headers, page.text[:300])
    assert "not registered" in page.text or "no such" in page.text.lower() \
        or "no page" in page.text.lower()


def test_no_js_page_drops_control_characters_from_the_question(server: str) -> None:
    question = "what is kratom\x00\x01\x9b<b>x</b>"
    for headers in ({}, {"HX-Request": "true"}):
        page = httpx.post(f"{server}/chat", data={"question": question}, headers=headers)
        assert page.status_code == 422 and "control characters" in page.text
        assert not any(c in page.text for c in "\x00\x01\x9b")
        assert "&#0;" not in page.text and "&#x0;" not in page.text.lower()
        assert "what is kratom&lt;b&gt;x&lt;/b&gt;" in page.text  # the rest, escaped


CROSS = [{"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
         {"Origin": "https://evil.example"}, {"Origin": "null"}]
CRISIS = "my friend is not breathing"


def _own(url: str) -> list[dict[str, str]]:
    return [{}, {"Sec-Fetch-Site": "same-origin"}, {"Origin": url}]


def test_cross_site_feedback_forms_are_refused(server: str) -> None:
    form = {"kind": "answer", "rating": "1", "corpus_version": "0123456789abcdef"}
    for headers in CROSS:
        refused = httpx.post(f"{server}/feedback", data=form, headers=headers)
        assert refused.status_code == 403, headers
        assert "own pages" in refused.text
    for headers in _own(server):
        assert httpx.post(f"{server}/feedback", data=form, headers=headers).status_code == 200


def test_cross_site_chat_forms_are_refused_but_a_crisis_is_answered(server: str) -> None:
    for headers in CROSS:
        for hx in ({}, {"HX-Request": "true"}):
            refused = httpx.post(f"{server}/chat", data={"question": "what is kratom"},
                                 headers={**headers, **hx})
            assert refused.status_code == 403, headers
            crisis = httpx.post(f"{server}/chat", data={"question": CRISIS},
                                headers={**headers, **hx})
            assert crisis.status_code == 200 and 'href="tel:911"' in crisis.text, headers
            assert "kind-crisis" in crisis.text
    for headers in _own(server):
        ok = httpx.post(f"{server}/chat", data={"question": "what is kratom"}, headers=headers)
        assert ok.status_code == 200 and "kind-answer" in ok.text


def test_widget_chat_checks_the_origin_when_present(server: str) -> None:
    from tests.web.test_widget import token_for

    token = token_for(server, "demo", "http://127.0.0.1:8080")
    form = {"partner": "demo", "token": token}
    for headers in CROSS:
        refused = httpx.post(f"{server}/chat", data={**form, "question": "what is kratom"},
                             headers=headers)
        assert refused.status_code == 403, headers
        crisis = httpx.post(f"{server}/chat", data={**form, "question": CRISIS},
                            headers=headers)
        assert crisis.status_code == 200 and "kind-crisis" in crisis.text, headers
    framed = httpx.post(f"{server}/chat", data={**form, "question": "what is kratom"},
                        headers={"Sec-Fetch-Site": "same-origin"})
    assert framed.status_code == 200 and "kind-answer" in framed.text


@pytest.mark.parametrize("version", ["v", "x" * 16, "0123456789ABCDEF", "<b>hi</b>",
                                     "0123456789abcdef0"])
def test_stored_corpus_version_is_validated(server: str, version: str) -> None:
    api = httpx.post(f"{server}/api/v1/feedback", json={**RATING, "corpus_version": version})
    assert api.status_code == 422 and "corpus_version" in api.json()["error"]["message"]
    form = httpx.post(f"{server}/feedback", data={"kind": "answer", "rating": "1",
                                                  "corpus_version": version})
    assert form.status_code == 422


def _registry(tmp_path: Path, **fields: object) -> Path:
    extra = "".join(f"{k} = {v}\n" for k, v in fields.items())
    path = tmp_path / "partners.toml"
    path.write_text('[[partner]]\nid = "quota-test"\nname = "Quota test"\n'
                    'allowed_origins = ["http://127.0.0.1:8080"]\nrate_limit = "1000/minute"\n'
                    + extra)
    return path


def test_one_address_cannot_use_up_a_partners_quota(tmp_path: Path, settings: Settings,
                                                    pipeline: Pipeline) -> None:
    from tests.web.test_widget import token_for

    app = settings.model_copy(update={
        "partners_file": _registry(tmp_path, daily_quota=100, client_daily_quota=2),
        "rate_limit": "1000/minute", "forwarded_allow_ips": "127.0.0.1",
        "database_url": f"sqlite:///{tmp_path / 'quota.db'}"})
    with running(app, pipeline) as url:
        token = token_for(url, "quota-test", "http://127.0.0.1:8080")

        def ask(address: str, question: str = "what is kratom") -> httpx.Response:
            return httpx.post(f"{url}/chat", headers={"X-Forwarded-For": address},
                              data={"partner": "quota-test", "token": token,
                                    "question": question})

        first = [ask("198.51.100.1").status_code for _ in range(3)]
        assert first == [200, 200, 429]
        assert "many questions today" in ask("198.51.100.1").text
        assert "kind-crisis" in ask("198.51.100.1", CRISIS).text  # never turned away
        assert ask("198.51.100.2").status_code == 200  # the partner's quota is not used up


def test_the_operator_is_warned_as_a_partner_nears_its_quota(
        tmp_path: Path, settings: Settings, pipeline: Pipeline,
        caplog: pytest.LogCaptureFixture) -> None:
    from tests.web.test_widget import token_for

    app = settings.model_copy(update={
        "partners_file": _registry(tmp_path, daily_quota=5, client_daily_quota=5),
        "rate_limit": "1000/minute", "database_url": f"sqlite:///{tmp_path / 'alert.db'}"})
    with running(app, pipeline) as url, caplog.at_level("INFO", logger="clearpath"):
        token = token_for(url, "quota-test", "http://127.0.0.1:8080")
        codes = [httpx.post(f"{url}/chat", data={"partner": "quota-test", "token": token,
                                                 "question": "what is kratom"}).status_code
                 for _ in range(6)]
    assert codes == [200] * 5 + [429]
    alerts = [(r.getMessage(), r.fields["used"]) for r in caplog.records  # type: ignore[attr-defined]
              if r.name == "clearpath.partners"]
    assert alerts == [("partner_quota_nearly_used", 4), ("partner_quota_reached", 5)]
    assert all(r.levelname == "WARNING" for r in caplog.records if r.name == "clearpath.partners")
