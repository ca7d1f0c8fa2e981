"""The distributed runner: the same pipeline on a Dask cluster, for backfills and large feeds.

``marsad extract ... --engine dask [--scheduler tcp://HOST:PORT]`` reads the inputs on the client
(so bad files are reported exactly as in a local run), cuts the documents into partitions and
sends each to a worker, which runs the pipeline (loaded once per worker process) and writes the
whole partition to the store in one transaction, and/or to Parquet files partitioned by date.
Without ``--scheduler`` a local cluster of worker processes is started and stopped.

Why it is safe to retry: a document is its content hash, so writing a partition twice stores
nothing twice; a partition is committed all at once or not at all; Parquet files are named by
their partition's content and written by rename. So when a worker dies mid-partition, Dask runs
the partition again elsewhere and nothing is lost or duplicated.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections import deque
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from marsad.document import Document, DocumentMeta, coerce_date
from marsad.errors import ConfigError, MarsadError, PipelineError
from marsad.io.readers import ReadResult
from marsad.runner import RunReport

PARTITION_SIZE = 50
# Fault injection for the tests: the worker exits (as if killed) before committing the partition
# that holds this document id, once (the marker file records that it happened).
FAULT_EXIT_AT = "MARSAD_FAULT_EXIT_AT"
FAULT_MARKER = "MARSAD_FAULT_MARKER"

_INT_COLUMNS = {"year", "time_precision", "inter1", "inter2", "interaction", "iso", "fatalities", "geo_precision",
                "marsad_evidence_start", "marsad_evidence_end", "marsad_geonameid"}
_FLOAT_COLUMNS = {"latitude", "longitude", "marsad_confidence"}
_BOOL_COLUMNS = {"marsad_attributed"}


def _record(doc: Document) -> dict[str, Any]:
    """A document as plain data (what crosses to a worker)."""
    meta = asdict(doc.meta)
    meta["published"] = doc.meta.published.isoformat() if doc.meta.published else None
    return {"id": doc.id, "text": doc.text, "meta": meta}


def _document(record: dict[str, Any]) -> Document:
    meta = dict(record["meta"])
    meta["published"] = coerce_date(meta.get("published"))
    return Document(record["text"], id=record["id"], meta=DocumentMeta(**meta))


def _partition_key(records: list[dict[str, Any]]) -> str:
    h = hashlib.sha256()
    for r in records:
        h.update(Document(r["text"]).content_hash.encode())
    return h.hexdigest()[:20]


# -- on the worker -----------------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _pipeline() -> Any:
    """The pipeline, built once per worker process (models load on its first document)."""
    if "pipeline" not in _WORKER:
        from marsad.pipeline import default_pipeline

        _WORKER["pipeline"] = default_pipeline()
    return _WORKER["pipeline"]


def _store(location: str) -> Any:
    stores = _WORKER.setdefault("stores", {})
    if location not in stores:
        from marsad.store import open_store

        stores[location] = open_store(location)
    return stores[location]


def _maybe_die(records: list[dict[str, Any]]) -> None:
    target = os.environ.get(FAULT_EXIT_AT)
    marker = os.environ.get(FAULT_MARKER)
    if target and marker and any(r["id"] == target for r in records) and not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        os._exit(17)  # as a killed worker: no cleanup, no commit


def process_partition(records: list[dict[str, Any]], *, store: str | None = None, parquet: str | None = None,
                      force: bool = False, numbers: str = "counts", want_output: bool = False) -> dict[str, Any]:
    """Run the pipeline over one partition and write it; returns counts, errors and (if asked) the output."""
    pipeline = _pipeline()
    signature = pipeline.signature
    out: dict[str, Any] = {"processed": 0, "stored": 0, "unchanged": 0, "errors": [], "contracts": [],
                           "pipeline_s": 0.0, "write_s": 0.0}
    t_start = time.perf_counter()
    target = _store(store) if store else None
    done: list[Document] = []
    for record in records:
        doc = _document(record)
        if target is not None and not force and not want_output and not parquet \
                and target.is_current(doc.content_hash, signature):
            out["unchanged"] += 1
            continue
        try:
            pipeline(doc)
        except MarsadError as exc:
            out["errors"].append({"code": exc.code, "line": exc.one_line()})
            continue
        except Exception as exc:  # noqa: BLE001 - one document's bug never loses the partition
            error = PipelineError(f"{type(exc).__name__}: {exc}", origin=doc.id)
            out["errors"].append({"code": error.code, "line": error.one_line()})
            continue
        out["processed"] += 1
        done.append(doc)
        if want_output:
            out["contracts"].append(doc.to_contract(numbers=numbers))
    _maybe_die(records)
    out["pipeline_s"] = time.perf_counter() - t_start
    t_write = time.perf_counter()
    if target is not None and done:
        with target.transaction():
            for doc in done:
                if not force and target.is_current(doc.content_hash, signature):
                    out["unchanged"] += 1
                else:
                    target.save(doc, signature)
                    out["stored"] += 1
    if parquet and done:
        write_parquet(Path(parquet), done, _partition_key(records))
    out["write_s"] = time.perf_counter() - t_write
    return out


def process_stored(hashes: list[str], *, store: str, parquet: str | None = None) -> dict[str, Any]:
    """Re-extract stored documents (by content hash) and replace their annotations, in one transaction."""
    target = _store(store)
    records = []
    for h in hashes:
        doc = target.get(h)
        records.append(_record(Document(doc.text, id=doc.id, meta=doc.meta)))
    return process_partition(records, store=store, parquet=parquet, force=True)


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if v is None:
            out[k] = None
        elif k in _INT_COLUMNS:
            out[k] = int(v)
        elif k in _FLOAT_COLUMNS:
            out[k] = float(v)
        elif k in _BOOL_COLUMNS:
            out[k] = bool(v)
        else:
            out[k] = str(v)
    return out


def _schema() -> Any:
    import pyarrow as pa

    from marsad.exports import ACLED_COLUMNS

    def kind(name: str) -> Any:
        if name in _INT_COLUMNS:
            return pa.int64()
        if name in _FLOAT_COLUMNS:
            return pa.float64()
        if name in _BOOL_COLUMNS:
            return pa.bool_()
        return pa.string()

    return pa.schema([(name, kind(name)) for name in ACLED_COLUMNS])


def write_parquet(folder: Path, docs: list[Document], part: str) -> list[Path]:
    """The partition's events (ACLED rows) and documents as Parquet, one file per day.

    Layout: ``events/date=YYYY-MM-DD/part-<key>.parquet`` (by event date; ``date=unknown`` when
    none) and ``documents/date=.../part-<key>.parquet`` (by publication date, with the JSONL
    contract of each document). Written to a temporary name and renamed: a retried partition
    replaces its own files, never adds to them.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from marsad.exports import event_rows

    by_day: dict[str, list[dict[str, Any]]] = {}
    for row in event_rows(docs):
        day = (row.get("event_date") or "unknown")[:10]
        by_day.setdefault(day if len(day) == 10 else "unknown", []).append(_typed(row))
    docs_by_day: dict[str, list[dict[str, Any]]] = {}
    import json

    for doc in docs:
        day = doc.meta.published.isoformat() if doc.meta.published else "unknown"
        docs_by_day.setdefault(day, []).append({
            "id": doc.id, "content_hash": doc.content_hash, "source": doc.meta.source, "url": doc.meta.url,
            "published": doc.meta.published.isoformat() if doc.meta.published else None,
            "events": len(doc.layer("events")), "contract": json.dumps(doc.to_contract(), ensure_ascii=False),
        })
    written = []
    schema = _schema()
    doc_schema = pa.schema([("id", pa.string()), ("content_hash", pa.string()), ("source", pa.string()),
                            ("url", pa.string()), ("published", pa.string()), ("events", pa.int64()),
                            ("contract", pa.string())])
    for kind, groups, sch in (("events", by_day, schema), ("documents", docs_by_day, doc_schema)):
        for day, rows in groups.items():
            target = folder / kind / f"date={day}" / f"part-{part}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
            pq.write_table(pa.Table.from_pylist(rows, schema=sch), tmp)
            os.replace(tmp, target)
            written.append(target)
    return written


