"""The store's schema as ordered migrations, in SQL that SQLite and PostgreSQL both accept.

Rules that keep it portable: ``?`` placeholders (a backend rewrites them), ``{key}`` for
an integer key the database assigns (each backend says how: ``INTEGER PRIMARY KEY`` in
SQLite, an identity column in PostgreSQL), ``{annotations_view}`` where JSON functions differ
(``Store.annotations_view``), ``@name`` for a step done by the Store method ``name``, no SQLite-only types, ``RETURNING`` and ``ON CONFLICT`` upserts, column names
that are not reserved words (``start_char``, not ``start``). A migration is never edited
once released; a change is a new entry at the end.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "documents, extractions and annotations",
        (
            """CREATE TABLE documents (
                doc_key {key},
                content_hash TEXT NOT NULL UNIQUE,
                id TEXT NOT NULL,
                title TEXT,
                source TEXT,
                url TEXT,
                published TEXT,
                origin TEXT,
                encoding TEXT,
                chars INTEGER NOT NULL,
                text TEXT NOT NULL,
                ingested_at TEXT NOT NULL
            )""",
            "CREATE INDEX documents_id ON documents (id)",
            "CREATE INDEX documents_published ON documents (published)",
            """CREATE TABLE extractions (
                doc_key BIGINT PRIMARY KEY REFERENCES documents (doc_key) ON DELETE CASCADE,
                pipeline TEXT NOT NULL,
                sentences INTEGER NOT NULL,
                tokens INTEGER NOT NULL,
                words INTEGER NOT NULL,
                extracted_at TEXT NOT NULL
            )""",
            """CREATE TABLE annotations (
                doc_key BIGINT NOT NULL REFERENCES documents (doc_key) ON DELETE CASCADE,
                layer TEXT NOT NULL,
                seq INTEGER NOT NULL,
                start_char INTEGER NOT NULL,
                end_char INTEGER NOT NULL,
                label TEXT,
                component TEXT NOT NULL,
                component_version TEXT NOT NULL,
                data TEXT,
                PRIMARY KEY (doc_key, layer, seq)
            )""",
            # The covered text is derived, not stored twice: substr counts characters, as
            # Python str offsets do, in both SQLite and PostgreSQL.
            """CREATE VIEW annotation_spans AS
                SELECT d.id AS document_id, a.doc_key, a.layer, a.seq, a.start_char, a.end_char,
                       substr(d.text, a.start_char + 1, a.end_char - a.start_char) AS text,
                       a.label, a.component, a.component_version, a.data
                FROM annotations a JOIN documents d ON d.doc_key = a.doc_key""",
        ),
    ),
    (
        2,
        "stories: documents grouped across outlets",
        (
            # profile: the story's centroid as JSON (terms, places, actors, dates), so a new
            # document is compared with the story without reading its members back.
            """CREATE TABLE stories (
                story_key {key},
                id TEXT NOT NULL UNIQUE,
                documents INTEGER NOT NULL,
                first_published TEXT,
                last_published TEXT,
                profile TEXT NOT NULL,
                algorithm TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            # One story per document; why it joined (score, reason) is kept with it.
            """CREATE TABLE story_members (
                doc_key BIGINT PRIMARY KEY REFERENCES documents (doc_key) ON DELETE CASCADE,
                story_key BIGINT NOT NULL REFERENCES stories (story_key) ON DELETE CASCADE,
                score REAL NOT NULL,
                reason TEXT NOT NULL,
                assigned_at TEXT NOT NULL
            )""",
            "CREATE INDEX story_members_story ON story_members (story_key)",
            # Document frequencies of story terms (for TF-IDF), over the documents assigned so far.
            """CREATE TABLE story_terms (
                term TEXT PRIMARY KEY,
                df INTEGER NOT NULL
            )""",
        ),
    ),
    (
        3,
        "event records and analysts' reviews",
        (
            # One row per record of a document's events layer, flattened for filtering, sorting and
            # mapping without reading documents back: the effective values, the machine's or the
            # latest review's where an analyst corrected them. Rebuilt whenever the document is saved.
            """CREATE TABLE event_records (
                doc_key BIGINT NOT NULL REFERENCES documents (doc_key) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                event_date TEXT,
                event_type TEXT,
                sub_event_type TEXT,
                actor1 TEXT,
                actor2 TEXT,
                actor1_id TEXT,
                actor2_id TEXT,
                country_code TEXT,
                admin1 TEXT,
                location TEXT,
                latitude REAL,
                longitude REAL,
                geo_precision INTEGER,
                fatalities INTEGER NOT NULL,
                source TEXT,
                evidence_start INTEGER,
                evidence_end INTEGER,
                review_status TEXT NOT NULL,
                review_key BIGINT,
                PRIMARY KEY (doc_key, seq)
            )""",
            # The machine's ACLED row of each record, apart, so that scans of event_records stay narrow.
            """CREATE TABLE event_machine (
                doc_key BIGINT NOT NULL REFERENCES documents (doc_key) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                machine TEXT NOT NULL,
                PRIMARY KEY (doc_key, seq)
            )""",
            # covering indexes: the map groups by place and type, the timeline by date and type,
            # each reading its index in order instead of sorting every record
            # (and with the columns the filters test, so a filtered map or timeline reads no table row)
            "CREATE INDEX event_records_map ON event_records (latitude, longitude, event_type, review_status, "
            "fatalities, geo_precision, event_date, actor1_id, actor2_id, country_code, admin1, source, doc_key)",
            "CREATE INDEX event_records_date ON event_records (event_date, event_type, review_status, fatalities, "
            "latitude, actor1_id, actor2_id, country_code, admin1, source, doc_key)",
            "CREATE INDEX event_records_actor1 ON event_records (actor1_id)",
            "CREATE INDEX event_records_actor2 ON event_records (actor2_id)",
            "CREATE INDEX event_records_place ON event_records (country_code, admin1)",
            # Every review ever made, never overwritten: the latest one about an event applies.
            # An event is named by its position and evidence span, and the machine's sub-event
            # type, so a review finds its event again after a re-extraction (or is kept, unapplied).
            """CREATE TABLE reviews (
                review_key {key},
                doc_key BIGINT NOT NULL REFERENCES documents (doc_key) ON DELETE CASCADE,
                event_seq INTEGER NOT NULL,
                evidence_start INTEGER,
                evidence_end INTEGER,
                machine_sub_event_type TEXT,
                action TEXT NOT NULL,
                changes TEXT NOT NULL,
                note TEXT,
                reviewer TEXT NOT NULL,
                created_at TEXT NOT NULL
            )""",
            "CREATE INDEX reviews_doc ON reviews (doc_key, event_seq)",
        ),
    ),
    (
        4,
        "annotations stored one row per document layer; the annotations view keeps the old shape",
        (
            # A row per annotation cost about 7 microseconds in the driver and a JSON encoding of its
            # own: 150 rows and 5 ms per news article with every layer. A document's layer is now one
            # row whose ``items`` is a JSON array of [start, end, label, data] (plus component and
            # version where an annotation's differ from the layer's), written with one encoding.
            """CREATE TABLE annotation_layers (
                doc_key BIGINT NOT NULL REFERENCES documents (doc_key) ON DELETE CASCADE,
                layer TEXT NOT NULL,
                component TEXT NOT NULL,
                component_version TEXT NOT NULL,
                size INTEGER NOT NULL,
                items TEXT NOT NULL,
                PRIMARY KEY (doc_key, layer)
            )""",
            "@copy_annotation_rows",  # a Store method: what a store already holds moves to the new table
            "DROP VIEW annotation_spans",
            "DROP TABLE annotations",
            # One row per annotation, as before, for queries and Datasette; each backend expands
            # the JSON arrays with its own functions (see ``Store.annotations_view``).
            "CREATE VIEW annotations AS {annotations_view}",
            """CREATE VIEW annotation_spans AS
                SELECT d.id AS document_id, a.doc_key, a.layer, a.seq, a.start_char, a.end_char,
                       substr(d.text, a.start_char + 1, a.end_char - a.start_char) AS text,
                       a.label, a.component, a.component_version, a.data
                FROM annotations a JOIN documents d ON d.doc_key = a.doc_key""",
        ),
    ),
)

# Work a migration needs beyond SQL: the name of a Store method run, in the same transaction,
# after every pending migration (filling a new table from what is already stored, read with
# today's code).
BACKFILLS: dict[int, str] = {3: "rebuild_event_records"}

LATEST_VERSION = MIGRATIONS[-1][0]

SCHEMA_TABLE = """CREATE TABLE IF NOT EXISTS marsad_schema (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL
)"""
