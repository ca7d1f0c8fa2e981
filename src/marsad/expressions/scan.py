"""The words of a document in normalised form, with their original offsets, for matchers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from marsad._native import positions, speedups
from marsad.document import Document

BARRIERS = frozenset(".!?؟؛:")
_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)


@dataclass(slots=True)
class Words:
    """Parallel lists over the document's tokens: normalised text, original offsets, kind."""

    norms: list[str]
    starts: list[int]
    ends: list[int]
    kinds: list[str]
    text: str
    _numbers: list[int] | None = None
    _hits: dict[object, list[int]] | None = None
    _tags: list[int] | None = None  # indices of hashtag tokens (words_of fills it when there are none)

    def __len__(self) -> int:
        return len(self.norms)

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original offsets of words ``i`` .. ``j - 1``."""
        return self.starts[i], self.ends[j - 1]

    def is_barrier(self, i: int) -> bool:
        """A clause boundary at word ``i``: terminal punctuation, or a line break before it."""
        if self.kinds[i] == "punct" and self.norms[i][:1] in BARRIERS:
            return True
        return i > 0 and self.text.find("\n", self.ends[i - 1], self.starts[i]) >= 0  # no slice made

    def _kind_positions(self, kind: str) -> list[int]:
        native = speedups()
        if native is not None and type(self.kinds) is list:  # the same, in one C pass
            return native.kind_positions(self.kinds, kind)
        found: list[int] = []  # list.index runs in C: such tokens are few, tokens many
        kinds, i = self.kinds, -1
        try:
            while True:
                i = kinds.index(kind, i + 1)
                found.append(i)
        except ValueError:
            pass
        return found

    def number_positions(self) -> list[int]:
        """Indices of digit tokens (computed once, shared by the matchers)."""
        if self._numbers is None:
            self._numbers = self._kind_positions("number")
        return self._numbers

    def tag_positions(self) -> list[int]:
        """Indices of hashtag tokens (computed once)."""
        if self._tags is None:
            self._tags = self._kind_positions("tag")
        return self._tags

    def preceding(self, targets: list[int], leads: frozenset[str], reach: int) -> list[int]:
        """Indices of the words in ``leads`` at most ``reach`` words before one of ``targets``.

        Frequent words that only introduce a number or a date ("في"، "من"، "على") matter only
        before one; looking back from the few targets is cheaper than visiting each of them.
        Unsorted, and an index may come twice.
        """
        return scan_functions()[1](self.norms, targets, leads, reach)

    def select(self, indices: list[int], words: frozenset[str]) -> list[int]:
        """The indices whose word is in ``words``: a matcher's own few among the shared hits."""
        return scan_functions()[0](self.norms, indices, words)

    def positions(self, words: frozenset[str]) -> list[int]:
        """Indices of the words in ``words``, plus every digit token, in order: a matcher's candidates."""
        if self._hits is None:
            self._hits = {}
        key = ("positions", words)
        found = self._hits.get(key)
        if found is None:
            found = positions(self.norms, words)
            found += self.number_positions()
            found.sort()
            self._hits[key] = found
        return found

    def indices(self, words: frozenset[str]) -> list[int]:
        """Indices of the words in ``words``, in order (one pass, cached per vocabulary).

        Matchers that share one vocabulary (dates and numbers use the union of theirs) share the
        pass; each then filters the few hits with its own, smaller sets.
        """
        if self._hits is None:
            self._hits = {}
        found = self._hits.get(words)
        if found is None:
            native = speedups()
            if native is not None and type(words) is frozenset:  # the same, with a bitmap of its hashes
                found = native.positions_hashed(self.norms, words, _hash_bitmap(words))
            else:
                found = positions(self.norms, words)
            self._hits[words] = found
        return found

    def adjacent(self, a: int, b: int) -> bool:
        """Words ``a`` and ``b`` touch, with no space between them ("1.1^23", "إف-16")."""
        return b < len(self.norms) and self.ends[a] == self.starts[b]

    def is_number(self, i: int) -> bool:
        return 0 <= i < len(self.norms) and self.kinds[i] == "number"


