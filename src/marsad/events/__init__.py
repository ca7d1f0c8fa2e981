"""Events and claims: what happened, and who says so (ACLED taxonomy; ``data/events/*.toml``)."""

from __future__ import annotations

from typing import Any


def events_data(name: str) -> dict[str, Any]:
    """A TOML file of ``marsad/data/events`` (read once per process)."""
    from marsad.resources import data_toml

    return data_toml("events", name)
