"""Events and claims: what happened, and who says so (ACLED taxonomy; ``data/events/*.toml``)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def events_data(name: str) -> dict[str, Any]:
    """A TOML file of ``marsad/data/events`` (read once per process)."""
    with (resources.files("marsad") / "data" / "events" / name).open("rb") as fh:
        return tomllib.load(fh)
