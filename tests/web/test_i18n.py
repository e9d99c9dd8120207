"""Interface languages: the message catalogue is complete, no template has untranslated text,
the language follows `?lang` then `Accept-Language`, and pages, replies and quoted passages
carry the right `lang` (over real HTTP against the real app)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest

from api import i18n, responses
from api.pipeline import Pipeline
from web import TEMPLATES_DIR

ES = {"accept-language": "es-MX,es;q=0.9,en;q=0.5"}
# Words a template may show as they are, in every language.
AS_IS = {"Clearpath"}
# Attributes a person reads or hears (screen readers), so they must be translated too.
READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "aria-description"}
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


@pytest.mark.parametrize("lang", i18n.languages()[1:])
def test_every_message_has_a_reviewed_translation(lang: str) -> None:
    assert i18n.missing(lang) == [], f"untranslated or fuzzy in {i18n.po_file(lang)}"


@pytest.mark.parametrize("lang", i18n.languages()[1:])
def test_translations_keep_their_placeholders(lang: str) -> None:
    catalog = i18n.read_catalog(i18n.po_file(lang), lang)
    for message in catalog:
        if message.id and message.string:
            assert sorted(PLACEHOLDER.findall(str(message.string))) == sorted(
                PLACEHOLDER.findall(str(message.id))), message.id


def test_the_template_file_is_up_to_date() -> None:
    """messages.pot lists what the code, templates, widget and helplines use now
    (`clearpath messages update` rewrites it)."""
    extracted = {m.id for m in i18n.extract() if m.id}
    listed = {m.id for m in i18n.read_catalog(i18n.TEMPLATE_FILE) if m.id}
    assert extracted == listed


def test_missing_notices_a_message_without_translation() -> None:
    catalog = i18n.extract()
    catalog.add("A message nobody has translated yet")
    assert i18n.missing("es", catalog) == ["A message nobody has translated yet"]


class _Text(HTMLParser):
    """Collects the text and read attributes of HTML whose Jinja parts were blanked."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend(v for k, v in attrs if k in READ_ATTRIBUTES and v)

    def handle_data(self, data: str) -> None:
        self.found.append(data)


def literal_text(source: str) -> list[str]:
    """Words a template shows that did not come through the catalogue."""
    source = re.sub(r"{%-?\s*trans\b.*?{%-?\s*endtrans\s*-?%}", " ", source, flags=re.S)
    source = re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}", " ", source, flags=re.S)
    parser = _Text()
    parser.feed(source)
    words = [w for text in parser.found for w in re.findall(r"[^\W\d_]+", text)]
    return [w for w in words if w not in AS_IS]


def test_the_literal_text_check_can_fail() -> None:
    assert literal_text('<p>Hello {{ name }}</p><button aria-label="Shut">x</button>') == [
        "Hello", "Shut", "x"]
    assert literal_text('<p>{{ _("Hello") }} {% trans %}Hi there{% endtrans %}</p>') == []


@pytest.mark.parametrize("path", sorted(TEMPLATES_DIR.glob("*.html")), ids=lambda p: p.name)
def test_no_template_has_untranslated_text(path: object) -> None:
    source = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert literal_text(source) == []
    # _() marks safe; a message made at run time (which may hold a request's words) must go
    # through |translate instead.
    assert not re.search(r"""\b_\(\s*[^"'\s]""", source)


@pytest.mark.parametrize(("header", "expected"), [
    ("es-MX,es;q=0.9,en;q=0.8", "es"),
    ("en-US,en;q=0.9,es;q=0.5", "en"),
    ("fr-FR, es;q=0.3", "es"),
    ("es;q=0, en;q=0.1", "en"),
    ("de, fr", "en"),
    ("", "en"),
    ("*", "en"),
])
def test_accept_language_picks_the_preferred_supported_language(header: str,
                                                                expected: str) -> None:
    assert i18n.negotiate(header) == expected


def test_an_explicit_choice_wins_over_the_browser() -> None:
    assert i18n.choose("en", "es") == "en"
    assert i18n.choose("es-419", "en") == "es"
    assert i18n.choose("xx", "es") == "es"


def test_outcome_messages_come_from_the_catalogue() -> None:
    crisis = responses.text("crisis", "es", "us")
    assert crisis.startswith("Esto parece una emergencia. Llame ahora al 911.")
    assert "988" in crisis
    assert responses.text("no_answer", "es") == i18n.gettext("es", responses.MESSAGES["no_answer"])
    assert responses.text("source_in_english", "es").startswith("Este texto está en inglés")
    assert responses.text("disclaimer", "fr") == responses.text("disclaimer", "en")
    assert responses.language("es-US") == "es" and responses.language("fr") == "en"


