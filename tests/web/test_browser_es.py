"""The chat in Spanish in a real browser (Chromium with a Spanish locale): replies, the language
switch with and without JavaScript, `lang` on quoted passages, and accessibility scans."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import open_page, screenshot
from tests.web.test_browser import ask, no_violations

SPANISH = {"locale": "es-ES"}  # Chromium then sends Accept-Language: es-ES,es
STATES = {
    "empty": "",
    "answer": "what is kratom",
    "dosing": "¿cuántos gramos de kratom debo tomar para la abstinencia?",
    "crisis": "mi novio no respira después de usar",
}


def spanish_page(browser: Browser, viewport: str = "desktop", **options: object) -> Page:
    return open_page(browser, viewport, **SPANISH, **options)  # type: ignore[arg-type]


def test_spanish_page_dosing_and_crisis_replies(server: str, browser: Browser) -> None:
    page = spanish_page(browser)
    page.goto(server)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text(
        "Preguntas sobre la abstinencia de opioides y el kratom")
    expect(page.locator("label[for=question]")).to_have_text("Su pregunta")
    ask(page, STATES["dosing"])
    refusal = page.locator(".msg-bot.kind-dosing_refusal")
    expect(refusal.locator("h2")).to_have_text("No puedo ayudar con dosis")
    expect(refusal).to_contain_text("No puedo sugerir una cantidad")
    expect(refusal.locator(".helplines")).to_contain_text("también en español")
    ask(page, STATES["crisis"])
    crisis = page.locator(".msg-bot.kind-crisis")
    expect(crisis.locator("h2")).to_have_text("Pida ayuda ahora")
    expect(crisis.locator("a.tel-big").first).to_have_attribute("href", "tel:911")
    expect(crisis.locator(".crisis-text")).to_contain_text("Llame ahora al 911")
    screenshot(page, "es-desktop-crisis")
    assert page.console_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_quoted_passages_carry_their_language(server: str, browser: Browser) -> None:
    page = spanish_page(browser)
    page.goto(server)
    ask(page, STATES["answer"])
    reply = page.locator(".msg-bot.kind-answer").last
    expect(reply.locator("h2")).to_have_text("De fuentes revisadas")
    quotes = reply.locator("blockquote.passage-quote")
    assert quotes.count() >= 1
    for i in range(quotes.count()):
        assert quotes.nth(i).get_attribute("lang") in ("en", "es")
    reply.locator("button.cite").first.click()
    card = page.locator(".source-card:popover-open")
    expect(card).to_contain_text("Última revisión")
    assert card.locator("blockquote.passage").get_attribute("lang") in ("en", "es")
    page.context.close()


def test_the_language_switch_works_without_javascript(server: str, browser: Browser) -> None:
    page = open_page(browser, java_script_enabled=False)  # an English browser
    page.goto(server)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.fill("#question", STATES["dosing"])
    page.get_by_role("button", name="Enviar").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")  # the choice held
    expect(page.locator(".msg-bot.kind-dosing_refusal h2")).to_have_text(
        "No puedo ayudar con dosis")
    page.get_by_role("link", name="Fuentes", exact=True).click()
    expect(page.locator("h1")).to_have_text("Documentos y fuentes")
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_have_text("Documents and sources")
    page.context.close()


@pytest.mark.parametrize(("viewport", "scheme"), [("desktop", "light"), ("phone", "dark")])
@pytest.mark.parametrize("state", list(STATES))
def test_every_spanish_state_passes_the_accessibility_scan(
    server: str, browser: Browser, state: str, viewport: str, scheme: str
) -> None:
    page = spanish_page(browser, viewport, color_scheme=scheme)
    page.goto(server)
    if STATES[state]:
        ask(page, STATES[state])
        expect(page.locator(".msg-bot")).to_have_count(1)
    if state == "answer":
        page.locator("button.cite").first.click()
        expect(page.locator(".source-card:popover-open")).to_be_visible()
    no_violations(page)
    screenshot(page, f"es-{viewport}-{scheme}-{state}")
    assert page.console_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_spanish_document_and_error_pages_pass_the_scan(server: str, browser: Browser) -> None:
    page = spanish_page(browser)
    page.goto(f"{server}/sources")
    expect(page.locator("h1")).to_have_text("Documentos y fuentes")
    no_violations(page)
    page.goto(f"{server}/sources/kratom-liver-injury")
    no_violations(page)
    page.goto(f"{server}/no-such-page")
    expect(page.locator("h1")).to_have_text("No encontrado")
    no_violations(page)
    page.context.close()
