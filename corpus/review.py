"""Which documents are due for review: `clearpath corpus review` prints this for editors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from corpus.load import Document
from corpus.validate import _as_date


@dataclass(frozen=True)
class Due:
    doc_id: str
    title: str
    path: Path
    review_due: dt.date
    reviewed_by: str
    volatile: bool
    days: int  # days from today to review_due; negative when overdue


def review_schedule(docs: list[Document], today: dt.date, within: int = 30
                    ) -> tuple[list[Due], list[Due]]:
    """(overdue, due within `within` days), each ordered by due date, then id.

    Documents without a readable `review_due` are left out: `corpus check` reports them.
    """
    overdue: list[Due] = []
    soon: list[Due] = []
    for doc in docs:
        due = _as_date(doc.meta.get("review_due"))
        if due is None:
            continue
        days = (due - today).days
        if days > within:
            continue
        item = Due(doc.id, doc.title, doc.path, due, str(doc.meta.get("reviewed_by", "")),
                   doc.meta.get("volatile") is True, days)
        (overdue if days < 0 else soon).append(item)
    def order(d: Due) -> tuple[dt.date, str]:
        return d.review_due, d.doc_id

    return sorted(overdue, key=order), sorted(soon, key=order)


def render(overdue: list[Due], soon: list[Due], today: dt.date, within: int) -> str:
    def line(d: Due) -> str:
        when = (f"{-d.days} day(s) overdue" if d.days < 0 else
                "due today" if d.days == 0 else f"due in {d.days} day(s)")
        flag = ", volatile" if d.volatile else ""
        return (f"  {d.review_due}  {d.doc_id}  ({when}{flag})\n"
                f"      reviewer: {d.reviewed_by or 'not set'}; {d.title}; {d.path.name}")

    out = [f"Corpus review on {today} (window: next {within} days)"]
    out.append(f"Overdue: {len(overdue)}")
    out += [line(d) for d in overdue]
    out.append(f"Due in the next {within} days: {len(soon)}")
    out += [line(d) for d in soon]
    if not overdue and not soon:
        out.append("Nothing is overdue or due in the window.")
    return "\n".join(out)
