"""The one result schema, shared by the CLI, the JSON API and the HTML pages."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr

Kind = Literal["answer", "no_answer", "dosing_refusal", "crisis", "out_of_scope"]


class Sentence(BaseModel):
    text: str = Field(description="A sentence of a quoted passage, verbatim.")
    citations: list[int] = Field(description="Numbers of the citations backing this sentence.")
    passage_id: str = Field("", description="The quoted passage this sentence belongs to.")
    highlight: bool = Field(
        False, description="One of the sentences that best match the question.")


class QuotedPassage(BaseModel):
    id: str = Field(description="Passage id, `<doc id>#<n>`.")
    doc_id: str
    document_title: str
    heading: str = Field(description="The passage's section heading in its document.")
    text: str = Field(description="The whole passage, verbatim: the unit a reviewer approved.")
    sentences: list[Sentence] = Field(description="The passage's sentences in order; the "
                                      "best matches to the question have `highlight` set.")
    citations: list[int] = Field(description="Numbers of the citations backing the passage.")
    reviewed_on: str = Field(description="When the passage's document was last reviewed.")
    url: str = Field(description="The passage in its document's page on this service.")
    lang: str = Field("en", description="The language of the passage text: its document's "
                      "`language` ('en', 'es').")


class Citation(BaseModel):
    n: int
    doc_id: str = Field(description="The document of the first quoted passage citing it.")
    passage_id: str = Field(description="The first quoted passage citing this source.")
    passage_ids: list[str] = Field(default_factory=list,
                                   description="Every quoted passage citing this source.")
    source_key: str
    title: str = Field(description="Title of the source.")
    publisher: str
    url: str
    reviewed_on: str = Field(description="When the document of `passage_id` was last reviewed.")
    document_title: str
    passage: str = Field(description="The whole passage `passage_id`.")
    lang: str = Field("en", description="The language of `passage`.")


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
    answer: str = Field(description="The quoted passages, separated by a blank line, or the "
                        "reviewed message of any other outcome.")
    passages: list[QuotedPassage] = Field(
        default_factory=list, description="The quoted passages, best first (at most 3).")
    sentences: list[Sentence] = Field(
        default_factory=list, description="Every sentence of the quoted passages, in order, "
        "each with its citations (kept for clients that read sentences).")
    citations: list[Citation] = Field(
        default_factory=list, description="Each cited source once, numbered from 1.")
    related: list[Related] = Field(default_factory=list)
    helplines: list[Helpline] = Field(default_factory=list)
    disclaimer: str
    region: str = "us"
    corpus_version: str = ""
    lang: str = Field("en", description="The language of the reply's own messages (the "
                      "question's, as the guard reads it); each passage has its own `lang`.")
    # A no_answer's nearest passage, never serialised: the content-gap count reads it.
    _nearest: str | None = PrivateAttr(default=None)
    note: str | None = Field(None, description="A message key to show with the answer: "
                             "'source_in_english' when a Spanish question is answered from an "
                             "English passage.")
    note_text: str | None = Field(None, description="The reviewed text of `note` in `lang`.")


# What the server refuses, said in the schema: control characters (C0 but tab and newlines,
# DEL, C1; api/pipeline.py `clean_question`) anywhere, and a question of whitespace only.
_NOT_CONTROL = "[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_SPACE = "\t\n\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
QUESTION_PATTERN = f"^{_NOT_CONTROL}*[^{_SPACE}\x00-\x1f\x7f-\x9f]{_NOT_CONTROL}*$"


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=2000, pattern=QUESTION_PATTERN,
                          description="At least one visible character; no control characters.")
    region: str | None = Field(None, max_length=8, description="us, uk, ca, au, ie or nz.")
