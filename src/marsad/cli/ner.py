"""``marsad tag``, ``marsad eval ner`` and ``marsad train ner``: the named-entity recogniser."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from marsad.cli.app import EXIT_OK, app, err, run_guarded

eval_app = typer.Typer(help="Measure marsad on your own annotated data.", no_args_is_help=True)
train_app = typer.Typer(help="Train marsad's models from data, reproducibly.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")


def _model_option() -> typer.models.OptionInfo:
    return typer.Option(None, "--model", help="A model directory written by `marsad train ner` "
                        "[default: the model shipped with marsad].", show_default=False)


def _load(model: Optional[Path]):  # noqa: ANN202 - a NerModel
    from marsad.ner.model import NerModel, default_model

    return default_model() if model is None else NerModel(model)


@app.command()
def tag(
    path: Path = typer.Argument(..., help="Tokens, one per line (first field), blank lines between sentences; "
                                "- for standard input.", show_default=False),
    conll: bool = typer.Option(False, "--conll", help="Read and write CoNLL (the only format for now)."),
    model: Optional[Path] = _model_option(),
) -> None:
    """Tag tokens with PERS/LOC/ORG/MISC in IOB2: one `token<TAB>TAG` line per input line."""

    def body() -> int:
        from marsad.ner.conll import read_lines

        ner = _load(model)
        lines = read_lines(path) if str(path) != "-" else sys.stdin.read().split("\n")
        if str(path) == "-" and lines and lines[-1] == "":
            lines.pop()
        sentences: list[list[int]] = []  # line numbers of each sentence's tokens
        current: list[int] = []
        tokens = [line.split()[0] if line.split() else "" for line in lines]
        for number, token in enumerate(tokens):
            if token:
                current.append(number)
            elif current:
                sentences.append(current)
                current = []
        if current:
            sentences.append(current)
        tags = ner.tag_many([[tokens[i] for i in s] for s in sentences])
        out = [""] * len(lines)
        for numbers, sentence_tags in zip(sentences, tags):
            for number, t in zip(numbers, sentence_tags):
                out[number] = f"{tokens[number]}\t{t}"
        write = sys.stdout.write
        for line in out:
            write(line + "\n")
        return EXIT_OK

    raise typer.Exit(run_guarded(body))


@eval_app.command("ner")
def eval_ner(
    gold: Path = typer.Argument(..., help="Gold CoNLL: `token ... TAG` per line (IOB2), blank lines between "
                                "sentences.", show_default=False),
    model: Optional[Path] = _model_option(),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as one JSON object."),
) -> None:
    """Tag a gold file's tokens and print per-label and micro precision, recall and F1."""

    def body() -> int:
        from marsad.ner.conll import NerScores, read_conll

        sentences = read_conll(gold, with_tags=True)
        ner = _load(model)
        predicted = ner.tag_many([s.tokens for s in sentences])
        scores = NerScores()
        for s, p in zip(sentences, predicted):
            scores.add(s.tags or [], p)
        table = scores.table()
        if as_json:
            typer.echo(json.dumps(table))
            return EXIT_OK
        typer.echo(f"{'label':8s} {'P':>7s} {'R':>7s} {'F1':>7s} {'gold':>6s} {'pred':>6s}")
        for label, row in table.items():
            typer.echo(f"{label:8s} {row['p']:7.4f} {row['r']:7.4f} {row['f1']:7.4f} {row['gold']:6d} {row['pred']:6d}")
        typer.echo(f"{sum(len(s.tokens) for s in sentences)} tokens, {len(sentences)} sentences, "
                   f"model {ner.meta.get('name')} v{ner.version}")
        return EXIT_OK

    raise typer.Exit(run_guarded(body))


@train_app.command("ner")
def train_ner(
    data: Path = typer.Option(Path("../shared/data"), "--data", help="The shared data folder (with ner/anercorp-train.conll)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Where to write the model [default: the package's "
                                       "model directory, replacing the shipped model].", show_default=False),
    iterations: int = typer.Option(200, "--iterations", help="L-BFGS iterations."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Use only the first N sentences (quick runs)."),
    dev_only: bool = typer.Option(False, "--dev-only", help="Ship the model trained on the train split only."),
) -> None:
    """Train the NER model (CRF) on ANERcorp train, score it on a held-out dev split, write it."""

    def body() -> int:
        from marsad.ner.model import shipped_model_dir
        from marsad.ner.train import TrainSettings, train_ner

        target = out or shipped_model_dir()
        meta = train_ner(data, target, TrainSettings(max_iterations=iterations, limit=limit, final=not dev_only),
                         progress=lambda m: err(f"train ner: {m}"))
        for name, table in meta["dev_scores"].items():
            err(f"train ner: dev {name}: " + "  ".join(f"{k} F1 {v['f1']:.4f}" for k, v in table.items()))
        err(f"train ner: person-name rules on dev: {meta['rules_on_dev']}")
        err(f"train ner: wrote {target}")
        return EXIT_OK

    raise typer.Exit(run_guarded(body))
