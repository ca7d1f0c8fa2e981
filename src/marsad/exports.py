"""Exports of extracted events in other tools' formats: ACLED-style CSV and GeoJSON.

One row (or Feature) per record of a document's ``events`` layer (see
:mod:`marsad.events.events`). ACLED's own columns come first, in ACLED's order and with ACLED's
conventions (fatalities 0 when not reported, interaction codes, numeric ISO country codes);
marsad's columns follow, so every row can be traced back to the words that support it.

What marsad cannot know is left empty rather than guessed: ``region``, ``admin2``, ``admin3``,
``assoc_actor_*``, ``source_scale``, ``tags`` and ``timestamp``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, TextIO

from marsad.document import Document

ACLED_COLUMNS: tuple[str, ...] = (
    # ACLED's columns, in ACLED's order
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
    "timestamp",
    # marsad's own
    "marsad_document_id", "marsad_evidence", "marsad_evidence_start", "marsad_evidence_end",
    "marsad_confidence", "marsad_attributed", "marsad_claim_speaker", "marsad_actor1_id",
    "marsad_actor2_id", "marsad_geonameid",
)

# ACLED's disorder type of each event type ...
DISORDER_TYPES: dict[str, str] = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
# ... except for the demonstration sub-event types that ACLED counts as both
DISORDER_BY_SUB_EVENT: dict[str, str] = {
    "Excessive force against protesters": "Political violence; Demonstrations",
    "Mob violence": "Political violence; Demonstrations",
}

# ISO 3166-1 alpha-2 -> numeric (ACLED's ``iso`` column), packed as "AA000" words
_ISO_NUMERIC = """
AD020 AE784 AF004 AG028 AI660 AL008 AM051 AO024 AQ010 AR032 AS016 AT040 AU036 AW533 AX248 AZ031 BA070 BB052
BD050 BE056 BF854 BG100 BH048 BI108 BJ204 BL652 BM060 BN096 BO068 BQ535 BR076 BS044 BT064 BV074 BW072 BY112
BZ084 CA124 CC166 CD180 CF140 CG178 CH756 CI384 CK184 CL152 CM120 CN156 CO170 CR188 CU192 CV132 CW531 CX162
CY196 CZ203 DE276 DJ262 DK208 DM212 DO214 DZ012 EC218 EE233 EG818 EH732 ER232 ES724 ET231 FI246 FJ242 FK238
FM583 FO234 FR250 GA266 GB826 GD308 GE268 GF254 GG831 GH288 GI292 GL304 GM270 GN324 GP312 GQ226 GR300 GS239
GT320 GU316 GW624 GY328 HK344 HM334 HN340 HR191 HT332 HU348 ID360 IE372 IL376 IM833 IN356 IO086 IQ368 IR364
IS352 IT380 JE832 JM388 JO400 JP392 KE404 KG417 KH116 KI296 KM174 KN659 KP408 KR410 KW414 KY136 KZ398 LA418
LB422 LC662 LI438 LK144 LR430 LS426 LT440 LU442 LV428 LY434 MA504 MC492 MD498 ME499 MF663 MG450 MH584 MK807
ML466 MM104 MN496 MO446 MP580 MQ474 MR478 MS500 MT470 MU480 MV462 MW454 MX484 MY458 MZ508 NA516 NC540 NE562
NF574 NG566 NI558 NL528 NO578 NP524 NR520 NU570 NZ554 OM512 PA591 PE604 PF258 PG598 PH608 PK586 PL616 PM666
PN612 PR630 PS275 PT620 PW585 PY600 QA634 RE638 RO642 RS688 RU643 RW646 SA682 SB090 SC690 SD729 SE752 SG702
SH654 SI705 SJ744 SK703 SL694 SM674 SN686 SO706 SR740 SS728 ST678 SV222 SX534 SY760 SZ748 TC796 TD148 TF260
TG768 TH764 TJ762 TK772 TL626 TM795 TN788 TO776 TR792 TT780 TV798 TW158 TZ834 UA804 UG800 UM581 US840 UY858
UZ860 VA336 VC670 VE862 VG092 VI850 VN704 VU548 WF876 WS882 YE887 YT175 ZA710 ZM894 ZW716
"""
ISO_NUMERIC: dict[str, int] = {w[:2]: int(w[2:]) for w in _ISO_NUMERIC.split()}

# Where ACLED spells a country otherwise than GeoNames does
_ACLED_COUNTRY_NAMES = {
    "PS": "Palestine",
    "NL": "Netherlands",
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "CZ": "Czech Republic",
}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """English country names by ISO alpha-2 code, from the gazetteers' countries (GeoNames PCLI).

    Empty if no gazetteer can be read: callers then fall back to the code.
    """
    import sqlite3
    from pathlib import Path

    from marsad.knowledge import load_gazetteer

    names: dict[str, str] = {}
    try:
        paths = load_gazetteer().paths
    except Exception:  # noqa: BLE001 - an export without names is still an export
        return dict(_ACLED_COUNTRY_NAMES)
    for p in paths:
        try:
            conn = sqlite3.connect(Path(p).resolve().as_uri() + "?mode=ro", uri=True)
            try:
                rows = conn.execute(
                    "SELECT country, name FROM places WHERE feature_code = 'PCLI' AND country IS NOT NULL "
                    "ORDER BY population DESC"
                ).fetchall()
            finally:
                conn.close()
        except sqlite3.Error:
            continue
        for code, name in rows:
            names.setdefault(code, name)
    names.update(_ACLED_COUNTRY_NAMES)
    return names


def country_name(code: str | None) -> str | None:
    """ACLED's English name of a country given its alpha-2 code (the code itself if unknown)."""
    if not code:
        return None
    return country_names().get(code.upper(), code)


