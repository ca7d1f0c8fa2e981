"""The store interface and the SQL it runs, shared by every backend.

A backend supplies a DB-API connection and its placeholder style; everything else (the
migrations, idempotent writes keyed by content hash, reading documents back) lives here
once, in portable SQL (see :mod:`marsad.store.schema`).
"""

from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterator, Sequence

import msgspec

from marsad.document import Annotation, Document, DocumentMeta, coerce_date
from marsad.errors import DocumentNotFound, SchemaTooNew, StoreError
from marsad.store.records import EventRecords
from marsad.store.schema import BACKFILLS, LATEST_VERSION, MIGRATIONS, SCHEMA_TABLE

_DOC_COLUMNS = "content_hash, id, title, source, url, published, origin, encoding, chars, text, ingested_at"


def _layer_row(key: int, layer: str, anns: list[Annotation]) -> tuple[int, str, str, str, int, str]:
    """A document's layer as one row: the component of its first annotation, and a JSON array of
    ``[start, end, label, data]`` per annotation (``data`` null when empty; an annotation made by
    another component or version carries them as two more items)."""
    component, version = anns[0].component, anns[0].version
    items = [
        [a.start, a.end, a.label, a.data or None]
        if a.component == component and a.version == version
        else [a.start, a.end, a.label, a.data or None, a.component, a.version]
        for a in anns
    ]
    return key, layer, component, version, len(anns), _encode(items).decode("utf-8")


# Compact JSON with non-ASCII kept as UTF-8. msgspec's encoder is about 8 times faster than
# ``json.dumps`` on annotation layers (1.0 -> 0.13 ms for a 460-word article with every layer).
_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


_clock: tuple[int, str] = (-1, "")


def _now() -> str:
    """The current UTC time to the second, ISO 8601 (formatted once per second: every stored
    document asks)."""
    global _clock
    second = int(time.time())
    if second != _clock[0]:
        _clock = (second, datetime.fromtimestamp(second, timezone.utc).isoformat(timespec="seconds"))
    return _clock[1]


