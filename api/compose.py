"""Turn retrieved passages into an extractive, cited answer. Pure: no model, no I/O.

Every sentence in the result is a sentence of a corpus passage, character for character.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from api import responses
from api.schemas import Citation, Related, Result, Sentence
from index.answerable import signals
from index.search import Retrieval
from index.store import Store

REDUNDANT = 0.90  # cosine above which a sentence repeats one already chosen
PASSAGE_WEIGHT = 0.5  # share of a sentence's score that comes from its passage's score
MARGIN = 0.15  # keep sentences whose score is within this of the best sentence's
CANDIDATE_PASSAGES = 3


@dataclass(frozen=True)
class Limits:
    answer_threshold: float
    sentence_threshold: float
    max_sentences: int


@dataclass(frozen=True)
class _Candidate:
    rank: int  # passage rank in the retrieval
    row: int  # passage row
    position: int  # sentence position in the passage
    text: str
    vector: np.ndarray
    similarity: float
    score: float


def answerable(question: str, retrieval: Retrieval, store: Store, limits: Limits) -> bool:
    """Whether the corpus answers this well enough to quote: the fitted answerability model
    when the index has one, else the plain best-passage cosine threshold."""
    if not retrieval.hits or retrieval.hits[0].dense < limits.answer_threshold:
        return False
    model = store.answerability
    return model is None or model.probability(
        signals(question, retrieval, store)) >= model.threshold


def compose(
    question: str,
    retrieval: Retrieval,
    store: Store,
    limits: Limits,
    *,
    region: str,
    lang: str = "en",
    personal: bool = False,
) -> Result:
    disclaimer = responses.text("disclaimer", lang)
    if personal:
        disclaimer = f"{responses.text('personal_note', lang)} {disclaimer}"
    base = {"region": region, "corpus_version": store.manifest.corpus_hash,
            "disclaimer": disclaimer}
    hits = retrieval.hits
    if not answerable(question, retrieval, store, limits):
        return Result(
            kind="no_answer",
            answer=responses.text("no_answer", lang),
            related=related_topics(store, [h.row for h in hits], exclude=set()),
            helplines=responses.for_outcome("no_answer", region),
            **base,
        )

    chosen = _choose(retrieval, store, limits)
    citations: list[Citation] = []
    numbers: dict[tuple[str, str], int] = {}
    sentences: list[Sentence] = []
    for cand in chosen:
        passage = store.passages[cand.row]
        doc = store.documents[passage.doc_id]
        refs = []
        for key in passage.citations:
            if (passage.id, key) not in numbers:
                source = doc["sources"][key]
                numbers[(passage.id, key)] = len(citations) + 1
                citations.append(
                    Citation(
                        n=len(citations) + 1,
                        doc_id=passage.doc_id,
                        passage_id=passage.id,
                        source_key=key,
                        title=source["title"],
                        publisher=source["publisher"],
                        url=source["url"],
                        reviewed_on=doc["reviewed_on"],
                        document_title=doc["title"],
                        passage=passage.text,
                    )
                )
            refs.append(numbers[(passage.id, key)])
        sentences.append(Sentence(text=cand.text, citations=refs))
    cited_docs = {store.passages[c.row].doc_id for c in chosen}
    return Result(
        kind="answer",
        answer=" ".join(s.text for s in sentences),
        sentences=sentences,
        citations=citations,
        related=related_topics(store, [h.row for h in hits], exclude=cited_docs),
        helplines=responses.for_outcome("answer", region),
        **base,
    )


def _choose(retrieval: Retrieval, store: Store, limits: Limits) -> list[_Candidate]:
    """Best sentences first, none repeating another, then put back in reading order."""
    query = retrieval.query_vector
    candidates: list[_Candidate] = []
    for rank, hit in enumerate(retrieval.hits[:CANDIDATE_PASSAGES]):
        if hit.dense < limits.answer_threshold and rank > 0:
            continue
        texts, vectors = store.passage_sentences(hit.row)
        sims = vectors @ query
        for position, (text, vector, sim) in enumerate(zip(texts, vectors, sims, strict=True)):
            score = (1 - PASSAGE_WEIGHT) * float(sim) + PASSAGE_WEIGHT * hit.dense
            candidates.append(
                _Candidate(rank, hit.row, position, text, vector, float(sim), score)
            )
    candidates.sort(key=lambda c: -c.score)
    best = candidates[0]
    picked = [best]
    for cand in candidates[1:]:
        if len(picked) >= limits.max_sentences:
            break
        if cand.similarity < limits.sentence_threshold or cand.score < best.score - MARGIN:
            continue
        if any(float(cand.vector @ p.vector) > REDUNDANT for p in picked):
            continue
        picked.append(cand)
    return sorted(picked, key=lambda c: (c.rank, c.position))


def related_topics(store: Store, rows: list[int], exclude: set[str], limit: int = 3
                   ) -> list[Related]:
    """Documents near the question that the answer did not cite, with a sample question."""
    seen = set(exclude)
    related: list[Related] = []
    for row in rows:
        passage = store.passages[row]
        if passage.doc_id in seen:
            continue
        seen.add(passage.doc_id)
        related.append(
            Related(
                doc_id=passage.doc_id,
                title=store.documents[passage.doc_id]["title"],
                question=passage.questions[0] if passage.questions else None,
            )
        )
        if len(related) >= limit:
            break
    return related