def html_lang(html: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', html)
    assert found
    return found.group(1)


def test_the_page_follows_accept_language_and_the_switch(server: str) -> None:
    page = httpx.get(f"{server}/", headers=ES)
    assert html_lang(page.text) == "es"
    assert page.headers["content-language"] == "es"
    assert "Accept-Language" in page.headers["vary"]
    assert "Preguntas sobre la abstinencia de opioides y el kratom" in page.text
    assert '<label for="question">Su pregunta</label>' in page.text
    # The switch: a plain link, in its own language.
    assert '<a href="/?lang=en" lang="en" hreflang="en">English</a>' in page.text
    # The forms keep only an explicit choice; the browser's languages choose again otherwise.
    assert 'action="/chat"' in page.text
    english = httpx.get(f"{server}/?lang=en", headers=ES)
    assert html_lang(english.text) == "en"
    assert "Questions about opioid withdrawal and kratom" in english.text
    assert 'action="/chat?lang=en"' in english.text
    assert 'href="/sources?lang=en"' in english.text
    assert '<a href="/?lang=es" lang="es" hreflang="es">Español</a>' in english.text
    assert html_lang(httpx.get(f"{server}/").text) == "en"


def test_a_spanish_dosing_refusal_without_javascript(server: str) -> None:
    reply = httpx.post(f"{server}/chat?lang=es",
                       data={"question": "¿cuántos gramos de kratom debo tomar?"},
                       headers={"origin": server})
    assert reply.status_code == 200
    html = reply.text
    assert html_lang(html) == "es"
    assert "No puedo ayudar con dosis" in html
    assert "No puedo sugerir una cantidad" in html
    # The helplines' own descriptions, translated; their names are proper names.
    assert "SAMHSA National Helpline" in html and "también en español" in html
    assert 'action="/chat?lang=es"' in html


def test_a_reply_in_another_language_than_the_page_is_marked(server: str) -> None:
    html = httpx.post(f"{server}/chat?lang=es", data={"question": "how much kratom should I take"},
                      headers={"origin": server}).text
    assert "I can&#39;t suggest an amount" in html or "I can't suggest an amount" in html
    assert re.search(r'<p lang="en">I can', html)


def test_every_quoted_passage_carries_its_documents_language(server: str,
                                                              pipeline: Pipeline) -> None:
    html = httpx.post(f"{server}/chat?lang=es", data={"question": "what is kratom"},
                      headers={"origin": server}).text
    quotes = re.findall(r'<blockquote class="answer passage-quote" cite="/sources/([a-z0-9-]+)'
                        r'#[^"]*" lang="([a-z-]+)">', html)
    assert quotes
    for doc_id, lang in quotes:
        assert lang == (pipeline.store.documents[doc_id].language or "en")
    cards = re.findall(r'<blockquote class="passage" lang="([a-z-]+)">', html)
    assert cards and all(lang in i18n.languages() for lang in cards)
    assert "De fuentes revisadas" in html


def test_error_pages_and_document_pages_in_spanish(server: str, pipeline: Pipeline) -> None:
    missing = httpx.get(f"{server}/no-such-page", headers=ES)
    assert missing.status_code == 404
    assert "<h1>No encontrado</h1>" in missing.text
    assert "Aquí no hay ninguna página." in missing.text
    assert html_lang(missing.text) == "es"
    assert "no-such-page" not in missing.text  # the switch leads home, not to the address
    doc = httpx.get(f"{server}/sources/kratom-liver-injury", headers=ES).text
    language = pipeline.store.documents["kratom-liver-injury"].language or "en"
    assert html_lang(doc) == "es" and f'<h1 lang="{language}">' in doc
    assert "Revisado el" in doc and "<h2>Fuentes</h2>" in doc
    api = httpx.get(f"{server}/api/v1/sources", headers=ES)
    assert api.status_code == 200  # the JSON API is not translated


def test_the_widget_check_sends_its_words_in_the_chosen_language(server: str) -> None:
    origin = {"origin": "http://127.0.0.1:8080"}
    spanish = httpx.get(f"{server}/widget/v1/partners/demo?lang=es", headers=origin).json()
    assert spanish["lang"] == "es"
    assert spanish["messages"] == {"Ask Clearpath": "Pregunte a Clearpath"}
    browser = httpx.get(f"{server}/widget/v1/partners/demo", headers={**origin, **ES}).json()
    assert browser["lang"] == "es"
    english = httpx.get(f"{server}/widget/v1/partners/demo?lang=en", headers={**origin, **ES})
    assert english.json()["lang"] == "en"
    assert english.headers["vary"] == "Origin, Accept-Language"