class Store(EventRecords, ABC):
    """Documents and their annotations, identified by content hash; writes are idempotent."""

    paramstyle = "?"
    key_column = "INTEGER PRIMARY KEY"  # how the backend spells a database-assigned integer key

    def __init__(self, location: str) -> None:
        self.location = location
        self.conn = self._connect()
        self._in_transaction = False
        self._writes = 0  # transactions this connection committed
        self.migrate()

    # One row per annotation out of the ``annotation_layers`` JSON arrays (SQLite's JSON1 here;
    # other backends override it with their own JSON functions).
    annotations_view = """SELECT l.doc_key, l.layer, CAST(j.key AS INTEGER) AS seq,
            json_extract(j.value, '$[0]') AS start_char, json_extract(j.value, '$[1]') AS end_char,
            json_extract(j.value, '$[2]') AS label,
            coalesce(json_extract(j.value, '$[4]'), l.component) AS component,
            coalesce(json_extract(j.value, '$[5]'), l.component_version) AS component_version,
            json_extract(j.value, '$[3]') AS data
        FROM annotation_layers l, json_each(l.items) j"""

    # -- backend hooks -------------------------------------------------------------------
    @abstractmethod
    def _connect(self) -> Any: ...

    @abstractmethod
    def _begin(self) -> None: ...

    def _sql(self, sql: str) -> str:
        return sql if self.paramstyle == "?" else sql.replace("?", self.paramstyle)

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self.conn.cursor()
        cur.execute(self._sql(sql), tuple(params))
        return cur

    def _executemany(self, sql: str, rows: list[Sequence[Any]]) -> None:
        if rows:
            self.conn.cursor().executemany(self._sql(sql), rows)

    # -- transactions and schema -------------------------------------------------------------
    def begin(self) -> None:
        """Open a write transaction (batched writers call begin/commit themselves)."""
        self._begin()
        self._in_transaction = True

    @property
    def in_transaction(self) -> bool:
        return self._in_transaction

    def commit(self) -> None:
        self.conn.commit()
        self._in_transaction = False
        self._writes += 1

    def analyze(self) -> None:
        """Refresh the planner's statistics of the event tables (the web app does at start: a store
        filled since lets the planner pick the covering indexes)."""
        with self.transaction():
            self._execute("ANALYZE event_records")

    @property
    def database_errors(self) -> tuple[type[BaseException], ...]:
        """The driver's error classes (what a locked, read-only or broken store raises)."""
        return (getattr(type(self.conn), "DatabaseError", None) or Exception,)

    def lock(self, name: str) -> None:
        """Serialise a kind of write across processes until the transaction ends (a backend that
        lets writers run side by side takes a lock; SQLite's write transactions already exclude)."""

    def lock_document(self, key: int) -> None:
        """Wait for any other writer of this document (see :meth:`lock`)."""

    def rollback(self) -> None:
        self.conn.rollback()
        self._in_transaction = False

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all (nested calls join the outer one)."""
        if self._in_transaction:
            yield
            return
        self.begin()
        try:
            yield
        except BaseException:
            self.rollback()
            raise
        else:
            self.commit()

    def schema_version(self) -> int:
        cur = self._execute("SELECT MAX(version) FROM marsad_schema")
        row = cur.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def migrate(self) -> None:
        """Bring the schema up to date; refuse a store written by a newer marsad."""
        with self.transaction():
            self.lock("schema")
            self._execute(SCHEMA_TABLE)
            current = self.schema_version()
            if current > LATEST_VERSION:
                raise SchemaTooNew(
                    f"store schema version {current} is newer than this marsad understands "
                    f"({LATEST_VERSION}); upgrade marsad",
                    origin=self.location,
                )
            # Backfills run after every migration: they read what is stored with today's code,
            # which expects the latest schema.
            backfills: list[str] = []
            for version, description, statements in MIGRATIONS:
                if version <= current:
                    continue
                for statement in statements:
                    if statement.startswith("@"):
                        getattr(self, statement[1:])()
                        continue
                    self._execute(statement.replace("{key}", self.key_column)
                                  .replace("{annotations_view}", self.annotations_view))
                if version in BACKFILLS and current > 0:  # a new store has nothing to fill in
                    backfills.append(BACKFILLS[version])
                self._execute(
                    "INSERT INTO marsad_schema (version, description, applied_at) VALUES (?, ?, ?)",
                    (version, description, _now()),
                )
            for name in backfills:
                getattr(self, name)()

    # -- writes ------------------------------------------------------------------------------
    def is_current(self, content_hash: str, pipeline: str) -> bool:
        """True if this document is stored with annotations from exactly this pipeline."""
        cur = self._execute(
            "SELECT e.pipeline FROM documents d JOIN extractions e ON e.doc_key = d.doc_key "
            "WHERE d.content_hash = ?",
            (content_hash,),
        )
        row = cur.fetchone()
        return bool(row) and row[0] == pipeline

    def save(self, doc: Document, pipeline: str) -> int:
        """Store the document (once) and replace its annotations with this extraction's.

        Returns the document's key in the store.
        """
        meta = doc.meta
        now = _now()
        with self.transaction():
            row = self._execute(
                f"INSERT INTO documents ({_DOC_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (content_hash) DO NOTHING RETURNING doc_key",
                (
                    doc.content_hash, doc.id, meta.title, meta.source, meta.url,
                    meta.published.isoformat() if meta.published else None,
                    meta.origin, meta.encoding, len(doc.text), doc.text, now,
                ),
            ).fetchone()
            new = row is not None
            if new:
                key = int(row[0])  # new document: nothing to replace
            else:
                key = self._key(doc.content_hash)
                self.lock_document(key)
                self._execute("DELETE FROM annotation_layers WHERE doc_key = ?", (key,))
            self._executemany(
                "INSERT INTO annotation_layers (doc_key, layer, component, component_version, size, items) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [_layer_row(key, layer, anns) for layer, anns in doc.layers.items() if anns],
            )
            tokens = doc.tokens
            self._execute(
                "INSERT INTO extractions (doc_key, pipeline, sentences, tokens, words, extracted_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (doc_key) DO UPDATE SET "
                "pipeline = excluded.pipeline, sentences = excluded.sentences, tokens = excluded.tokens, "
                "words = excluded.words, extracted_at = excluded.extracted_at",
                (key, pipeline, len(doc.sentences), len(tokens) if tokens is not None else 0,
                 tokens.words if tokens is not None else 0, now),
            )
            self.write_event_records(key, doc, replace=not new)
        return key

    def copy_annotation_rows(self) -> None:
        """Migration 4: move a store's annotation rows (one per annotation) into layer rows."""
        cur = self._execute(
            "SELECT doc_key, layer, start_char, end_char, label, component, component_version, data "
            "FROM annotations ORDER BY doc_key, layer, seq")
        group: list[Annotation] = []
        group_key: tuple[int, str] | None = None
        insert = ("INSERT INTO annotation_layers (doc_key, layer, component, component_version, size, items) "
                  "VALUES (?, ?, ?, ?, ?, ?)")
        while rows := cur.fetchmany(5000):
            batch = []
            for doc_key, layer, start, end, label, component, version, data in rows:
                if (doc_key, layer) != group_key:
                    if group_key is not None:
                        batch.append(_layer_row(group_key[0], group_key[1], group))
                    group, group_key = [], (doc_key, layer)
                group.append(Annotation(layer, start, end, "", component, version, label,
                                        json.loads(data) if data else {}))
            self._executemany(insert, batch)
        if group_key is not None:
            self._executemany(insert, [_layer_row(group_key[0], group_key[1], group)])

    def pending(self, pipeline: str, *, everything: bool = False) -> list[str]:
        """Content hashes of the stored documents this pipeline has not extracted (all, with
        ``everything``), oldest first: the work of a re-extraction after the rules improved."""
        if everything:
            rows = self._execute("SELECT content_hash FROM documents ORDER BY doc_key").fetchall()
        else:
            rows = self._execute(
                "SELECT d.content_hash FROM documents d LEFT JOIN extractions e ON e.doc_key = d.doc_key "
                "WHERE e.pipeline IS NULL OR e.pipeline <> ? ORDER BY d.doc_key", (pipeline,)).fetchall()
        return [r[0] for r in rows]

    def _key(self, content_hash: str) -> int:
        row = self._execute("SELECT doc_key FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
        if row is None:
            raise DocumentNotFound(f"no document with hash {content_hash}", origin=self.location)
        return int(row[0])

    # -- reads -------------------------------------------------------------------------------
    def count(self) -> int:
        return int(self._execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def resolve(self, ref: str) -> str:
        """The content hash of a document given its id, its full hash or a unique hash prefix."""
        rows = self._execute(
            "SELECT content_hash FROM documents WHERE id = ? ORDER BY doc_key DESC",
            (ref,),
        ).fetchall()
        if rows:
            return rows[0][0]
        if len(ref) >= 6 and all(c in "0123456789abcdef" for c in ref.lower()):
            rows = self._execute(
                "SELECT content_hash FROM documents WHERE content_hash LIKE ? LIMIT 2", (ref.lower() + "%",)
            ).fetchall()
            if len(rows) == 1:
                return rows[0][0]
            if len(rows) > 1:
                raise DocumentNotFound(f"hash prefix {ref!r} matches several documents; give more of it",
                                       origin=self.location)
        raise DocumentNotFound(f"no document with id or hash {ref!r} in the store", origin=self.location)

    def get(self, ref: str) -> Document:
        """A stored document with its annotations, by id or content hash."""
        h = self.resolve(ref)
        row = self._execute(f"SELECT doc_key, {_DOC_COLUMNS} FROM documents WHERE content_hash = ?", (h,)).fetchone()
        return self._load(row)

    def iter_documents(self) -> Iterator[Document]:
        """Every stored document with its annotations, oldest first."""
        cur = self._execute(f"SELECT doc_key, {_DOC_COLUMNS} FROM documents ORDER BY doc_key")
        for row in cur.fetchall():
            yield self._load(row)

    def _load(self, row: Sequence[Any]) -> Document:
        from marsad.text.tokens import tokenize

        key, h, doc_id, title, source, url, published, origin, encoding, _chars, text, _at = row
        meta = DocumentMeta(title=title, source=source, url=url, published=coerce_date(published),
                            origin=origin, encoding=encoding)
        doc = Document(text, id=doc_id, meta=meta)
        if doc.content_hash != h:
            raise StoreError(f"document {doc_id!r} is corrupt: its text does not match its hash",
                             origin=self.location)
        cur = self._execute(
            "SELECT layer, component, component_version, items FROM annotation_layers WHERE doc_key = ? "
            "ORDER BY layer",
            (key,),
        )
        for layer, component, version, items in cur.fetchall():
            doc.layers[layer] = [
                Annotation(layer, item[0], item[1], text[item[0] : item[1]],
                           item[4] if len(item) > 4 else component, item[5] if len(item) > 5 else version,
                           item[2], item[3] or {})
                for item in _decode(items)
            ]
        doc.tokens = tokenize(text)  # deterministic and cheap: recomputed, not stored
        return doc

    def list_documents(self) -> list[dict[str, Any]]:
        """One row per stored document: id, hash, title, date, size and what was extracted."""
        cur = self._execute(
            "SELECT d.id, d.content_hash, d.title, d.source, d.published, d.chars, e.pipeline, e.sentences, "
            "e.tokens, e.words FROM documents d LEFT JOIN extractions e ON e.doc_key = d.doc_key "
            "ORDER BY d.doc_key"
        )
        keys = ("id", "content_hash", "title", "source", "published", "chars", "pipeline", "sentences",
                "tokens", "words")
        return [dict(zip(keys, row)) for row in cur.fetchall()]

    def stats(self) -> dict[str, Any]:
        layers = self._execute("SELECT layer, SUM(size) FROM annotation_layers GROUP BY layer ORDER BY layer").fetchall()
        return {
            "documents": self.count(),
            "schema_version": self.schema_version(),
            "annotations": {layer: int(n) for layer, n in layers},
        }

    # -- stories (grouping and comparison live in marsad.stories; only their SQL is here) -------
    def unassigned_documents(self) -> Iterator[tuple[int, Document]]:
        """Stored documents in no story yet, oldest first, each with its key."""
        cur = self._execute(
            f"SELECT doc_key, {_DOC_COLUMNS} FROM documents "
            "WHERE doc_key NOT IN (SELECT doc_key FROM story_members) ORDER BY doc_key"
        )
        for row in cur.fetchall():
            yield int(row[0]), self._load(row)

    def story_state(self) -> tuple[list[dict[str, Any]], dict[str, int], int]:
        """What story assignment starts from: every story (key, id, profile), term document
        frequencies, and how many documents are assigned."""
        stories = [
            {"key": int(key), "id": sid, "profile": json.loads(profile)}
            for key, sid, profile in self._execute(
                "SELECT story_key, id, profile FROM stories ORDER BY story_key").fetchall()
        ]
        df = {term: int(n) for term, n in self._execute("SELECT term, df FROM story_terms").fetchall()}
        assigned = int(self._execute("SELECT COUNT(*) FROM story_members").fetchone()[0])
        return stories, df, assigned

    def insert_story(self, story_id: str, profile: dict[str, Any], algorithm: str) -> int:
        """A new story; returns its key."""
        now = _now()
        row = self._execute(
            "INSERT INTO stories (id, documents, first_published, last_published, profile, algorithm, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING story_key",
            (story_id, int(profile.get("documents") or 0), profile.get("first"), profile.get("last"),
             json.dumps(profile, ensure_ascii=False, separators=(",", ":")), algorithm, now, now),
        ).fetchone()
        return int(row[0])

    def update_story(self, key: int, profile: dict[str, Any]) -> None:
        self._execute(
            "UPDATE stories SET documents = ?, first_published = ?, last_published = ?, profile = ?, "
            "updated_at = ? WHERE story_key = ?",
            (int(profile.get("documents") or 0), profile.get("first"), profile.get("last"),
             json.dumps(profile, ensure_ascii=False, separators=(",", ":")), _now(), key),
        )

    def story_id_taken(self, story_id: str) -> bool:
        return self._execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is not None

    def add_story_members(self, rows: list[tuple[int, int, float, str]]) -> None:
        """(doc_key, story_key, score, reason) rows; a document already in a story is left where it is."""
        now = _now()
        self._executemany(
            "INSERT INTO story_members (doc_key, story_key, score, reason, assigned_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (doc_key) DO NOTHING",
            [(d, s, score, reason, now) for d, s, score, reason in rows],
        )

    def add_story_terms(self, counts: dict[str, int]) -> None:
        """Add to the document frequencies of story terms."""
        self._executemany(
            "INSERT INTO story_terms (term, df) VALUES (?, ?) "
            "ON CONFLICT (term) DO UPDATE SET df = story_terms.df + excluded.df",
            sorted(counts.items()),
        )

    def list_stories(self) -> list[dict[str, Any]]:
        """Every story with its profile and its member documents (id, hash, title, source, published, score, reason)."""
        stories: dict[int, dict[str, Any]] = {}
        for key, sid, n, first, last, profile, algorithm, created, updated in self._execute(
            "SELECT story_key, id, documents, first_published, last_published, profile, algorithm, created_at, "
            "updated_at FROM stories ORDER BY story_key"
        ).fetchall():
            stories[int(key)] = {"key": int(key), "id": sid, "size": int(n), "first_published": first,
                                 "last_published": last, "profile": json.loads(profile), "algorithm": algorithm,
                                 "created_at": created, "updated_at": updated, "members": []}
        for skey, doc_id, h, title, source, published, score, reason in self._execute(
            "SELECT m.story_key, d.id, d.content_hash, d.title, d.source, d.published, m.score, m.reason "
            "FROM story_members m JOIN documents d ON d.doc_key = m.doc_key ORDER BY m.story_key, d.doc_key"
        ).fetchall():
            story = stories.get(int(skey))
            if story is not None:
                story["members"].append({"id": doc_id, "content_hash": h, "title": title, "source": source,
                                         "published": published, "score": score, "reason": reason})
        return list(stories.values())

    def resolve_story(self, ref: str) -> tuple[int, str]:
        """(key, id) of a story given its id, a unique id prefix, or a member document's id or hash."""
        row = self._execute("SELECT story_key, id FROM stories WHERE id = ?", (ref,)).fetchone()
        if row is not None:
            return int(row[0]), row[1]
        if len(ref) >= 4:
            rows = self._execute("SELECT story_key, id FROM stories WHERE id LIKE ? LIMIT 2",
                                 (ref.replace("%", "").replace("_", "") + "%",)).fetchall()
            if len(rows) == 1:
                return int(rows[0][0]), rows[0][1]
            if len(rows) > 1:
                raise DocumentNotFound(f"story prefix {ref!r} matches several stories; give more of it",
                                       origin=self.location)
        try:
            h = self.resolve(ref)
        except DocumentNotFound:
            raise DocumentNotFound(f"no story with id {ref!r} (nor a document of that id) in the store; "
                                   "list them with `marsad stories`", origin=self.location) from None
        row = self._execute(
            "SELECT s.story_key, s.id FROM stories s JOIN story_members m ON m.story_key = s.story_key "
            "JOIN documents d ON d.doc_key = m.doc_key WHERE d.content_hash = ?", (h,)
        ).fetchone()
        if row is None:
            raise DocumentNotFound(f"document {ref!r} is in no story yet", origin=self.location)
        return int(row[0]), row[1]

    def story_documents(self, story_key: int) -> list[Document]:
        """The documents of a story with their annotations, oldest first."""
        cur = self._execute(
            f"SELECT d.doc_key, {', '.join('d.' + c.strip() for c in _DOC_COLUMNS.split(','))} "
            "FROM documents d JOIN story_members m ON m.doc_key = d.doc_key WHERE m.story_key = ? "
            "ORDER BY d.doc_key",
            (story_key,),
        )
        return [self._load(row) for row in cur.fetchall()]

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
