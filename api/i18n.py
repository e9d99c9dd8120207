"""Interface text in several languages, from one message catalogue (Babel, gettext .po files).

English is the source language: every message is written in English in the code, the templates
and web/static/widget.js, marked for translation, and translated in
web/locales/<lang>/LC_MESSAGES/messages.po. The .po files are read at start (no compiled .mo
files to keep in step). `clearpath messages update` extracts the messages into
web/locales/messages.pot and merges them into every .po file; `clearpath messages check` fails
on a message without a translation. See docs/i18n.md.

The language of a page: an explicit `lang` query parameter (the language switch, the widget's
`data-lang`), else the browser's `Accept-Language`, else English. Internal links and forms carry
`lang`, so a choice holds without cookies.
"""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from api.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
LOCALES_DIR = ROOT / "web" / "locales"
TEMPLATE_FILE = LOCALES_DIR / "messages.pot"
SOURCE_LANGUAGE = "en"
DOMAIN = "messages"
# What `clearpath messages update` reads: Python code, templates, and the widget's script.
METHOD_MAP = [
    ("api/**.py", "python"),
    ("web/templates/**.html", "jinja2.ext:babel_extract"),
    ("web/static/widget.js", "javascript"),
    ("corpus/helplines.yaml", "api.i18n:extract_helplines"),
]
OPTIONS_MAP = {"web/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "t": None}
# The language's own name, shown in the switch (in that language, with its `lang`).
NAMES = {"en": "English", "es": "Español"}


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    """Mark a message for the catalogue without translating it here."""
    return message


def languages() -> list[str]:
    """English and every language with a catalogue, English first."""
    return list(_languages())


@lru_cache(maxsize=1)
def _languages() -> tuple[str, ...]:
    """Read once, like the catalogues themselves (`translations`): every answer asks two or
    three times, and each directory walk took about 27 us (0.3 ms per answer under load)."""
    found = sorted(p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANGUAGE, *(lang for lang in found if lang != SOURCE_LANGUAGE))


def supported(lang: str | None) -> str | None:
    """The supported language `lang` names (`es-MX` -> `es`), or None."""
    base = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in languages() else None


def name(lang: str) -> str:
    return NAMES.get(lang, lang)


def negotiate(accept_language: str | None) -> str:
    """The supported language the browser prefers most (RFC 9110 q-values), else English."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0 and (lang := supported(tag)):
            ranked.append((-q, i, lang))
    return min(ranked)[2] if ranked else SOURCE_LANGUAGE


def choose(explicit: str | None, accept_language: str | None) -> str:
    return supported(explicit) or negotiate(accept_language)


def po_file(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


@lru_cache(maxsize=8)
def translations(lang: str) -> _gettext.NullTranslations:
    """The language's translations, compiled in memory from its .po file at first use."""
    if lang == SOURCE_LANGUAGE or lang not in languages():
        return _gettext.NullTranslations()
    try:
        catalog = read_catalog(po_file(lang), lang)
    except Exception as exc:  # a broken catalogue stops the start, never a page
        raise ConfigError(f"{po_file(lang)}: {exc}") from exc
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)  # a fuzzy (unreviewed) entry is not shown
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def gettext(lang: str, message: str, **variables: Any) -> str:
    text = translations(lang).gettext(message)
    return text % variables if variables else text


def ngettext(lang: str, singular: str, plural: str, n: int, **variables: Any) -> str:
    text = translations(lang).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


def load_all() -> None:
    """Read every catalogue now, so a broken file fails the start rather than a page."""
    for lang in languages():
        translations(lang)


# Extraction: the one list of messages, from the code, the templates and the widget.


def extract_helplines(fileobj: Any, keywords: Any, comment_tags: Any, options: Any
                      ) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for corpus/helplines.yaml: each shown (verified) line's description.
    Names are the services' own names and stay as published."""
    import yaml

    data = yaml.safe_load(fileobj.read().decode("utf-8"))
    for region, entries in sorted((data.get("regions") or {}).items()):
        for entry in entries or []:
            if isinstance(entry, dict) and entry.get("verified") is True and entry.get(
                    "description"):
                yield 0, "_", str(entry["description"]), [f"{region}: {entry.get('name')}"]


def extract() -> Catalog:
    catalog = Catalog(project="Clearpath", version="0.1", domain=DOMAIN, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), METHOD_MAP, OPTIONS_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def messages_in(path_glob: str) -> list[str]:
    """The msgids extracted from the files of one METHOD_MAP entry (e.g. the widget's)."""
    method_map = [(pattern, method) for pattern, method in METHOD_MAP if pattern == path_glob]
    found = extract_from_dir(str(ROOT), method_map, OPTIONS_MAP, keywords=KEYWORDS)
    return sorted({m if isinstance(m, str) else m[0] for _f, _l, m, _c, _x in found})


def missing(lang: str, catalog: Catalog | None = None) -> list[str]:
    """Messages of the code without a reviewed (non-fuzzy, non-empty) translation in `lang`."""
    wanted = catalog or extract()
    have = read_catalog(po_file(lang), lang)
    problems = []
    for message in wanted:
        if not message.id:
            continue
        found = have.get(message.id, context=message.context)
        if found is None or found.fuzzy:
            strings: tuple[str, ...] = ()
        else:
            strings = tuple(found.string) if isinstance(found.string, tuple | list) else (
                found.string,)
        if not strings or not all(strings):
            problems.append(message.id if isinstance(message.id, str) else message.id[0])
    return problems


def update() -> list[Path]:
    """Write messages.pot from the sources and merge it into every language's .po file."""
    template = extract()
    written = [TEMPLATE_FILE]
    LOCALES_DIR.mkdir(parents=True, exist_ok=True)
    from babel.messages.pofile import write_po

    with TEMPLATE_FILE.open("wb") as fh:
        write_po(fh, template, width=100, sort_output=True, include_lineno=False)
    for lang in languages()[1:]:
        catalog = read_catalog(po_file(lang), lang)
        catalog.update(template, update_header_comment=False)
        with po_file(lang).open("wb") as fh:
            write_po(fh, catalog, width=100, ignore_obsolete=True, sort_output=True,
                     include_lineno=False)
        written.append(po_file(lang))
    translations.cache_clear()
    return written
