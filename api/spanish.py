"""Answers to questions the guard reads as Spanish: the Spanish corpus first, then English.

1. The Spanish index (index/spanish.py) ranks the Spanish passages (e5 + BM25). When the best
   one clears the Spanish answerability rule below, the answer quotes Spanish passages,
   composed exactly as English answers are (api/compose.py).
2. Otherwise, when an English passage with no Spanish version matches across languages
   strongly enough, the answer quotes that one English passage, and the result carries
   `note="source_in_english"` with its reviewed Spanish text from the message catalogue
   (api/responses.py MESSAGES, web/locales).
3. Otherwise the Spanish no-answer message, with the nearest Spanish topics.

The thresholds were chosen on the Spanish development set (corpus/questions_es.jsonl), never
on the test part; docs/spanish.md has the figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from api import responses
from api.compose import Limits, compose
from api.schemas import Result
from index import spanish as es
from index.chunk import Passage
from index.lexical import Lexical
from index.search import Hit, Retrieval
from index.store import Store

# Without a fitted answerability model, a Spanish passage is quoted when its e5 cosine is at
# least this.
ANSWER_DENSE = 0.93
# An English passage is quoted for a Spanish question when its best e5 cosine (over its text
# and its English Q: lines) is at least this: above every unanswerable development question
# (the highest, 0.912), under 5 of the 12 English-only ones (docs/spanish.md).
ENGLISH_DENSE = 0.92
SENTENCE_THRESHOLD = 0.84  # e5 cosines run higher than MiniLM's: highlights need more
NOTE_ENGLISH = "source_in_english"


@dataclass
class SpanishAnswers:
    index: es.SpanishIndex
    store: Store  # the Spanish passages as compose reads a store
    english: Store
    english_rows: np.ndarray  # fallback row -> row in the English store
    # The English store as the fallback quotes it: the cross-language match has decided, so
    # the English answerability model (fitted on English questions) is not asked again.
    english_quotes: Store
    limits: Limits
    mode: es.Mode = "hybrid"

    @classmethod
    def of(cls, index: es.SpanishIndex, english: Store, limits: Limits) -> SpanishAnswers:
        by_id = {p.id: row for row, p in enumerate(english.passages)}
        rows = np.asarray([by_id.get(pid, -1) for pid in index.english_ids], np.int64)
        store = Store(
            manifest=english.manifest, documents=index.documents, passages=index.passages,
            dense=index.dense, vector_owner=index.vector_owner,
            sentence_vectors=index.sentence_vectors, sentence_start=index.sentence_start,
            lexical=Lexical(index.lexical, len(index.passages)))
        return cls(index, store, english, rows, replace(english, answerability=None),
                   replace(limits, sentence_threshold=SENTENCE_THRESHOLD))

    def embed(self, question: str) -> np.ndarray:
        return es.e5().query([question])[0]

    def search(self, question: str, vector: np.ndarray, k: int = 5,
               region: str | None = None, mode: es.Mode | None = None) -> Retrieval:
        hits = es.search(self.index, question, vector, k, region, mode or self.mode)
        return Retrieval(query_vector=vector, hits=[
            Hit(row=h.row, passage_id=h.passage_id, dense=h.dense, lexical=h.lexical,
                fused=h.fused) for h in hits])

    def answerable(self, question: str, retrieval: Retrieval) -> bool:
        """The fitted Spanish answerability model (index/spanish.py) when the build made one,
        else the best passage's e5 cosine against ANSWER_DENSE."""
        if not retrieval.hits:
            return False
        model = self.index.answerability
        if model is None:
            return retrieval.hits[0].dense >= ANSWER_DENSE
        hits = [es.Hit(h.row, h.passage_id, h.dense, h.lexical, h.fused)
                for h in retrieval.hits]
        return model.probability(es.signals(self.index, question, hits)) >= model.threshold

    def english_match(self, vector: np.ndarray, region: str | None) -> tuple[int, float] | None:
        """The English store row and e5 cosine of the best fallback passage, if one clears
        ENGLISH_DENSE (and its region, on a regional deployment)."""
        if not len(self.english_rows):
            return None
        sims = self.index.english_vectors @ vector
        best = np.full(len(self.english_rows), -1.0, np.float32)
        np.maximum.at(best, self.index.english_owner, sims)
        for i in np.argsort(-best)[:5].tolist():
            row = int(self.english_rows[i])
            if row < 0 or best[i] < ENGLISH_DENSE:
                return None
            passage: Passage = self.english.passages[row]
            if passage.region and region is not None and passage.region != region:
                continue
            return row, float(best[i])
        return None

    def answer(self, question: str, english_vector: np.ndarray, *, region: str,
               personal: bool = False) -> Result:
        """`english_vector` is the question's vector from the English model (the guard's):
        compose reads it to mark sentences when it quotes an English passage."""
        vector = self.embed(question)
        retrieval = self.search(question, vector, region=region)
        if self.answerable(question, retrieval):
            result = compose(question, retrieval, self.store, replace(
                self.limits, answer_threshold=-math.inf), region=region, lang="es",
                personal=personal)
            return _languages(result, "es")
        match = self.english_match(vector, region)
        if match is not None:
            row, score = match
            hit = Hit(row=row, passage_id=self.english.passages[row].id, dense=1.0,
                      lexical=0.0, fused=1.0 + score)
            result = compose(question, Retrieval(english_vector, [hit]), self.english_quotes,
                             replace(self.limits, answer_threshold=-math.inf, max_passages=1),
                             region=region, lang="es", personal=personal)
            result = _languages(result, "en")
            result.note = NOTE_ENGLISH
            result.note_text = responses.text(NOTE_ENGLISH, "es")
            return result
        result = compose(question, retrieval, self.store, replace(
            self.limits, answer_threshold=math.inf), region=region, lang="es",
            personal=personal)
        return _languages(result, "es")


def _languages(result: Result, passages: str) -> Result:
    result.lang = "es"
    for p in result.passages:
        p.lang = passages
    return result
