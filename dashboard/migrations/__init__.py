"""Alembic migrations of the schema (run with `objets db migrate`)."""
