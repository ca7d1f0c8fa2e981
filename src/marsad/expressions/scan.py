"""The words of a document in normalised form, with their original offsets, for matchers."""

from __future__ import annotations

from dataclasses import dataclass

from marsad.document import Document

BARRIERS = frozenset(".!?؟؛:")


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

    def __len__(self) -> int:
        return len(self.norms)

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original offsets of words ``i`` .. ``j - 1``."""
        return self.starts[i], self.ends[j - 1]

    def is_barrier(self, i: int) -> bool:
        """A clause boundary at word ``i``: terminal punctuation, or a line break before it."""
        if self.kinds[i] == "punct" and self.norms[i][:1] in BARRIERS:
            return True
        return i > 0 and "\n" in self.text[self.ends[i - 1] : self.starts[i]]

    def number_positions(self) -> list[int]:
        """Indices of digit tokens (computed once, shared by the matchers)."""
        if self._numbers is None:  # list.index runs in C: digits are few, tokens many
            found: list[int] = []
            kinds, i = self.kinds, -1
            try:
                while True:
                    i = kinds.index("number", i + 1)
                    found.append(i)
            except ValueError:
                pass
            self._numbers = found
        return self._numbers

    def positions(self, words: frozenset[str]) -> list[int]:
        """Indices of the words in ``words``, plus every digit token, in order: a matcher's candidates."""
        if self._hits is None:
            self._hits = {}
        key = ("positions", words)
        found = self._hits.get(key)
        if found is None:
            found = [i for i, word in enumerate(self.norms) if word in words]
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
            found = [i for i, word in enumerate(self.norms) if word in words]
            self._hits[words] = found
        return found

    def adjacent(self, a: int, b: int) -> bool:
        """Words ``a`` and ``b`` touch, with no space between them ("1.1^23", "إف-16")."""
        return b < len(self.norms) and self.ends[a] == self.starts[b]

    def is_number(self, i: int) -> bool:
        return 0 <= i < len(self.norms) and self.kinds[i] == "number"


def words_of(doc: Document) -> Words:
    """The normalised words of ``doc`` (computed once per document and shared)."""
    cached = doc.cache.get("words")
    if cached is not None:
        return cached
    if doc.tokens is None:
        from marsad.text.tokens import tokenize

        doc.tokens = tokenize(doc.text)
    spans = doc.tokens.spans
    if spans:
        starts, ends, kinds = (list(column) for column in zip(*spans))
    else:
        starts, ends, kinds = [], [], []
    norms = doc.tokens.norms
    if "tag" in kinds:  # "#حماس": a hashtag names what its first word names
        norms = [n.lstrip("#@").split("_")[0] if k == "tag" else n for n, k in zip(norms, kinds)]
    words = Words(norms, starts, ends, kinds, doc.text)
    doc.cache["words"] = words
    return words
