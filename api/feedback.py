"""Saving a thumbs-up or thumbs-down, shared by the page form and the JSON API."""

from __future__ import annotations

import re

from fastapi import Request

from api import db
from api.errors import InvalidQuestion

OUTCOMES = ("answer", "no_answer", "dosing_refusal", "crisis", "out_of_scope")
# A result's corpus_version (index.build.corpus_hash: 16 hex digits), or nothing.
CORPUS_VERSION = r"^([0-9a-f]{16})?$"


def save_feedback(request: Request, kind: str, rating: int, passage_ids: list[str],
                  corpus_version: str, partner: str | None = None, question: str = "") -> int:
    """Store a rating. The question is kept only if an operator turned that on."""
    pipeline = request.app.state.pipeline
    known = pipeline.store.passage_ids if pipeline else frozenset()
    if kind not in OUTCOMES:
        raise InvalidQuestion("unknown outcome")
    if rating not in (-1, 1):
        raise InvalidQuestion("rating must be 1 or -1")
    if not re.fullmatch(CORPUS_VERSION, corpus_version):
        raise InvalidQuestion("corpus_version must be the corpus_version of a result")
    return db.add_feedback(request.app.state.db, outcome=kind, rating=rating,
                           passage_ids=[p for p in passage_ids if p in known][:20],
                           corpus_version=corpus_version, partner=partner,
                           question=question or None
                           if request.app.state.settings.store_question_text else None)
