"""``marsad bench --scale``: throughput and memory as the corpus grows, locally and on Dask.

Each measurement is a real ``marsad ingest`` run in its own process (so memory is that run's,
not what earlier runs left behind) into a new SQLite store, over a synthetic corpus made from
real text: news-report-sized documents of two paragraphs of the demo articles, rotated, each with
a line of its own and a publication day, so no two are the same document. Engines: ``local`` (one
process) and ``dask-N`` (a local Dask cluster of N worker processes).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable

DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_ENGINES = ("local", "dask-1", "dask-2")


SHARD = 10_000  # documents per JSONL file: a large corpus is a folder of files, as feeds and archives are


def write_corpus(path: Path, n_docs: int) -> dict[str, Any]:
    """A corpus of ``n_docs`` distinct report-sized documents from the demo articles' paragraphs:
    a folder ``path`` of JSONL files of :data:`SHARD` documents each."""
    from marsad.io.demo import demo_paths

    paragraphs = [p for d in demo_paths() for p in d.read_text(encoding="utf-8").split("\n") if len(p.split()) > 15]
    first = date(2018, 1, 1)
    words = 0
    path.mkdir(parents=True, exist_ok=True)
    f = None
    try:
        for i in range(n_docs):
            if i % SHARD == 0:
                if f is not None:
                    f.close()
                f = (path / f"part-{i // SHARD:04d}.jsonl").open("w", encoding="utf-8")
            k = i % len(paragraphs)
            j = (i // len(paragraphs) + k + 1) % len(paragraphs)
            text = f"{paragraphs[k]}\n{paragraphs[j]}\nتقرير رقم {i}"
            words += len(text.split())
            f.write(json.dumps({"id": f"scale-{i:07d}", "text": text, "source": f"outlet-{i % 12}",
                                "published": (first + timedelta(days=i % 365)).isoformat()},
                               ensure_ascii=False) + "\n")
    finally:
        if f is not None:
            f.close()
    return {"documents": n_docs, "words_per_document": round(words / max(1, n_docs), 1)}


def measure(corpus: Path, db: Path, engine: str) -> dict[str, Any]:
    """One ingest run: wall time, documents/s, peak memory of its largest process, documents stored."""
    cmd = [sys.executable, "-m", "marsad", "ingest", str(corpus), "--db", str(db)]
    if engine.startswith("dask-"):
        cmd += ["--engine", "dask", "--workers", engine.split("-", 1)[1]]
    elif engine != "local":
        from marsad.errors import ConfigError

        raise ConfigError(f"unknown engine {engine!r}: local or dask-N")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env["MARSAD_BATCH_SIZE"] = "500"
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stderr = proc.stderr.read() if proc.stderr else b""  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        from marsad.errors import MarsadError

        last = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise MarsadError(f"`marsad ingest` ({engine}) failed with exit {proc.returncode}: {last[0]}")
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        stored = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        events = conn.execute("SELECT COUNT(*) FROM event_records").fetchone()[0]
    finally:
        conn.close()
    return {"engine": engine, "seconds": round(seconds, 1), "docs_per_second": round(stored / seconds, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "stored": stored, "events": events}


def run_scale(sizes: Iterable[int] = DEFAULT_SIZES, engines: Iterable[str] = DEFAULT_ENGINES,
              workdir: Path | None = None, on_result: Any = None) -> list[dict[str, Any]]:
    """Every (size, engine) measurement, smallest corpus first."""
    results = []
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for size in sizes:
            corpus = Path(tmp) / f"corpus-{size}"
            info = write_corpus(corpus, size)
            for engine in engines:
                db = Path(tmp) / f"{engine}-{size}.db"
                row = {"documents": size, "words_per_document": info["words_per_document"], **measure(corpus, db, engine)}
                for suffix in ("", "-wal", "-shm"):
                    Path(str(db) + suffix).unlink(missing_ok=True)
                results.append(row)
                if on_result:
                    on_result(row)
    return results


__all__ = ["DEFAULT_ENGINES", "DEFAULT_SIZES", "measure", "run_scale", "write_corpus"]
