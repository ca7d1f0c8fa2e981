"""What ``marsad watch`` remembers between polls and between runs, in a small SQLite file.

Kept apart from the document store (whose schema belongs to the store), beside it by default:
``<db>.watch.sqlite``. It holds, per address, the validators a server gave (ETag,
Last-Modified) and the backoff after failures; per article address, whether it is waiting,
stored, a duplicate or given up; and the texts already seen (by a hash of their words), so
the same article under two addresses is processed once. Every change is a transaction, and
an article is marked done only after the store committed it, so a crash or Ctrl-C at any
point loses nothing and duplicates nothing: the next run picks up the articles still waiting.

One watcher per state file: a second ``marsad watch`` on the same file is refused.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from marsad.errors import ConfigError, StoreError
from marsad.feeds.fetch import Validators
from marsad.feeds.parse import FeedItem

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    url TEXT PRIMARY KEY,           -- a feed, a page or a redirect target (canonical)
    etag TEXT,
    last_modified TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    retry_at REAL NOT NULL DEFAULT 0,  -- wall-clock seconds: not polled before this
    last_error TEXT,
    last_text TEXT,                 -- pages listed in FEEDS.txt: the text key of the version last seen
    polled_at REAL
);
CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY,           -- canonical article address (and the final address of a redirect)
    feed_url TEXT,
    title TEXT,
    source TEXT,
    published TEXT,
    published_raw TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'stored', 'duplicate', 'failed')),
    content_hash TEXT,
    doc_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    retry_at REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    first_seen REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_waiting ON articles (status, retry_at);
CREATE TABLE IF NOT EXISTS contents (
    text_key TEXT PRIMARY KEY,      -- SHA-256 of the text's words (whitespace folded)
    content_hash TEXT NOT NULL,     -- the store's identity of the document
    url TEXT NOT NULL,
    first_seen REAL NOT NULL
);
"""


