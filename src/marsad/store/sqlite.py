"""The embedded default store: one SQLite file in WAL mode, browsable with Datasette."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from marsad.errors import StoreError
from marsad.store.base import Store


class SQLiteStore(Store):
    paramstyle = "?"

    def __init__(self, path: str | Path) -> None:
        try:
            super().__init__(str(path))
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"not a usable marsad store: {exc}", origin=str(path)) from None

    def _connect(self) -> Any:
        path = self.location
        if path != ":memory:":
            parent = Path(path).resolve().parent
            if not parent.is_dir():
                raise StoreError(f"directory {parent} does not exist", origin=path)
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 10000")
            if path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the store: {exc}", origin=path) from None
        return conn

    def _begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    @property
    def database_errors(self) -> tuple[type[BaseException], ...]:
        return (sqlite3.DatabaseError,)

    def change_token(self) -> Any:
        """SQLite's data version (bumped by other connections' commits) and this connection's own commits."""
        return (self.conn.execute("PRAGMA data_version").fetchone()[0], self._writes)

    def integrity_check(self) -> str:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]
