"""Alembic's environment: the URL and the connection come from api/db.py (`migrate`)."""

from __future__ import annotations

from alembic import context

from api.db import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # the `alembic` command line: the URL from alembic.ini or settings
    from sqlalchemy import create_engine

    from api.settings import get_settings

    url = config.get_main_option("sqlalchemy.url") or get_settings().db_url
    with create_engine(url).connect() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata,
                          render_as_batch=conn.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
        conn.commit()
else:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