# -- on the client -------------------------------------------------------------------------------------
def _partitions(results: Iterable[ReadResult], size: int, on_error: Callable[[MarsadError], None],
                report: RunReport) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for result in results:
        if isinstance(result, MarsadError):
            report.failed += 1
            report.errors.append(result)
            on_error(result)
            continue
        report.documents += 1
        batch.append(_record(result))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Cluster:
    """A Dask client: connected to ``scheduler``, or to a local cluster of ``workers`` processes it starts."""

    def __init__(self, scheduler: str | None = None, workers: int = 2) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError("--engine dask needs Dask: pip install 'marsad[dask]'") from None
        self.local = None
        # Dask sets thread counts and a hash seed for its workers in os.environ, at start and at each
        # worker restart; they must not leak into the caller's process or its subprocesses.
        self._environ = dict(os.environ)
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="20s")
            except OSError as exc:
                raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        else:
            try:
                # Only critical logs from distributed itself: a worker's heartbeat that misses the
                # scheduler on a busy machine, or as the cluster closes, is logged as an ERROR with a
                # traceback that says nothing about the work. What fails in the work reaches the
                # client as an exception, and marsad reports it per document.
                self.local = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                          dashboard_address=":0", silence_logs=logging.CRITICAL)
                self.client = Client(self.local)
            finally:
                self._restore_environ()

    def _restore_environ(self) -> None:
        if os.environ != self._environ:
            os.environ.clear()
            os.environ.update(self._environ)

    def close(self) -> None:
        try:
            self.client.close()
            if self.local is not None:
                self.local.close()
        finally:
            self._restore_environ()

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_dask(
    results: Iterable[ReadResult],
    *,
    store: str | None = None,
    parquet: str | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    partition_size: int = PARTITION_SIZE,
    force: bool = False,
    numbers: str = "counts",
    on_output: Callable[[dict[str, Any]], None] | None = None,
    on_error: Callable[[MarsadError], None] | None = None,
    cluster: Cluster | None = None,
) -> RunReport:
    """Process the read results on a Dask cluster; output (if asked) comes back in input order."""
    report = RunReport()
    started = time.perf_counter()
    errors_seen = on_error or (lambda e: None)
    own = cluster is None
    cluster = cluster or Cluster(scheduler, workers)
    # What was stored is counted in the store, not from the workers' answers: a partition whose
    # worker died after committing runs again and then finds its documents already stored.
    hashes: list[str] = []
    before = 0
    ledger = None
    if store:
        from marsad.pipeline import default_pipeline
        from marsad.store import open_store

        ledger = open_store(store)
        signature = default_pipeline().signature
    try:
        client = cluster.client
        # A bounded window of partitions in flight: the client never holds the whole corpus (a
        # million-article backfill streams through), and results come back in input order.
        try:
            n_workers = len(client.scheduler_info().get("workers", {})) or workers
        except Exception:  # noqa: BLE001 - an older scheduler: assume the requested size
            n_workers = workers
        window = max(4, 4 * n_workers)
        in_flight: deque[Any] = deque()

        def drain_one() -> None:
            out = in_flight.popleft().result()
            report.processed += out["processed"]
            report.stored += out["stored"]
            report.unchanged += out["unchanged"]
            report.pipeline_seconds += out.get("pipeline_s", 0.0)
            report.write_seconds += out.get("write_s", 0.0)
            for e in out["errors"]:
                error = PipelineError(e["line"])
                error.code = e["code"]
                report.failed += 1
                report.errors.append(error)
                errors_seen(_Reported(e["line"], e["code"]))
            if on_output is not None:
                for contract in out["contracts"]:
                    on_output(contract)

        for i, part in enumerate(_partitions(results, partition_size, errors_seen, report)):
            if ledger is not None:
                for record in part:
                    h = Document(record["text"]).content_hash
                    hashes.append(h)
                    before += bool(not force and ledger.is_current(h, signature))
            in_flight.append(client.submit(
                process_partition, part, store=store, parquet=parquet, force=force, numbers=numbers,
                want_output=on_output is not None, key=f"marsad-partition-{i}-{_partition_key(part)}",
                retries=3, pure=False,
            ))
            if len(in_flight) >= window:
                drain_one()
        while in_flight:
            drain_one()
        if ledger is not None:
            now = sum(bool(ledger.is_current(h, signature)) for h in set(hashes))
            report.unchanged = before
            report.stored = max(0, now - (before if not force else 0)) if not force else report.stored
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        if own:
            cluster.close()
        if ledger is not None:
            ledger.close()
        report.seconds = time.perf_counter() - started
    return report


