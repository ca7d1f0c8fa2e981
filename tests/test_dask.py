"""The Dask runner against a real local cluster of worker processes.

Identical output to a local run (the dev paragraphs and the seeds), identical stores, Parquet
partitioned by date, a remote scheduler address, and a worker killed mid-partition that loses
nothing. Skipped only where Dask is not installed and ``MARSAD_REQUIRE_DASK`` is unset (CI sets it).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from marsad.io.demo import demo_paths

if not os.environ.get("MARSAD_REQUIRE_DASK"):
    pytest.importorskip("distributed")
    pytest.importorskip("pyarrow")

ROOT = Path(__file__).resolve().parents[1]
_OPENBLAS = os.environ.get("OPENBLAS_NUM_THREADS")
DEV = ROOT.parent / "shared" / "data" / "events" / "dev.jsonl"


def _cli(*args: str | Path, env: dict[str, str] | None = None, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    base.update(PYTHONIOENCODING="utf-8", NO_COLOR="1", COLUMNS="200", **(env or {}))
    proc = subprocess.run([sys.executable, "-m", "marsad", *map(str, args)], capture_output=True, timeout=timeout,
                          env=base)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8"),
                                       proc.stderr.decode("utf-8"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dev paragraphs (with their dates and sources) and the seeds, as one JSONL file."""
    folder = tmp_path_factory.mktemp("corpus")
    lines = []
    if DEV.is_file():
        for line in DEV.read_text(encoding="utf-8").splitlines():
            g = json.loads(line)
            lines.append({k: g[k] for k in ("id", "text", "published", "source") if g.get(k) is not None})
    elif os.environ.get("MARSAD_REQUIRE_DASK"):
        pytest.fail(f"{DEV} is missing")
    for p in demo_paths():
        lines.append({"id": p.stem, "text": p.read_text(encoding="utf-8")})
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    return path


def _store_rows(db: Path) -> list[tuple]:
    """Everything a store holds that does not depend on when or in which order it was written."""
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute(
            "SELECT d.content_hash, d.id, d.published, d.source, a.layer, a.seq, a.start_char, a.end_char, a.label, "
            "a.component, a.component_version, a.data FROM annotations a JOIN documents d ON d.doc_key = a.doc_key"
        ).fetchall()) + sorted(conn.execute(
            "SELECT d.content_hash, r.seq, r.event_type, r.sub_event_type, r.fatalities, r.latitude FROM event_records r "
            "JOIN documents d ON d.doc_key = r.doc_key").fetchall())
    finally:
        conn.close()


def test_dask_output_and_store_equal_the_local_run(corpus: Path, tmp_path: Path) -> None:
    local = _cli("extract", corpus, "--db", tmp_path / "local.db")
    assert local.returncode == 0, local.stderr
    dask = _cli("extract", corpus, "--db", tmp_path / "dask.db", "--engine", "dask", "--workers", "2",
                "--parquet", tmp_path / "pq")
    assert dask.returncode == 0, dask.stderr
    assert "Traceback" not in dask.stderr and "extract (dask):" in dask.stderr
    assert dask.stdout == local.stdout  # the same JSONL, in input order
    n = len(local.stdout.splitlines())
    assert n >= 50
    assert _store_rows(tmp_path / "dask.db") == _store_rows(tmp_path / "local.db")

    # Parquet: one folder per day, as many events as the store holds
    import pyarrow.dataset as ds

    events = ds.dataset(tmp_path / "pq" / "events", format="parquet", partitioning="hive").to_table()
    conn = sqlite3.connect(tmp_path / "dask.db")
    assert events.num_rows == conn.execute("SELECT COUNT(*) FROM event_records").fetchone()[0]
    docs = ds.dataset(tmp_path / "pq" / "documents", format="parquet", partitioning="hive").to_table()
    assert docs.num_rows == n
    days = {p.name for p in (tmp_path / "pq" / "events").iterdir()}
    assert len(days) > 3 and all(d.startswith("date=") for d in days)

    # running again stores nothing twice
    again = _cli("ingest", corpus, "--db", tmp_path / "dask.db", "--engine", "dask")
    assert again.returncode == 0, again.stderr
    assert f"0 stored, {n} already stored" in again.stderr
    assert _store_rows(tmp_path / "dask.db") == _store_rows(tmp_path / "local.db")