def disorder_type(event_type: str | None, sub_event_type: str | None = None) -> str | None:
    """ACLED's disorder type of an event (sub-)type, or None for a type ACLED does not have."""
    if sub_event_type in DISORDER_BY_SUB_EVENT:
        return DISORDER_BY_SUB_EVENT[sub_event_type]
    return DISORDER_TYPES.get(event_type or "")


def interaction(inter1: int, inter2: int) -> int:
    """ACLED's interaction code: the two actor codes, smaller first (12); one actor alone is 10, 20, ..."""
    codes = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return 0
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value) if value is not None and not isinstance(value, bool) else default
    except (TypeError, ValueError):
        return default


def _coordinate(value: Any, limit: float) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) and -limit <= x <= limit else None


def _inter(actor: dict[str, Any] | None, recorded: Any) -> int:
    """ACLED's actor code: from the actor's category when it has one, else as recorded, else 0."""
    from marsad.events.events import INTER_CODES

    if actor:
        code = INTER_CODES.get(actor.get("category") or "")
        if code:
            return code
        return _int(recorded)
    return 0


def _actor_name(actor: dict[str, Any] | None) -> str | None:
    if not actor:
        return None
    return actor.get("name") or actor.get("text") or None


def event_row(doc: Document, n: int, event: dict[str, Any]) -> dict[str, Any]:
    """The ACLED row of one event record (``n``: its 1-based number within the document).

    Values are typed (ints, floats, bools); what is not known is None (an empty CSV cell, a JSON null).
    """
    published = doc.meta.published.isoformat() if doc.meta.published else None
    date = event.get("date") or published
    time_precision = event.get("time_precision")
    if date and time_precision is None:
        time_precision = 1  # the dateline, as the events component takes it
    year = _int(date[:4], 0) if date else 0
    actor1, actor2 = event.get("actor1") or None, event.get("actor2") or None
    # from the actors themselves: a record can gain an actor from a later mention and keep inter 0
    inter1, inter2 = _inter(actor1, event.get("inter1")), _inter(actor2, event.get("inter2"))
    place = event.get("location") or {}
    code = place.get("country") or None
    evidence = event.get("evidence") or {}
    speaker = event.get("claim_speaker") or None
    return {
        "event_id_cnty": f"{doc.id}-{n}",
        "event_date": date or None,
        "year": year or None,
        "time_precision": time_precision,
        "disorder_type": disorder_type(event.get("event_type"), event.get("sub_event_type")),
        "event_type": event.get("event_type"),
        "sub_event_type": event.get("sub_event_type"),
        "actor1": _actor_name(actor1),
        "assoc_actor_1": None,
        "inter1": inter1,
        "actor2": _actor_name(actor2),
        "assoc_actor_2": None,
        "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if event.get("civilian_targeting") else None,
        "iso": ISO_NUMERIC.get(code.upper()) if code else None,
        "region": None,
        "country": country_name(code),
        "admin1": place.get("admin1") or None,
        "admin2": None,
        "admin3": None,
        "location": (place.get("name") or place.get("text")) if place else None,
        "latitude": _coordinate(place.get("lat"), 90.0),
        "longitude": _coordinate(place.get("lon"), 180.0),
        "geo_precision": place.get("precision"),
        "source": doc.meta.source or None,
        "source_scale": None,
        "notes": evidence.get("text"),
        "fatalities": _int(event.get("fatalities")),
        "tags": None,
        "timestamp": None,
        "marsad_document_id": doc.id,
        "marsad_evidence": evidence.get("text"),
        "marsad_evidence_start": evidence.get("start"),
        "marsad_evidence_end": evidence.get("end"),
        "marsad_confidence": event.get("confidence"),
        "marsad_attributed": bool(event.get("attributed")),
        "marsad_claim_speaker": speaker.get("text") if isinstance(speaker, dict) else speaker,
        "marsad_actor1_id": actor1.get("actor_id") if actor1 else None,
        "marsad_actor2_id": actor2.get("actor_id") if actor2 else None,
        "marsad_geonameid": place.get("geonameid"),
    }


