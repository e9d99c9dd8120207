"""The embeddable widget: a partner page on a second loopback origin, tokens, origins,
quotas and counts, in a real browser and over real HTTP."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Frame, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db import Feedback, make_engine
from api.errors import ConfigError
from api.partners import load_registry
from api.pipeline import Pipeline
from api.settings import Settings
from api.tokens import TokenSigner
from tests.conftest import free_port, running
from tests.web.conftest import open_page, screenshot
from tests.web.test_browser import AXE_OPTIONS
from web import STATIC_DIR

EXE = str(Path(sys.executable).parent / "clearpath")


class Site:
    """A tiny web server on its own loopback origin, serving one page."""

    def __init__(self, html: str, port: int | None = None, **more: str) -> None:
        pages = {"/": html.encode(), **{f"/{k}": v.encode() for k, v in more.items()}}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/favicon.ico":
                    self.send_response(204)
                    self.end_headers()
                    return
                body = pages.get(self.path)
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.port = port or free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()



PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clinic</title></head>
<body><main><h1>A partner clinic</h1><p>Opening hours and services.</p>{extra}</main>
<script src="{app}/widget.js" data-partner="{partner}" data-greeting="Hi there" async></script>
</body></html>"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, settings: Settings,
          pipeline: Pipeline) -> Iterator[dict[str, object]]:
    partner_port, other_port = free_port(), free_port()
    registry = tmp_path_factory.mktemp("partners") / "partners.toml"
    registry.write_text(f"""
[[partner]]
id = "test-clinic"
name = "Test Clinic"
allowed_origins = ["http://127.0.0.1:{partner_port}"]
region = "us"
rate_limit = "100/minute"
daily_quota = 1000
[partner.referral]
name = "Test Clinic front desk"
number = "(555) 010-0199"
tel = "5550100199"
hours = "Weekdays 9 to 5"

[[partner]]
id = "other-clinic"
name = "Other Clinic"
allowed_origins = ["http://127.0.0.1:{other_port}"]
region = "uk"

