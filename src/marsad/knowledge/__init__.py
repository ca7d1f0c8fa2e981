"""Knowledge marsad ships and lets users extend: the gazetteer (and, next, the actor base)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from marsad._native import positions as _positions
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


def word_forms(doc: Any, norms: list[str]) -> set[str]:
    """The distinct normalised words of a document (``norms``, from its shared words view).

    The place and actor matchers intersect it with their vocabularies in C instead of testing
    every word in Python; computed once per document and shared through ``doc.cache``.
    """
    forms = doc.cache.get("knowledge.word_forms")
    if forms is None:
        forms = doc.cache["knowledge.word_forms"] = set(norms)
    return forms


# Vocabularies of the knowledge matchers that run later in the pipeline (the actor lexicon's first
# words, say), registered when they are built: an earlier matcher's pass over the words finds them
# too, so the later one need not walk the document again (see word_positions).
_SHARED_VOCABULARIES: list[frozenset[str]] = []


def share_vocabulary(words: frozenset[str]) -> None:
    if words not in _SHARED_VOCABULARIES:
        _SHARED_VOCABULARIES.append(words)


def word_positions(doc: Any, norms: list[str], wanted: set[str]) -> list[int]:
    """Indices of the words in ``wanted`` (a few of the document's word forms), in order.

    Testing every word in Python costs more than the rest of a matcher's work, so the pass is
    shared: it also records the positions of the words of the shared vocabularies, and a later
    caller whose words were all recorded filters those positions instead of walking the text.
    """
    recorded = doc.cache.get("knowledge.positions")
    if recorded is not None and wanted <= recorded[0]:
        return [i for i in recorded[1] if norms[i] in wanted]
    forms = word_forms(doc, norms)
    every = wanted.union(*(forms.intersection(v) for v in _SHARED_VOCABULARIES))
    positions = _positions(norms, every) if every else []
    doc.cache["knowledge.positions"] = (every, positions)
    return positions if len(every) == len(wanted) else [i for i in positions if norms[i] in wanted]


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer plus the user's, if there is one (opened once, read-only)."""
    paths = [shipped_gazetteer_path()]
    user = user_gazetteer_path()
    if user.is_file():
        paths.append(user)
    return Gazetteer(paths)


__all__ = [
    "Gazetteer",
    "knowledge_data",
    "load_gazetteer",
    "share_vocabulary",
    "shipped_gazetteer_path",
    "user_gazetteer_path",
    "word_forms",
    "word_positions",
]
