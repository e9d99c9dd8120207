"""The one result schema, shared by the CLI, the JSON API and the HTML pages."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["answer", "no_answer", "dosing_refusal", "crisis", "out_of_scope"]


class Sentence(BaseModel):
    text: str = Field(description="Verbatim text of a vetted corpus passage.")
    citations: list[int] = Field(description="Numbers of the citations backing this sentence.")


class Citation(BaseModel):
    n: int
    doc_id: str
    passage_id: str
    source_key: str
    title: str = Field(description="Title of the source.")
    publisher: str
    url: str
    reviewed_on: str = Field(description="When the citing corpus document was last reviewed.")
    document_title: str
    passage: str = Field(description="The whole passage the sentences come from.")


class Related(BaseModel):
    doc_id: str | None = Field(None, description="The corpus document, when there is one.")
    title: str
    question: str | None = Field(None, description="An example question this document answers.")


class Helpline(BaseModel):
    id: str
    name: str
    kind: str
    number: str | None = None
    tel: str | None = None
    sms: str | None = None
    url: str | None = None
    hours: str | None = None
    description: str = ""
    source_url: str | None = None


class Result(BaseModel):
    kind: Kind
    answer: str = Field(description="The sentences joined, or the reviewed message of a refusal.")
    sentences: list[Sentence] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    related: list[Related] = Field(default_factory=list)
    helplines: list[Helpline] = Field(default_factory=list)
    disclaimer: str
    region: str = "us"
    corpus_version: str = ""


# What the server refuses, said in the schema: control characters (C0 but tab and newlines,
# DEL, C1; api/pipeline.py `clean_question`) anywhere, and a question of whitespace only.
_NOT_CONTROL = "[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_SPACE = "\t\n\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
QUESTION_PATTERN = f"^{_NOT_CONTROL}*[^{_SPACE}\x00-\x1f\x7f-\x9f]{_NOT_CONTROL}*$"


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=2000, pattern=QUESTION_PATTERN,
                          description="At least one visible character; no control characters.")
    region: str | None = Field(None, max_length=8, description="us, uk, ca, au, ie or nz.")
