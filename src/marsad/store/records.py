"""Event records and reviews in the store: the SQL behind the map, the table, exports and review.

Mixed into :class:`marsad.store.base.Store`, so every backend has it. The ``event_records`` table
is derived: :meth:`EventRecords.write_event_records` rebuilds a document's rows whenever it is
saved, and re-applies the analysts' reviews (which live in ``reviews`` and are never deleted by a
re-extraction). Filtering, grouping for the map and the timeline, and exports read only this table,
so a view over ten thousand documents never loads a document back.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from marsad.errors import DocumentNotFound
from marsad.query import EventQuery
from marsad.review import Review, apply_review

if TYPE_CHECKING:
    from marsad.document import Document

_RECORD_COLUMNS = (
    "doc_key", "seq", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "actor1_id", "actor2_id",
    "country_code", "admin1", "location", "latitude", "longitude", "geo_precision", "fatalities", "source",
    "evidence_start", "evidence_end", "review_status", "review_key",
)
FACETS_SECONDS = 30  # how long filter values are reused where the store cannot say it changed
# What a table row shows (the reviewed values), in this order.
TABLE_COLUMNS = (
    "document_id", "seq", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "country_code",
    "admin1", "location", "latitude", "longitude", "geo_precision", "fatalities", "source", "evidence_start",
    "evidence_end", "review_status",
)


def _source(query: EventQuery) -> str:
    """The FROM clause a query needs: event records, joined with documents only when it must be."""
    if query.needs_documents:
        return "event_records r JOIN documents d ON d.doc_key = r.doc_key"
    return "event_records r"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def machine_rows(doc: Document) -> list[dict[str, Any]]:
    """The machine's ACLED row of each event of ``doc``, with its country code kept for filtering."""
    from marsad.exports import event_row

    rows = []
    for n, ann in enumerate(doc.layer("events"), start=1):
        row = event_row(doc, n, ann.data)
        row["marsad_country_code"] = ((ann.data.get("location") or {}).get("country") or None)
        rows.append(row)
    return rows


def _review_from_row(action: str, changes: str, note: str | None, reviewer: str, created: str) -> Review:
    return Review(action=action, changes=json.loads(changes) if changes else {}, note=note, reviewer=reviewer,
                  created_at=created)


def _record(key: int, seq: int, machine: dict[str, Any], review: Review | None, review_key: int | None) -> tuple:
    row = apply_review(machine, review)
    country = (review.changes.get("country") if review and "country" in review.changes
               else machine.get("marsad_country_code"))
    return (
        key, seq, row["event_date"], row["event_type"], row["sub_event_type"], row["actor1"], row["actor2"],
        row["marsad_actor1_id"], row["marsad_actor2_id"], country, row["admin1"], row["location"], row["latitude"],
        row["longitude"], row["geo_precision"], int(row["fatalities"] or 0), row["source"],
        row["marsad_evidence_start"], row["marsad_evidence_end"], row["marsad_review_status"], review_key,
    )