def test_a_worker_killed_mid_partition_loses_nothing(corpus: Path, tmp_path: Path) -> None:
    from marsad.distributed import Cluster, run_dask
    from marsad.io.readers import read_documents

    ids = [json.loads(line)["id"] for line in corpus.read_text(encoding="utf-8").splitlines()]
    victim = ids[len(ids) // 2]
    marker = tmp_path / "died"
    os.environ["MARSAD_FAULT_EXIT_AT"] = victim
    os.environ["MARSAD_FAULT_MARKER"] = str(marker)
    try:
        with Cluster(workers=2) as cluster:  # the workers inherit the fault
            report = run_dask(read_documents([str(corpus)]), store=str(tmp_path / "k.db"), partition_size=5,
                              cluster=cluster)
    finally:
        del os.environ["MARSAD_FAULT_EXIT_AT"], os.environ["MARSAD_FAULT_MARKER"]
    assert marker.exists(), "the worker was never killed: the test would prove nothing"
    assert report.failed == 0 and report.documents == len(ids)
    conn = sqlite3.connect(tmp_path / "k.db")
    stored = conn.execute("SELECT id FROM documents").fetchall()
    assert sorted(i for (i,) in stored) == sorted(ids)  # every document, once
    assert conn.execute("SELECT COUNT(*) FROM (SELECT doc_key, layer, seq FROM annotations GROUP BY doc_key, layer, "
                        "seq HAVING COUNT(*) > 1) x").fetchone()[0] == 0
    assert report.stored == len(ids)
    assert "OPENBLAS_NUM_THREADS" not in os.environ or os.environ.get("OPENBLAS_NUM_THREADS") == _OPENBLAS


def test_a_remote_scheduler_by_address(corpus: Path, tmp_path: Path) -> None:
    from distributed import LocalCluster

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for p in demo_paths():
        (seeds / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    environ = dict(os.environ)  # Dask writes its workers' settings into os.environ: keep them out of later tests
    try:
        with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
            r = _cli("extract", seeds, "--engine", "dask", "--scheduler", cluster.scheduler_address)
    finally:
        os.environ.clear()
        os.environ.update(environ)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 2
    bad = _cli("extract", seeds, "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1")
    assert bad.returncode == 2 and "cannot reach the Dask scheduler" in bad.stderr and "Traceback" not in bad.stderr
    memory = _cli("ingest", seeds, "--db", ":memory:", "--engine", "dask")
    assert memory.returncode == 2 and ":memory:" in memory.stderr
    local_parquet = _cli("extract", seeds, "--parquet", tmp_path / "x")
    assert local_parquet.returncode == 2 and "--engine dask" in local_parquet.stderr


def test_pending_documents_are_re_extracted_on_dask(corpus: Path, tmp_path: Path) -> None:
    local = _cli("ingest", corpus, "--db", tmp_path / "p.db")
    assert local.returncode == 0, local.stderr
    before = _store_rows(tmp_path / "p.db")
    conn = sqlite3.connect(tmp_path / "p.db")
    n = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    conn.execute("UPDATE extractions SET pipeline = 'an older pipeline' WHERE doc_key % 3 = 0")
    stale = conn.execute("SELECT COUNT(*) FROM extractions WHERE pipeline = 'an older pipeline'").fetchone()[0]
    conn.execute("DELETE FROM annotation_layers WHERE doc_key % 3 = 0 AND layer = 'events'")  # as an old pipeline left it
    conn.commit()
    conn.close()
    r = _cli("ingest", "--pending", "--db", tmp_path / "p.db", "--engine", "dask")
    assert r.returncode == 0, r.stderr
    assert f"{stale} pending, {stale} re-extracted" in r.stderr
    assert _store_rows(tmp_path / "p.db") == before
    again = _cli("ingest", "--pending", "--db", tmp_path / "p.db", "--engine", "dask")
    assert "0 pending" in again.stderr
    everything = _cli("ingest", "--pending", "--force", "--db", tmp_path / "p.db")
    assert f"{n} pending, {n} re-extracted" in everything.stderr
    both = _cli("ingest", str(corpus), "--pending", "--db", tmp_path / "p.db")
    assert both.returncode == 2 and "not both" in both.stderr
