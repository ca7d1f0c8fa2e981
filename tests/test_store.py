"""The SQLite store: migrations, idempotent writes keyed by content hash, reading back."""

from __future__ import annotations

import json
import sqlite3

import pytest

import marsad
from marsad.errors import DocumentNotFound, SchemaTooNew, StoreError
from marsad.io.demo import demo_paths
from marsad.pipeline import default_pipeline
from marsad.store import open_store
from marsad.store.schema import LATEST_VERSION


@pytest.fixture()
def seeds() -> list[marsad.Document]:
    return [marsad.extract(p.read_text(encoding="utf-8"), id=p.stem) for p in demo_paths()]


def counts(path) -> tuple[int, int, int]:
    conn = sqlite3.connect(path)
    try:
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
                     for t in ("documents", "annotations", "extractions"))
    finally:
        conn.close()


def test_new_store_is_migrated_and_in_wal_mode(tmp_path):
    path = tmp_path / "m.db"
    with open_store(path) as store:
        assert store.schema_version() == LATEST_VERSION
        assert store.count() == 0
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"documents", "annotations", "extractions", "marsad_schema", "annotation_spans"} <= tables
    # re-opening applies nothing twice
    with open_store(path) as store:
        assert store.schema_version() == LATEST_VERSION
    assert conn.execute("SELECT COUNT(*) FROM marsad_schema").fetchone()[0] == LATEST_VERSION


def test_save_is_idempotent_by_content_hash(tmp_path, seeds):
    path = tmp_path / "m.db"
    signature = default_pipeline().signature
    with open_store(path) as store:
        for doc in seeds:
            store.save(doc, signature)
        first = counts(path)
        for doc in seeds:  # again, and under another id: same content, same document
            store.save(doc, signature)
        renamed = marsad.extract(seeds[0].text, id="another-name")
        store.save(renamed, signature)
        assert counts(path) == first
        assert store.count() == 2
        assert store.is_current(seeds[0].content_hash, signature)
        assert not store.is_current(seeds[0].content_hash, signature + "+new.component@1")
    annotations = sum(len(anns) for d in seeds for anns in d.layers.values())
    assert first == (2, annotations, 2)


def test_documents_round_trip_with_annotations(tmp_path, seeds):
    signature = default_pipeline().signature
    with open_store(tmp_path / "m.db") as store:
        for doc in seeds:
            store.save(doc, signature)
        for doc in seeds:
            back = store.get(doc.id)
            assert back.text == doc.text
            assert back.content_hash == doc.content_hash
            assert [(a.start, a.end, a.text, a.produced_by) for a in back.sentences] == [
                (a.start, a.end, a.text, a.produced_by) for a in doc.sentences
            ]
            assert back.tokens is not None and back.tokens.spans == doc.tokens.spans
            assert store.get(doc.content_hash[:10]).id == doc.id
        assert [d.id for d in store.iter_documents()] == [d.id for d in seeds]
        rows = store.list_documents()
        assert [r["id"] for r in rows] == [d.id for d in seeds]
        assert all(r["pipeline"] == signature and r["tokens"] > 0 for r in rows)


def test_annotation_spans_view_gives_the_exact_text(tmp_path, seeds):
    path = tmp_path / "m.db"
    with open_store(path) as store:
        for doc in seeds:
            store.save(doc, default_pipeline().signature)
    conn = sqlite3.connect(path)
    by_id = {d.id: d for d in seeds}
    rows = conn.execute("SELECT document_id, start_char, end_char, text FROM annotation_spans").fetchall()
    assert rows
    for doc_id, start, end, text in rows:
        assert by_id[doc_id].text[start:end] == text


def test_unknown_document_is_a_clear_error(tmp_path):
    with open_store(tmp_path / "m.db") as store:
        with pytest.raises(DocumentNotFound) as info:
            store.get("nope")
    assert info.value.one_line().startswith("error[E201]")


def test_store_written_by_a_newer_marsad_is_refused(tmp_path):
    path = tmp_path / "m.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO marsad_schema VALUES (?, 'from the future', '2099-01-01')", (LATEST_VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNew):
        open_store(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite, just some notes\n" * 100)
    with pytest.raises(StoreError) as info:
        open_store(path)
    assert str(path) in info.value.one_line()


def test_a_failed_transaction_leaves_nothing_behind(tmp_path, seeds):
    path = tmp_path / "m.db"
    with open_store(path) as store:
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.save(seeds[0], "p@1")
                raise RuntimeError("boom")
        assert store.count() == 0
    assert counts(path) == (0, 0, 0)


def test_a_store_of_schema_3_keeps_its_annotations_through_migration_4(tmp_path, seeds, monkeypatch):
    """Stores written before annotations became one row per layer read back the same after migrating."""
    from old_stores import make_old_store

    path = tmp_path / "old.db"
    expected = make_old_store(path, seeds, 3, default_pipeline().signature, monkeypatch)
    with open_store(path) as store:
        assert store.schema_version() == LATEST_VERSION
        got = []
        for doc in seeds:
            back = store.get(doc.id)
            assert set(back.layers) == {layer for layer, anns in doc.layers.items() if anns}
            for layer, anns in back.layers.items():
                got += [(doc.id, layer, seq, a.start, a.end, a.label, a.component, a.version, a.data)
                        for seq, a in enumerate(anns)]
                assert all(a.text == doc.text[a.start:a.end] for a in anns)
    assert sorted(got, key=repr) == sorted(expected, key=repr)
    # and the annotations view gives the same rows, one per annotation
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT d.id, a.layer, a.seq, a.start_char, a.end_char, a.label, a.component, "
                        "a.component_version, a.data FROM annotations a JOIN documents d USING (doc_key)").fetchall()
    assert sorted(((i, la, s, st, en, lb, c, v, json.loads(d) if d else {}) for i, la, s, st, en, lb, c, v, d in rows),
                  key=repr) == sorted(expected, key=repr)


def test_layers_are_one_row_each_and_the_view_expands_them(tmp_path, seeds):
    path = tmp_path / "m.db"
    with open_store(path) as store:
        for doc in seeds:
            store.save(doc, default_pipeline().signature)
        stats = store.stats()["annotations"]
    conn = sqlite3.connect(path)
    layer_rows = conn.execute("SELECT COUNT(*) FROM annotation_layers").fetchone()[0]
    assert layer_rows == sum(1 for d in seeds for anns in d.layers.values() if anns)
    view = dict(conn.execute("SELECT layer, COUNT(*) FROM annotations GROUP BY layer").fetchall())
    assert view == stats == {layer: sum(len(d.layer(layer)) for d in seeds)
                             for layer in {la for d in seeds for la, anns in d.layers.items() if anns}}
    events = conn.execute("SELECT data FROM annotations WHERE layer = 'events' ORDER BY doc_key, seq").fetchall()
    assert [json.loads(d) for (d,) in events] == [a.data for d in seeds for a in d.layer("events")]