[[partner]]
id = "tiny-quota"
name = "Tiny quota"
allowed_origins = ["http://127.0.0.1:{partner_port}"]
daily_quota = 2
""")
    app_settings = settings.model_copy(update={
        "partners_file": registry, "rate_limit": "1000/minute", "operator_token": "op-secret",
        "database_url": f"sqlite:///{registry.parent / 'widget.db'}"})
    with running(app_settings, pipeline) as app:
        inline = PAGE.format(app=app, partner="test-clinic", extra='<div id="chat-here"></div>')
        inline = inline.replace('async>', 'data-target="#chat-here" async>')
        spanish = PAGE.format(app=app, partner="test-clinic", extra="").replace(
            'data-greeting="Hi there"', 'data-lang="es"')
        partner = Site(PAGE.format(app=app, partner="test-clinic", extra=""), partner_port,
                       inline=inline, es=spanish)
        # The same page on a port the registry does not list: not an allowed origin.
        evil = Site(PAGE.format(app=app, partner="test-clinic", extra=(
            f'<iframe title="stolen" src="{app}/embed/test-clinic?origin='
            f'http://127.0.0.1:{partner_port}"></iframe>')))
        yield {"app": app, "partner": partner, "evil": evil, "settings": app_settings}


@pytest.fixture(scope="module")
def site_urls(sites: dict[str, object]) -> dict[str, str]:
    return {"app": str(sites["app"]), "partner": sites["partner"].origin,  # type: ignore[attr-defined]
            "evil": sites["evil"].origin}  # type: ignore[attr-defined]


def widget_frame(page: Page) -> Frame:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "/embed/" in frame.url:
                return frame
        page.wait_for_timeout(100)
    raise AssertionError("no widget frame")


def test_registry_is_validated_with_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "partners.toml"
    bad.write_text('[[partner]]\nid = "x1"\nname = "X"\nallowed_origins = ["clinic.example"]\n')
    with pytest.raises(ConfigError, match=r"partner x1: allowed_origins.*not an origin"):
        load_registry(bad)
    bad.write_text('[[partner]]\nid = "x1"\nname = "X"\nallowed_origins = ["https://a.b"]\n'
                   '[partner.theme]\naccent = "#ffff00"\n')
    with pytest.raises(ConfigError, match="WCAG AA needs 4.5:1"):
        load_registry(bad)
    bad.write_text("[[partner]\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_registry(bad)


def test_production_refuses_the_placeholder_key() -> None:
    with pytest.raises(ValueError, match="placeholder"):
        Settings(environment="production")
    strong = "Z_hs-dKV7ZKUuipcbrKBGMZL8JpPjrkxh6CO6lMfmYo"
    assert Settings(environment="production", secret_key=strong).secret_key == strong


def test_widget_script_is_small_and_dependency_free() -> None:
    source = (STATIC_DIR / "widget.js").read_text()
    assert len(source.encode()) < 8 * 1024
    assert "import " not in source and "require(" not in source


def test_partner_page_keyboard_flow(site_urls: dict[str, str], browser: Browser) -> None:
    page = open_page(browser)
    page.goto(site_urls["partner"])
    page.wait_for_function("document.querySelector('body > div') !== null")
    page.keyboard.press("Tab")  # the launcher, in the widget's shadow root
    page.keyboard.press("Enter")
    frame = widget_frame(page)
    frame.wait_for_selector("#question")
    expect(frame.locator("#question")).to_be_focused()
    page.keyboard.type("what is kratom")
    page.keyboard.press("Enter")
    expect(frame.locator(".msg-bot.kind-answer")).to_be_visible()
    expect(frame.locator("button.cite").first).to_be_visible()
    screenshot(page, "widget-desktop-answer")
    results = Axe().run(frame, options=AXE_OPTIONS)  # the scan inside the widget
    assert results.violations_count == 0, results.generate_report()
    iframe = frame.frame_element()  # inside the widget's closed shadow root
    assert iframe.is_visible()
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert not iframe.is_visible()
    page.keyboard.press("Enter")  # focus went back to the launcher: it opens again
    page.wait_for_timeout(200)
    assert iframe.is_visible()
    assert page.console_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_dosing_refusal_in_the_widget_shows_the_partner_referral(
    site_urls: dict[str, str], browser: Browser
) -> None:
    page = open_page(browser, "phone")
    page.goto(site_urls["partner"])
    page.wait_for_function("document.querySelector('body > div') !== null")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    frame = widget_frame(page)
    frame.wait_for_selector("#question")
    frame.fill("#question", "how many grams of kratom for withdrawal")
    frame.press("#question", "Enter")
    reply = frame.locator(".msg-bot.kind-dosing_refusal")
    expect(reply).to_be_visible()
    expect(reply.locator("a[href='tel:5550100199']")).to_be_visible()
    expect(reply.locator("a[href='tel:18006624357']")).to_be_visible()
    screenshot(page, "widget-phone-dosing-refusal")
    page.context.close()


def test_other_origins_cannot_show_the_chat(site_urls: dict[str, str], browser: Browser) -> None:
    page = open_page(browser)
    warnings: list[str] = []
    page.on("console", lambda m: m.type == "warning" and warnings.append(m.text))
    page.goto(site_urls["evil"])
    page.wait_for_timeout(1500)
    assert [w for w in warnings if w.startswith("[Clearpath widget]")] == [
        f"[Clearpath widget] the chat is not shown: {site_urls['evil']} may not embed "
        "'test-clinic'."]
    assert page.evaluate("document.querySelectorAll('body > div').length") == 0
    # The iframe copied straight into the page is refused by frame-ancestors.
    stolen = [f for f in page.frames if f != page.main_frame]
    assert stolen and all(f.evaluate("document.querySelector('#question')") is None
                          if not f.url.startswith("chrome-error") else True for f in stolen)
    assert any("frame-ancestors" in e for e in page.console_errors)  # type: ignore[attr-defined]
    page.context.close()


def test_unknown_partner_and_unreachable_server_show_nothing(
    site_urls: dict[str, str], browser: Browser
) -> None:
    page = open_page(browser)
    warnings: list[str] = []
    page.on("console", lambda m: m.type == "warning" and warnings.append(m.text))
    page.route("**/widget/v1/partners/**", lambda route: route.abort())
    page.goto(site_urls["partner"])
    page.wait_for_timeout(1500)
    assert len([w for w in warnings if w.startswith("[Clearpath widget]")]) == 1
    assert page.evaluate("document.querySelectorAll('body > div').length") == 0
    page.context.close()
    unknown = httpx.get(f"{site_urls['app']}/widget/v1/partners/nobody",
                        headers={"Origin": site_urls["partner"]})
    assert unknown.status_code == 404 and "Unknown partner" in unknown.text


def token_for(app: str, partner: str, origin: str) -> str:
    page = httpx.get(f"{app}/embed/{partner}", params={"origin": origin})
    assert page.status_code == 200, page.text
    assert page.headers["content-security-policy"].endswith(f"frame-ancestors {origin}")
    return re.search(r'name="token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


def test_tokens_are_bound_to_their_partner(site_urls: dict[str, str]) -> None:
    app, origin = site_urls["app"], site_urls["partner"]
    token = token_for(app, "test-clinic", origin)
    ok = httpx.post(f"{app}/chat", data={"question": "what is kratom", "partner": "test-clinic",
                                         "token": token}, headers={"HX-Request": "true"})
    assert ok.status_code == 200 and "kind-answer" in ok.text
    other = httpx.post(f"{app}/chat", data={"question": "what is kratom",
                                            "partner": "other-clinic", "token": token})
    assert other.status_code == 403 and "belongs to another site" in other.text
    forged = httpx.post(f"{app}/chat", data={
        "question": "what is kratom", "partner": "test-clinic", "token": token[:-4] + "AAAA"})
    assert forged.status_code == 403 and "not valid" in forged.text
    refused = httpx.get(f"{app}/embed/test-clinic", params={"origin": site_urls["evil"]})
    assert refused.status_code == 403


def test_expired_tokens_are_refused(site_urls: dict[str, str], sites: dict[str, object],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    settings = sites["settings"]
    signer = TokenSigner(settings.secret_key, settings.token_max_age)  # type: ignore[attr-defined]
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: 1_000_000_000.0)
    old = signer.issue("test-clinic", site_urls["partner"])
    monkeypatch.undo()
    response = httpx.post(f"{site_urls['app']}/chat", data={
        "question": "what is kratom", "partner": "test-clinic", "token": old})
    assert response.status_code == 403 and "expired" in response.text


def test_daily_quota_answers_429_kindly(site_urls: dict[str, str]) -> None:
    app = site_urls["app"]
    token = token_for(app, "tiny-quota", site_urls["partner"])
    codes = [httpx.post(f"{app}/chat", data={"question": "what is kratom", "partner": "tiny-quota",
                                             "token": token}, headers={"HX-Request": "true"})
             for _ in range(3)]
    assert [c.status_code for c in codes] == [200, 200, 429]
    assert "limit of questions" in codes[2].text and "Please try again" in codes[2].text
    crisis = httpx.post(f"{app}/chat", data={"question": "my friend is not breathing",
                                             "partner": "tiny-quota", "token": token})
    assert crisis.status_code == 200 and 'href="tel:911"' in crisis.text


def test_partner_counts_for_the_operator(site_urls: dict[str, str],
                                          sites: dict[str, object]) -> None:
    app = site_urls["app"]
    token = token_for(app, "test-clinic", site_urls["partner"])
    for question in ("my friend is not breathing", "how many grams of kratom for wd"):
        httpx.post(f"{app}/chat", data={"question": question, "partner": "test-clinic",
                                        "token": token})
    denied = httpx.get(f"{app}/api/v1/operator/partners/stats")
    assert denied.status_code == 401 and denied.headers["www-authenticate"] == "Bearer"
    wrong = httpx.get(f"{app}/api/v1/operator/partners/stats",
                      headers={"Authorization": "Bearer not-it"})
    assert wrong.status_code == 403
    stats = httpx.get(f"{app}/api/v1/operator/partners/stats",
                      headers={"Authorization": "Bearer op-secret"}).json()["partners"]
    assert stats["test-clinic"]["crisis"] >= 1 and stats["test-clinic"]["dosing_refusal"] >= 1
    assert "question" not in str(stats)
    env = {"CLEARPATH_DATABASE_URL": sites["settings"].database_url,  # type: ignore[attr-defined]
           "PATH": "/usr/bin:/bin"}
    out = subprocess.run([EXE, "partners", "stats", "--json"], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert '"test-clinic"' in out.stdout


def test_inline_mode_puts_the_chat_in_the_page(site_urls: dict[str, str],
                                              browser: Browser) -> None:
    page = open_page(browser)
    page.goto(f"{site_urls['partner']}/inline")
    frame_el = page.locator("#chat-here iframe")
    expect(frame_el).to_be_visible()
    frame = widget_frame(page)
    frame.wait_for_selector("#question")
    frame.fill("#question", "what is naloxone")
    frame.press("#question", "Enter")
    expect(frame.locator(".msg-bot.kind-answer")).to_be_visible()
    page.wait_for_function(  # the iframe grows with its content (postMessage resize)
        "document.querySelector('#chat-here iframe').getBoundingClientRect().height > 560")
    page.context.close()


def test_widget_feedback_is_recorded_for_its_partner(site_urls: dict[str, str],
                                                     sites: dict[str, object]) -> None:
    app = site_urls["app"]
    token = token_for(app, "test-clinic", site_urls["partner"])
    form = {"kind": "answer", "rating": "1", "passages": "kratom-what-it-is#1",
            "corpus_version": "fedcba9876543210", "partner": "test-clinic", "token": token}
    saved = httpx.post(f"{app}/feedback", data=form, headers={"HX-Request": "true"})
    assert saved.status_code == 200 and "Thank you" in saved.text
    forged = httpx.post(f"{app}/feedback", data={**form, "token": token[:-4] + "AAAA"})
    assert forged.status_code == 403
    engine = make_engine(sites["settings"].database_url)  # type: ignore[attr-defined]
    with Session(engine) as session:
        rows = session.scalars(
            select(Feedback).where(Feedback.corpus_version == "fedcba9876543210")).all()
    assert [(r.partner, r.rating, r.question) for r in rows] == [("test-clinic", 1, None)]


def region_answer(site_urls: dict[str, str], sites: dict[str, object], partner_id: str) -> str:
    """The passages quoted for the hotline question through one partner's widget."""
    import tomllib

    app = site_urls["app"]
    registry = tomllib.loads(sites["settings"].partners_file.read_text())  # type: ignore[attr-defined]
    uk_origin = next(p for p in registry["partner"] if p["id"] == "other-clinic")[
        "allowed_origins"][0]
    question = "Is there a hotline I can call about drug use?"

    def ask(partner: str, origin: str) -> str:
        reply = httpx.post(f"{app}/chat", headers={"HX-Request": "true"}, data={
            "question": question, "partner": partner, "token": token_for(app, partner, origin)})
        assert reply.status_code == 200 and "kind-answer" in reply.text
        quotes = re.findall(r'<blockquote class="answer passage-quote".*?</blockquote>',
                            reply.text, re.S)
        assert quotes
        return " ".join(quotes)  # the quoted passages only

    if partner_id == "test-clinic":
        return ask("test-clinic", site_urls["partner"])
    return ask("other-clinic", uk_origin)


