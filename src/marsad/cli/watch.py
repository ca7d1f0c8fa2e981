"""The ``watch`` command: live feeds into the store (see :mod:`marsad.feeds`)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from marsad.cli.app import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    app,
    db_option,
    err,
    fail,
    open_store_or_fail,
    run_guarded,
)


def default_state_path(db_location: str) -> Path:
    """``<db>.watch.sqlite`` beside a store file; ``./marsad-watch.sqlite`` for PostgreSQL; in memory
    for an in-memory store (remembering articles the store forgets would lose them)."""
    if db_location == ":memory:":
        return Path(":memory:")
    if "://" in db_location:
        return Path("marsad-watch.sqlite")
    return Path(db_location + ".watch.sqlite")


def _positive(value: float, option: str, *, zero: bool = False) -> None:
    if value < 0 or (value == 0 and not zero):
        fail(f"{option} must be {'zero or more' if zero else 'positive'}, not {value:g}")


@app.command()
def watch(
    feeds: Path = typer.Argument(..., metavar="FEEDS.txt", show_default=False,
                                 help="Feeds and pages to poll: one http(s) address a line, # comments, "
                                      "optional settings source=NAME and kind=feed|page|auto."),
    db: Optional[str] = db_option("Store to write the articles to."),
    state: Optional[Path] = typer.Option(None, "--state", help="What was already seen, polled and failed "
                                         "(SQLite; default: <db>.watch.sqlite)."),
    once: bool = typer.Option(False, "--once", help="Poll every feed and page once, store what is new, and exit."),
    interval: float = typer.Option(300.0, "--interval", help="Seconds from the start of one round to the next."),
    host_interval: float = typer.Option(1.0, "--host-interval", help="Seconds between two requests to one host."),
    timeout: float = typer.Option(20.0, "--timeout", help="Seconds allowed for one request, connection to last byte."),
    backoff: float = typer.Option(60.0, "--backoff", help="Seconds before retrying an address that failed; "
                                  "doubles with each further failure (up to an hour)."),
    max_attempts: int = typer.Option(5, "--max-attempts", help="Fetches of an article page before giving up on it."),
    max_bytes: Optional[int] = typer.Option(None, "--max-bytes", help="Largest response read, in bytes "
                                            "(default: $MARSAD_MAX_BYTES or 20000000)."),
) -> None:
    """Watch live feeds: poll RSS/Atom feeds and article pages, store new articles, update stories.

    Polite: one request per host every --host-interval seconds, conditional requests (ETag,
    Last-Modified), exponential backoff after failures, a User-Agent naming marsad. Articles
    are deduplicated by address and by text, extracted, stored, and assigned to stories after
    every round. A failing feed or page is one line on standard error and the others go on.
    Runs until Ctrl-C (exit 130; what was stored stays stored), or one round with --once
    (exit 1 if anything failed). What was seen is remembered in --state, so a restart fetches
    nothing twice.
    """
    from marsad.feeds.feedlist import read_feed_list
    from marsad.feeds.state import WatchState
    from marsad.feeds.watch import Watcher, WatchOptions
    from marsad.settings import settings

    def body() -> int:
        _positive(interval, "--interval")
        _positive(host_interval, "--host-interval", zero=True)
        _positive(timeout, "--timeout")
        _positive(backoff, "--backoff", zero=True)
        _positive(max_attempts, "--max-attempts")
        limit = max_bytes if max_bytes is not None else settings().max_bytes
        _positive(limit, "--max-bytes")
        entries = read_feed_list(feeds)
        store = open_store_or_fail(db)
        try:
            state_path = state or default_state_path(store.location)
            watch_state = WatchState(state_path)
            try:
                options = WatchOptions(host_interval=host_interval, timeout=timeout, backoff=backoff,
                                       max_backoff=max(3600.0, backoff), max_attempts=max_attempts, max_bytes=limit)
                watcher = Watcher(entries, store, watch_state, options, on_line=err)
                err(f"watch: {len(entries)} feeds and pages from {feeds} into {store.location} "
                    f"(state in {state_path})" + ("" if once else f", every {interval:g}s; Ctrl-C to stop"))
                try:
                    report = watcher.watch(interval=interval, once=once)
                except KeyboardInterrupt:
                    totals = watcher.totals
                    err(f"interrupted after {watcher.rounds} round{'s' if watcher.rounds != 1 else ''}: "
                        f"{totals.stored} stored, {totals.errors} errors; state saved in {state_path}")
                    return EXIT_INTERRUPTED
                return EXIT_SOME_FAILED if report.errors else EXIT_OK
            finally:
                watch_state.close()
        finally:
            store.close()

    raise typer.Exit(run_guarded(body))
