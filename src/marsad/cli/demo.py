"""``marsad demo``: the whole pipeline on the two founding articles, stored and shown."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from marsad.cli.app import EXIT_OK, app, db_option, open_store_or_fail, run_guarded, write_jsonl
from marsad.cli.documents import OutputFormat, process


@app.command()
def demo(
    db: Optional[str] = db_option("SQLite store to write the demo documents to."),
    output_format: Optional[OutputFormat] = typer.Option(None, "--format", "-f", help="Print jsonl (CONTRACT.md) instead of the highlighted view."),
) -> None:
    """Run marsad on the two founding articles (Hajin, Deir ez-Zor, 2018) and show the result."""
    from marsad.cli.render import render_clitics, render_document
    from marsad.io.demo import demo_paths

    def body() -> int:
        paths = [str(p) for p in demo_paths()]
        store = open_store_or_fail(db)
        try:
            code = process(paths, store=store, label="demo", options={}, force=False)
            if code != EXIT_OK:
                return code
            for path in paths:
                doc = store.get(Path(path).stem)
                if output_format is OutputFormat.jsonl:
                    write_jsonl(doc.to_contract())
                else:
                    render_document(doc)
                    render_clitics(doc)
            if output_format is None:
                from rich.console import Console

                Console(highlight=False).print(
                    f"\nStored in {store.location}. Next: `marsad show {Path(paths[-1]).stem} --db {store.location}`, "
                    f"`marsad extract FILE --format jsonl`, `marsad bench`.\n"
                    "Articles quoted for demonstration; sources credited in marsad/data/demo/SOURCES.md."
                )
            return EXIT_OK
        finally:
            store.close()

    raise typer.Exit(run_guarded(body))
