"""Hardening from the security probe (issue 15): each test failed before its fix."""

from __future__ import annotations

import httpx
import pytest

from api.clientip import client_address, parse_trusted
from api.pipeline import Pipeline
from api.settings import Settings
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
    assert {"403", "404", "429"} <= set(spec["responses"])
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
