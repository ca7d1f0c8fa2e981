"""ACLED CSV and GeoJSON exports (``marsad.exports`` and ``marsad export --format acled-csv|geojson``).

A store is built once with the real CLI from the two seed articles shipped in the package plus two
small JSONL documents: one dated, sourced and located (Hajin), one whose event names no place.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from marsad.document import Annotation, Document, DocumentMeta
from marsad.exports import (
    ACLED_COLUMNS,
    export_columns,
    features_from_rows,
    event_features,
    event_rows,
    interaction,
    write_acled_csv,
)
from marsad.io.demo import demo_paths
from marsad.store import open_store

_BESIDE = Path(sys.executable).parent / "marsad"
_EXE = str(_BESIDE) if _BESIDE.is_file() else shutil.which("marsad")
MARSAD = [_EXE] if _EXE else [sys.executable, "-m", "marsad"]

EXPORT_COLUMNS = export_columns()  # what `marsad export` writes: ACLED, marsad, then review columns
SEEDS = demo_paths()
HAJIN = 174506  # GeoNames id of Hajin, Deir ez-Zor: lon 40.83, lat 34.70
EXTRA_DOCS = [
    {"id": "dated", "text": "قصفت الطائرات بلدة هجين أمس. وقتل ١٢ مدنياً!", "published": "2018-11-05",
     "source": "example.org"},
    {"id": "unlocated", "text": "قتل ثلاثة مدنيين برصاص مسلحين مجهولين أمس.", "published": "2018-11-05"},
]

ACLED_SUB_EVENT_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}
DISORDER_TYPES = {"Political violence", "Demonstrations", "Political violence; Demonstrations",
                  "Strategic developments"}


def marsad(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env.update(PYTHONIOENCODING="utf-8", COLUMNS="200", NO_COLOR="1", TERM="dumb")
    return subprocess.run([*MARSAD, *map(str, args)], cwd=cwd, capture_output=True, timeout=120, env=env)


def no_traceback(stderr: bytes) -> None:
    text = stderr.decode("utf-8")
    assert "Traceback" not in text, text


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("exports")
    extra = tmp / "extra.jsonl"
    extra.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in EXTRA_DOCS), encoding="utf-8")
    path = tmp / "store.db"
    r = marsad("ingest", *SEEDS, extra, "--db", path, cwd=tmp)
    assert r.returncode == 0, r.stderr.decode()
    return path


@pytest.fixture(scope="module")
def documents(db: Path) -> list[Document]:
    with open_store(db) as store:
        return list(store.iter_documents())


@pytest.fixture(scope="module")
def csv_text(db: Path) -> str:
    r = marsad("export", "--db", db, "--format", "acled-csv", cwd=db.parent)
    assert r.returncode == 0, r.stderr.decode()
    no_traceback(r.stderr)
    return r.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def geojson_text(db: Path) -> str:
    r = marsad("export", "--db", db, "--format", "geojson", cwd=db.parent)
    assert r.returncode == 0, r.stderr.decode()
    no_traceback(r.stderr)
    return r.stdout.decode("utf-8")


def events_of(documents: list[Document]) -> list[tuple[Document, dict[str, Any]]]:
    return [(doc, ann.data) for doc in documents for ann in doc.layer("events")]


def unreviewed_rows(documents: list[Document]) -> list[dict[str, Any]]:
    """The library's rows as an export from the store gives them: no review yet, review columns filled."""
    from marsad.review import apply_review

    return [apply_review(r, None) for r in event_rows(documents)]


def library_csv(documents: list[Document]) -> str:
    buf = io.StringIO(newline="")
    write_acled_csv(unreviewed_rows(documents), buf, EXPORT_COLUMNS)
    return buf.getvalue()


# --------------------------------------------------------------------------- the store itself

def test_store_has_located_and_unlocated_events(documents: list[Document]) -> None:
    ids = {d.id for d in documents}
    assert {p.stem for p in SEEDS} | {"dated", "unlocated"} == ids
    events = events_of(documents)
    assert len(events) > 5
    assert any(e["location"] is None for _, e in events), "the 'unlocated' document should give an unlocated event"
    assert any((e["location"] or {}).get("geonameid") == HAJIN for _, e in events)


# --------------------------------------------------------------------------- ACLED CSV