def event_rows(documents: Iterable[Document]) -> Iterator[dict[str, Any]]:
    """One ACLED row (keys: :data:`ACLED_COLUMNS`) per event of each document, in document order."""
    for doc in documents:
        for n, ann in enumerate(doc.layer("events"), start=1):
            yield event_row(doc, n, ann.data)


def write_acled_csv(rows: Iterable[dict[str, Any]], stream: TextIO,
                    columns: tuple[str, ...] = ACLED_COLUMNS) -> int:
    """Write the header and the rows as CSV (RFC 4180: comma, double quotes, CRLF). Returns the row count.

    Open a file with ``newline=""`` and UTF-8; text is written as is (Arabic stays Arabic).
    """
    writer = csv.DictWriter(stream, fieldnames=columns, restval="", extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        n += 1
    return n


def event_features(documents: Iterable[Document]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946): a Point Feature per event that has coordinates.

    Coordinates are ``[longitude, latitude]`` (WGS 84); properties are the event's ACLED row.
    Events without a usable location are left out and counted in ``marsad_skipped_unlocated``.
    """
    return features_from_rows(event_rows(documents))


def features_from_rows(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of ACLED rows (reviewed or not): see :func:`event_features`."""
    features: list[dict[str, Any]] = []
    skipped = 0
    for row in rows:
        lat, lon = row["latitude"], row["longitude"]
        if lat is None or lon is None:
            skipped += 1
            continue
        features.append({
            "type": "Feature",
            "id": row["event_id_cnty"],
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": row,
        })
    return {"type": "FeatureCollection", "features": features, "marsad_skipped_unlocated": skipped}


def export_columns() -> tuple[str, ...]:
    """The columns of an export from the store: ACLED's, marsad's, then the review columns."""
    from marsad.review import REVIEW_COLUMNS

    return ACLED_COLUMNS + REVIEW_COLUMNS


__all__ = [
    "ACLED_COLUMNS",
    "export_columns",
    "features_from_rows",
    "ISO_NUMERIC",
    "country_name",
    "disorder_type",
    "event_features",
    "event_row",
    "event_rows",
    "interaction",
    "write_acled_csv",
]
