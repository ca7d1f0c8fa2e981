"""Knowledge marsad ships and lets users extend: the gazetteer (and, next, the actor base)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Any

from marsad._native import positions as _positions, speedups
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


# The vocabularies of the knowledge matchers (the forms a place name's first word takes with its
# clitics, the actor lexicon's first words, ...), registered as the matchers are built: one pass over
# a document's words finds the words of all of them, and each matcher picks its own among these few
# (see vocabulary_hits). Keyed by id: the dict holds the set, so the id is not reused while it is in.
_VOCABULARIES: dict[int, frozenset[str]] = {}
_MAX_VOCABULARIES = 8  # matchers built for tests or other gazetteers: the oldest make way
_union: frozenset[str] | None = None  # of the registered vocabularies (built when first asked)
_UNION_BITMAP_BITS = 1 << 21  # 256 KB: the union's 150,000 words set about one bit in fourteen


@lru_cache(maxsize=2)
def _union_bitmap(union: frozenset[str]) -> bytes:
    """Bit ``hash(w) % _UNION_BITMAP_BITS`` set for each word of the union (for the C
    ``positions_hashed``: most of a document's words are in no vocabulary, and a clear bit in this
    small table says so without a probe of the union's large one, which is mostly out of cache)."""
    bits = bytearray(_UNION_BITMAP_BITS // 8)
    mask = _UNION_BITMAP_BITS - 1
    for word in union:
        bit = hash(word) & mask
        bits[bit >> 3] |= 1 << (bit & 7)
    return bytes(bits)


def share_vocabulary(words: frozenset[str]) -> None:
    """Register a matcher's vocabulary: every later pass of :func:`vocabulary_hits` finds its words."""
    global _union
    if id(words) in _VOCABULARIES:
        return
    if len(_VOCABULARIES) >= _MAX_VOCABULARIES:
        del _VOCABULARIES[next(iter(_VOCABULARIES))]
    _VOCABULARIES[id(words)] = words
    _union = None


def vocabulary_hits(doc: Any, norms: list[str], vocabulary: frozenset[str]) -> tuple[list[int], set[str]]:
    """The indices of the document's words (``norms``, from its shared words view) that are in a
    registered vocabulary, ``vocabulary`` among them, in order; and those words.

    Testing every word costs more than the rest of a matcher's work, so the pass is made once per
    document for all the knowledge matchers (in C) and shared through ``doc.cache``; a matcher then
    intersects the few words found with its sets instead of all the document's distinct words.
    """
    global _union
    share_vocabulary(vocabulary)
    union = _union
    if union is None:
        union = _union = frozenset().union(*_VOCABULARIES.values())
    cached = doc.cache.get("knowledge.hits")
    if cached is not None and cached[0] is union:
        return cached[1], cached[2]
    native = speedups()
    if native is not None:
        hits = native.positions_hashed(norms, union, _union_bitmap(union))
    else:
        hits = _positions(norms, union)
    # the words at these positions: one itemgetter call instead of a method call per position
    forms = set(itemgetter(*hits)(norms)) if len(hits) > 1 else {norms[hits[0]]} if hits else set()
    doc.cache["knowledge.hits"] = (union, hits, forms)
    return hits, forms


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
    "vocabulary_hits",
]
