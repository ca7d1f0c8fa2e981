"""The ``marsad`` command: a thin front end over the library.

Every command turns a :class:`~marsad.errors.MarsadError` into one line on standard error
and an exit code; a traceback here is a bug.

Exit codes: 0 all went well; 1 some inputs could not be read or processed (the others were);
2 bad usage, settings or store; 130 interrupted.
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, NoReturn, Optional

import typer

from marsad import __version__
from marsad.errors import MarsadError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

app = typer.Typer(
    name="marsad",
    help="marsad (مرصد): structured, sourced, geocoded conflict data from Arabic news, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"marsad {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Optional[bool] = typer.Option(
        None, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """marsad (مرصد): structured, sourced, geocoded conflict data from Arabic news, offline."""


def err(message: str) -> None:
    """One line to standard error."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


def fail(error: MarsadError | str, code: int = EXIT_USAGE) -> NoReturn:
    err(error.one_line() if isinstance(error, MarsadError) else f"error: {error}")
    raise typer.Exit(code)


def write_jsonl(obj: dict[str, Any], stream: Any = None) -> None:
    (stream or sys.stdout).write(json.dumps(obj, ensure_ascii=False) + "\n")


def db_option(help_text: str = "SQLite store to use.") -> Any:
    from marsad.settings import env_name

    return typer.Option(None, "--db", help=f"{help_text} [default: $MARSAD_DB or ./marsad.db]",
                        envvar=env_name("db"), show_envvar=False)


def open_store_or_fail(db: Optional[str]) -> Any:
    from marsad.store import open_store

    try:
        return open_store(db)
    except MarsadError as exc:
        fail(exc)


class Interrupted(KeyboardInterrupt):
    """SIGTERM, treated like Ctrl-C so that the store is left consistent."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Interrupted()


class ProgressReporter:
    """A progress line on standard error, only when it is a terminal."""

    def __init__(self, label: str, total: int | None = None) -> None:
        self.enabled = sys.stderr.isatty()
        self.label = label
        self._progress: Any = None
        self._task: Any = None
        self.total = total

    def __enter__(self) -> ProgressReporter:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
            if self.total:
                columns += [BarColumn(), MofNCompleteColumn()]
            else:
                columns += [TextColumn("{task.completed} documents")]
            columns += [TimeElapsedColumn()]
            self._progress = Progress(*columns, console=Console(stderr=True), transient=True)
            self._progress.__enter__()
            self._task = self._progress.add_task(self.label, total=self.total)
        return self

    def update(self, done: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=done)

    def log(self, message: str) -> None:
        if self._progress is not None:
            self._progress.console.print(message, markup=False, highlight=False, soft_wrap=True)
        else:
            err(message)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)


def run_guarded(func: Callable[[], int]) -> int:
    """Run a command body: MarsadError -> one line + exit 2; Ctrl-C/SIGTERM -> exit 130."""
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return func()
    except MarsadError as exc:
        err(exc.one_line())
        return EXIT_USAGE
    except KeyboardInterrupt:
        err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader of our output went away (| head): not an error of ours
        try:
            sys.stdout = open("/dev/null", "w")  # noqa: SIM115 - silence the final flush
        except OSError:
            pass
        return EXIT_OK
    finally:
        signal.signal(signal.SIGTERM, previous)


def count_inputs(inputs: Iterable[str]) -> int | None:
    """How many files a list of inputs names (for a progress bar), or None if unknown."""
    from marsad.io.readers import _iter_paths

    n = 0
    for p in _iter_paths(inputs):
        if p == "-" or not isinstance(p, Path) or str(p).endswith((".jsonl", ".ndjson")):
            return None
        n += 1
    return n


def main() -> None:
    """Console entry point."""
    from marsad.cli import bench, compare, demo, documents, gazetteer, ner, serve, stories, watch  # noqa: F401 - registers the commands

    try:
        app()
    except MarsadError as exc:  # raised while parsing options or settings
        err(exc.one_line())
        sys.exit(EXIT_USAGE)
