"""Letter-spaced text and leetspeak are read as plain words before anything reads a question."""

from __future__ import annotations

import pytest

from api import guard
from api.pipeline import clean_question
from index import spanish
from index.writing import letter_spaced, plain_writing, unleet, unspaced


@pytest.mark.parametrize(("spaced", "joined"), [
    ("h e ' s  n o t  b r e a t h i n g", "he's not breathing"),
    ("i m  s o  t i r e d", "im so tired"),
    ("T h a n k s  f o r  e v e r y t h i n g .  B y e", "Thanks for everything. Bye"),
    ("n o  r e s p i r a", "no respira"),
])
def test_letter_spaced_words_are_joined(spaced: str, joined: str) -> None:
    assert letter_spaced(spaced)
    assert unspaced(spaced) == joined


@pytest.mark.parametrize("text", [
    "is a 1 g pill ok or is 2 g too much",
    "what are the a b c of naloxone",
    "vitamin b 1 2 and withdrawal",
    "h e l p",  # too short to tell
    "h e l p m e p l e a s e",  # no wider gaps: the words cannot be told apart
    "",
])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert unspaced(text) == text


def test_every_reader_sees_the_joined_words() -> None:
    spaced = "h e ' s  n o t  b r e a t h i n g"
    assert clean_question(spaced) == "he's not breathing"
    assert guard.check(spaced).kind == "crisis"  # the rules alone
    assert not spanish.looks_spanish(spaced)
    assert spanish.looks_spanish("n o  r e s p i r a  y  t i e n e  l o s  l a b i o s")


def test_leetspeak_is_spelled_in_letters() -> None:
    assert unleet("h3 0d'd 0n f3nt & w0nt w4k3 up") == "he od'd on fent & wont wake up"
    assert plain_writing("m y  f r 1 3 n d  w 0 n t  w 4 k 3") == "my friend wont wake"
    assert guard.check("h3 0d'd 0n f3nt & w0nt w4k3 up, 1s n4rc4n 3n0ugh").kind == "crisis"


@pytest.mark.parametrize("text", [
    "is 10mg of methadone a lot",
    "took 2x 5g doses and b12",
    "covid19 and 7oh, mp3 player",
    "the b3st way to find help",  # one word is not enough
])
def test_amounts_names_and_single_words_keep_their_digits(text: str) -> None:
    assert unleet(text) == text
