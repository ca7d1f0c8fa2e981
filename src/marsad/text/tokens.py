"""Tokens with Arabic clitic analysis, each mapping back to exact offsets.

The token layer is kept compact (parallel offsets, as spaCy's ``Doc`` does) and a
:class:`Token` is a light view created on access; clitic analysis is computed only when a
component asks for it. ``والباغوز`` is one token whose primary analysis is
``و + ال + باغوز``; :meth:`Token.candidates` also offers the other plausible segmentations
(``وزير`` is not ``و + زير``, so unsplit comes first there), which is what matching needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Sequence

from marsad._native import speedups
from marsad.text.normalize import normalize

COMPONENT = "text.tokens"
VERSION = "1"

WORD, NUMBER, PUNCT, URL, EMAIL, TAG = "word", "number", "punct", "url", "email", "tag"

_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
# Marks and invisible format characters that belong to the word around them (normalisation drops them).
_MARKS = (
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u08f0-\u08f3"
    "\u200b-\u200f\u00ad\u2060\ufeff\u061c\u202a-\u202e\u2066-\u2069"
)
_TOKEN_RE = re.compile(
    rf"""
    (?P<url>(?:https?://|www\.)[^\s«»"'<>]*[^\s«»"'<>.,،؛:!?؟)\]])
  | (?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)
  | (?P<tag>[@#](?:[^\W\d_]|[{_MARKS}])(?:\w|[{_MARKS}])*)
  | (?P<number>[{_DIGIT}]+(?:[.,٫٬][{_DIGIT}]+)*)
  | (?P<word>[{_MARKS}]*[^\W\d_](?:[^\W\d_]|[{_MARKS}])*)
  | (?P<punct>\.{{2,}}|[!?؟]{{2,}}|\S)
    """,
    re.VERBOSE,
)


_UNUSUAL_SPACE = re.compile(r"[^\S \n]")


@dataclass(frozen=True, slots=True)
class Segmentation:
    """One clitic analysis of a token: proclitics + stem + pronoun suffix.

    Affixes and stem are normalised strings; ``stem_start``/``stem_end`` are offsets of the
    stem in the original document text.
    """

    prefixes: tuple[str, ...]
    stem: str
    suffix: str
    stem_start: int
    stem_end: int


# Words that begin with ال but carry no article, or where splitting it off misleads matching.
_NOT_ARTICLE = frozenset(
    "الذي التي الذين اللذان اللذين اللتان اللتين اللاتي اللواتي اللائي الله اللهم الا الي الان الف الاف الفين".split()
)
_CONJ = ("و", "ف")
_PREP = ("ب", "ك", "ل")
_SUFFIXES = ("هما", "كما", "هم", "هن", "ها", "كم", "كن", "نا", "ه", "ك", "ي")


@lru_cache(maxsize=65536)
def _analyses(norm: str, letters: str) -> tuple[tuple[tuple[str, ...], int, int, str], ...]:
    """Segmentations of a normalised word as (prefixes, stem_start, stem_end, suffix) in ``norm``.

    ``letters`` holds, for each character of ``norm``, the original letter it came from: the
    article is only ever written with a bare alef (``إليه`` is not ``ال + يه``), and a folded
    ة/ى/ئ is not a pronoun suffix (``الرقة`` is not ``الرق + ه``). The first analysis is the
    primary one; the rest are alternatives for matching. Cached: words recur across a corpus.
    """
    n = len(norm)
    if norm in _NOT_ARTICLE or len(letters) != n:  # function words, numerals, ligatures: leave whole
        return (((), 0, n, ""),)
    results: list[tuple[tuple[str, ...], int, int, str]] = []
    seen: set[tuple[int, int]] = set()

    def add(prefixes: tuple[str, ...], start: int, end: int, suffix: str) -> None:
        if (start, end) not in seen:
            seen.add((start, end))
            results.append((prefixes, start, end, suffix))

    # Proclitic chains: conj? prep? article?, including ل + ال written لل.
    chains: list[tuple[tuple[str, ...], int, bool]] = []  # (prefixes, stem start, has article)
    for conj in ("",) + _CONJ:
        i = len(conj)
        if conj and not letters.startswith(conj):
            continue
        for prep in ("",) + _PREP:
            j = i + len(prep)
            if prep and letters[i:j] != prep:
                continue
            pre = tuple(p for p in (conj, prep) if p)
            if letters.startswith("ال", j) and norm[j:] not in _NOT_ARTICLE:
                chains.append((pre + ("ال",), j + 2, True))
            if prep == "ل" and letters.startswith("ل", j) and not norm.startswith("لا", j):
                chains.append((pre + ("ال",), j + 1, True))  # لل = ل + ال
            if pre:
                chains.append((pre, j, False))

    with_article = [c for c in chains if c[2] and n - c[1] >= 2]
    if with_article:
        prefixes, start, _ = max(with_article, key=lambda c: c[1])
        add(prefixes, start, n, "")
    add((), 0, n, "")
    for prefixes, start, has_article in sorted(chains, key=lambda c: -c[1]):
        if n - start >= (2 if has_article else 3):
            add(prefixes, start, n, "")
    # Pronoun suffixes, on the unsplit word and on each proclitic analysis.
    for prefixes, start, _end, _suffix in list(results):
        for suffix in _SUFFIXES:
            if letters.endswith(suffix) and n - len(suffix) - start >= 3:
                add(prefixes, start, n - len(suffix), suffix)
                break
    return tuple(results)


class Token:
    """A view of one token of a :class:`Tokens` layer."""

    __slots__ = ("_tokens", "i", "start", "end", "kind")

    def __init__(self, tokens: Tokens, i: int, start: int, end: int, kind: str) -> None:
        self._tokens, self.i, self.start, self.end, self.kind = tokens, i, start, end, kind

    @property
    def text(self) -> str:
        return self._tokens.text[self.start : self.end]

    @property
    def norm(self) -> str:
        """The token normalised for matching."""
        return self._tokens.norms[self.i]

    def candidates(self) -> list[Segmentation]:
        """Plausible clitic segmentations, the primary one first (a word: one or more)."""
        text = self.text
        if self.kind != WORD:
            return [Segmentation((), normalize(text).text, "", self.start, self.end)]
        nt = normalize(text)
        letters = text if nt.origins is None else "".join(text[o] for o in nt.origins)
        out = []
        for prefixes, s, e, suffix in _analyses(nt.text, letters):
            os_, oe = nt.to_original(s, e, with_marks=True)
            out.append(Segmentation(prefixes, nt.text[s:e], suffix, self.start + os_, self.start + oe))
        return out

    @property
    def analysis(self) -> Segmentation:
        """The primary clitic analysis (``و + ال + باغوز`` for ``والباغوز``)."""
        return self.candidates()[0]

    @property
    def stem(self) -> str:
        return self.analysis.stem

    def __repr__(self) -> str:
        return f"<Token {self.i} {self.text!r} {self.start}:{self.end} {self.kind}>"


class Tokens(Sequence[Token]):
    """The token layer of a document: offsets, kinds and normalised forms, with :class:`Token` views."""

    __slots__ = ("text", "spans", "norms", "words", "columns", "component", "version")

    def __init__(self, text: str, spans: list[tuple[int, int, str]], words: int | None = None,
                 norms: list[str] | None = None,
                 columns: tuple[list[int], list[int], list[str]] | None = None) -> None:
        self.text = text
        self.spans = spans
        # (starts, ends, kinds) of the spans, when the tokenizer made them on the way (the C loop):
        # the matchers' word view reads them instead of taking the spans apart again
        self.columns = columns
        # the normalised text of each token, for matchers (normalisation is per character)
        self.norms = norms if norms is not None else [normalize(text[s:e]).text for s, e, _k in spans]
        self.words = words if words is not None else sum(1 for _s, _e, k in spans if k == WORD)
        self.component, self.version = COMPONENT, VERSION

    def __len__(self) -> int:
        return len(self.spans)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self.spans)))]
        s, e, k = self.spans[i]
        return Token(self, i if i >= 0 else len(self.spans) + i, s, e, k)

    def __iter__(self) -> Iterator[Token]:
        for i, (s, e, k) in enumerate(self.spans):
            yield Token(self, i, s, e, k)

    def in_span(self, start: int, end: int) -> list[Token]:
        """Tokens lying inside ``[start, end)`` (a sentence, say)."""
        from bisect import bisect_left

        lo = bisect_left(self.spans, (start, -1, ""))
        out = []
        for i in range(lo, len(self.spans)):
            s, e, k = self.spans[i]
            if s >= end:
                break
            if e <= end:
                out.append(Token(self, i, s, e, k))
        return out


def tokenize(text: str) -> Tokens:
    """Split ``text`` into tokens: words, numbers, punctuation, URLs, e-mails, hashtags/handles.

    Most whitespace-separated chunks of news text are plain words or plain numbers; those
    take a fast path, and only the rest (attached punctuation, diacritics, URLs, ...) go
    through the full token pattern.
    """
    spans: list[tuple[int, int, str]] = []
    norms: list[str] = []
    append, add_norm = spans.append, norms.append
    words = 0
    cache, norm_cache = _CHUNK_CACHE, _NORM_CACHE
    if len(norm_cache) > 500_000:
        norm_cache.clear()
    native = speedups()
    if native is not None:  # the common-case loop below, in C (None: the text has unusual spaces)
        done = native.tokenize_plain(text, norm_cache, cache, _norm, _split_chunk, WORD, _plain_map())
        if done is not None:
            spans, norms, words, starts, ends, kinds = done
            return Tokens(text, spans, words, norms, (starts, ends, kinds))
    if _UNUSUAL_SPACE.search(text):
        # rare: tabs, no-break or other Unicode spaces; locate each chunk
        find, pos = text.find, 0
        chunks = []
        for chunk in text.split():
            start = find(chunk, pos)
            pos = start + len(chunk)
            chunks.append((start, chunk))
    else:
        chunks = None
    if chunks is None:
        # the common case: only spaces and newlines, so offsets follow from chunk lengths
        start = 0
        for chunk in text.replace("\n", " ").split(" "):
            n = len(chunk)
            if chunk.isalpha():
                append((start, start + n, WORD))
                norm = norm_cache.get(chunk)
                add_norm(norm if norm is not None else _norm(chunk))
                words += 1
            elif n:
                for s, e, kind, norm in cache.get(chunk) or _split_chunk(chunk):
                    append((start + s, start + e, kind))
                    add_norm(norm)
                    words += kind is WORD
            start += n + 1
    else:
        for start, chunk in chunks:
            if chunk.isalpha():
                append((start, start + len(chunk), WORD))
                norm = norm_cache.get(chunk)
                add_norm(norm if norm is not None else _norm(chunk))
                words += 1
            else:
                for s, e, kind, norm in cache.get(chunk) or _split_chunk(chunk):
                    append((start + s, start + e, kind))
                    add_norm(norm)
                    words += kind is WORD
    return Tokens(text, spans, words, norms)


_CHUNK_CACHE: dict[str, tuple[tuple[int, int, str, str], ...]] = {}
_NORM_CACHE: dict[str, str] = {}


# Below this code point normalisation maps each character to at most one character, whatever
# surrounds it (the ligatures that expand to two letters are presentation forms, far above).
_PLAIN_MAP_SIZE = 0x800
_SPACE_MARK, _NOT_ALPHA_MARK = "\ufffe", "\uffff"


@lru_cache(maxsize=1)
def _plain_map() -> str:
    """For the C loop, each character below ``_PLAIN_MAP_SIZE``: U+FFFE if it is whitespace,
    U+FFFF if it is no letter, else its normal form ("\\0": dropped). A chunk of such characters
    is told a plain word and folded with one read of this table per character."""
    table = []
    for cp in range(_PLAIN_MAP_SIZE):
        ch = chr(cp)
        if ch.isspace():
            table.append(_SPACE_MARK)
            continue
        if not ch.isalpha():
            table.append(_NOT_ALPHA_MARK)
            continue
        one = normalize(ch).text
        if len(one) > 1 or one in (_SPACE_MARK, _NOT_ALPHA_MARK):
            break  # not so today; should it come, the table stops short and the caches serve the rest
        table.append(one or "\0")
    return "".join(table)


def _norm(word: str) -> str:
    norm = _NORM_CACHE[word] = normalize(word).text
    return norm


def _split_chunk(chunk: str) -> tuple[tuple[int, int, str, str], ...]:
    """Tokens of a whitespace-free chunk that is not a plain word (cached: punctuation recurs)."""
    parts = tuple(
        (m.start(), m.end(), _KINDS[m.lastgroup or PUNCT], normalize(m.group()).text)
        for m in _TOKEN_RE.finditer(chunk)
    )
    if len(_CHUNK_CACHE) < 200_000:
        _CHUNK_CACHE[chunk] = parts
    return parts


_KINDS = {k: k for k in (WORD, NUMBER, PUNCT, URL, EMAIL, TAG)}  # interned kind strings


def tokenize_component(doc) -> None:  # noqa: ANN001 - a pipeline component over a Document
    """Pipeline component: fill ``doc.tokens``."""
    doc.tokens = tokenize(doc.text)