def test_csv_is_rfc4180_with_the_acled_header(csv_text: str, documents: list[Document]) -> None:
    rows = list(csv.reader(io.StringIO(csv_text, newline="")))
    assert tuple(rows[0]) == EXPORT_COLUMNS and EXPORT_COLUMNS[:len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert len(rows) - 1 == len(events_of(documents))
    assert all(len(r) == len(EXPORT_COLUMNS) for r in rows)
    assert {r[EXPORT_COLUMNS.index("marsad_review_status")] for r in rows[1:]} == {"unreviewed"}
    assert csv_text.endswith("\r\n") and "\r\n" in csv_text.splitlines(keepends=True)[0]
    assert ACLED_COLUMNS[:31][-1] == "timestamp" and ACLED_COLUMNS[31] == "marsad_document_id"


def test_cli_csv_equals_library(csv_text: str, documents: list[Document], db: Path, tmp_path: Path) -> None:
    assert csv_text == library_csv(documents)
    out = tmp_path / "events.csv"
    r = marsad("export", "--db", db, "-f", "acled-csv", "-o", out, cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    assert out.read_bytes() == csv_text.encode("utf-8")
    assert "events" in r.stderr.decode() and str(out) in r.stderr.decode()
    assert not list(tmp_path.glob("*.partial"))


def test_csv_loads_with_pandas(csv_text: str, documents: list[Document]) -> None:
    import pandas as pd
    df = pd.read_csv(io.StringIO(csv_text), keep_default_na=False, na_values=[""])
    assert list(df.columns) == list(EXPORT_COLUMNS)
    events = events_of(documents)
    assert len(df) == len(events)

    # ACLED's type strings, consistent with each other
    for event_type, sub in zip(df["event_type"], df["sub_event_type"]):
        assert event_type in ACLED_SUB_EVENT_TYPES, event_type
        assert sub in ACLED_SUB_EVENT_TYPES[event_type], (event_type, sub)
    assert set(df["disorder_type"]) <= DISORDER_TYPES

    # coordinates are numbers, in range, wherever there are any
    for col, limit in (("latitude", 90), ("longitude", 180)):
        assert pd.api.types.is_float_dtype(df[col]), df[col].dtype
        present = df[col].dropna()
        assert len(present) > 0 and present.abs().le(limit).all()
    located = [e["location"] is not None and e["location"].get("lat") is not None for _, e in events]
    assert df["latitude"].notna().tolist() == located
    assert df["longitude"].notna().tolist() == located

    # integers where ACLED has integers
    for col in ("inter1", "inter2", "interaction", "fatalities", "marsad_evidence_start", "marsad_evidence_end"):
        assert pd.api.types.is_integer_dtype(df[col]), (col, df[col].dtype)
    assert df["iso"].dropna().eq(760).any()  # Syria

    # the Arabic evidence comes back exactly, and points into the document's text
    texts = {d.id: d.text for d in documents}
    for (_, row), (doc, event) in zip(df.iterrows(), events):
        assert row["marsad_document_id"] == doc.id
        assert row["marsad_evidence"] == event["evidence"]["text"] == row["notes"]
        assert texts[doc.id][row["marsad_evidence_start"]:row["marsad_evidence_end"]] == row["marsad_evidence"]
    assert df["marsad_evidence"].str.contains("[\u0600-\u06ff]", regex=True).all()

    # the dated, sourced document
    dated = df[df["marsad_document_id"] == "dated"].iloc[0]
    assert dated["event_id_cnty"] == "dated-1"
    assert dated["event_date"] == "2018-11-04" and dated["year"] == 2018 and dated["time_precision"] == 1
    assert dated["source"] == "example.org"
    assert dated["fatalities"] == 12
    assert dated["country"] == "Syria" and dated["iso"] == 760 and dated["admin1"] == "Deir ez-Zor"
    assert dated["marsad_geonameid"] == HAJIN
    assert dated["longitude"] == pytest.approx(40.83, abs=0.01) and dated["latitude"] == pytest.approx(34.70, abs=0.01)


def test_row_values_follow_acled(documents: list[Document]) -> None:
    for (doc, event), row in zip(events_of(documents), event_rows(documents)):
        assert set(row) == set(ACLED_COLUMNS)
        assert row["civilian_targeting"] in (None, "Civilian targeting")
        assert row["civilian_targeting"] == ("Civilian targeting" if event["civilian_targeting"] else None)
        assert row["fatalities"] == (event["fatalities"] or 0)
        assert isinstance(row["inter1"], int) and isinstance(row["inter2"], int)
        if event["actor1"] is None:
            assert row["actor1"] is None and row["inter1"] == 0
        else:
            assert row["actor1"] == (event["actor1"].get("name") or event["actor1"]["text"])
            assert row["marsad_actor1_id"] == event["actor1"].get("actor_id")
        assert row["interaction"] == interaction(row["inter1"], row["inter2"])
        if event["location"] is not None:
            assert row["location"] == event["location"]["name"]
            assert row["geo_precision"] == event["location"]["precision"]


def test_interaction_codes() -> None:
    assert interaction(1, 2) == interaction(2, 1) == 12
    assert interaction(1, 0) == 10 and interaction(0, 7) == 70
    assert interaction(8, 8) == 88
    assert interaction(0, 0) == 0


def test_csv_quotes_and_keeps_arabic() -> None:
    text = 'قال "المرصد"، في بيان: قصفت الطائرات بلدة هجين،\nوقتل ١٢ مدنياً.'
    doc = Document(text, id="q", meta=DocumentMeta(source="مصدر, محلي"))
    doc.add("events", 0, len(text), component="test", version="0", label="Air/drone strike", data={
        "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
        "evidence": {"start": 0, "end": len(text), "text": text}, "location": None, "fatalities": None,
    })
    out = library_csv([doc])
    assert text.replace('"', '""') in out  # quoted, Arabic untouched, not escaped
    (row,) = list(csv.DictReader(io.StringIO(out, newline="")))
    assert row["marsad_evidence"] == row["notes"] == text
    assert row["source"] == "مصدر, محلي"
    assert row["fatalities"] == "0" and row["latitude"] == "" and row["country"] == ""


# --------------------------------------------------------------------------- GeoJSON

def test_geojson_is_a_valid_feature_collection(geojson_text: str, documents: list[Document]) -> None:
    fc = json.loads(geojson_text)
    assert fc["type"] == "FeatureCollection"
    events = events_of(documents)
    unlocated = sum(1 for _, e in events if e["location"] is None or e["location"].get("lat") is None)
    assert unlocated >= 1
    assert fc["marsad_skipped_unlocated"] == unlocated
    assert len(fc["features"]) == len(events) - unlocated
    for f in fc["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert isinstance(lon, float) and isinstance(lat, float)
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert set(f["properties"]) == set(EXPORT_COLUMNS)
        assert (lon, lat) == (f["properties"]["longitude"], f["properties"]["latitude"])
        assert f["id"] == f["properties"]["event_id_cnty"]
    assert fc == features_from_rows(unreviewed_rows(documents))
    assert len(event_features(documents)["features"]) == len(fc["features"])


def test_geojson_validates(geojson_text: str) -> None:
    import geojson as geojson
    obj = geojson.loads(geojson_text)
    assert isinstance(obj, geojson.FeatureCollection)
    assert obj.is_valid, obj.errors()
    for feature in obj["features"]:
        assert feature.is_valid, feature.errors()


def test_geojson_coordinates_are_lon_lat(geojson_text: str) -> None:
    fc = json.loads(geojson_text)
    hajin = [f for f in fc["features"] if f["properties"]["marsad_geonameid"] == HAJIN]
    assert hajin
    for f in hajin:
        lon, lat = f["geometry"]["coordinates"]
        assert lon == pytest.approx(40.83, abs=0.01)
        assert lat == pytest.approx(34.70, abs=0.01)


def test_unlocated_event_is_skipped_and_counted(documents: list[Document]) -> None:
    (doc,) = [d for d in documents if d.id == "dated"]
    copy = Document(doc.text, id=doc.id, meta=doc.meta)
    located = doc.layer("events")[0]
    copy.set_layer("events", [
        located,
        Annotation("events", located.start, located.end, located.text, "test", "0", located.label,
                   {**located.data, "location": None}),
        Annotation("events", located.start, located.end, located.text, "test", "0", located.label,
                   {**located.data, "location": {**located.data["location"], "lat": None, "lon": None}}),
    ])
    fc = event_features([copy])
    assert fc["marsad_skipped_unlocated"] == 2
    assert [f["id"] for f in fc["features"]] == ["dated-1"]
    rows = list(event_rows([copy]))
    assert [r["event_id_cnty"] for r in rows] == ["dated-1", "dated-2", "dated-3"]
    assert rows[1]["location"] is None and rows[1]["latitude"] is None and rows[1]["country"] is None
    assert rows[2]["location"] == rows[0]["location"] and rows[2]["longitude"] is None


def test_cli_geojson_to_file(db: Path, geojson_text: str, tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    r = marsad("export", "--db", db, "-f", "geojson", "-o", out, cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    assert out.read_text(encoding="utf-8") == geojson_text
    assert "without coordinates" in r.stderr.decode()


# --------------------------------------------------------------------------- CLI edge cases

def test_empty_store(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    r = marsad("export", "--db", db, "-f", "acled-csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode("utf-8") == ",".join(EXPORT_COLUMNS) + "\r\n"
    r = marsad("export", "--db", db, "-f", "geojson", cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    assert json.loads(r.stdout) == {"type": "FeatureCollection", "features": [], "marsad_skipped_unlocated": 0}


@pytest.mark.parametrize("fmt", ["acled-csv", "geojson"])
def test_store_that_is_not_a_database(tmp_path: Path, fmt: str) -> None:
    db = tmp_path / "notes.db"
    db.write_bytes(b"not a database\n" * 500)
    r = marsad("export", "--db", db, "-f", fmt, cwd=tmp_path)
    assert r.returncode == 2
    no_traceback(r.stderr)
    lines = [line for line in r.stderr.decode().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error"), lines


@pytest.mark.parametrize("fmt", ["acled-csv", "geojson"])
def test_output_in_missing_directory(db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "no" / "such" / "out.csv"
    r = marsad("export", "--db", db, "-f", fmt, "-o", out, cwd=tmp_path)
    assert r.returncode == 2
    no_traceback(r.stderr)
    lines = [line for line in r.stderr.decode().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error") and "cannot write" in lines[0], lines
    assert not (tmp_path / "no").exists()


def test_unknown_format_is_usage_error(db: Path, tmp_path: Path) -> None:
    r = marsad("export", "--db", db, "-f", "xml", cwd=tmp_path)
    assert r.returncode == 2
    no_traceback(r.stderr)
