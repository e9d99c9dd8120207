"""Documents into passages, passages into sentences. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.load import Document

# A sentence ends at . ! or ? (optionally closed by a quote or bracket) followed by space and
# a capital letter, digit or opening quote. The corpus format asks writers to avoid
# abbreviations with inner dots, so this simple rule holds for vetted text.
# Spanish sentences may also open with an accented capital or an opening ¿ or ¡.
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[\"“(¿¡]?[A-Z0-9ÁÉÍÓÚÑ])"
                       r"|(?<=[.!?][\"”’)])\s+(?=[\"“(¿¡]?[A-Z0-9ÁÉÍÓÚÑ])")


@dataclass(frozen=True)
class Passage:
    id: str
    doc_id: str
    n: int
    text: str
    heading_path: tuple[str, ...]
    citations: tuple[str, ...]
    questions: tuple[str, ...]
    sentences: tuple[str, ...]
    region: str = ""  # set at build time for passages about one country (index/scope.py)

    @property
    def context(self) -> str:
        """The text to embed: the heading path, then the passage."""
        return f"{' > '.join(self.heading_path)}: {self.text}" if self.heading_path else self.text


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _BOUNDARY.split(text) if s.strip()]


def chunk(doc: Document) -> list[Passage]:
    """One passage per cited paragraph, with the document title first in its heading path."""
    passages = []
    for para in doc.paragraphs:
        path = para.heading_path
        if not path or path[0] != doc.title:
            path = (doc.title, *path)
        passages.append(
            Passage(
                id=f"{doc.id}#{para.n}",
                doc_id=doc.id,
                n=para.n,
                text=para.text,
                heading_path=path,
                citations=para.citations,
                questions=para.questions,
                sentences=tuple(split_sentences(para.text)),
            )
        )
    return passages
