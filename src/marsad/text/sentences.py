"""Sentence segmentation for Arabic news text.

Rules (each tested on the seeds):
- a sentence never crosses a line break: headlines, datelines and paragraphs are their own;
- it ends at ``.`` ``!`` ``?`` ``؟`` and at the Arabic semicolon ``؛`` (a clause-level full
  stop in news prose), with any closing quotes or brackets that follow;
- the Arabic comma ``،`` does not end a sentence (Arabic news chains clauses with it);
- no break inside numbers (``12.5``, ``١٢٫٥``), after abbreviations and initials (``د.``,
  ``م.``, ``U.S.``) or at an ellipsis inside a line (``...``, ``…``, ``..``);
- a bullet inside a line (``🔴``, ``◀``, ``•``, as news posts list items) starts a new sentence.
"""

from __future__ import annotations

import re

from marsad._native import speedups
from marsad.document import Annotation

COMPONENT = "text.sentences"
VERSION = "1"

_LINE_RE = re.compile(r"[^\r\n\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e]+")
_TERMINALS = ".!?؟؛…"
_CLOSERS = frozenset("\"'»”“’)]\u200f\u200e")  # “ closes too: RTL text often gets it reversed
_WORD_STOPS = frozenset(".«\"'([")

_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st no vs etc inc ltd co jr sr gen col lt capt sgt gov sen rep dept est fig
    u.s u.k u.n e.g i.e a.m p.m jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)


_BULLETS = "\U0001F534\U0001F535\u25c0\u25b6\u2b55\u2022\u25aa\u25a0\u25cf\u25c6\u25ba\u27a1\u2705\U0001F4CC\U0001F538\U0001F539"
_BULLET_RE = re.compile(f"[{_BULLETS}]")
_ERA_MARK_RE = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]{3,4}\s*(?:م|هـ|ه)$")


def _is_abbreviation(word: str) -> bool:
    bare = word.strip("\"'«»()[]")
    if not bare:
        return False
    if len(bare) == 1 and bare.isalpha():  # initials: د. م. J.
        return True
    if "." in bare and all(len(p) <= 2 for p in bare.split(".")):  # U.S ق.م ص.ب
        return True
    return bare.lower() in _ABBREVIATIONS


_WORD_RUN_RE = re.compile(f"[^\\s{re.escape(''.join(sorted(_WORD_STOPS)))}]*")  # re's \s is str.isspace


def _word_before(text: str, lo: int, end: int) -> str:
    """The run of characters ending at ``end`` (not before ``lo``) that holds no space, full stop,
    opening quote or bracket: the word a full stop follows (matched forwards on the reversed
    piece; a regex anchored at the end would try every start position)."""
    backwards = text[lo:end][::-1]
    return backwards[: _WORD_RUN_RE.match(backwards).end()][::-1]  # type: ignore[union-attr]


def _lines(text: str) -> list[tuple[int, int]]:
    """Offsets of the lines of ``text`` (any Unicode line break ends a line)."""
    if any(c in text for c in "\r\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e"):
        return [m.span() for m in _LINE_RE.finditer(text)]
    out, pos = [], 0
    for line in text.split("\n"):
        if line:
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _terminal_positions(text: str) -> list[int]:
    """Sorted offsets of every terminal punctuation mark (memchr-fast ``str.find`` scans)."""
    out: list[int] = []
    for ch in _TERMINALS:
        find = text.find
        i = find(ch)
        while i != -1:
            out.append(i)
            i = find(ch, i + 1)
    out.sort()
    return out


def _abbreviation_stop(text: str, line_start: int, stop: int, before: str) -> bool:
    """The full stop at ``stop``, after the word ``before``, ends an abbreviation or an initial, not
    the sentence ("د." "U.S."); but "عام ٢٠١٧ م." ends one: a year's era mark is not an initial."""
    return _is_abbreviation(before) and not _ERA_MARK_RE.search(text, max(line_start, stop - 12), stop)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets ``(start, end)`` in ``text``, trimmed of surrounding whitespace."""
    native = speedups()
    out = native.split_sentences_plain(text, _abbreviation_stop) if native is not None else None
    if out is None:  # no C module, or line breaks other than "\n": the same rules in Python
        out = _split_lines(text)
    if any(b in text for b in _BULLETS):  # a substring test per bullet is faster than a regex scan
        out = _split_at_bullets(text, out)
    return out


def _split_lines(text: str) -> list[tuple[int, int]]:
    """:func:`split_sentences` before its bullet step (``marsad._speedups.split_sentences_plain``
    does the same for text whose only line break is "\n")."""
    out: list[tuple[int, int]] = []
    terms = _terminal_positions(text)
    ti, nt = 0, len(terms)
    for ls, le in _lines(text):
        start = ls
        while ti < nt and terms[ti] < ls:
            ti += 1
        while ti < nt and terms[ti] < le:
            first = terms[ti]
            end = first + 1
            ti += 1
            while ti < nt and terms[ti] == end and end < le:  # a run such as "!!" or "..."
                end += 1
                ti += 1
            punct_end = end
            while end < le and text[end] in _CLOSERS:  # closing quotes/brackets stay with it
                end += 1
            punct = text[first:punct_end]
            if "…" in punct or ".." in punct:
                continue  # an ellipsis inside a line continues the sentence
            nxt = text[end] if end < le else ""
            if nxt and not nxt.isspace():
                # "12.5", "U.S.A", "a.m." or a closing quote inside a word: not a boundary,
                # unless a full stop is glued to the next Arabic sentence ("2017.وقال").
                if not (end == punct_end and "\u0621" <= nxt <= "\u064a"):
                    continue
            if punct[0] == ".":
                before = _word_before(text, max(ls, first - 24), first)
                if before and _abbreviation_stop(text, ls, first, before):
                    continue
            _append(text, out, start, end)
            start = end
        _append(text, out, start, le)
    return out


def _split_at_bullets(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each bullet inside a sentence begins a new one ("🔴 حماس: ... 🔴 حماس: ...")."""
    out: list[tuple[int, int]] = []
    for start, end in sentences:
        cuts = [m.start() for m in _BULLET_RE.finditer(text, start, end) if m.start() > start]
        for cut in cuts:
            _append(text, out, start, cut)
            start = cut
        _append(text, out, start, end)
    return out


def _append(text: str, out: list[tuple[int, int]], start: int, end: int) -> None:
    if start < end and (text[start].isspace() or text[end - 1].isspace()):
        piece = text[start:end]
        body = piece.lstrip()
        start += len(piece) - len(body)
        end = start + len(body.rstrip())
    if end > start:
        out.append((start, end))


def sentences_component(doc) -> None:  # noqa: ANN001 - a pipeline component over a Document
    """Pipeline component: add the ``sentences`` layer."""
    text = doc.text
    doc.set_layer(
        "sentences",
        [Annotation("sentences", s, e, text[s:e], COMPONENT, VERSION) for s, e in split_sentences(text)],
    )
