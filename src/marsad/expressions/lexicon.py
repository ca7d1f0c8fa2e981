"""Phrase lexicons loaded from data files, matched over normalised words with clitics.

An analyst extends marsad by editing the TOML files in ``marsad/data/expressions``; this
module normalises every form on load and accepts it with the proclitics Arabic attaches
(و ف ب ك ل ال لل and their chains), so the data files list each word once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from marsad.text.normalize import normalize_str

# Proclitic chains a word may carry, normalised. Longest first is not needed: all are tried.
_PLAIN_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل")
_ARTICLE_PREFIXES = ("ال", "وال", "فال", "بال", "كال", "وبال", "فبال", "وكال")
_LAM_ARTICLE = ("لل", "ولل", "فلل")  # ل + ال, written لل


@dataclass(frozen=True, slots=True)
class Entry:
    """One meaning of a phrase: its category (e.g. ``unit``), its value, and its words."""

    category: str
    value: Any
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Match:
    """A phrase found at a word index: how many words it spans and the clitics on its first word."""

    entry: Entry
    length: int
    prefix: str


def norm_words(text: str) -> tuple[str, ...]:
    return tuple(normalize_str(text).split())


def _with_clitics(word: str, *, article: bool, definite: bool) -> Iterable[tuple[str, str]]:
    """(surface, prefix) pairs: ``word`` with every clitic chain it can carry.

    ``definite``: the word is written with the article (الاثنين), so it takes no second one;
    a word that merely normalises to ال... (آلاف → الاف, ألف → الف) is not definite.
    """
    for p in _PLAIN_PREFIXES:
        yield p + word, p
    if definite:
        bare = word[2:]
        for p in _LAM_ARTICLE:
            yield p + bare, p
        return
    if article:
        for p in _ARTICLE_PREFIXES:
            yield p + word, p
        for p in _LAM_ARTICLE:
            yield p + word, p


class PhraseLexicon:
    """Phrases of one or more normalised words, each with one or more meanings.

    Indexed by first word (one-word phrases) and by first and second word (longer ones), so a
    lookup costs one or two dictionary probes whatever the size of the lexicon.
    """

    def __init__(self) -> None:
        self._single: dict[str, list[tuple[str, Entry]]] = {}
        self._single_matches: dict[str, list[Match]] = {}  # the same, as ready-made (immutable) matches
        self._multi: dict[tuple[str, str], list[tuple[tuple[str, ...], str, Entry]]] = {}
        self._categories: dict[str, frozenset[str]] = {}
        self._lengths: dict[str, int] = {}  # category -> words in its longest phrase
        self._multi_firsts: set[str] = set()  # first words of the phrases of two or more words
        self._pairs: frozenset[tuple[str, str]] | None = None
        # (word, categories) -> the one-word phrase :meth:`first` finds there (or None), for
        # words that start no longer phrase. Bounded: only lexicon words, and the category
        # sets callers ask with, are keys. Cleared by :meth:`add`.
        self._first_cache: dict[tuple[str, object], Match | None] = {}

    def add(self, phrase: str | Sequence[str], category: str, value: Any, *, article: bool = True) -> None:
        originals = phrase.split() if isinstance(phrase, str) else list(phrase)
        words = tuple(w for w in (normalize_str(o) for o in originals) if w)
        if not words:
            raise ValueError(f"empty phrase in lexicon category {category!r}")
        entry = Entry(category, value, words)
        self._first_cache.clear()
        self._lengths[category] = max(self._lengths.get(category, 0), len(words))
        definite = originals[0].startswith("ال")
        for surface, prefix in _with_clitics(words[0], article=article, definite=definite):
            if len(words) == 1:
                self._single.setdefault(surface, []).append((prefix, entry))
                self._single_matches.setdefault(surface, []).append(Match(entry, 1, prefix))
            else:
                self._multi_firsts.add(surface)
                self._pairs = None
                bucket = self._multi.setdefault((surface, words[1]), [])
                bucket.append((words[2:], prefix, entry))
                bucket.sort(key=lambda item: -len(item[0]))
            self._categories[surface] = self._categories.get(surface, frozenset()) | {category}

    def __contains__(self, word: str) -> bool:
        return word in self._categories

    def categories(self, word: str) -> frozenset[str]:
        """The categories of the phrases that start with ``word`` (empty if none)."""
        return self._categories.get(word, frozenset())

    def category_map(self) -> dict[str, frozenset[str]]:
        """First word -> categories, for callers that look up many words at once."""
        return self._categories

    def single_categories(self, word: str) -> frozenset[str]:
        """Categories of the one-word phrases ``word`` is."""
        return frozenset(entry.category for _prefix, entry in self._single.get(word, ()))

    def max_length(self, *categories: str) -> int:
        """Words in the longest phrase of these categories: how far a matcher must look ahead."""
        return max((self._lengths.get(c, 0) for c in categories), default=0)

    def single_surfaces(self, *categories: str) -> frozenset[str]:
        """Words that are, on their own, a phrase of one of these categories."""
        return frozenset(w for w, found in self._single.items() if any(e.category in categories for _p, e in found))

    def one_word_readings(self, *categories: str) -> dict[str, tuple[tuple[str, Entry], ...]]:
        """Word -> (prefix, entry) of its one-word phrases of these categories, in lexicon order."""
        out = {}
        for word, found in self._single.items():
            kept = tuple((p, e) for p, e in found if e.category in categories)
            if kept:
                out[word] = kept
        return out

    def multi_surfaces(self, *categories: str) -> frozenset[str]:
        """First words of the phrases of two or more words of these categories."""
        return frozenset(first for (first, _second), found in self._multi.items()
                         if any(e.category in categories for _r, _p, e in found))

    def second_words(self, *categories: str) -> frozenset[str]:
        """Second words of the phrases of two or more words of these categories: a phrase found
        at word ``k`` puts one of them at ``k + 1`` (for gates that look for rare words)."""
        return frozenset(second for (_first, second), found in self._multi.items()
                         if any(e.category in categories for _r, _p, e in found))

    def phrase_pairs(self) -> frozenset[tuple[str, str]]:
        """(first word, second word) of every phrase of two or more words (built once: callers
        test pairs with ``in`` instead of calling :meth:`has_pair`)."""
        if self._pairs is None:
            self._pairs = frozenset(self._multi)
        return self._pairs

    def has_pair(self, word: str, nxt: str) -> bool:
        """Does a phrase of two or more words start with ``word nxt``?"""
        return (word, nxt) in self._multi

    def surfaces(self, *categories: str) -> frozenset[str]:
        """Every first word of a phrase of these categories (for a fast gate before parsing)."""
        return frozenset(w for w, cats in self._categories.items() if not cats.isdisjoint(categories))

    def match(self, words: Sequence[str], i: int, categories: Sequence[str] | None = None) -> list[Match]:
        """Every phrase that starts at ``words[i]``, longest first (optionally of some categories)."""
        word = words[i]
        out = []
        if i + 1 < len(words):
            for rest, prefix, entry in self._multi.get((word, words[i + 1]), ()):
                if categories is not None and entry.category not in categories:
                    continue
                n = len(rest)
                if n and tuple(words[i + 2 : i + 2 + n]) != rest:
                    continue
                out.append(Match(entry, n + 2, prefix))
        for found in self._single_matches.get(word, ()):
            if categories is None or found.entry.category in categories:
                out.append(found)
        return out

    def first(self, words: Sequence[str], i: int, *categories: str) -> Match | None:
        """The longest phrase of one of ``categories`` (any, when none is given) at ``words[i]``, or None."""
        word = words[i]
        if word not in self._categories:
            return None  # most words: one probe, no call
        if word in self._multi_firsts and i + 1 < len(words) and (word, words[i + 1]) in self._multi:
            return self._longest(words, i, _category_set(categories) if categories else None)
        # no longer phrase can start here, and a one-word answer depends on the word and the
        # categories only: computed once
        key = (word, categories)
        try:
            return self._first_cache[key]
        except KeyError:
            found = self._first_cache[key] = self._longest(words, i, _category_set(categories) if categories else None)
            return found

    def first_of(self, words: Sequence[str], i: int, categories: frozenset[str]) -> Match | None:
        """:meth:`first` with the categories as a set: for callers that ask about many at once
        (a tuple of twenty categories costs twenty probes per test, a set one)."""
        word = words[i]
        if word not in self._categories:
            return None
        if word in self._multi_firsts and i + 1 < len(words) and (word, words[i + 1]) in self._multi:
            return self._longest(words, i, categories)
        key = (word, categories)
        try:
            return self._first_cache[key]
        except KeyError:
            found = self._first_cache[key] = self._longest(words, i, categories)
            return found

    def _longest(self, words: Sequence[str], i: int, categories: frozenset[str] | None) -> Match | None:
        word = words[i]
        cats = self._categories.get(word)
        if cats is None or categories is not None and cats.isdisjoint(categories):
            return None  # most probes end here, before the phrase tables are read
        if word in self._multi_firsts and i + 1 < len(words):
            for rest, prefix, entry in self._multi.get((word, words[i + 1]), ()):
                if categories is not None and entry.category not in categories:
                    continue
                n = len(rest)
                if n and tuple(words[i + 2 : i + 2 + n]) != rest:
                    continue
                return Match(entry, n + 2, prefix)
        for found in self._single_matches.get(word, ()):
            if categories is None or found.entry.category in categories:
                return found
        return None


@lru_cache(maxsize=256)
def _category_set(categories: tuple[str, ...]) -> frozenset[str]:
    return frozenset(categories)


def load_data(name: str) -> dict[str, Any]:
    """A TOML file of ``marsad/data/expressions`` (read once per process)."""
    from marsad.resources import data_toml

    return data_toml("expressions", name)


@cache
def numbers_data() -> dict[str, Any]:
    return load_data("numbers.toml")


@cache
def dates_data() -> dict[str, Any]:
    return load_data("dates.toml")
