"""Commands over documents: ingest, extract, show, export."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from enum import Enum
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer

from marsad.cli.app import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    ProgressReporter,
    app,
    count_inputs,
    db_option,
    err,
    fail,
    open_store_or_fail,
    run_guarded,
    write_jsonl,
)
from marsad.document import Document
from marsad.errors import MarsadError

INPUTS_HELP = "Files (.txt, .jsonl, .html), directories (read recursively) or - for standard input."


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    summary = "summary"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


ENGINE_HELP = "local: this process; dask: partitions on a Dask cluster (with the dask extra)."


def engine_options() -> dict[str, Any]:
    """The options every processing command shares for the distributed runner."""
    return {
        "engine": typer.Option(Engine.local, "--engine", help=ENGINE_HELP),
        "scheduler": typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://HOST:PORT); without it "
                                  "--engine dask starts a local cluster."),
        "workers": typer.Option(2, "--workers", min=1, help="Worker processes of the local Dask cluster."),
        "parquet": typer.Option(None, "--parquet", help="With --engine dask: also write events and documents as "
                                "Parquet under this folder, partitioned by date."),
    }


def _input_options(encoding: Optional[str], max_bytes: Optional[int], published: Optional[str]) -> dict[str, Any]:
    from marsad.document import coerce_date

    if max_bytes is not None and max_bytes <= 0:
        fail("--max-bytes must be positive")
    try:
        day = coerce_date(published, what="--published")
    except ValueError as exc:
        fail(str(exc))
    if encoding:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            fail(f"unknown encoding {encoding!r} for --encoding")
    return {"encoding": encoding, "max_bytes": max_bytes, "published": day}


def process(
    inputs: List[str],
    *,
    store: Any,
    label: str,
    options: dict[str, Any],
    on_document: Optional[Callable[[Document], None]] = None,
    force: bool = False,
    distributed: Optional[dict[str, Any]] = None,
) -> int:
    """Read, run the pipeline, store and/or emit; report problems line by line. Returns the exit code."""
    from marsad.io.readers import read_documents
    from marsad.runner import run

    if distributed and distributed.get("engine") is Engine.dask:
        return _process_dask(inputs, store=store, label=label, options=options, force=force, **distributed)
    if distributed and distributed.get("parquet"):
        fail("--parquet needs --engine dask")
    with ProgressReporter(label, total=count_inputs(inputs)) as progress:

        def on_error(error: MarsadError) -> None:
            progress.log(error.one_line())

        report = run(
            read_documents(inputs, **options),
            store=store,
            force=force,
            on_document=on_document,
            on_error=on_error,
            on_warning=progress.log,
            on_progress=lambda r: progress.update(r.documents + r.failed),
        )
    parts, where = _counts(report, store)
    if report.interrupted:
        err(f"interrupted: {', '.join(parts)}{where}; run the same command again to finish")
        return EXIT_INTERRUPTED
    if store is not None or report.failed:
        err(f"{label}: {', '.join(parts)}{where} ({report.seconds:.2f}s)")
    return EXIT_SOME_FAILED if report.failed else EXIT_OK


def _counts(report: Any, store: Any, *extra: str) -> tuple[list[str], str]:
    """The parts of a run's summary line (read, stored, already stored, failed) and where it stored."""
    parts = [f"{report.documents} read", *extra]
    if store is not None:
        parts.append(f"{report.stored} stored")
        if report.unchanged:
            parts.append(f"{report.unchanged} already stored")
    if report.failed:
        parts.append(f"{report.failed} failed")
    return parts, (f" in {store.location}" if store is not None else "")


def _process_dask(inputs: List[str], *, store: Any, label: str, options: dict[str, Any], force: bool,
                  engine: Engine, scheduler: Optional[str], workers: int, parquet: Optional[str],
                  output: Optional[Callable[[dict[str, Any]], None]] = None, numbers: str = "counts") -> int:
    from marsad.distributed import run_dask
    from marsad.io.readers import read_documents

    location = getattr(store, "url", None) or (store.location if store is not None else None)
    if location == ":memory:":
        fail("--engine dask needs a store its workers can open: a file or a postgresql:// URL, not :memory:")
    report = run_dask(read_documents(inputs, **options), store=location, parquet=parquet, scheduler=scheduler,
                      workers=workers, force=force, numbers=numbers, on_output=output,
                      on_error=lambda e: err(e.one_line()))
    parts, where = _counts(report, store, f"{report.processed} processed")
    if parquet:
        parts.append(f"Parquet in {parquet}")
    if report.interrupted:
        err(f"interrupted: {', '.join(parts)}{where}; run the same command again to finish")
        return EXIT_INTERRUPTED
    err(f"{label} (dask): {', '.join(parts)}{where} ({report.seconds:.2f}s; on the workers "
        f"{report.pipeline_seconds:.1f}s pipeline, {report.write_seconds:.1f}s writing)")
    return EXIT_SOME_FAILED if report.failed else EXIT_OK