def select_positions(norms: list[str], indices: list[int], words: frozenset[str]) -> list[int]:
    """:meth:`Words.select` over a document's normalised words."""
    return [i for i in indices if norms[i] in words]


def preceding_positions(norms: list[str], targets: list[int], leads: frozenset[str], reach: int) -> list[int]:
    """:meth:`Words.preceding` over a document's normalised words."""
    if reach == 1:  # the common case, in one comprehension
        return [t - 1 for t in targets if t and norms[t - 1] in leads]
    found: list[int] = []
    for t in targets:
        lo = t - reach if t > reach else 0
        window = norms[lo:t]
        if not leads.isdisjoint(window):  # one C call; most windows hold no lead
            found += [lo + k for k, word in enumerate(window) if word in leads]
    return found


def scan_functions() -> tuple[Callable[[list[str], list[int], frozenset[str]], list[int]],
                              Callable[[list[str], list[int], frozenset[str], int], list[int]]]:
    """(:func:`select_positions`, :func:`preceding_positions`), in C where ``marsad._speedups``
    is built: for matchers that call them several times per document (asked once per document)."""
    native = speedups()
    if native is None:
        return select_positions, preceding_positions
    return native.select_positions, native.preceding


def any_in(items: list[str], start: int, stop: int, wanted: frozenset[str]) -> bool:
    """Is one of ``items[start:stop]`` in ``wanted`` (0 <= start)? A matcher's look-ahead gate."""
    return not wanted.isdisjoint(items[start:stop])


def any_in_function() -> Callable[[list[str], int, int, frozenset[str]], bool]:
    """:func:`any_in`, in C where ``marsad._speedups`` is built (no slice is made): asked once
    per document by the matchers, which then call it at their candidates."""
    native = speedups()
    return any_in if native is None else native.any_in


_BITMAP_BITS = 1 << 16  # 8 KB: a vocabulary of thousands of words sets one bit in ten


@lru_cache(maxsize=8)
def _hash_bitmap(words: frozenset[str]) -> bytes:
    """Bit ``hash(w) % _BITMAP_BITS`` set for each word of a vocabulary (built once per vocabulary,
    for ``positions_hashed``: a word whose bit is clear is not in it)."""
    bits = bytearray(_BITMAP_BITS // 8)
    for word in words:
        bit = hash(word) & (_BITMAP_BITS - 1)
        bits[bit >> 3] |= 1 << (bit & 7)
    return bytes(bits)


def words_of(doc: Document) -> Words:
    """The normalised words of ``doc`` (computed once per document and shared)."""
    cached = doc.cache.get("words")
    if cached is not None:
        return cached
    if doc.tokens is None:
        from marsad.text.tokens import tokenize

        doc.tokens = tokenize(doc.text)
    spans = doc.tokens.spans
    norms = doc.tokens.norms
    text = doc.text
    native = speedups()
    columns = getattr(doc.tokens, "columns", None)
    if columns is not None:  # made by the tokenizer on its way
        starts, ends, kinds = columns
        # a hashtag token starts with "#" or "@": a search of the text is cheaper than of the kinds
        tags = ("#" in text or "@" in text) and "tag" in kinds
    elif native is not None:  # the columns below in one pass
        starts, ends, kinds, has_tag = native.token_columns(spans, "tag")
        tags = has_tag and ("#" in text or "@" in text)
    else:
        # three passes of map(itemgetter) in C are faster than one of zip(*spans) over hundreds of tuples
        starts = list(map(_FIRST, spans))
        ends = list(map(_SECOND, spans))
        kinds = list(map(_THIRD, spans))
        # a hashtag token starts with "#" or "@": a search of the text is cheaper than of the kinds
        tags = ("#" in text or "@" in text) and "tag" in kinds
    if tags:  # "#حماس": a hashtag names what its first word names
        norms = [n.lstrip("#@").split("_")[0] if k == "tag" else n for n, k in zip(norms, kinds)]
    words = Words(norms, starts, ends, kinds, text)
    if not tags:
        words._tags = []  # known here at no cost: tag_positions need not scan
    doc.cache["words"] = words
    return words
