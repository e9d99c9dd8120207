"""Feedback storage through SQLAlchemy: SQLite by default, any database by URL.

No question text is stored unless an operator sets `CLEARPATH_STORE_QUESTION_TEXT=true`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

from sqlalchemy import DateTime, Integer, String, Text, create_engine, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

log = logging.getLogger("clearpath")


class Base(DeclarativeBase):
    pass


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: dt.datetime.now(dt.UTC)
    )
    outcome: Mapped[str] = mapped_column(String(20))
    rating: Mapped[int] = mapped_column(Integer)  # +1 or -1
    passage_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    corpus_version: Mapped[str] = mapped_column(String(64), default="")
    partner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    question: Mapped[str | None] = mapped_column(Text, nullable=True)


class PartnerCount(Base):
    """Outcomes per partner per day: counts only, never question text."""

    __tablename__ = "partner_counts"

    partner: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD, UTC
    outcome: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


def count_outcome(engine: Engine, partner: str, outcome: str) -> None:
    """Add one to today's count. Never raises: a count must not cost anyone their reply."""
    day = dt.datetime.now(dt.UTC).date().isoformat()
    key = (PartnerCount.partner == partner, PartnerCount.day == day,
           PartnerCount.outcome == outcome)
    for _attempt in range(3):
        try:
            with Session(engine) as session, session.begin():
                done = session.execute(
                    update(PartnerCount).where(*key).values(count=PartnerCount.count + 1))
                if done.rowcount == 0:  # type: ignore[attr-defined]
                    session.add(PartnerCount(partner=partner, day=day, outcome=outcome,
                                             count=1))
            return
        except IntegrityError:
            continue  # another request inserted the row first: update it instead
        except SQLAlchemyError:
            log.exception("could not count an outcome for partner %s", partner)
            return


def partner_counts(engine: Engine, partner: str | None = None) -> dict[str, dict[str, int]]:
    """{"partner": {"answer": n, "crisis": n, ...}} summed over all days."""
    totals: dict[str, dict[str, int]] = {}
    with Session(engine) as session:
        query = select(PartnerCount.partner, PartnerCount.outcome, func.sum(PartnerCount.count))
        if partner:
            query = query.where(PartnerCount.partner == partner)
        for name, outcome, n in session.execute(
                query.group_by(PartnerCount.partner, PartnerCount.outcome)):
            totals.setdefault(name, {})[outcome] = int(n)
    return totals


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    Base.metadata.create_all(engine)
    return engine


def add_feedback(
    engine: Engine,
    *,
    outcome: str,
    rating: int,
    passage_ids: list[str],
    corpus_version: str,
    partner: str | None = None,
    question: str | None = None,
) -> int:
    with Session(engine) as session:
        row = Feedback(outcome=outcome, rating=rating, passage_ids=json.dumps(passage_ids),
                       corpus_version=corpus_version, partner=partner, question=question)
        session.add(row)
        session.commit()
        return row.id


def feedback_counts(engine: Engine) -> dict[str, dict[str, int]]:
    """Ratings per outcome: {"answer": {"up": 3, "down": 1}, ...}."""
    counts: dict[str, dict[str, int]] = {}
    with Session(engine) as session:
        rows = session.execute(
            select(Feedback.outcome, Feedback.rating, func.count()).group_by(
                Feedback.outcome, Feedback.rating)
        )
        for outcome, rating, n in rows:
            counts.setdefault(outcome, {"up": 0, "down": 0})["up" if rating > 0 else "down"] = n
    return counts
