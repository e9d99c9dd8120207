"""index/scope.py: the synonym table, the confusable gates and the region scope data, checked
against the real corpus and index."""

from __future__ import annotations

import re

import pytest

from api.pipeline import Pipeline
from index.scope import QuestionScope, query_terms, regions


def test_synonyms_add_the_corpus_word_and_keep_the_question() -> None:
    terms = query_terms()
    assert terms.expand("how do i use Narcan?") == "how do i use Narcan naloxone?"
    assert terms.expand("subs or methadone") == "subs buprenorphine or methadone"
    assert "withdrawal" in terms.expand("how long does dope sickness last")
    assert "7-OH" in terms.expand("is 7oh safe")
    # Whole words only: "oxygen" is not "oxy", "subscribe" is not "subs".
    assert terms.expand("oxygen and subscribe") == "oxygen and subscribe"
    assert terms.expand("what is kratom") == "what is kratom"


def test_every_synonym_maps_to_a_word_the_corpus_uses(pipeline: Pipeline) -> None:
    text = " ".join(p.context for p in pipeline.store.passages).lower()
    missing = {w: c for w, c in query_terms().synonyms.items()
               if not re.search(rf"(?<![\w-]){re.escape(c.lower())}(?![\w-])", text)}
    assert missing == {}


@pytest.mark.parametrize(("question", "passage", "allowed"), [
    ("signs of an overdose", "Early signs of opioid withdrawal include sweating.", False),
    ("signs of an overdose", "Naloxone reverses an opioid overdose.", True),
    ("withdrawal or overdose?", "Early signs of opioid withdrawal include sweating.", True),
    ("what is naltrexone", "Naloxone reverses an opioid overdose.", False),
    ("what is naloxone", "Naltrexone blocks the effects of opioids.", False),
    ("kratom withdrawal", "Opioid withdrawal starts 12 hours after heroin.", False),
    ("kratom for opioid withdrawal", "Opioid withdrawal starts 12 hours after heroin.", True),
    ("what does a high ALT mean", "Jaundice is yellowing of the skin.", False),
    ("can kratom damage my liver", "Liver tests: ALT: a rise under 5 times is mild.", False),
    ("what is kratom", "Naltrexone blocks the effects of opioids.", False),
    ("how do i sleep better", "Naltrexone blocks the effects of opioids.", True),
])
def test_confusable_gates(question: str, passage: str, allowed: bool) -> None:
    scope = QuestionScope.of(query_terms().expand(question), region=None)
    assert scope.allows(passage, passage_region="") is allowed


def test_region_scope() -> None:
    us = QuestionScope.of("is there a drug hotline", "us")
    assert not us.allows("In Australia, the hotline...", "au")
    assert us.allows("SAMHSA's National Helpline...", "us")
    assert us.allows("Kratom is a tree.", "")
    assert QuestionScope.of("is there a drug hotline in Australia", "us").allows("...", "au")
    assert QuestionScope.of("is there a drug hotline", None).allows("...", "au")
    assert regions().named_in("help us please") == frozenset()  # "us" is not the country
    assert regions().named_in("kratom in the UK and new zealand") == {"uk", "nz"}


def test_every_scope_entry_names_passages_of_the_corpus(pipeline: Pipeline) -> None:
    """A renamed heading or document must not silently unscope its passages."""
    keys = {f"{p.doc_id} > {p.heading_path[-1]}" for p in pipeline.store.passages}
    keys |= {p.doc_id for p in pipeline.store.passages}
    assert set(regions().passages) - keys == set()
    assert regions().anywhere - keys == set()
    scoped = {p.id: p.region for p in pipeline.store.passages if p.region}
    assert scoped["getting-help-other-countries#7"] == "au"
    assert scoped["getting-help-us#1"] == "us"


def test_passages_whose_heading_names_another_country_are_scoped(pipeline: Pipeline) -> None:
    """New content about another country's services must be added to corpus/scope.yaml."""
    names = regions().names
    anywhere = regions().anywhere
    unscoped = [p.id for p in pipeline.store.passages if not p.region
                and f"{p.doc_id} > {p.heading_path[-1]}" not in anywhere
                and any(pattern.search(" ".join(p.heading_path[1:]))
                        for region, pattern in names.items() if region != "us")]
    assert unscoped == []


def test_documents_relate_by_topic_and_by_link(pipeline: Pipeline) -> None:
    docs = pipeline.store.documents
    assert "kratom-withdrawal-evidence" in docs["kratom-dependence-withdrawal"].related
    assert "liver-tests-alt-ast" in docs["kratom-liver-injury"].related  # liver-health
    assert "getting-help-us" not in docs["kratom-what-it-is"].related
    assert all(d in r.related for d, r in docs.items())
