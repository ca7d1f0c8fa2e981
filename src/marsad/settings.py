"""Settings, declared once: a default, an environment variable and a help text each.

Command-line options override the environment, which overrides the defaults. README.md
lists every setting (a test keeps it true).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import lru_cache

from marsad.errors import ConfigError


@dataclass(frozen=True)
class Settings:
    db: str = "marsad.db"
    """Path of the SQLite store used by commands that take ``--db`` (env ``MARSAD_DB``)."""
    max_bytes: int = 20_000_000
    """Largest input file or standard input read, in bytes (env ``MARSAD_MAX_BYTES``)."""
    batch_size: int = 200
    """Documents written to the store per transaction (env ``MARSAD_BATCH_SIZE``)."""
    gazetteer: str = "~/.local/share/marsad/gazetteer.sqlite"
    """The user's own gazetteer, filled by ``marsad gazetteer import`` (env ``MARSAD_GAZETTEER``)."""
    token: str = ""
    """Access token of the web app (``marsad serve``); needed to bind to a non-loopback address
    (env ``MARSAD_TOKEN``)."""
    numbers: str = "counts"
    """Which numbers the output lists: ``counts`` (numbers that may count people: not date parts,
    ordinals, percentages or counts of things), ``all`` number expressions, or ``people`` counts
    only (those with a ``what``, as the event annotation guideline counts them) (env
    ``MARSAD_NUMBERS``)."""


ENV_PREFIX = "MARSAD_"
NUMBER_CHOICES = ("counts", "all", "people")


def env_name(field_name: str) -> str:
    return ENV_PREFIX + field_name.upper()


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings from the environment (read once per process)."""
    values: dict[str, object] = {}
    for f in fields(Settings):
        raw = os.environ.get(env_name(f.name))
        if raw is None or raw == "":
            continue
        if f.type in ("int", int):
            try:
                value = int(raw.replace("_", ""))
            except ValueError:
                raise ConfigError(f"{env_name(f.name)} must be a whole number, not {raw!r}") from None
            if value <= 0:
                raise ConfigError(f"{env_name(f.name)} must be positive, not {raw!r}")
            values[f.name] = value
        else:
            values[f.name] = raw
    if values.get("numbers", "all") not in NUMBER_CHOICES:
        raise ConfigError(f"{env_name('numbers')} must be one of {', '.join(NUMBER_CHOICES)}, not {values['numbers']!r}")
    return Settings(**values)  # type: ignore[arg-type]
