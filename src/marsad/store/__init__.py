"""Document stores: SQLite by default; every backend implements :class:`Store`."""

from __future__ import annotations

from pathlib import Path

from marsad.store.base import Store


def open_store(location: str | Path | None = None) -> Store:
    """Open (creating and migrating if needed) the store at ``location``.

    A path or ``:memory:`` opens SQLite; a ``postgresql://user:password@host:port/database`` URL
    opens PostgreSQL (with the ``postgres`` extra); ``None`` uses the ``MARSAD_DB`` setting.
    """
    from marsad.settings import settings

    location = str(location) if location is not None else settings().db
    from marsad.store.postgres import PostgresStore, is_postgres_url

    if is_postgres_url(location):
        return PostgresStore(location)
    from marsad.store.sqlite import SQLiteStore

    return SQLiteStore(location)


__all__ = ["Store", "open_store"]
