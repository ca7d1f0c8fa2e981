"""``marsad bench``: the speed and memory benchmark."""

from __future__ import annotations

import json
from typing import List, Optional

import typer

from marsad.cli.app import EXIT_OK, app, err, fail, run_guarded


@app.command()
def bench(
    inputs: Optional[List[str]] = typer.Argument(None, help="Files or directories to use instead of the built-in corpus.", show_default=False),
    docs: Optional[int] = typer.Option(None, "--docs", "-n", help="Number of documents to process [default: 2000; "
                                       "10,000 with --serve].", show_default=False),
    small: bool = typer.Option(False, "--small", help="A quick run (200 documents unless --docs says, no cold-start probe): for CI."),
    no_store: bool = typer.Option(False, "--no-store", help="Time the pipeline alone, without writing to a store."),
    no_spacy: bool = typer.Option(False, "--no-spacy", help="Skip the spaCy reference."),
    words: Optional[int] = typer.Option(None, "--words", help="Cut each built-in document after this many words "
                                        "(they average 462; e.g. 400 for a target stated per 400-word article).",
                                        show_default=False),
    until: Optional[str] = typer.Option(None, "--until", help="Run the pipeline only up to this component (e.g. "
                                        "text.tokens, expressions.numbers, knowledge.actors): the cost of a stage.",
                                        show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Print the numbers as one JSON object."),
    stories: bool = typer.Option(False, "--stories", help="Also time incremental story clustering at 1,000 and "
                                 "10,000 documents (ms per added document; about a minute)."),
    serve: bool = typer.Option(False, "--serve", help="Time the web app's map and table pages over HTTP on a store of "
                               "--docs documents (10,000 by default; a few minutes to build)."),
    serve_db: Optional[str] = typer.Option(None, "--serve-db", help="With --serve: keep the built store here (or "
                                           "reuse it if it exists)."),
    scale: bool = typer.Option(False, "--scale", help="Throughput and memory of `marsad ingest` at growing corpus sizes, "
                               "locally and on a local Dask cluster of 1 and 2 workers (100,000 documents take about "
                               "half an hour per engine)."),
    sizes: str = typer.Option("1000,10000,100000", "--sizes", help="With --scale: corpus sizes, comma-separated."),
    engines: str = typer.Option("local,dask-1,dask-2", "--engines", help="With --scale: local and/or dask-N, "
                                "comma-separated."),
) -> None:
    """Measure documents/s, tokens/s, latency, peak memory and cold start on one core."""
    from marsad.bench import builtin_corpus, corpus_from_files, run_bench

    def body() -> int:
        if scale:
            return _scale(sizes, engines, as_json)
        if serve:
            return _serve(docs or 10_000, serve_db, as_json)
        n = docs or (200 if small else 2000)  # --small with --docs: that many, still no cold-start probe
        if n <= 0:
            fail("--docs must be positive")
        if words is not None and (words <= 0 or inputs):
            fail("--words takes a positive number and applies to the built-in corpus only")
        if inputs:
            corpus, errors = corpus_from_files(inputs, n)
            for line in errors:
                err(line)
            if not corpus:
                fail("no readable documents in the given inputs")
            source = ", ".join(inputs)
        else:
            corpus = builtin_corpus(n, words)
            source = "built-in (the two demo articles, paragraphs rotated" + (f", cut at {words} words)" if words else ")")
        pipeline = _pipeline_until(until) if until else None
        result = run_bench(corpus, pipeline=pipeline, store=not no_store, spacy_reference=not no_spacy,
                           cold_start=not small)
        if stories:
            from marsad.bench import story_clustering_ms

            result.story_ms_per_document = story_clustering_ms()
        if as_json:
            typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
            return EXIT_OK
        from rich.console import Console
        from rich.table import Table

        stage = f", pipeline up to {until}" if until else ""
        table = Table("measure", "value", title=f"marsad bench: {result.documents} documents from {source}{stage}")
        rows = [
            ("documents/s (pipeline + store)" if result.store else "documents/s (pipeline)", f"{result.docs_per_second:,.0f}"),
            ("documents/s (pipeline alone)", f"{result.pipeline_docs_per_second:,.0f}"),
            ("tokens/s", f"{result.tokens_per_second:,.0f}"),
            ("words per document", f"{result.words_per_document:,.0f}"),
            ("latency p50 / p95 per document", f"{result.latency_ms_p50:.3f} / {result.latency_ms_p95:.3f} ms"),
        ]
        rows += [(f"  {name}", f"{ms:.4f} ms/doc (up to here: {result.docs_per_second_through[name]:,.0f} docs/s)")
                 for name, ms in result.component_ms_per_doc.items()]
        if result.store_ms_per_doc is not None:
            rows.append(("  store (SQLite, batched transactions)", f"{result.store_ms_per_doc:.4f} ms/doc"))
        rows.append(("peak RSS", f"{result.peak_rss_mb:,.1f} MB"))
        rows.append(("cold start (import + first document)", f"{result.cold_start_s:.3f} s" if result.cold_start_s is not None else "not measured"))
        if result.gazetteer_load_s is not None:
            rows.append(("gazetteer load (open + build the place matcher)", f"{result.gazetteer_load_s:.3f} s"))
        if result.ner_load_s is not None:
            rows.append(("NER model load (CRF, clusters, lexicons)", f"{result.ner_load_s:.3f} s"))
        if result.ner_tokens_per_second is not None:
            rows.append(("NER tagging, tokens/s (one core, cold feature cache)", f"{result.ner_tokens_per_second:,.0f}"))
        if result.spacy_tokenizer_docs_per_second is not None:
            rows.append(("spaCy blank('ar') tokenizer, documents/s", f"{result.spacy_tokenizer_docs_per_second:,.0f}"))
            rows.append(("spaCy tokenizer time / marsad tokenizer time", f"{result.spacy_vs_tokenizer:.2f}x"))
            rows.append(("spaCy tokenizer time / marsad text layer time", f"{result.spacy_vs_text_layer:.2f}x"))
        for size, ms in (result.story_ms_per_document or {}).items():
            rows.append((f"story clustering at {size:,} documents, per added document", f"{ms:.3f} ms"))
        rows.append(("pinned to one core", "yes" if result.cpu_pinned else "no (OS does not allow)"))
        for name, value in rows:
            table.add_row(name, value)
        console = Console(highlight=False)
        console.print(table)
        for note in result.notes:
            console.print(f"note: {note}", markup=False)
        return EXIT_OK

    raise typer.Exit(run_guarded(body))


def _pipeline_until(name: str):
    """The default pipeline cut after the component ``name``."""
    from marsad.pipeline import Pipeline, default_pipeline

    components = default_pipeline().components
    names = [c.name for c in components]
    if name not in names:
        fail(f"--until takes a component name: {', '.join(names)}; not {name!r}")
    return Pipeline(components[: names.index(name) + 1])


def _serve(n: int, db: Optional[str], as_json: bool) -> int:
    from pathlib import Path

    from marsad.web.bench import serve_benchmark

    if n <= 0:
        fail("--docs must be positive")
    if db and Path(db).exists():
        err(f"bench --serve: timing the web app over the store {db}")
    else:
        err(f"bench --serve: building a store of {n:,} documents and timing the web app (about ten minutes)")
    result = serve_benchmark(n, Path(db) if db else None)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    store = result["store"]
    title = (f"marsad bench --serve: {store['documents']:,} documents, {store.get('events', 0):,} events; "
             f"app start {result['startup_s']} s")
    table = Table("page", "url", "median", "p95", "size", title=title)
    for name, row in result["pages"].items():
        table.add_row(name, row["url"], f"{row['median_ms']:.1f} ms", f"{row['p95_ms']:.1f} ms",
                      f"{row['bytes'] / 1024:,.0f} KB")
    Console(highlight=False).print(table)
    return EXIT_OK


def _scale(sizes: str, engines: str, as_json: bool) -> int:
    from marsad.scale import run_scale

    try:
        counts = [int(x.replace("_", "")) for x in sizes.split(",") if x.strip()]
    except ValueError:
        fail(f"--sizes must be whole numbers separated by commas, not {sizes!r}")
    if not counts or min(counts) <= 0:
        fail("--sizes must be positive")
    names = [x.strip() for x in engines.split(",") if x.strip()]
    for name in names:
        if name != "local" and not (name.startswith("dask-") and name[5:].isdigit() and int(name[5:]) > 0):
            fail(f"--engines takes local or dask-N, not {name!r}")
    if any(n.startswith("dask-") for n in names):
        try:
            import distributed  # noqa: F401
        except ImportError:
            fail("dask engines need Dask: pip install 'marsad[dask]'")

    def show(row: dict) -> None:
        if not as_json:
            err(f"  {row['documents']:>8,} documents, {row['engine']:<7}: {row['seconds']:>8.1f} s, "
                f"{row['docs_per_second']:>6.1f} docs/s, peak {row['peak_rss_mb']:,.0f} MB")

    err(f"bench --scale: sizes {counts}, engines {names} (each run is a real `marsad ingest`)")
    rows = run_scale(counts, names, on_result=show)
    if as_json:
        typer.echo(json.dumps(rows))
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    table = Table("documents", "engine", "seconds", "docs/s", "s per 1k docs", "speed-up vs 1 worker", "peak RSS",
                  title="marsad bench --scale: ingest into SQLite")
    base = {(r["documents"]): r["docs_per_second"] for r in rows if r["engine"] in ("dask-1",)}
    for r in rows:
        speed = f"{r['docs_per_second'] / base[r['documents']]:.2f}x" if r["engine"].startswith("dask-") and \
            r["documents"] in base else ""
        table.add_row(f"{r['documents']:,}", r["engine"], f"{r['seconds']:.1f}", f"{r['docs_per_second']:.1f}",
                      f"{r['seconds'] / r['documents'] * 1000:.2f}", speed, f"{r['peak_rss_mb']:,.0f} MB")
    Console(highlight=False).print(table)
    return EXIT_OK
