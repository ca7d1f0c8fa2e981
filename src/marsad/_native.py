"""The optional C speed-ups (``marsad._speedups``, built by ``setup.py`` where a C compiler is there).

Each C function stands for a piece of Python code that stays in marsad and gives the same results;
callers ask :func:`speedups` and fall back to that code when it answers None: where the module was
not built, or where the environment variable ``MARSAD_NO_SPEEDUPS`` was set when marsad was
imported (to compare the two, or to rule the C code out when reporting a problem).
"""

from __future__ import annotations

import os
from collections.abc import Container, Sequence
from types import ModuleType

# read once: speedups() is asked on hot paths (tests switch this flag with monkeypatch)
disabled = bool(os.environ.get("MARSAD_NO_SPEEDUPS"))
_module: ModuleType | None = None
_loaded = False


def speedups() -> ModuleType | None:
    """The compiled module, or None."""
    global _module, _loaded
    if disabled:
        return None
    if not _loaded:
        try:
            from marsad import _speedups
        except ImportError:
            _speedups = None  # type: ignore[assignment]
        _module, _loaded = _speedups, True
    return _module


def positions(items: Sequence[str], wanted: Container[str]) -> list[int]:
    """Indices of the items that are in ``wanted``, in order (a matcher's pass over a document's words)."""
    native = speedups()
    if native is not None:
        return native.positions(items, wanted)
    return [i for i, item in enumerate(items) if item in wanted]


def followed_positions(items: list[str], indices: list[int], follows: dict[str, Container[str] | None]) -> list[int]:
    """The indices ``j`` whose item's entry of ``follows`` is None (no condition), or holds the next
    item: the places matcher's candidates (a word that only starts longer names must be followed by
    a word that continues one)."""
    native = speedups()
    if native is not None:
        return native.followed_positions(items, indices, follows)
    return _followed_positions(items, indices, follows)


def _followed_positions(items: list[str], indices: list[int], follows: dict[str, Container[str] | None]) -> list[int]:
    """:func:`followed_positions` in Python (apart: its comprehension makes cells of the locals it reads)."""
    n = len(items)
    return [j for j in indices if (s := follows[items[j]]) is None or (j + 1 < n and items[j + 1] in s)]
