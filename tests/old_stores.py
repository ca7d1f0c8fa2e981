"""Stores as older marsad versions wrote them, for migration tests."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import marsad.store.base as base
from marsad.document import Document
from marsad.store import open_store


def make_old_store(path: Path, docs: list[Document], version: int, pipeline: str, monkeypatch) -> list[tuple]:
    """A SQLite store at schema ``version`` (2 or 3) holding ``docs`` with one row per annotation, as
    marsad wrote them before migration 4. Returns the annotation rows written (document id, layer,
    seq, start, end, label, component, version, data); the second annotation of each layer is
    credited to another component, as a layer made by two components would be."""
    assert version in (2, 3)
    monkeypatch.setattr(base, "MIGRATIONS", tuple(m for m in base.MIGRATIONS if m[0] <= version))
    monkeypatch.setattr(base, "LATEST_VERSION", version)
    open_store(path).close()
    monkeypatch.undo()
    conn = sqlite3.connect(path)
    written = []
    for key, doc in enumerate(docs, start=1):
        conn.execute("INSERT INTO documents (doc_key, content_hash, id, chars, text, ingested_at) "
                     "VALUES (?, ?, ?, ?, ?, '2026-01-01')", (key, doc.content_hash, doc.id, len(doc.text), doc.text))
        conn.execute("INSERT INTO extractions VALUES (?, ?, 1, 1, 1, '2026-01-01')", (key, pipeline))
        for layer, anns in doc.layers.items():
            for seq, a in enumerate(anns):
                component = "an.older.component" if seq == 1 else a.component
                conn.execute("INSERT INTO annotations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (key, layer, seq, a.start, a.end, a.label, component, a.version,
                              json.dumps(a.data, ensure_ascii=False) if a.data else None))
                written.append((doc.id, layer, seq, a.start, a.end, a.label, component, a.version, a.data))
    conn.commit()
    conn.close()
    return written
