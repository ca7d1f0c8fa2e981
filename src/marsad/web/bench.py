"""``marsad bench --serve``: how fast the web app answers over a large store, measured over HTTP.

Builds a store of N documents (default 10,000) from real text: a few dozen documents of the
built-in corpus are extracted once, then copied with their annotations under new ids, outlets and
publication days (each copy's text differs by a line at its end, which leaves every offset valid),
so the store holds as many events and annotations as N extracted articles would. The app then
runs on a loopback port and each page is requested repeatedly; the report gives the median and
95th-percentile response times, server and client together.
"""

from __future__ import annotations

import http.client
import socket
import statistics
import tempfile
import threading
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

# What an analyst opens most: the map and the table, plain and filtered, and a deep page.
PAGES: tuple[tuple[str, str], ...] = (
    ("map", "/"),
    ("map, one type", "/?event_type=Battles"),
    ("map, a month", "/?date_from=2018-11-01&date_to=2018-11-30"),
    ("table", "/events"),
    ("table, by fatalities", "/events?sort=fatalities&order=desc"),
    ("table, one actor", "/events?actor=is"),
    ("table, page 100", "/events?page=100"),
    ("API events (50)", "/api/events"),
)
OUTLETS = ("Enab Baladi", "Syria TV", "Deir ez-Zor 24", "SANA", "Al-Modon", "Asharq Al-Awsat", "Al Jazeera",
           "Zaman al-Wasl")


def build_store(path: Path, n_docs: int, bases: int = 40, batch: int = 500) -> dict[str, Any]:
    """Fill a new store at ``path`` with ``n_docs`` documents copied from ``bases`` extracted ones."""
    from marsad.bench import builtin_corpus
    from marsad.document import Document
    from marsad.pipeline import default_pipeline
    from marsad.store import open_store

    pipeline = default_pipeline()
    t0 = time.perf_counter()
    extracted = [pipeline(d) for d in builtin_corpus(min(bases, n_docs))]
    extract_s = time.perf_counter() - t0
    first_day = date(2018, 1, 1)
    t0 = time.perf_counter()
    with open_store(path) as store:
        for start in range(0, n_docs, batch):
            with store.transaction():
                for i in range(start, min(n_docs, start + batch)):
                    base = extracted[i % len(extracted)]
                    meta = replace(base.meta, source=OUTLETS[i % len(OUTLETS)],
                                   published=first_day + timedelta(days=(i * 7) % 365))
                    doc = Document(base.text + f"\n#{i}", id=f"doc-{i:06d}", meta=meta)
                    doc.layers = {layer: list(anns) for layer, anns in base.layers.items()}
                    doc.tokens = base.tokens
                    store.save(doc, pipeline.signature)
        stats = store.stats()
    return {"documents": n_docs, "distinct_texts": len(extracted), "extract_s": round(extract_s, 1),
            "store_s": round(time.perf_counter() - t0, 1), "annotations": sum(stats["annotations"].values()),
            "events": stats["annotations"].get("events", 0)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def time_pages(db: Path, repeats: int = 20) -> dict[str, Any]:
    """Start the app over ``db`` and time each of :data:`PAGES` ``repeats`` times (after one warm-up)."""
    import uvicorn

    from marsad.web.app import create_app

    t0 = time.perf_counter()
    app = create_app(db)  # brings the stories up to date: the first start over a new store does that work
    startup_s = time.perf_counter() - t0
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    results: dict[str, Any] = {}
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for name, url in PAGES:
            times = []
            size = 0
            for i in range(repeats + 1):
                t = time.perf_counter()
                conn.request("GET", url)
                resp = conn.getresponse()
                body = resp.read()
                elapsed = (time.perf_counter() - t) * 1000
                if resp.status != 200:
                    raise RuntimeError(f"{url} answered {resp.status}: {body[:200]!r}")
                if i:  # the first request warms caches
                    times.append(elapsed)
                size = len(body)
            times.sort()
            results[name] = {"url": url, "median_ms": round(statistics.median(times), 1),
                             "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
                             "bytes": size}
        conn.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return {"startup_s": round(startup_s, 1), "pages": results}


def serve_benchmark(n_docs: int = 10_000, db: Path | None = None, repeats: int = 20) -> dict[str, Any]:
    """Build (or reuse, if ``db`` exists) a store of ``n_docs`` documents and time the pages over it."""
    if db is not None and db.exists():
        from marsad.store import open_store

        with open_store(db) as store:
            stats = store.stats()
        built = {"documents": stats["documents"], "reused": str(db), "events": stats["annotations"].get("events", 0)}
        return {"store": built, **time_pages(db, repeats)}
    with tempfile.TemporaryDirectory() as tmp:
        path = db or Path(tmp) / "bench-serve.db"
        built = build_store(path, n_docs)
        return {"store": built, **time_pages(path, repeats)}


__all__ = ["PAGES", "build_store", "serve_benchmark", "time_pages"]
