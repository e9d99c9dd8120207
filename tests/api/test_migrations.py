"""The embedded SQLite database migrates itself (Alembic), including one made before Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from api import db


def test_a_new_sqlite_database_is_migrated_to_the_models_schema(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.Base.metadata) == []
        assert db.current_revision(connection) == "0002"


def test_a_database_made_before_alembic_keeps_its_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_engine(url)
    db.Base.metadata.create_all(old)  # what make_engine did before migrations
    saved = db.add_feedback(old, outcome="answer", rating=1, passage_ids=[], corpus_version="")
    old.dispose()
    engine = db.make_engine(url)
    assert "alembic_version" in inspect(engine).get_table_names()
    assert db.feedback_counts(engine) == {"answer": {"up": 1, "down": 0}}
    assert db.add_feedback(engine, outcome="answer", rating=-1, passage_ids=[],
                           corpus_version="") == saved + 1


def test_a_shared_database_is_not_migrated_by_replicas(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'shared.db'}", migrate=False)
    assert inspect(engine).get_table_names() == []


def _start(url: str) -> list[str]:
    return inspect(db.make_engine(url)).get_table_names()


def test_workers_starting_together_on_a_new_file_migrate_one_at_a_time(tmp_path: Path) -> None:
    import multiprocessing

    url = f"sqlite:///{tmp_path / 'together.db'}"
    with multiprocessing.get_context("fork").Pool(4) as pool:
        tables = pool.map(_start, [url] * 8)
    want = {"alembic_version", "feedback", "partner_counts", "content_gaps"}
    assert all(set(t) == want for t in tables)
