"""Feedback storage through SQLAlchemy: SQLite by default, PostgreSQL (or any database) by URL.

No question text is stored unless an operator sets `CLEARPATH_STORE_QUESTION_TEXT=true`.

The schema is Alembic's (api/migrations/). The embedded SQLite database migrates itself when
the app starts; a shared database (PostgreSQL) is migrated once, before replicas start, by
`clearpath db upgrade` (under an advisory lock, so two at once cannot collide), and replicas
never change its schema. A replica starts and answers while the database is down: saving
feedback then raises `StorageUnavailable` (a 503 that says nothing was saved), and a partner
count that cannot be written is logged, never a reason to withhold a reply.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import DateTime, Integer, String, Text, create_engine, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from api.errors import StorageUnavailable

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
    _increment(engine, PartnerCount, key,
               lambda: PartnerCount(partner=partner, day=day, outcome=outcome, count=1),
               f"an outcome for partner {partner}")


def _increment(engine: Engine, model: type[PartnerCount] | type[ContentGap], key: tuple,
               first: Callable[[], Base], what: str) -> None:
    """Add one to the `count` of the row `key` selects, inserting `first()` if there is none.

    Never raises: a lost race for the insert is retried as an update (three tries); any other
    database error is logged once and the count is given up, so no reply waits on storage."""
    for _attempt in range(3):
        try:
            with Session(engine) as session, session.begin():
                done = session.execute(update(model).where(*key).values(count=model.count + 1))
                if done.rowcount == 0:  # type: ignore[attr-defined]
                    session.add(first())
            return
        except IntegrityError:
            continue  # another request inserted the row first: update it instead
        except SQLAlchemyError:
            log.exception("could not count %s", what)
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


class ContentGap(Base):
    """`no_answer` outcomes per day by the nearest passage (its document and the document's
    first topic) and partner ("" for the service's own pages): counts only, never the question.
    Reported only in cells of at least `CLEARPATH_CONTENT_GAP_MIN_COUNT` (`content_gaps`)."""

    __tablename__ = "content_gaps"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD, UTC
    partner: Mapped[str] = mapped_column(String(64), primary_key=True)
    passage_id: Mapped[str] = mapped_column(String(160), primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(128))
    topic: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer, default=0)


def count_gap(engine: Engine, passage_id: str, doc_id: str, topic: str,
              partner: str | None = None) -> None:
    """Add one to today's no-answer count near this passage. Never raises."""
    day = dt.datetime.now(dt.UTC).date().isoformat()
    who = partner or ""
    key = (ContentGap.day == day, ContentGap.partner == who, ContentGap.passage_id == passage_id)
    _increment(engine, ContentGap, key,
               lambda: ContentGap(day=day, partner=who, passage_id=passage_id, doc_id=doc_id,
                                  topic=topic, count=1),
               "a content gap")


def content_gaps(engine: Engine, min_count: int, partner: str | None = None,
                 since: str | None = None) -> dict[str, object]:
    """No-answer counts by topic, by document and by partner and topic, summed over days
    (from `since`, YYYY-MM-DD, when given). A cell below `min_count` is never shown: each view
    reports how many answers its suppressed cells hold together, never which cells."""
    filters = []
    if partner is not None:
        filters.append(ContentGap.partner == partner)
    if since:
        filters.append(ContentGap.day >= since)
    views: dict[str, object] = {}
    with Session(engine) as session:
        total = int(session.execute(
            select(func.coalesce(func.sum(ContentGap.count), 0)).where(*filters)).scalar_one())
        total_ok = total >= min_count
        for view, columns in (("by_topic", (ContentGap.topic,)),
                              ("by_document", (ContentGap.doc_id, ContentGap.topic)),
                              ("by_partner", (ContentGap.partner, ContentGap.topic))):
            rows, hidden = [], 0
            query = select(*columns, func.sum(ContentGap.count)).where(*filters).group_by(
                *columns)
            for *keys, n in session.execute(query):
                if int(n) < min_count:
                    hidden += int(n)
                    continue
                names = [c.key for c in columns]
                rows.append({**dict(zip(names, keys, strict=True)), "no_answer": int(n)})
            rows.sort(key=lambda r: (-int(r["no_answer"]), str(list(r.values()))))
            # A suppressed sum below k is itself a small cell: say only that there is one.
            small = 0 < hidden < min_count
            views[view] = {"rows": rows, "suppressed": f"<{min_count}" if small else hidden}
            total_ok = total_ok and not small
    # The total is shown when it is at least k and no small suppressed sum can be had from it
    # by subtracting the rows.
    return {"min_count": min_count, "no_answer": total if total_ok else None, **views}


MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any PostgreSQL advisory-lock key, the same in every replica: "clearpath" in ASCII.
MIGRATION_LOCK = 0x636C656172706174


def make_engine(url: str, migrate: bool | None = None) -> Engine:
    """An engine for this URL. `migrate` (default: only for SQLite) brings the schema to the
    newest migration first; a shared database is migrated by `clearpath db upgrade`."""
    sqlite = url.startswith("sqlite")
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # A database that is down must not hold a request for long: 3 s to connect.
    connect_args = {"connect_timeout": 3} if url.startswith("postgresql") else {}
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    if sqlite if migrate is None else migrate:
        upgrade(engine)
    return engine


def _alembic_config(connection: object) -> object:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> str:
    """Migrate to the newest revision; return it. A database made before Alembic (tables, no
    version) is stamped with the first revision, whose schema it has, then upgraded."""
    from alembic import command
    from sqlalchemy import inspect

    with _sqlite_lock(engine), engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
            connection.commit()
        try:
            tables = set(inspect(connection).get_table_names())
            config = _alembic_config(connection)
            if "alembic_version" not in tables and "feedback" in tables:
                command.stamp(config, "0001")  # type: ignore[arg-type]
            command.upgrade(config, "head")  # type: ignore[arg-type]
            connection.commit()
            return current_revision(connection)
        finally:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
                connection.commit()


@contextlib.contextmanager
def _sqlite_lock(engine: Engine) -> Iterator[None]:
    """Server workers starting together on one new SQLite file migrate one at a time (an
    exclusive lock on a file beside it); other databases lock themselves (advisory lock)."""
    path = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    with open(f"{path}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_revision(connection: object) -> str:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision() or ""  # type: ignore[arg-type]


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
    try:
        with Session(engine) as session:
            row = Feedback(outcome=outcome, rating=rating, passage_ids=json.dumps(passage_ids),
                           corpus_version=corpus_version, partner=partner, question=question)
            session.add(row)
            session.commit()
            return row.id
    except DBAPIError as exc:
        if not exc.connection_invalidated and not _unreachable(exc):
            raise
        log.warning("feedback_not_saved", extra={"fields": {
            "reason": type(exc.orig).__name__, "detail": "the database is unreachable"}})
        raise StorageUnavailable("Your feedback could not be saved just now (our database is "
                                 "unavailable). Please try again in a minute.") from None


def _unreachable(exc: DBAPIError) -> bool:
    """The database is down or unreachable (not a mistake in the statement)."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


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
