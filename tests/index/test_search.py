"""index/search.py and index/lexical.py over the real index: fusion, modes, scope, synonyms,
and a BM25 query path without progress bars."""

from __future__ import annotations

import bm25s
import pytest
import tqdm.std

from api.evaluate import load_questions
from api.pipeline import Pipeline
from index.lexical import _STEMMER, query_tokens
from index.search import LEXICAL_WEIGHT, Searcher


def test_query_tokens_are_bm25s_tokens() -> None:
    questions = [q["question"] for q in load_questions()] + ["Ünïcode café, 7-OH's O.D.?!", ""]
    ours = [query_tokens(q) for q in questions]
    theirs = bm25s.tokenize(questions, stopwords="en", stemmer=_STEMMER, show_progress=False,
                            return_ids=False)
    assert ours == theirs


def test_a_search_builds_no_progress_bar(pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    question = "how long does kratom withdrawal last"
    vector = pipeline.searcher.embed(question)  # the model's own batching is not BM25's
    made: list[object] = []
    original = tqdm.std.tqdm.__init__

    def counting(self: object, *args: object, **kwargs: object) -> None:
        made.append(kwargs.get("desc"))
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tqdm.std.tqdm, "__init__", counting)
    pipeline.searcher.search(question, query_vector=vector, region="us")
    assert made == []


def test_hybrid_ranks_by_fused_score_and_keeps_k(pipeline: Pipeline) -> None:
    hits = pipeline.searcher.search("what is naloxone", k=4).hits
    assert len(hits) == 4
    assert [h.fused for h in hits] == sorted((h.fused for h in hits), reverse=True)
    assert hits[0].passage_id.startswith("naloxone-overdose-reversal#")
    for h in hits:  # cosine plus at most LEXICAL_WEIGHT for the best BM25 score
        assert h.dense <= h.fused <= h.dense + LEXICAL_WEIGHT + 1e-9
        assert (h.fused > h.dense) == (h.lexical > 0)


@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_every_mode_finds_a_plain_question(pipeline: Pipeline, mode: str) -> None:
    searcher = Searcher(pipeline.store, pipeline.embedder, mode)  # type: ignore[arg-type]
    hits = searcher.search("what are the early signs of opioid withdrawal", k=3).hits
    assert "opioid-withdrawal-symptoms-timeline#1" in [h.passage_id for h in hits]
    if mode == "lexical":
        assert all(h.lexical > 0 for h in hits)


def test_bm25_reads_the_synonyms(pipeline: Pipeline) -> None:
    lexical = Searcher(pipeline.store, pipeline.embedder, "lexical")
    hits = lexical.search("can a regular doctor give me subs", k=3).hits
    assert any("buprenorphine" in pipeline.store.passages[h.row].text.lower() for h in hits)


def test_region_keeps_other_countries_services_out(pipeline: Pipeline) -> None:
    question = "Is there a hotline I can call about drug use?"
    passages = pipeline.store.passages
    anywhere = pipeline.searcher.search(question, k=10, region=None).hits
    us = pipeline.searcher.search(question, k=10, region="us").hits
    assert {passages[h.row].region for h in anywhere} - {"", "us"}  # there is something to drop
    assert {passages[h.row].region for h in us} <= {"", "us"}
    au = pipeline.searcher.search(question + " in Australia", k=10, region="us").hits
    assert passages[au[0].row].region == "au"


def test_confusable_passages_are_kept_out(pipeline: Pipeline) -> None:
    hits = pipeline.searcher.search("what are the signs of an opioid overdose", k=10).hits
    ids = [h.passage_id for h in hits]
    assert "opioid-withdrawal-symptoms-timeline#1" not in ids
    assert hits  # overdose passages remain
