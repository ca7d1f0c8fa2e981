"""The optional C speed-ups (``marsad._speedups``, built by ``setup.py`` where a C compiler is there).

Each C function stands for a piece of Python code that stays in marsad and gives the same results;
callers ask :func:`speedups` and fall back to that code when it answers None: where the module was
not built, or where the environment variable ``MARSAD_NO_SPEEDUPS`` is set (to compare the two, or
to rule the C code out when reporting a problem).
"""

from __future__ import annotations

import os
from types import ModuleType


def speedups() -> ModuleType | None:
    """The compiled module, or None."""
    if os.environ.get("MARSAD_NO_SPEEDUPS"):
        return None
    try:
        from marsad import _speedups
    except ImportError:
        return None
    return _speedups
