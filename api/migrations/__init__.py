"""Alembic migrations of the feedback database (api/db.py); run with `clearpath db upgrade`."""