def _pending(store: Any, *, force: bool, engine: Engine, scheduler: Optional[str], workers: int,
             parquet: Optional[str]) -> int:
    """Re-extract stored documents, locally or on Dask."""
    from marsad.pipeline import default_pipeline

    if engine is Engine.dask:
        from marsad.distributed import run_dask_pending

        location = getattr(store, "url", None) or store.location
        if location == ":memory:":
            fail("--engine dask needs a store its workers can open: a file or a postgresql:// URL, not :memory:")
        report = run_dask_pending(location, parquet=parquet, scheduler=scheduler, workers=workers, everything=force,
                                  on_error=lambda e: err(e.one_line()))
    else:
        if parquet:
            fail("--parquet needs --engine dask")
        from marsad.document import Document as Doc
        from marsad.runner import run

        hashes = store.pending(default_pipeline().signature, everything=force)

        def fresh() -> Any:
            for h in hashes:
                old = store.get(h)
                yield Doc(old.text, id=old.id, meta=old.meta)

        report = run(fresh(), store=store, force=True, on_error=lambda e: err(e.one_line()))
    if report.interrupted:
        err(f"interrupted: {report.stored} of {report.documents} pending documents re-extracted in {store.location}; "
            "run the same command again to finish")
        return EXIT_INTERRUPTED
    err(f"ingest --pending: {report.documents} pending, {report.stored} re-extracted"
        + (f", {report.failed} failed" if report.failed else "") + f" in {store.location} ({report.seconds:.2f}s)")
    return EXIT_SOME_FAILED if report.failed else EXIT_OK