def test_a_us_partner_quotes_only_us_services(site_urls: dict[str, str],
                                              sites: dict[str, object]) -> None:
    us = region_answer(site_urls, sites, "test-clinic")
    assert "SAMHSA" in us and "Australia" not in us and "FRANK" not in us


def test_a_uk_partner_quotes_only_uk_services(site_urls: dict[str, str],
                                              sites: dict[str, object]) -> None:
    uk = region_answer(site_urls, sites, "other-clinic")
    assert "UK" in uk and "SAMHSA" not in uk and "Australia" not in uk


def test_the_widget_in_spanish(site_urls: dict[str, str], browser: Browser) -> None:
    """data-lang="es" on an English browser: the launcher, the framed chat and its replies are
    in Spanish, and pass the accessibility scan."""
    page = open_page(browser)
    page.goto(site_urls["partner"] + "/es")
    page.wait_for_function("document.querySelector('body > div') !== null")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    frame = widget_frame(page)
    frame.wait_for_selector("#question")
    iframe = frame.frame_element()
    assert iframe.get_attribute("title") == "Pregunte a Clearpath"
    assert "lang=es" in frame.url
    expect(frame.locator("html")).to_have_attribute("lang", "es")
    expect(frame.locator(".embed-title")).to_have_text("Pregunte a Clearpath")
    expect(frame.locator("#embed-close")).to_have_attribute("aria-label", "Cerrar el chat")
    frame.fill("#question", "¿cuántos gramos de kratom debo tomar?")
    frame.press("#question", "Enter")
    reply = frame.locator(".msg-bot.kind-dosing_refusal")
    expect(reply.locator("h2")).to_have_text("No puedo ayudar con dosis")
    expect(reply).to_contain_text("Test Clinic front desk")  # the partner's referral still
    frame.fill("#question", "what is kratom")
    frame.press("#question", "Enter")
    answer = frame.locator(".msg-bot.kind-answer")
    expect(answer.locator("h2")).to_have_text("De fuentes revisadas")
    assert answer.locator("blockquote.passage-quote").first.get_attribute("lang") in ("en", "es")
    screenshot(page, "widget-es-desktop")
    results = Axe().run(frame, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    assert page.console_errors == []  # type: ignore[attr-defined]
    page.context.close()