def text_key(text: str) -> str:
    """The identity of a text for deduplication: its words, whatever the spacing between them."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()


def backoff_delay(failures: int, base: float, cap: float, retry_after: float | None = None) -> float:
    """Exponential backoff (base, 2 base, 4 base, ... up to cap), at least what the server asked."""
    delay = min(cap, base * 2 ** max(0, failures - 1))
    if retry_after is not None:
        delay = max(delay, min(retry_after, cap))
    return delay


@dataclass(frozen=True, slots=True)
class WaitingArticle:
    """An article address found in a feed and not yet stored."""

    url: str
    feed_url: str | None
    title: str | None
    source: str | None
    published: date | None
    published_raw: str | None
    attempts: int


class WatchState:
    """The watch state file: open (creating it), lock, read and write in transactions."""

    def __init__(self, path: str | Path) -> None:
        """Open the state at ``path`` (``:memory:`` keeps it for this process only)."""
        self.path = Path(path)
        self._lock_file: IO[bytes] | None = None
        self._depth = 0
        try:
            self._take_lock()
            self.db = sqlite3.connect(str(self.path), isolation_level=None, timeout=10)
            self.db.execute("PRAGMA busy_timeout = 10000")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"the watch state was written by a newer marsad (version {version})",
                                 origin=str(self.path))
            with self.transaction():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            self._release_lock()
            raise StoreError(f"cannot open the watch state: {exc}", origin=str(self.path)) from None
        except BaseException:
            self._release_lock()
            raise

    # -- one watcher per file ---------------------------------------------------------------
    def _take_lock(self) -> None:
        if str(self.path) == ":memory:":
            return
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory lock, SQLite's own locking only
            return
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            handle = open(lock_path, "ab")  # noqa: SIM115 - held open for the state's lifetime
        except OSError as exc:
            raise StoreError(f"cannot create the watch state: {exc.strerror or exc}", origin=str(self.path)) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise ConfigError("another marsad watch is using this state file (give another --state)",
                              origin=str(self.path)) from None
        self._lock_file = handle

    def _release_lock(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # closing releases the flock
            self._lock_file = None

    def close(self) -> None:
        try:
            if self.db.in_transaction:
                self.db.rollback()
            self.db.close()
        finally:
            self._release_lock()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic change (nested uses join the outer one)."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            if self.db.in_transaction:
                self.db.rollback()
            raise
        self._depth = 0
        self.db.execute("COMMIT")

    # -- addresses: validators and backoff ----------------------------------------------------
    def validators(self, url: str) -> Validators:
        row = self.db.execute("SELECT etag, last_modified FROM resources WHERE url = ?", (url,)).fetchone()
        return Validators(*row) if row else Validators()

    def retry_at(self, url: str) -> float:
        """When this address may be polled again (0 when it has not failed)."""
        row = self.db.execute("SELECT retry_at FROM resources WHERE url = ?", (url,)).fetchone()
        return float(row[0]) if row else 0.0

    def polled(self, url: str, validators: Validators, *, now: float | None = None) -> None:
        """A successful poll: remember the validators, forget past failures."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO resources (url, etag, last_modified, failures, retry_at, last_error, polled_at) "
                "VALUES (?, ?, ?, 0, 0, NULL, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
                "last_modified = excluded.last_modified, failures = 0, retry_at = 0, last_error = NULL, "
                "polled_at = excluded.polled_at",
                (url, validators.etag, validators.last_modified, now if now is not None else time.time()),
            )

    def failed(self, url: str, error: str, *, base: float, cap: float, retry_after: float | None = None,
               now: float | None = None) -> float:
        """A failed poll: back off exponentially; returns the delay before the next try."""
        now = now if now is not None else time.time()
        with self.transaction():
            row = self.db.execute("SELECT failures FROM resources WHERE url = ?", (url,)).fetchone()
            failures = (row[0] if row else 0) + 1
            delay = backoff_delay(failures, base, cap, retry_after)
            self.db.execute(
                "INSERT INTO resources (url, failures, retry_at, last_error, polled_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET failures = excluded.failures, retry_at = excluded.retry_at, "
                "last_error = excluded.last_error, polled_at = excluded.polled_at",
                (url, failures, now + delay, error, now),
            )
        return delay

    def last_text(self, url: str) -> str | None:
        row = self.db.execute("SELECT last_text FROM resources WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def set_last_text(self, url: str, key: str) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO resources (url, last_text) VALUES (?, ?) "
                "ON CONFLICT (url) DO UPDATE SET last_text = excluded.last_text", (url, key))

    # -- articles ---------------------------------------------------------------------------
    def add_articles(self, feed_url: str, items: Iterable[FeedItem], source: str | None,
                     *, now: float | None = None) -> int:
        """Queue the items not seen before; returns how many are new."""
        now = now if now is not None else time.time()
        new = 0
        with self.transaction():
            for item in items:
                cur = self.db.execute(
                    "INSERT INTO articles (url, feed_url, title, source, published, published_raw, status, "
                    "first_seen, updated) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (url) DO NOTHING",
                    (item.url, feed_url, item.title, source,
                     item.published.isoformat() if item.published else None, item.published_raw, now, now),
                )
                new += cur.rowcount
        return new

    def known_article(self, url: str) -> str | None:
        """The status of an article address (None if never seen)."""
        row = self.db.execute("SELECT status FROM articles WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def waiting_articles(self, *, now: float | None = None) -> list[WaitingArticle]:
        """Articles to fetch now, oldest first (those backing off are left for later)."""
        now = now if now is not None else time.time()
        rows = self.db.execute(
            "SELECT url, feed_url, title, source, published, published_raw, attempts FROM articles "
            "WHERE status = 'pending' AND retry_at <= ? ORDER BY first_seen, rowid", (now,),
        ).fetchall()
        return [WaitingArticle(r[0], r[1], r[2], r[3], date.fromisoformat(r[4]) if r[4] else None, r[5], r[6])
                for r in rows]

    def article_done(self, url: str, final_url: str, status: str, *, content_hash: str | None = None,
                     doc_id: str | None = None, error: str | None = None, now: float | None = None) -> None:
        """Mark an article (and the address it redirected to) stored, a duplicate or given up."""
        now = now if now is not None else time.time()
        with self.transaction():
            for address in dict.fromkeys((url, final_url)):
                self.db.execute(
                    "INSERT INTO articles (url, status, content_hash, doc_id, last_error, first_seen, updated) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET status = excluded.status, "
                    "content_hash = excluded.content_hash, doc_id = excluded.doc_id, "
                    "last_error = excluded.last_error, updated = excluded.updated "
                    "WHERE articles.status = 'pending' OR articles.url = ?",
                    (address, status, content_hash, doc_id, error, now, now, url),
                )

    def article_failed(self, url: str, error: str, *, base: float, cap: float, max_attempts: int,
                       retry_after: float | None = None, now: float | None = None) -> float | None:
        """A failed fetch: back off, or give up after ``max_attempts``; returns the delay (None: given up)."""
        now = now if now is not None else time.time()
        with self.transaction():
            row = self.db.execute("SELECT attempts FROM articles WHERE url = ?", (url,)).fetchone()
            attempts = (row[0] if row else 0) + 1
            if attempts >= max_attempts:
                self.db.execute("UPDATE articles SET status = 'failed', attempts = ?, last_error = ?, updated = ? "
                                "WHERE url = ?", (attempts, error, now, url))
                return None
            delay = backoff_delay(attempts, base, cap, retry_after)
            self.db.execute("UPDATE articles SET attempts = ?, retry_at = ?, last_error = ?, updated = ? WHERE url = ?",
                            (attempts, now + delay, error, now, url))
        return delay

    # -- content ----------------------------------------------------------------------------
    def seen_text(self, key: str) -> str | None:
        """The address a text was first seen at, if it was."""
        row = self.db.execute("SELECT url FROM contents WHERE text_key = ?", (key,)).fetchone()
        return row[0] if row else None

    def remember_text(self, key: str, content_hash: str, url: str, *, now: float | None = None) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO contents (text_key, content_hash, url, first_seen) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (text_key) DO NOTHING",
                (key, content_hash, url, now if now is not None else time.time()),
            )

    def counts(self) -> dict[str, int]:
        """Articles by status (for tests and summaries)."""
        return dict(self.db.execute("SELECT status, COUNT(*) FROM articles GROUP BY status").fetchall())
