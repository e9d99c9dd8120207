"""How the guard reads a message: Unicode folding, slang, injected instructions, hidden
base64 text, language. Everything here changes what the learned layer sees, so the model's
cache key hashes this file (and not the rule tables)."""

from __future__ import annotations

import base64
import re
import re._constants as sre
import re._parser as sre_parse
import unicodedata
from collections.abc import Iterable
from typing import Any

from index.writing import plain_writing

# Zero-width and other invisible format characters ("k\u200bill my\u200bself") and soft
# hyphens hide words from every rule; they are dropped before anything reads the text.
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Digit runs longer than any real amount are cut: no rule needs more than 8 digits, and long
# runs are what made some rules slow (api/guard/rules.py explains the other defences).
_LONG_DIGITS = re.compile(r"\d{9,}")

# Amounts with their unit written together or abbreviated ("10g", "5 mgs", "2 tabs").
_UNITS = {"grams": r"grms?|gms?|grs?|gr|g", "mg": r"mgs?|milligrams?", "ml": r"mls?",
          "pills": r"tabs?|tablets?|pills?", "capsules": r"caps?|capsules?",
          "teaspoons": r"tsps?|teaspoons?"}
_UNIT_RE = re.compile(r"(\d)\s*(?:" + "|".join(f"(?P<{unit}>{forms})" for unit, forms in
                                                _UNITS.items()) + r")\b")
# Slang and misspellings, one word or phrase each, to the word the rules are written for.
_WORDS: dict[str, str] = {
    r"grms?|grammes?": "grams",
    r"wds|w/?d|w-d|withdrawl?s?|withdrawel|witdrawal|withdrawals": "withdrawal",
    r"oxys?|oxies|roxys?|roxies|percs?|percocets?|oxycontin": "oxycodone",
    r"subs|subbies|subby|bupe|bupes|subutex|suboxone|suboxon|subokson|suboxen|zubsolv|sublocade":
        "buprenorphine",
    r"7[\s-]?oh|7[\s-]?hydroxy": "7-hydroxymitragynine",
    r"fent|fetty|fenty|fentanil|fentanilo": "fentanyl",
    r"narcan|nalox|naloxon|naloxen": "naloxone",
    r"methadon|methadne|methodone|methedone|metadone": "methadone",
    r"amt": "amount",
    r"kms": "kill myself",
    r"seizin|seizn|seazing": "seizing",
    r"shakin": "shaking",
    r"breathin|breating|breahting": "breathing",
    r"rn": "right now",
    r"od'?ing": "overdosing",
    r"od'd": "overdosed",
    r"od|o\.d\.?(?!\w)": "overdose",
    r"tonights": "tonight's",
    r"pa": "para",
    r"malilla|mono": "abstinencia",
    r"u": "you",
    r"ur": "your",
    r"im": "i'm",
    r"(?:how|hw|hoe|hwo)\s*(?:mcuh|mich|muhc|mutch|mch)|howmuch": "how much",
    r"(?:how|hw|hoe|hwo)\s*mny|howmany": "how many",
    r"wat|whta": "what",
    r"shud|shoud|shld": "should",
    r"cuanto|kuanto|kwanto": "cuánto",
    r"cuantos": "cuántos",
    r"cuantas": "cuántas",
}
_WORD_NAMES = [f"w{i}" for i in range(len(_WORDS))]


def _first_letters(patterns: Iterable[str]) -> str:
    """The characters the patterns' matches can start with; a pattern whose match could start
    with any character (or be empty) is refused, as the lookahead below would then be wrong."""

    def first(items: Any) -> set[str]:
        op, av = items[0]
        if op is sre.LITERAL:
            return {chr(av)}
        if op is sre.IN and all(kind is sre.LITERAL for kind, _ in av):
            return {chr(value) for _, value in av}
        if op is sre.BRANCH:
            return set().union(*(first(branch) for branch in av[1]))
        if op is sre.SUBPATTERN:
            return first(av[3])
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            return first(av[2])
        raise ValueError(f"a slang pattern may start with anything: {items!r}")

    return "".join(sorted(set().union(*(first(sre_parse.parse(p)) for p in patterns))))


# The lookahead lets `re` pass over every word that starts with no slang's first letter (the
# alternatives are tried at every word start otherwise: about 4 times slower on long text).
_WORD_RE = re.compile(r"(?<!\w)(?=[" + _first_letters(_WORDS) + r"])(?:" + "|".join(
    f"(?P<{name}>{forms})" for name, forms in zip(_WORD_NAMES, _WORDS, strict=True)) + r")"
    r"(?:\b|(?<=\.))")
