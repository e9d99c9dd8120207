"""Typed records of the corpus documents, as the index stores them and the answer path reads
them (compose, routes, templates). Built by `index/build.py`, written to and read from
`passages.json` by `index/store.py`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from corpus.load import Source

# A source as the index stores it is the corpus loader's own record.
SourceRecord = Source


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    title: str
    summary: str
    topics: tuple[str, ...]
    language: str
    reviewed_by: str
    reviewed_on: str
    review_due: str
    sources: dict[str, SourceRecord]  # citation key -> source, in front-matter order
    # Documents an answer may quote together with this one (itself included): same topic,
    # or linked in corpus/scope.yaml. See index/scope.py.
    related: frozenset[str] = field(default_factory=frozenset)

    def to_json(self) -> dict[str, Any]:
        raw = asdict(self)
        raw["topics"] = list(self.topics)
        raw["related"] = sorted(self.related)
        return raw

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> DocumentRecord:
        return cls(
            id=str(raw["id"]),
            title=str(raw["title"]),
            summary=str(raw.get("summary", "")),
            topics=tuple(raw.get("topics") or ()),
            language=str(raw.get("language", "")),
            reviewed_by=str(raw.get("reviewed_by", "")),
            reviewed_on=str(raw.get("reviewed_on", "")),
            review_due=str(raw.get("review_due", "")),
            sources={k: SourceRecord(**s) for k, s in (raw.get("sources") or {}).items()},
            related=frozenset(raw.get("related") or ()),
        )