class EventRecords:
    """Store methods over ``event_records`` and ``reviews`` (see the module docstring)."""

    location: str

    # provided by Store
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...  # pragma: no cover
    def _executemany(self, sql: str, rows: list[Sequence[Any]]) -> None: ...  # pragma: no cover
    def transaction(self) -> Any: ...  # pragma: no cover
    def lock_document(self, key: int) -> None: ...  # pragma: no cover
    def resolve(self, ref: str) -> str: ...  # pragma: no cover
    def iter_documents(self) -> Iterator[Document]: ...  # pragma: no cover

    # -- writes --------------------------------------------------------------------------------
    def write_event_records(self, key: int, doc: Document, *, replace: bool = True) -> None:
        """Replace the document's event records with its current events, reviews re-applied.

        ``replace=False`` is for a document stored just now: it has no records to delete.
        """
        if replace:
            self._execute("DELETE FROM event_records WHERE doc_key = ?", (key,))
            self._execute("DELETE FROM event_machine WHERE doc_key = ?", (key,))
        elif not doc.layer("events"):
            return  # a new document without events: nothing to write
        from marsad.store.base import _encode as encode

        machines = machine_rows(doc)
        if not machines:
            return
        reviews = self._execute(
            "SELECT review_key, event_seq, evidence_start, evidence_end, machine_sub_event_type, action, changes, "
            "note, reviewer, created_at FROM reviews WHERE doc_key = ? ORDER BY review_key", (key,)
        ).fetchall() if replace else []  # (reviews cascade with their document: a new one has none)
        by_position: dict[tuple[int, Any, Any], tuple] = {}
        by_span: dict[tuple[Any, Any, Any], list[tuple]] = {}
        for r in reviews:  # later reviews replace earlier ones
            by_position[(int(r[1]), r[2], r[3])] = r
            by_span.setdefault((r[2], r[3], r[4]), []).append(r)
        rows = []
        for seq, machine in enumerate(machines):
            start, end = machine.get("marsad_evidence_start"), machine.get("marsad_evidence_end")
            found = by_position.get((seq, start, end))
            if found is None:  # the event moved (a re-extraction found another before it)
                same = by_span.get((start, end, machine.get("sub_event_type"))) or []
                found = same[-1] if len({r[1] for r in same}) == 1 else None
            review = _review_from_row(*found[5:]) if found else None
            rows.append(_record(key, seq, machine, review, int(found[0]) if found else None))
        self._executemany(
            f"INSERT INTO event_records ({', '.join(_RECORD_COLUMNS)}) VALUES ({', '.join('?' * len(_RECORD_COLUMNS))})",
            rows,
        )
        self._executemany(
            "INSERT INTO event_machine (doc_key, seq, machine) VALUES (?, ?, ?)",
            [(key, seq, encode(m).decode("utf-8")) for seq, m in enumerate(machines)],
        )

    def rebuild_event_records(self) -> int:
        """Rebuild every document's event records (migration 3 fills the table this way). Returns the count."""
        keys = {h: int(k) for k, h in self._execute("SELECT doc_key, content_hash FROM documents").fetchall()}
        for doc in self.iter_documents():
            self.write_event_records(keys[doc.content_hash], doc)
        return int(self._execute("SELECT COUNT(*) FROM event_records").fetchone()[0])

    def _event_key(self, document: str, seq: int) -> tuple[int, str, dict[str, Any]]:
        h = self.resolve(document)
        row = self._execute(
            "SELECT m.doc_key, d.id, m.machine FROM event_machine m JOIN documents d ON d.doc_key = m.doc_key "
            "WHERE d.content_hash = ? AND m.seq = ?", (h, seq)
        ).fetchone()
        if row is None:
            raise DocumentNotFound(f"document {document!r} has no event {seq + 1}", origin=self.location)
        return int(row[0]), row[1], json.loads(row[2])

    def add_review(self, document: str, seq: int, review: Review) -> Review:
        """Store an analyst's review of event ``seq`` (0-based) of a document and apply it. Returns it, timed."""
        created = _now()
        with self.transaction():
            key, _doc_id, machine = self._event_key(document, seq)
            self.lock_document(key)
            row = self._execute(
                "INSERT INTO reviews (doc_key, event_seq, evidence_start, evidence_end, machine_sub_event_type, "
                "action, changes, note, reviewer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "RETURNING review_key",
                (key, seq, machine.get("marsad_evidence_start"), machine.get("marsad_evidence_end"),
                 machine.get("sub_event_type"), review.action,
                 json.dumps(review.changes, ensure_ascii=False, sort_keys=True), review.note, review.reviewer,
                 created),
            ).fetchone()
            stored = Review(review.action, dict(review.changes), review.note, review.reviewer, created)
            self._execute("DELETE FROM event_records WHERE doc_key = ? AND seq = ?", (key, seq))
            self._execute(
                f"INSERT INTO event_records ({', '.join(_RECORD_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_RECORD_COLUMNS))})",
                _record(key, seq, machine, stored, int(row[0])),
            )
        return stored

    # -- reads ---------------------------------------------------------------------------------
    def event_detail(self, document: str, seq: int) -> dict[str, Any]:
        """One event: its machine row, its reviewed row, and every review of it, oldest first."""
        key, doc_id, machine = self._event_key(document, seq)
        rk = self._execute("SELECT review_key FROM event_records WHERE doc_key = ? AND seq = ?",
                           (key, seq)).fetchone()[0]
        history = [
            {"action": a, "status": _review_from_row(a, c, n, who, at).status, "changes": json.loads(c or "{}"),
             "note": n, "reviewer": who, "created_at": at, "applied": rk is not None and int(k) == int(rk)}
            for k, a, c, n, who, at in self._execute(
                "SELECT review_key, action, changes, note, reviewer, created_at FROM reviews "
                "WHERE doc_key = ? AND event_seq = ? ORDER BY review_key", (key, seq)).fetchall()
        ]
        current = None
        if rk is not None:
            r = self._execute("SELECT action, changes, note, reviewer, created_at FROM reviews WHERE review_key = ?",
                              (rk,)).fetchone()
            current = _review_from_row(*r)
        from marsad.review import REVIEWABLE_FIELDS, machine_value

        machine_values = {name: machine_value(machine, name) for name in REVIEWABLE_FIELDS}
        values = {**machine_values, **(current.changes if current else {})}
        return {"document_id": doc_id, "seq": seq, "event_id": f"{doc_id}-{seq + 1}", "machine": machine,
                "reviewed": apply_review(machine, current), "reviews": history, "machine_values": machine_values,
                "current": values}

    def where(self, query: EventQuery) -> tuple[str, list[Any]]:
        """The query's SQL conditions, knowing whether its ``actor`` is an actor id in this store."""
        is_id = bool(query.actor) and self._execute(
            "SELECT 1 FROM event_records WHERE actor1_id = ? OR actor2_id = ? LIMIT 1",
            (query.actor, query.actor)).fetchone() is not None
        return query.where(actor_is_id=is_id)

    def count_events(self, query: EventQuery) -> int:
        return self.event_summary(query)["events"]

    def event_summary(self, query: EventQuery) -> dict[str, int]:
        """How many events match, and how many of those have no coordinates, or no date."""
        where, params = self.where(query)
        n, unlocated, undated = self._execute(
            "SELECT COUNT(*), SUM(CASE WHEN r.latitude IS NULL OR r.longitude IS NULL THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN r.event_date IS NULL THEN 1 ELSE 0 END) FROM {_source(query)} WHERE {where}",
            params).fetchone()
        return {"events": int(n or 0), "unlocated": int(unlocated or 0), "undated": int(undated or 0)}

    def event_overview(self, query: EventQuery) -> dict[str, Any]:
        """What the map page shows: markers, the timeline, and the counts, from three index-only reads.

        The total is the located events (summed from the markers) plus the unlocated ones (a short
        search of the map index for a missing latitude), so no separate scan counts every record.
        """
        markers = self.event_markers(query)
        days = self.event_timeline(query)
        where, params = self.where(query)
        unlocated, unlocated_undated = self._execute(
            "SELECT COUNT(*), SUM(CASE WHEN r.event_date IS NULL THEN 1 ELSE 0 END) "
            f"FROM {_source(query)} WHERE {where} AND (r.latitude IS NULL OR r.longitude IS NULL)", params).fetchone()
        total = sum(m["events"] for m in markers) + int(unlocated or 0)
        return {"markers": markers, "days": days, "events": total, "unlocated": int(unlocated or 0),
                "undated": total - sum(d["events"] for d in days)}

    def query_events(self, query: EventQuery) -> tuple[list[dict[str, Any]], int]:
        """One page of matching events (reviewed values, with their evidence) and how many match in all."""
        where, params = self.where(query)
        total = self.count_events(query)
        cols = ", ".join("d.id" if c == "document_id" else f"r.{c}" for c in TABLE_COLUMNS)
        # the page's keys first (a narrow sort), then their rows and document ids
        page = self._execute(
            f"SELECT r.doc_key, r.seq FROM {_source(query)} WHERE {where} ORDER BY {query.order_by()} "
            "LIMIT ? OFFSET ?", [*params, query.per_page, (query.page - 1) * query.per_page]).fetchall()
        if not page:
            return [], total
        keys = " OR ".join("(r.doc_key = ? AND r.seq = ?)" for _ in page)
        found = {
            (row[0], row[1]): row[2:]
            for row in self._execute(
                f"SELECT r.doc_key, r.seq, {cols}, m.machine FROM event_records r JOIN documents d "
                "ON d.doc_key = r.doc_key JOIN event_machine m ON m.doc_key = r.doc_key AND m.seq = r.seq "
                f"WHERE {keys}", [x for pair in page for x in pair]).fetchall()
        }
        rows = [found[(k, q)] for k, q in page]
        out = []
        for row in rows:
            item = dict(zip(TABLE_COLUMNS, row[:-1]))
            machine = json.loads(row[-1])
            item["event_id"] = f"{item['document_id']}-{item['seq'] + 1}"
            item["evidence"] = machine.get("marsad_evidence")
            item["machine_fatalities"] = machine.get("fatalities")
            out.append(item)
        return out, total

    def export_rows(self, query: EventQuery) -> Iterator[dict[str, Any]]:
        """Every matching event as its reviewed ACLED row (all pages, in the query's order)."""
        where, params = self.where(query)
        cur = self._execute(
            "SELECT m.machine, v.action, v.changes, v.note, v.reviewer, v.created_at FROM event_records r "
            "JOIN documents d ON d.doc_key = r.doc_key JOIN event_machine m ON m.doc_key = r.doc_key AND m.seq = r.seq "
            "LEFT JOIN reviews v ON v.review_key = r.review_key "
            f"WHERE {where} ORDER BY {query.order_by()}", params)
        for machine, *review in cur.fetchall():
            yield apply_review(json.loads(machine), _review_from_row(*review) if review[0] else None)

    def event_markers(self, query: EventQuery) -> list[dict[str, Any]]:
        """Located events grouped by place and type: one map marker each."""
        where, params = self.where(query)
        rows = self._execute(
            "SELECT r.latitude, r.longitude, r.event_type, COUNT(*), SUM(r.fatalities), MIN(r.geo_precision), "
            f"MAX(r.geo_precision) FROM {_source(query)} "
            f"WHERE {where} AND r.latitude IS NOT NULL AND r.longitude IS NOT NULL "
            "GROUP BY r.latitude, r.longitude, r.event_type", params,
        ).fetchall()
        names: dict[tuple[float, float], tuple[Any, ...]] = {}
        for lat, lon, *_ in rows:  # one indexed probe per place, not a column carried through the grouping
            if (lat, lon) not in names:
                names[(lat, lon)] = self._execute(
                    "SELECT location, country_code, admin1 FROM event_records WHERE latitude = ? AND longitude = ? "
                    "AND location IS NOT NULL LIMIT 1", (lat, lon)).fetchone() or (None, None, None)
        markers = [
            {"latitude": lat, "longitude": lon, "event_type": kind, "events": int(n), "fatalities": int(dead or 0),
             "precision": int(best) if best is not None else None, "worst_precision": worst,
             "location": names[(lat, lon)][0], "country_code": names[(lat, lon)][1], "admin1": names[(lat, lon)][2]}
            for lat, lon, kind, n, dead, best, worst in rows
        ]
        markers.sort(key=lambda m: (-m["fatalities"], -m["events"], m["location"] or "", m["event_type"] or "",
                                    m["latitude"], m["longitude"]))
        return markers

    def event_timeline(self, query: EventQuery) -> list[dict[str, Any]]:
        """Matching dated events counted per day (or month, or year, as precise as the date) and type."""
        where, params = self.where(query)
        rows = self._execute(
            "SELECT r.event_date, r.event_type, COUNT(*), SUM(r.fatalities) "
            f"FROM {_source(query)} "
            f"WHERE {where} AND r.event_date IS NOT NULL GROUP BY r.event_date, r.event_type", params).fetchall()
        days: dict[tuple[str, str], list[int]] = {}
        for day, kind, n, dead in rows:
            slot = days.setdefault((str(day)[:10], kind), [0, 0])
            slot[0] += int(n)
            slot[1] += int(dead or 0)
        return [{"day": day, "event_type": kind, "events": n, "fatalities": dead}
                for (day, kind), (n, dead) in sorted(days.items())]

    def event_facets(self) -> dict[str, Any]:
        """The values the filters offer: types, countries, regions, sources, stories, the commonest actors.

        Cached until the store changes (see ``change_token``): they scan every record.
        """
        token = self.change_token()
        if token is None:  # the backend cannot tell when others wrote: keep them for a short while
            token = ("age", int(time.monotonic() // FACETS_SECONDS))
        cached = getattr(self, "_facets_cache", None)
        if cached is not None and cached[0] == token and cached[2] == self._writes_seen():
            return cached[1]
        value = self._event_facets()
        self._facets_cache = (token, value, self._writes_seen())
        return value

    def _writes_seen(self) -> int:
        return int(getattr(self, "_writes", 0))

    def change_token(self) -> Any:
        """Something that changes whenever the store does (None: the backend cannot tell)."""
        return None

    def _event_facets(self) -> dict[str, Any]:
        def pairs(sql: str) -> list[tuple[Any, int]]:  # sorted here: databases collate text differently
            return sorted((v, int(n)) for v, n in self._execute(sql).fetchall() if v is not None)

        actors = self._execute(
            "SELECT name, COUNT(*) FROM (SELECT actor1 AS name FROM event_records UNION ALL "
            "SELECT actor2 FROM event_records) a WHERE name IS NOT NULL GROUP BY name ORDER BY COUNT(*) DESC, name "
            "LIMIT 60").fetchall()
        stories = [(sid, int(n)) for sid, n in self._execute(
            "SELECT s.id, s.documents FROM stories s ORDER BY s.documents DESC, s.id LIMIT 200").fetchall()]
        return {
            "event_types": pairs("SELECT event_type, COUNT(*) FROM event_records GROUP BY event_type ORDER BY 1"),
            "sub_event_types": pairs("SELECT sub_event_type, COUNT(*) FROM event_records GROUP BY sub_event_type "
                                     "ORDER BY 1"),
            "countries": pairs("SELECT country_code, COUNT(*) FROM event_records GROUP BY country_code ORDER BY 1"),
            "admin1": pairs("SELECT admin1, COUNT(*) FROM event_records GROUP BY admin1 ORDER BY 1"),
            "sources": pairs("SELECT source, COUNT(*) FROM event_records GROUP BY source ORDER BY 1"),
            "stories": stories,
            "actors": sorted(((name, int(n)) for name, n in actors), key=lambda a: (-a[1], a[0])),
            "dates": self._execute("SELECT MIN(event_date), MAX(event_date) FROM event_records").fetchone(),
        }


__all__ = ["EventRecords", "TABLE_COLUMNS", "machine_rows"]