@app.command()
def ingest(
    inputs: Optional[List[str]] = typer.Argument(None, help=INPUTS_HELP + " Not with --pending.", show_default=False),
    pending: bool = typer.Option(False, "--pending", help="Instead of reading inputs, re-extract the stored documents "
                                 "the current pipeline has not (all of them with --force): a backfill after the rules "
                                 "improved."),
    db: Optional[str] = db_option("SQLite store to write."),
    force: bool = typer.Option(False, "--force", help="Re-extract documents already stored by this pipeline."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Decode inputs with this encoding instead of detecting it."),
    max_bytes: Optional[int] = typer.Option(None, "--max-bytes", help="Refuse inputs larger than this [default: $MARSAD_MAX_BYTES or 20000000]."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for documents that carry none."),
    engine: Engine = engine_options()["engine"],
    scheduler: Optional[str] = engine_options()["scheduler"],
    workers: int = engine_options()["workers"],
    parquet: Optional[str] = engine_options()["parquet"],
) -> None:
    """Read documents, run the pipeline and store them with their annotations (idempotent)."""

    def body() -> int:
        if pending and inputs:
            fail("give inputs or --pending, not both")
        if not pending and not inputs:
            fail("give the files to ingest (or --pending to re-extract stored documents)")
        options = _input_options(encoding, max_bytes, published)
        store = open_store_or_fail(db)
        distributed = {"engine": engine, "scheduler": scheduler, "workers": workers, "parquet": parquet}
        try:
            if pending:
                return _pending(store, force=force, **distributed)
            return process(inputs or [], store=store, label="ingest", options=options, force=force,
                           distributed=distributed)
        finally:
            store.close()

    raise typer.Exit(run_guarded(body))


@app.command()
def extract(
    inputs: List[str] = typer.Argument(..., help=INPUTS_HELP, show_default=False),
    output_format: OutputFormat = typer.Option(OutputFormat.jsonl, "--format", "-f", help="jsonl: one object per document (CONTRACT.md); summary: a line per document."),
    save: bool = typer.Option(False, "--save", help="Also write the documents to the store (--db)."),
    db: Optional[str] = db_option("SQLite store to write with --save (giving --db implies --save)."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Decode inputs with this encoding instead of detecting it."),
    max_bytes: Optional[int] = typer.Option(None, "--max-bytes", help="Refuse inputs larger than this [default: $MARSAD_MAX_BYTES or 20000000]."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date (YYYY-MM-DD) for documents that carry none."),
    numbers: Optional[str] = typer.Option(None, "--numbers", help="counts: numbers that may count people (no date parts, ordinals, "
                                          "percentages or counts of things); all: every number expression; people: counts "
                                          "of people only (the event guideline's numbers) [default: $MARSAD_NUMBERS or counts]."),
    engine: Engine = engine_options()["engine"],
    scheduler: Optional[str] = engine_options()["scheduler"],
    workers: int = engine_options()["workers"],
    parquet: Optional[str] = engine_options()["parquet"],
) -> None:
    """Run the pipeline and print what it found, in input order, to standard output."""
    from marsad.settings import NUMBER_CHOICES, settings

    which = numbers or settings().numbers
    if which not in NUMBER_CHOICES:
        fail(f"--numbers must be one of {', '.join(NUMBER_CHOICES)}, not {which!r}")

    def emit(doc: Document) -> None:
        if output_format is OutputFormat.jsonl:
            write_jsonl(doc.to_contract(numbers=which))
        else:
            counts = ", ".join(f"{len(v)} {k}" for k, v in doc.layers.items())
            tokens = len(doc.tokens) if doc.tokens is not None else 0
            sys.stdout.write(f"{doc.id}\t{len(doc.text)} chars, {tokens} tokens, {counts}\n")

    def emit_contract(contract: dict[str, Any]) -> None:
        if output_format is OutputFormat.jsonl:
            write_jsonl(contract)
        else:
            counts = ", ".join(f"{len(v)} {k}" for k, v in contract.items() if isinstance(v, list))
            sys.stdout.write(f"{contract['id']}\t{counts}\n")

    def body() -> int:
        options = _input_options(encoding, max_bytes, published)
        store = open_store_or_fail(db) if (save or db is not None) else None
        try:
            if engine is Engine.dask:
                return _process_dask(inputs, store=store, label="extract", options=options, force=False,
                                     engine=engine, scheduler=scheduler, workers=workers, parquet=parquet,
                                     output=emit_contract, numbers=which)
            if parquet:
                fail("--parquet needs --engine dask")
            return process(inputs, store=store, label="extract", options=options, on_document=emit)
        finally:
            sys.stdout.flush()
            if store is not None:
                store.close()

    raise typer.Exit(run_guarded(body))


@app.command()
def show(
    ref: Optional[str] = typer.Argument(None, help="Document id or content hash (prefix); omit to list documents.", show_default=False),
    db: Optional[str] = db_option("SQLite store to read."),
    layer: Optional[List[str]] = typer.Option(None, "--layer", "-l", help="Only highlight these layers (repeatable)."),
) -> None:
    """Show a stored document with its annotations highlighted (or list the stored documents)."""
    from marsad.cli.render import render_document, render_listing

    def body() -> int:
        store = open_store_or_fail(db)
        try:
            if ref is None:
                render_listing(store)
            else:
                render_document(store.get(ref), layers=layer or None)
            return EXIT_OK
        finally:
            store.close()

    raise typer.Exit(run_guarded(body))


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    acled_csv = "acled-csv"
    geojson = "geojson"


EXPORT_FORMAT_HELP = (
    "jsonl: the extract contract, one document per line; "
    "acled-csv: one row per event in ACLED's columns (then marsad's), UTF-8 CSV with a header; "
    "geojson: a FeatureCollection with a Point per located event."
)


@app.command()
def export(
    db: Optional[str] = db_option("SQLite store to read."),
    output_format: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", "-f", help=EXPORT_FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output."),
    review: str = typer.Option("active", "--review",
                               help="Which events (acled-csv, geojson): active (all but those an analyst rejected), "
                                    "all, unreviewed, reviewed, confirmed, corrected, rejected."),
) -> None:
    """Export every stored document with its annotations, or its events as ACLED CSV or GeoJSON.

    Events carry analysts' reviews: corrected values replace the machine's, and the review columns
    say who changed what (and what the machine had said).
    """
    import json

    from marsad import exports

    def body() -> int:
        from marsad.query import EventQuery

        query = EventQuery.from_params({"review": review, "sort": "stored", "order": "asc"})
        store = open_store_or_fail(db)
        tmp = None
        try:
            if output is not None:
                tmp = output.with_name(output.name + ".partial")
                # newline="": the csv module writes RFC 4180's CRLF itself
                newline = "" if output_format is ExportFormat.acled_csv else None
                stream = tmp.open("w", encoding="utf-8", newline=newline)
            else:
                stream = sys.stdout
            with stream if output is not None else nullcontext():
                if output_format is ExportFormat.jsonl:
                    n = 0
                    for doc in store.iter_documents():
                        write_jsonl(doc.to_contract(), stream)
                        n += 1
                    what = f"{n} documents"
                elif output_format is ExportFormat.acled_csv:
                    n = exports.write_acled_csv(store.export_rows(query), stream, exports.export_columns())
                    what = f"{n} events"
                else:
                    collection = exports.features_from_rows(store.export_rows(query))
                    stream.write(json.dumps(collection, ensure_ascii=False) + "\n")
                    n = len(collection["features"])
                    skipped = collection["marsad_skipped_unlocated"]
                    what = f"{n} located events" + (f" ({skipped} without coordinates left out)" if skipped else "")
            if tmp is not None and output is not None:
                tmp.replace(output)  # complete or not at all
                err(f"export: {what} to {output}")
            return EXIT_OK
        except OSError as exc:
            if output is None:
                if isinstance(exc, BrokenPipeError):
                    raise  # the reader went away (| head): run_guarded makes that a quiet exit
                fail(f"cannot write to standard output: {exc.strerror or exc}")
            fail(f"cannot write {output}: {exc.strerror or exc}")
        finally:
            if tmp is not None and tmp.exists():
                tmp.unlink()
            store.close()

    raise typer.Exit(run_guarded(body))
