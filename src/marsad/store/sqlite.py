"""The embedded default store: one SQLite file in WAL mode, browsable with Datasette.

SQLite has one writer at a time; a second writer polls for the lock, sleeping up to 100 ms between
tries. Processes that write the same file at once (Dask workers, an ingest beside the web app's
reviewers) therefore queue on an OS file lock first (``<store>.writer-lock``, ``fcntl.flock``), which
wakes the next writer within a millisecond of the previous one's commit (and gives up after SQLite's
busy timeout, leaving the decision to SQLite).
"""

from __future__ import annotations

import os
import sqlite3
import time
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
        self._take_writer_lock()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._drop_writer_lock()
            raise

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._drop_writer_lock()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._drop_writer_lock()

    def _take_writer_lock(self) -> None:
        if self.location == ":memory:":
            return
        try:
            import fcntl
        except ImportError:  # not POSIX: SQLite's own polling still serialises writers
            return
        fd = getattr(self, "_lock_fd", None)
        if fd is None:
            try:
                fd = os.open(self.location + ".writer-lock", os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                return  # a read-only folder: SQLite's own locking is enough
            self._lock_fd = fd
        deadline = time.monotonic() + 10.0  # as SQLite's busy timeout; then SQLite's own locking decides
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._locked = True
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return
                time.sleep(0.001)

    def _drop_writer_lock(self) -> None:
        fd = getattr(self, "_lock_fd", None)
        if fd is not None and getattr(self, "_locked", False):
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
            self._locked = False

    def close(self) -> None:
        fd = getattr(self, "_lock_fd", None)
        if fd is not None:
            os.close(fd)
            self._lock_fd = None
        super().close()

    @property
    def database_errors(self) -> tuple[type[BaseException], ...]:
        return (sqlite3.DatabaseError,)

    def change_token(self) -> Any:
        """SQLite's data version (bumped by other connections' commits) and this connection's own commits."""
        return (self.conn.execute("PRAGMA data_version").fetchone()[0], self._writes)

    def integrity_check(self) -> str:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]
