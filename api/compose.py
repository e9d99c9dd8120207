"""Turn a retrieval into the Result of an answer or a no_answer: the one place either is built.

An answer quotes whole passages, never sentences cut out of them: the best passage, then up
to two more that each match the question strongly, add a fact the earlier ones do not say
(a matching sentence unlike every quoted one, and mostly words they do not use), and come
from a document related to the first passage's (same topic, or linked in
corpus/scope.yaml). Inside the quoted passages, the sentences that best match the question
are marked `highlight`. Each cited source is numbered once, however many passages cite it.

Whether to answer at all is index/answerable.py's `decide` (the one no-answer decision). No
embedding model runs here: compose reads the retrieval's query vector and the store in memory
(the sentence vectors were embedded at build time), and the answerability model is a logistic
regression over features of the retrieval. The reviewed message texts come from
api/responses.py, which reads its data files once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from api import responses
from api.schemas import Citation, QuotedPassage, Related, Result, Sentence
from index.answerable import decide
from index.features import share, terms
from index.search import Hit, Retrieval
from index.store import Store

EXTRA_MARGIN = 0.10  # a further passage's fused score is within this of the best passage's
EXTRA_FLOOR = 0.60  # and its dense score is at least this
NEW = 0.85  # a sentence more similar than this to an already quoted one says nothing new
# ... and a passage whose content words are mostly in the passages already quoted restates
# them: this IDF-weighted share of its terms must be new. Two passages that state one fact in
# other words embed below NEW ("About 2 percent met the criteria..." against "...about 2
# percent had a moderate or severe kratom use disorder"), but share their rare words.
NOVEL_TERMS = 0.5
HIGHLIGHT_MARGIN = 0.10  # highlight sentences within this of the answer's best sentence
CANDIDATE_PASSAGES = 5


@dataclass(frozen=True)
class Limits:
    answer_threshold: float
    sentence_threshold: float
    max_passages: int = 3


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
    hits = retrieval.hits
    answers = decide(question, retrieval, store, limits.answer_threshold)
    chosen = choose_passages(retrieval, store, limits) if answers else []
    passages, citations = quote(chosen, retrieval.query_vector, store, limits)
    kind = "answer" if passages else "no_answer"
    cited_docs = {p.doc_id for p in passages}
    return Result(
        kind=kind,
        answer=("\n\n".join(p.text for p in passages) if passages
                else responses.text("no_answer", lang)),
        passages=passages,
        sentences=[s for p in passages for s in p.sentences],
        citations=citations,
        related=related_topics(store, [h.row for h in hits], exclude=cited_docs),
        helplines=responses.for_outcome(kind, region),
        region=region,
        corpus_version=store.manifest.corpus_hash,
        disclaimer=disclaimer,
        lang=responses.language(lang),
    )


def choose_passages(retrieval: Retrieval, store: Store, limits: Limits) -> list[Hit]:
    """The best passage, then up to `max_passages - 1` more in rank order that each match
    strongly, come from a related document and add a fact not already quoted: one of their
    sentences that match the question is unlike every quoted sentence (cosine below `NEW`)
    and the passage is mostly in words the quoted ones do not use (`NOVEL_TERMS`)."""
    hits = retrieval.hits
    if not hits:
        return []
    best = hits[0]
    related = store.documents[store.passages[best.row].doc_id].related
    query = retrieval.query_vector
    quoted = [store.passage_sentences(best.row)[1]]
    said = terms(store.passages[best.row].text)  # what the quoted text says, not its Q: lines
    chosen = [best]
    for hit in hits[1:CANDIDATE_PASSAGES]:
        if len(chosen) >= limits.max_passages:
            break
        if hit.dense < EXTRA_FLOOR or hit.fused < best.fused - EXTRA_MARGIN:
            continue
        if store.passages[hit.row].doc_id not in related:
            continue
        vectors = store.passage_sentences(hit.row)[1]
        matching = vectors @ query >= limits.sentence_threshold
        if not matching.any():
            continue
        unlike = (vectors[matching] @ np.vstack(quoted).T).max(axis=1) < NEW
        if not unlike.any():
            continue  # every sentence that matches repeats one already quoted
        if novel_share(store.passages[hit.row].text, said, store) < NOVEL_TERMS:
            continue  # the same facts in other words
        chosen.append(hit)
        quoted.append(vectors)
        said |= terms(store.passages[hit.row].text)
    return chosen


def novel_share(text: str, said: set[str], store: Store) -> float:
    """IDF-weighted share of the text's content terms that are not in `said` (0 for a text
    without content words: it adds nothing)."""
    wanted = terms(text)
    return 1.0 - share(wanted, said, store.vocabulary.idf) if wanted else 0.0


def quote(chosen: list[Hit], query: np.ndarray, store: Store, limits: Limits
          ) -> tuple[list[QuotedPassage], list[Citation]]:
    """The chosen passages whole, their best-matching sentences highlighted, and each cited
    source numbered once in order of first use."""
    if not chosen:
        return [], []
    sims = [store.passage_sentences(h.row)[1] @ query for h in chosen]
    top = max(float(s.max(initial=-1.0)) for s in sims)
    first_best = int(np.argmax(sims[0])) if len(sims[0]) else -1
    citations: dict[str, Citation] = {}
    quoted: list[QuotedPassage] = []
    for i, (hit, passage_sims) in enumerate(zip(chosen, sims, strict=True)):
        passage = store.passages[hit.row]
        doc = store.documents[passage.doc_id]
        numbers = []
        for key in passage.citations:
            if key not in citations:
                source = doc.sources[key]
                citations[key] = Citation(
                    n=len(citations) + 1, doc_id=passage.doc_id, passage_id=passage.id,
                    source_key=key, title=source.title, publisher=source.publisher,
                    url=source.url, reviewed_on=doc.reviewed_on, document_title=doc.title,
                    passage=passage.text, lang=doc.language or "en")
            if passage.id not in citations[key].passage_ids:
                citations[key].passage_ids.append(passage.id)
            numbers.append(citations[key].n)
        sentences = [
            Sentence(text=text, citations=numbers, passage_id=passage.id,
                     highlight=bool((i == 0 and j == first_best) or (
                         sim >= limits.sentence_threshold and sim >= top - HIGHLIGHT_MARGIN)))
            for j, (text, sim) in enumerate(zip(passage.sentences, passage_sims, strict=True))
        ]
        quoted.append(QuotedPassage(
            id=passage.id, doc_id=passage.doc_id, document_title=doc.title,
            heading=passage.heading_path[-1] if len(passage.heading_path) > 1 else "",
            text=passage.text, sentences=sentences, citations=numbers,
            reviewed_on=doc.reviewed_on,
            url=f"/sources/{passage.doc_id}#{passage.id.replace('#', '-p')}",
            lang=doc.language or "en"))
    return quoted, list(citations.values())


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
                title=store.documents[passage.doc_id].title,
                question=passage.questions[0] if passage.questions else None,
            )
        )
        if len(related) >= limit:
            break
    return related
