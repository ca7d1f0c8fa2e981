"""Live feeds: ``marsad watch FEEDS.txt`` polls RSS/Atom feeds and article pages into the store.

    from marsad.feeds import read_feed_list, WatchState, Watcher, WatchOptions
    entries = read_feed_list("FEEDS.txt")
    with open_store("my.db") as store:
        state = WatchState("my.db.watch.sqlite")
        Watcher(entries, store, state, WatchOptions(host_interval=2)).watch(interval=300)

:mod:`~marsad.feeds.feedlist` reads FEEDS.txt, :mod:`~marsad.feeds.fetch` is the polite HTTP
client, :mod:`~marsad.feeds.parse` reads RSS and Atom, :mod:`~marsad.feeds.urls` makes
addresses canonical, :mod:`~marsad.feeds.state` remembers what was seen, and
:mod:`~marsad.feeds.watch` is the loop. Imported lazily: ``import marsad.feeds`` loads nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["FeedEntry", "WatchOptions", "WatchState", "Watcher", "parse_feed", "read_feed_list"]

_LAZY = {
    "FeedEntry": ("marsad.feeds.feedlist", "FeedEntry"),
    "read_feed_list": ("marsad.feeds.feedlist", "read_feed_list"),
    "parse_feed": ("marsad.feeds.parse", "parse_feed"),
    "WatchState": ("marsad.feeds.state", "WatchState"),
    "WatchOptions": ("marsad.feeds.watch", "WatchOptions"),
    "Watcher": ("marsad.feeds.watch", "Watcher"),
}

if TYPE_CHECKING:
    from marsad.feeds.feedlist import FeedEntry, read_feed_list
    from marsad.feeds.parse import parse_feed
    from marsad.feeds.state import WatchState
    from marsad.feeds.watch import Watcher, WatchOptions


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'marsad.feeds' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value
