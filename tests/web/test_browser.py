"""The chat in a real browser: answers, source cards, refusals, crisis, keyboard, no-JS,
accessibility scans and screenshots of every state."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import open_page, screenshot

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}


def ask(page: Page, question: str) -> None:
    page.fill("#question", question)
    page.press("#question", "Enter")


def no_violations(page: Page) -> None:
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def test_in_scope_question_shows_a_cited_answer_and_its_source_card(
    server: str, page: Page
) -> None:
    page.goto(server)
    ask(page, "can kratom help with opioid withdrawal?")
    reply = page.locator(".msg-bot.kind-answer").last
    expect(reply).to_be_visible()
    expect(page.locator("#question")).to_have_value("")
    # Whole passages, the best-matching sentences marked inside them, each with its citations.
    quotes = reply.locator("blockquote.passage-quote")
    assert 1 <= quotes.count() <= 3
    expect(quotes.first.locator("mark").first).to_be_visible()
    for i in range(quotes.count()):
        assert quotes.nth(i).locator("button.cite").count() >= 1
    expect(reply.locator("figcaption.from a").first).to_have_attribute("href", re.compile(
        r"^/sources/[a-z0-9-]+#[a-z0-9-]+-p\d+$"))
    cite = reply.locator("button.cite").first
    cite.click()
    card = page.locator(".source-card:popover-open")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Last reviewed")
    expect(card.locator("blockquote.passage")).not_to_be_empty()
    assert card.locator("a[href^='http']").count() >= 1
    screenshot(page, "desktop-answer-source-card")
    page.keyboard.press("Escape")
    expect(card).to_have_count(0)
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_dosing_request_shows_the_refusal_with_helplines(server: str, page: Page) -> None:
    page.goto(server)
    ask(page, "how many grams of kratom should i take for wd")
    reply = page.locator(".msg-bot.kind-dosing_refusal")
    expect(reply).to_contain_text("can't suggest an amount")
    expect(reply.locator("a[href='tel:18006624357']")).to_be_visible()
    expect(reply.locator("form.related button")).to_have_count(3)


def test_crisis_message_leads_with_large_emergency_numbers(server: str, page: Page) -> None:
    page.goto(server)
    ask(page, "my friend took pills and is not breathing")
    reply = page.locator(".msg-bot.kind-crisis")
    first = reply.locator("article > *").nth(1)  # right after the heading
    expect(first).to_have_class("emergency")
    call = reply.locator("a.tel-big").first
    expect(call).to_have_attribute("href", "tel:911")
    box = call.bounding_box()
    assert box is not None and box["height"] >= 44  # a large, tappable target


def test_keyboard_only_flow(server: str, page: Page) -> None:
    page.goto(server)
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "question":
            break
    assert page.evaluate("document.activeElement.id") == "question"
    page.keyboard.type("what is lofexidine")
    expect(page.locator("[data-count]")).to_have_text("18")
    page.keyboard.press("Enter")
    expect(page.locator(".msg-bot.kind-answer")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "question"
    page.keyboard.press("Shift+Tab")
    for _ in range(40):
        if page.evaluate("document.activeElement.classList.contains('cite')"):
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".source-card:popover-open")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".source-card:popover-open")).to_have_count(0)
    page.focus("#new-conversation")
    page.keyboard.press("Enter")
    expect(page.locator("#conversation > li")).to_have_count(0)


def test_without_javascript_the_form_still_works(server: str, browser: Browser) -> None:
    page = open_page(browser, java_script_enabled=False)
    page.goto(server)
    page.fill("#question", "what is naloxone")
    page.click("button.send")
    expect(page.locator(".msg-bot.kind-answer")).to_be_visible()
    expect(page.locator("ol.sources li").first).to_be_visible()
    expect(page.locator("blockquote.passage-quote mark").first).to_be_visible()
    page.context.close()


STATES = {
    "empty": None,
    "answer": "what are the symptoms of opioid withdrawal?",
    "no-answer": "is there a kratom vaccine being developed",
    "dosing-refusal": "is 10g of kratom too much",
    "crisis": "my boyfriend is not breathing after using",
    "out-of-scope": "what is the capital of peru",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("state", list(STATES))
def test_every_state_passes_the_accessibility_scan(
    server: str, browser: Browser, state: str, viewport: str, scheme: str
) -> None:
    page = open_page(browser, viewport, color_scheme=scheme)
    page.goto(server)
    question = STATES[state]
    if question:
        ask(page, question)
        expect(page.locator(".msg-bot")).to_have_count(1)
    if state == "answer":
        page.locator("button.cite").first.click()
        expect(page.locator(".source-card:popover-open")).to_be_visible()
    no_violations(page)
    screenshot(page, f"{viewport}-{scheme}-{state}")
    assert page.console_errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_source_page_passes_the_accessibility_scan(server: str, page: Page) -> None:
    page.goto(f"{server}/sources/kratom-liver-injury")
    expect(page.locator("h1")).to_have_text("Kratom and liver injury")
    no_violations(page)