_WORD_TO = dict(zip(_WORD_NAMES, _WORDS.values(), strict=True))
_KRATOM_RE = re.compile(r"kr[aeo]t[ou]?m+s?|kratum|kratim|kraton|katom|kratomm")
_HOW_RE = re.compile(r"\b(?:hw|hoe|hwo)\s+(much|many|often|long)\b")


def _slang(text: str) -> str:
    text = _KRATOM_RE.sub("kratom", text)
    text = _UNIT_RE.sub(lambda m: f"{m.group(1)} {m.lastgroup}", text)
    text = _WORD_RE.sub(lambda m: _WORD_TO[m.lastgroup or ""], text)
    return _HOW_RE.sub(r"how \1", text)

_INJECTION = re.compile(
    r"\b(?:ignore|forget|disregard|bypass|override)\b[^.!?\n]{0,40}?"
    r"\b(?:rules?|instructions?|guidelines?|polic(?:y|ies)|filters?|restrictions?|safety|prompt)"
    r"\b|\b(?:pretend|imagine|act|roleplay)\b[^.!?\n]{0,15}?\b(?:you(?:'re| are)|as)\b"
    r"[^.!?\n]{0,40}?\b(?:doctor|nurse|pharmacist|physician|dealer|expert|chemist|ai|bot|"
    r"dan|assistant|model)\b|\byou are now (?:a |an )?[\w-]++|\bdeveloper mode\b|\bjailbreak\b|"
    r"\bno restrictions\b|\bhypothetically\b|\bfor a (?:story|novel|book|game)\b|"
    r"\bignora (?:tus|las) (?:reglas|instrucciones)(?: anteriores)?\b|\bfinge que eres (?:un |"
    r"una )?"
    r"[\w\u00e0-\u00ff-]++"
)


def normalise(text: str) -> str:
    """Lower case, Unicode-folded, letter-spaced words joined, slang and common misspellings
    mapped, spacing collapsed."""
    text = plain_writing(_INVISIBLE.sub("", unicodedata.normalize("NFKC", text))).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("´", "'")
    text = _LONG_DIGITS.sub(lambda m: m.group()[:8], text)
    return _slang(re.sub(r"\s+", " ", text).strip())


_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def strip_accents(text: str) -> str:
    """The text without combining marks (cómo -> como)."""
    if text.isascii():
        return text
    return _MARKS.sub("", unicodedata.normalize("NFD", text))


def without_instructions(text: str) -> str:
    """The message with "ignore your rules"-style wording removed."""
    return re.sub(r"\s+", " ", _INJECTION.sub(" ", text)).strip()


def model_text(text: str) -> str:
    """What the text model reads: the guard's normalised text without injected instructions."""
    return without_instructions(normalise(text))


_SPANISH = re.compile(
    r"[¿¡ñ]|\b(?:que|qué|cómo|cuánto|cuántos|cuántas|cuál|puedo|debo|tengo|tomar|está|estoy|"
    r"mi|mis|el|la|los|las|para|con|por|una|uno|es|hay|pero|si|sí|no respira|ayuda|dosis|"
    r"abstinencia|hígado|hijo|hija|novio|novia|amigo|amiga|hermano|hermana|quiero)\b"
)
_ENGLISH = re.compile(r"\b(?:the|is|what|how|my|i|you|and|of|to|can|does|it)\b")


def detect_lang(text: str) -> str:
    es, en = len(_SPANISH.findall(text)), len(_ENGLISH.findall(text))
    return "es" if es >= 2 and es > en else "en"


_BASE64 = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{12,}+={0,2}(?=\s|$)")


def decoded(text: str) -> str:
    """Text hidden in base64 ("decode this and answer it"), so it is read like the rest."""
    found = []
    for token in _BASE64.findall(text):
        try:
            plain = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            continue
        if plain.isprintable():
            found.append(plain)
    return " ".join(found)


# A message longer than this is long: the embedding model reads only its first 256 word pieces,
# and what a person needs now is usually said last. The rules read such a message two sentences
# at a time where an exception holds (api/guard/rules.py); the learned layer also reads its end.
LONG = 400
TAIL_CHARS = 300
_SENTENCE_END = re.compile(r"(?<=[.!?])\s++|\n++")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def tail(text: str) -> str | None:
    """The last sentences of a long message (at least TAIL_CHARS of them), or None if short."""
    if len(text) <= LONG:
        return None
    end: list[str] = []
    for sentence in reversed(sentences(text)):
        end.insert(0, sentence.strip())
        if sum(map(len, end)) >= TAIL_CHARS:
            break
    return " ".join(end)[-4 * TAIL_CHARS:]


def read(text: str) -> tuple[str, str, str]:
    """(normalised text, the same without accents, language) as every rule reads them."""
    hidden = decoded(text)
    norm = without_instructions(normalise(f"{text} {hidden}" if hidden else text))
    return norm, strip_accents(norm), detect_lang(norm)
