"""FEEDS.txt: the list of feeds and pages that ``marsad watch`` polls.

One address per line; blank lines and lines starting with ``#`` are ignored, and so is anything
after `` #`` (a space, then ``#``) on a line. After the address, optional settings
``key=value``, separated by spaces; a value runs up to the next ``key=`` so it may contain
spaces::

    # Syrian outlets
    https://www.enabbaladi.net/feed/                 source=Enab Baladi
    https://example.org/atom.xml                     kind=feed
    https://example.org/news/2018/11/hajin.html      kind=page  source=Deir Ezzor 24

Settings:

``source``
    The outlet's name, stored as each article's ``source`` (default: the feed's own title, else
    the page's site name, else the host).
``kind``
    ``feed`` (RSS 2.0, RSS 1.0 or Atom), ``page`` (one article page, polled for new content) or
    ``auto`` (the default: decided by what the address serves).

Only ``http`` and ``https`` addresses are accepted. A bad line is a :class:`~marsad.errors.ConfigError`
naming the file and the line, so nothing is polled until the list is right.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from marsad.errors import ConfigError
from marsad.feeds.urls import canonical_url

KINDS = ("auto", "feed", "page")
SETTINGS = ("source", "kind")

_SETTING = re.compile(r"(?:^|\s)([A-Za-z_][\w-]*)=")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One line of FEEDS.txt: an address to poll and how."""

    url: str  # canonical form (see :func:`marsad.feeds.urls.canonical_url`)
    line: int
    source: str | None = None
    kind: str = "auto"


def parse_feed_list(text: str, origin: str = "FEEDS.txt") -> list[FeedEntry]:
    """The entries of a feed list, in file order; a bad line raises a ConfigError naming it."""
    entries: list[FeedEntry] = []
    first_line: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("\ufeff"):
            line = line[1:].strip()
        if not line or line.startswith("#"):
            continue
        line = re.split(r"\s#", line, maxsplit=1)[0].strip()

        bad = partial(_line_error, origin, number)
        address, rest = (re.split(r"\s+", line, maxsplit=1) + [""])[:2]
        if "=" in address and "://" not in address:
            raise bad(f"expected an http:// or https:// address first, got the setting {address!r}")
        try:
            url = canonical_url(address)
        except ValueError as exc:
            raise bad(str(exc)) from None
        settings = _parse_settings(rest.strip(), bad)
        kind = settings.get("kind", "auto").lower()
        if kind not in KINDS:
            raise bad(f"kind must be one of {', '.join(KINDS)}, not {settings['kind']!r}")
        if url in first_line:
            raise bad(f"{url} is listed twice (first on line {first_line[url]})")
        first_line[url] = number
        entries.append(FeedEntry(url=url, line=number, source=settings.get("source") or None, kind=kind))
    if not entries:
        raise ConfigError("lists no feeds or pages (one http:// or https:// address per line)", origin=origin)
    return entries


def _line_error(origin: str, number: int, message: str) -> ConfigError:
    return ConfigError(message, origin=origin, line=number)


def _parse_settings(rest: str, bad: Callable[[str], ConfigError]) -> dict[str, str]:
    """``key=value`` pairs; a value runs to the next ``key=`` (so ``source=Enab Baladi`` works)."""
    if not rest:
        return {}
    matches = list(_SETTING.finditer(rest))
    if not matches or rest[: matches[0].start()].strip():
        stray = rest[: matches[0].start()].strip() if matches else rest
        raise bad(f"expected settings as key=value after the address, got {stray!r}")
    settings: dict[str, str] = {}
    for i, match in enumerate(matches):
        key = match.group(1).lower()
        end = matches[i + 1].start() if i + 1 < len(matches) else len(rest)
        value = rest[match.end():end].strip()
        if key not in SETTINGS:
            raise bad(f"unknown setting {key!r} (known: {', '.join(SETTINGS)})")
        if key in settings:
            raise bad(f"setting {key!r} given twice")
        if not value:
            raise bad(f"setting {key!r} has no value")
        settings[key] = value
    return settings


def read_feed_list(path: str | Path) -> list[FeedEntry]:
    """Read and parse FEEDS.txt (UTF-8); an unreadable file is a ConfigError too."""
    origin = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError("no such file (the list of feeds to watch)", origin=origin) from None
    except IsADirectoryError:
        raise ConfigError("is a directory, not a list of feeds", origin=origin) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", origin=origin) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (invalid byte at offset {exc.start})", origin=origin) from None
    return parse_feed_list(text, origin)
