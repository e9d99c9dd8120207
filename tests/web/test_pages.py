"""The pages over real HTTP, without JavaScript: the same forms post, the server renders."""

from __future__ import annotations

import hashlib
import re

import httpx

from web import STATIC_DIR


def test_chat_page_has_the_form_notice_and_examples(server: str) -> None:
    page = httpx.get(f"{server}/")
    assert page.status_code == 200
    html = page.text
    assert '<form id="ask-form"' in html and 'method="post" action="/chat"' in html
    assert 'maxlength="2000"' in html
    assert "not medical advice" in html
    assert 'href="tel:18006624357"' in html  # the always-visible helpline
    assert 'aria-live="polite"' in html
    assert "cdn" not in html.lower()


def test_posting_the_form_renders_a_cited_answer_without_js(server: str) -> None:
    page = httpx.post(f"{server}/chat", data={"question": "What is kratom?"})
    assert page.status_code == 200
    html = page.text
    assert "<!doctype html>" in html.lower()  # a full page, not a fragment
    assert "From vetted sources" in html
    assert re.search(r'popovertarget="card-\w+-1"', html)
    assert 'class="sources"' in html and "Reviewed 20" in html
    assert '<blockquote class="answer passage-quote"' in html and "<mark>" in html


def test_htmx_gets_only_the_exchange(server: str) -> None:
    part = httpx.post(f"{server}/chat", data={"question": "What is kratom?"},
                      headers={"HX-Request": "true"})
    assert part.status_code == 200
    assert "<html" not in part.text and 'class="msg msg-bot kind-answer"' in part.text


def test_user_and_corpus_text_are_escaped(server: str) -> None:
    attack = '<script>alert(1)</script> what is kratom'
    page = httpx.post(f"{server}/chat", data={"question": attack})
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_bad_input_is_a_friendly_page(server: str) -> None:
    page = httpx.post(f"{server}/chat", data={"question": "   "})
    assert page.status_code == 422
    assert "the question is empty" in page.text
    too_long = httpx.post(f"{server}/chat", data={"question": "x" * 2001})
    assert too_long.status_code == 422 and "limit is 2000" in too_long.text
    assert "Traceback" not in page.text + too_long.text


def test_crisis_and_refusal_pages_are_distinct(server: str) -> None:
    crisis = httpx.post(f"{server}/chat", data={"question": "my friend is not breathing"}).text
    assert "kind-crisis" in crisis
    assert crisis.index('href="tel:911"') < crisis.index("This sounds like an emergency")
    dosing = httpx.post(f"{server}/chat", data={"question": "how many grams of kratom for wd"})
    assert "kind-dosing_refusal" in dosing.text and 'href="tel:18006624357"' in dosing.text


def test_region_changes_the_numbers(server: str) -> None:
    page = httpx.post(f"{server}/chat", data={"question": "he is not breathing", "region": "uk"})
    assert 'href="tel:999"' in page.text


def test_source_pages(server: str) -> None:
    index = httpx.get(f"{server}/sources")
    assert index.status_code == 200
    doc_id = re.search(r'href="/sources/([a-z0-9-]+)"', index.text).group(1)  # type: ignore[union-attr]
    doc = httpx.get(f"{server}/sources/{doc_id}")
    assert doc.status_code == 200
    assert f'id="{doc_id}-p1"' in doc.text and "Accessed" in doc.text
    missing = httpx.get(f"{server}/sources/no-such-doc")
    assert missing.status_code == 404 and "There is no such document" in missing.text
    assert "no-such-doc" not in missing.text  # never the address's own words


def test_security_headers_on_every_response(server: str) -> None:
    for path in ("/", "/healthz", "/static/app.css", "/nope"):
        headers = httpx.get(f"{server}{path}").headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_vendored_htmx_matches_its_noted_checksum() -> None:
    notes = (STATIC_DIR / "vendor" / "README.md").read_text()
    digest = hashlib.sha256((STATIC_DIR / "vendor" / "htmx-2.0.11.min.js").read_bytes()).hexdigest()
    assert digest in notes
