"""Knowledge marsad ships and lets users extend: the gazetteer (and, next, the actor base)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from marsad.knowledge.gazetteer import Gazetteer


def shipped_gazetteer_path() -> Path:
    """The gazetteer built by scripts/build_gazetteer.py and shipped inside the package."""
    return Path(str(resources.files("marsad") / "data" / "gazetteer" / "gazetteer.sqlite"))


def user_gazetteer_path() -> Path:
    from marsad.settings import settings

    return Path(settings().gazetteer).expanduser()


def knowledge_data(name: str) -> dict[str, Any]:
    """A curated TOML file of ``marsad/data/knowledge`` (read once per process)."""
    from marsad.resources import data_toml

    return data_toml("knowledge", name)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer plus the user's, if there is one (opened once, read-only)."""
    paths = [shipped_gazetteer_path()]
    user = user_gazetteer_path()
    if user.is_file():
        paths.append(user)
    return Gazetteer(paths)


__all__ = ["Gazetteer", "knowledge_data", "load_gazetteer", "shipped_gazetteer_path", "user_gazetteer_path"]
