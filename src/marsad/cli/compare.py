"""``marsad compare --pairs FILE``: does report B tell A's story, and agree with it? ``marsad train stance``."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from marsad.cli.app import EXIT_OK, EXIT_SOME_FAILED, app, err, run_guarded, write_jsonl
from marsad.cli.ner import train_app


class CompareFormat(str, Enum):
    jsonl = "jsonl"


@app.command()
def compare(
    pairs: Path = typer.Option(..., "--pairs", help="JSONL: one object per line with id, a (report A) and b (report B).",
                               show_default=False),
    output_format: CompareFormat = typer.Option(CompareFormat.jsonl, "--format", "-f",
                                                help="jsonl: one object per pair, in input order (CONTRACT.md)."),
) -> None:
    """For each pair: same story or not, B's stance toward A (agree, disagree, other), and what differs."""

    def body() -> int:
        from marsad.compare.pairs import compare_pair, default_model
        from marsad.errors import FileUnreadable, MalformedRecord

        model = default_model()
        failed = 0
        try:
            lines = pairs.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise FileUnreadable(f"cannot read: {exc}", origin=str(pairs)) from None
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                err(MalformedRecord(f"not JSON: {exc}", origin=str(pairs), line=number).one_line())
                failed += 1
                continue
            if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("a", "b")):
                err(MalformedRecord("expected an object with string fields a and b", origin=str(pairs), line=number).one_line())
                failed += 1
                continue
            write_jsonl({"id": row.get("id", str(number)), **compare_pair(row["a"], row["b"], model)})
        sys.stdout.flush()
        return EXIT_SOME_FAILED if failed else EXIT_OK

    raise typer.Exit(run_guarded(body))


@train_app.command("stance")
def train_stance(
    data: Path = typer.Option(Path("../shared/data"), "--data", help="The shared data folder (with stance/train.jsonl)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Where to write the model [default: the shipped model's "
                                       "directory].", show_default=False),
) -> None:
    """Train the report-pair stance model on the ANS training pairs and score it on dev."""

    def body() -> int:
        from marsad.compare.pairs import shipped_model_dir
        from marsad.compare.train import train_stance as run

        target = out or shipped_model_dir()
        run(data, target, progress=lambda m: err(f"train stance: {m}"))
        err(f"train stance: wrote {target}")
        return EXIT_OK

    raise typer.Exit(run_guarded(body))