class _Reported(MarsadError):
    """An error a worker met, already formatted there."""

    def __init__(self, line: str, code: str) -> None:
        super().__init__(line)
        self.code = code
        self._line = line

    def one_line(self) -> str:
        return self._line


def run_dask_pending(store: str, *, parquet: str | None = None, scheduler: str | None = None, workers: int = 2,
                     partition_size: int = PARTITION_SIZE, everything: bool = False,
                     on_error: Callable[[MarsadError], None] | None = None, cluster: Cluster | None = None) -> RunReport:
    """Re-extract the store's pending documents (see :meth:`marsad.store.base.Store.pending`) on Dask.

    The partitions are lists of content hashes: workers read the documents from the store
    themselves (a PostgreSQL store is the natural home of a shared backlog).
    """
    from marsad.pipeline import default_pipeline
    from marsad.store import open_store

    report = RunReport()
    started = time.perf_counter()
    with open_store(store) as ledger:
        hashes = ledger.pending(default_pipeline().signature, everything=everything)
    own = cluster is None
    cluster = cluster or Cluster(scheduler, workers)
    try:
        futures = [
            cluster.client.submit(process_stored, hashes[i:i + partition_size], store=store, parquet=parquet,
                                  key=f"marsad-stored-{i}-{hashlib.sha256(''.join(hashes[i:i + partition_size]).encode()).hexdigest()[:16]}",
                                  retries=3, pure=False)
            for i in range(0, len(hashes), partition_size)
        ]
        report.documents = len(hashes)
        for future in futures:
            out = future.result()
            report.processed += out["processed"]
            report.stored += out["stored"]
            for e in out["errors"]:
                report.failed += 1
                if on_error:
                    on_error(_Reported(e["line"], e["code"]))
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        if own:
            cluster.close()
        report.seconds = time.perf_counter() - started
    return report


def parquet_days(folder: str | Path) -> list[str]:
    """The days an events Parquet folder holds (``date=`` partitions), sorted."""
    base = Path(folder) / "events"
    return sorted(p.name.split("=", 1)[1] for p in base.glob("date=*") if p.is_dir())


__all__ = ["Cluster", "PARTITION_SIZE", "parquet_days", "process_partition", "process_stored", "run_dask",
           "run_dask_pending", "write_parquet"]

