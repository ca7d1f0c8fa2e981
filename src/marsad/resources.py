"""The curated data files shipped in ``marsad/data``: read once per process, from one place."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def data_toml(folder: str, name: str) -> dict[str, Any]:
    """``marsad/data/<folder>/<name>`` parsed (``data_toml("events", "claims.toml")``)."""
    with (resources.files("marsad") / "data" / folder / name).open("rb") as fh:
        return tomllib.load(fh)
