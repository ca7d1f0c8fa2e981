"""The PostgreSQL store against a real server: same schema and behaviour as SQLite, concurrent writers.

The server's address comes from ``MARSAD_TEST_POSTGRES`` (``scripts/start-postgres.sh`` starts one
and prints it; ``.ci/run`` does so). Each test gets a database of its own. Without the variable
these tests skip, except where ``MARSAD_REQUIRE_POSTGRES`` is set (CI sets it): there they fail.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

import marsad
from marsad.errors import StoreError
from marsad.io.demo import demo_paths
from marsad.pipeline import default_pipeline
from marsad.query import EventQuery
from marsad.review import make_review
from marsad.store import open_store
from marsad.store.schema import LATEST_VERSION

BASE_URL = os.environ.get("MARSAD_TEST_POSTGRES")
SECOND = "003_eb6b299938bd81e9"


def _admin(url: str):  # type: ignore[no-untyped-def]
    import pg8000.dbapi

    parts = urlsplit(url)
    conn = pg8000.dbapi.connect(user=parts.username or "postgres", password=parts.password, host=parts.hostname,
                                port=parts.port or 5432, database=parts.path.lstrip("/") or "postgres")
    conn.autocommit = True
    return conn


@pytest.fixture()
def pg_url() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    if not BASE_URL:
        if os.environ.get("MARSAD_REQUIRE_POSTGRES"):
            pytest.fail("MARSAD_TEST_POSTGRES is not set: start a server with scripts/start-postgres.sh")
        pytest.skip("no PostgreSQL server: eval \"$(scripts/start-postgres.sh)\" to run these")
    name = f"marsad_t_{uuid.uuid4().hex[:12]}"
    admin = _admin(BASE_URL)
    admin.cursor().execute(f"CREATE DATABASE {name}")
    parts = urlsplit(BASE_URL)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


@pytest.fixture(scope="module")
def seeds() -> list[marsad.Document]:
    return [marsad.extract(p.read_text(encoding="utf-8"), id=p.stem) for p in demo_paths()]


def _cli(*args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_") or k == "MARSAD_TEST_POSTGRES"}
    env.update(PYTHONIOENCODING="utf-8", NO_COLOR="1", COLUMNS="200")
    proc = subprocess.run([sys.executable, "-m", "marsad", *args], capture_output=True, timeout=timeout, env=env)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8"),
                                       proc.stderr.decode("utf-8"))


def test_same_schema_and_idempotent_writes(pg_url: str, seeds: list[marsad.Document]) -> None:
    signature = default_pipeline().signature
    with open_store(pg_url) as store:
        assert store.schema_version() == LATEST_VERSION
        for doc in seeds:
            store.save(doc, signature)
        first = store.stats()
        for doc in seeds:  # again, and under another id: same content, same document
            store.save(doc, signature)
        store.save(marsad.extract(seeds[0].text, id="another-name"), signature)
        assert store.stats() == first and store.count() == 2
        assert store.is_current(seeds[0].content_hash, signature)
        back = store.get(SECOND)
        assert back.text == seeds[1].text
        assert [a.data for a in back.layer("events")] == [a.data for a in seeds[1].layer("events")]
        # the annotations view expands the layer rows into one row per annotation, as in SQLite
        rows = store._execute(
            "SELECT a.layer, a.seq, a.start_char, a.end_char, a.label, a.component, a.component_version, a.data "
            "FROM annotations a JOIN documents d ON d.doc_key = a.doc_key WHERE d.id = ? ORDER BY a.layer, a.seq",
            (SECOND,)).fetchall()
        assert [(la, s, st, en, lb, c, v, json.loads(d) if d else {}) for la, s, st, en, lb, c, v, d in rows] == sorted(
            ((layer, i, a.start, a.end, a.label, a.component, a.version, a.data)
             for layer, anns in seeds[1].layers.items() for i, a in enumerate(anns)), key=lambda r: (r[0], r[1]))
    with open_store(pg_url) as store:  # re-opening migrates nothing twice
        assert store.schema_version() == LATEST_VERSION
        rows = store._execute("SELECT COUNT(*) FROM marsad_schema").fetchone()[0]
        assert rows == LATEST_VERSION


def test_events_reviews_and_stories_behave_as_in_sqlite(pg_url: str, seeds: list[marsad.Document],
                                                        tmp_path: Path) -> None:
    from marsad.stories import build_stories, compare_story, list_stories

    signature = default_pipeline().signature
    results = {}
    for name, location in (("sqlite", str(tmp_path / "same.db")), ("postgres", pg_url)):
        with open_store(location) as store:
            for doc in seeds:
                store.save(doc, signature)
            n = next(i for i, a in enumerate(store.get(SECOND).layer("events"))
                     if "كمين" in a.data["trigger"]["text"])
            machine = store.event_detail(SECOND, n)["machine"]
            store.add_review(SECOND, n, make_review(machine, "correct", {"fatalities": 25}, reviewer="Lina"))
            build_stories(store)
            story = list_stories(store)[0]
            rows, total = store.query_events(EventQuery(per_page=500, sort="fatalities"))
            results[name] = {
                "total": total,
                "rows": [{k: v for k, v in r.items()} for r in rows],
                "markers": store.event_markers(EventQuery()),
                "timeline": store.event_timeline(EventQuery()),
                "actor": store.query_events(EventQuery(actor="is", per_page=500))[1],
                "facets": {k: v for k, v in store.event_facets().items() if k != "stories"},
                "export": [{k: v for k, v in r.items() if k != "marsad_reviewed_at"}
                           for r in store.export_rows(EventQuery(sort="stored", order="asc"))],
                "story_docs": story["documents"],
                "comparison": {k: v for k, v in compare_story(store, story["id"]).items() if k != "id"},
            }
    sqlite, postgres = results["sqlite"], results["postgres"]
    for key in sqlite:
        assert json.dumps(postgres[key], sort_keys=True, default=str) == json.dumps(sqlite[key], sort_keys=True,
                                                                                   default=str), key
    assert postgres["rows"][0]["fatalities"] == 25


def test_two_ingest_processes_store_exactly_the_union(pg_url: str, tmp_path: Path) -> None:
    # 60 distinct short reports; A gets 0-39, B gets 20-59 (20 in both), written at the same time
    texts = [f"قتل {i + 2} مدنيين في قصف على بلدة هجين في ريف دير الزور الشرقي يوم {i + 1} تشرين الثاني."
             for i in range(60)]
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("".join(json.dumps({"id": f"r{i}", "text": texts[i]}, ensure_ascii=False) + "\n"
                         for i in range(0, 40)), encoding="utf-8")
    b.write_text("".join(json.dumps({"id": f"r{i}", "text": texts[i]}, ensure_ascii=False) + "\n"
                         for i in range(20, 60)), encoding="utf-8")
    with open_store(pg_url):
        pass  # the schema exists before the race (the race on migrations is tested below)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env.update(PYTHONIOENCODING="utf-8", MARSAD_BATCH_SIZE="3")
    procs = [subprocess.Popen([sys.executable, "-m", "marsad", "ingest", str(path), "--db", pg_url],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for path in (a, b)]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode("utf-8")
        assert b"Traceback" not in err
    with open_store(pg_url) as store:
        docs = store.list_documents()
        assert len(docs) == 60
        assert sorted(d["content_hash"] for d in docs) == sorted(marsad.Document(t).content_hash for t in texts)
        dup = store._execute("SELECT COUNT(*) FROM (SELECT doc_key, layer, seq FROM annotations "
                             "GROUP BY doc_key, layer, seq HAVING COUNT(*) > 1) x").fetchone()[0]
        assert dup == 0
        events = store._execute("SELECT COUNT(*) FROM event_records").fetchone()[0]
        assert events == sum(len(d.layer("events")) for d in store.iter_documents()) >= 60


def test_concurrent_first_opens_migrate_once(pg_url: str) -> None:
    code = ("import sys, marsad; s = marsad.open_store(sys.argv[1]); print(s.schema_version()); s.close()")
    procs = [subprocess.Popen([sys.executable, "-c", code, pg_url], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(4)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
        assert out.decode().strip() == str(LATEST_VERSION)
    with open_store(pg_url) as store:
        assert store._execute("SELECT COUNT(*) FROM marsad_schema").fetchone()[0] == LATEST_VERSION


def test_cli_and_web_app_over_postgres(pg_url: str, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from marsad.web.app import create_app

    seeds_dir = tmp_path / "seeds"
    seeds_dir.mkdir()
    for p in demo_paths():
        (seeds_dir / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    r = _cli("ingest", str(seeds_dir), "--db", pg_url)
    assert r.returncode == 0, r.stderr
    r = _cli("stories", "--db", pg_url, "--format", "json")
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)) == 1
    r = _cli("export", "--db", pg_url, "-f", "acled-csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and all(row["marsad_review_status"] == "unreviewed" for row in rows)
    with TestClient(create_app(pg_url)) as client:
        assert client.get("/").status_code == 200
        assert 'data-location="Hajīn"' in client.get("/").text
        n = next(i for i, row in enumerate(rows, 1) if row["event_id_cnty"].startswith(SECOND) and
                 row["fatalities"] == "20")
        k = int(rows[n - 1]["event_id_cnty"].rsplit("-", 1)[1])
        resp = client.post(f"/api/events/{SECOND}/{k}/review",
                           json={"action": "correct", "reviewer": "Lina", "values": {"fatalities": 21}})
        assert resp.status_code == 200, resp.text
        assert client.get(f"/events/{SECOND}/{k}").status_code == 200
    r = _cli("export", "--db", pg_url, "-f", "acled-csv")
    fixed = {row["event_id_cnty"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert fixed[f"{SECOND}-{k}"]["fatalities"] == "21"


def test_bad_postgres_addresses_are_one_line() -> None:
    with pytest.raises(StoreError, match="cannot connect"):
        open_store("postgresql://nobody:secret@127.0.0.1:1/none")
    try:
        open_store("postgresql://nobody:secret@127.0.0.1:1/none")
    except StoreError as exc:
        assert "secret" not in exc.one_line()  # the password is never shown
    r = _cli("show", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert r.returncode == 2 and "E200" in r.stderr and "Traceback" not in r.stderr


def test_dask_workers_re_extract_a_postgres_backlog(pg_url: str, tmp_path: Path) -> None:
    if not os.environ.get("MARSAD_REQUIRE_DASK"):
        pytest.importorskip("distributed")
    seeds_dir = tmp_path / "seeds"
    seeds_dir.mkdir()
    for p in demo_paths():
        (seeds_dir / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    r = _cli("ingest", str(seeds_dir), "--db", pg_url, "--engine", "dask", "--workers", "2")
    assert r.returncode == 0, r.stderr
    assert "2 stored" in r.stderr
    with open_store(pg_url) as store:
        store._execute("UPDATE extractions SET pipeline = 'older'")
        store._execute("DELETE FROM event_records")
        assert store.pending(default_pipeline().signature) != []
    r = _cli("ingest", "--pending", "--db", pg_url, "--engine", "dask", "--workers", "2")
    assert r.returncode == 0, r.stderr
    assert "2 pending, 2 re-extracted" in r.stderr
    with open_store(pg_url) as store:
        assert store.pending(default_pipeline().signature) == []
        expected = sum(len(marsad.extract(p.read_text(encoding="utf-8")).layer("events")) for p in demo_paths())
        assert expected > 0
        assert store._execute("SELECT COUNT(*) FROM event_records").fetchone()[0] == expected
