"""Normalisation of Arabic text for matching, with an exact map back to original offsets.

Matching (gazetteers, lexicons, patterns) runs on the normalised text; every span found
there maps back to the original with :meth:`NormalizedText.to_original`, so the text a user
sees is always the text as published.

What is folded (see ``docs/architecture.md``): tatweel, diacritics and Quranic marks,
alef/hamza variants, alef maqsura -> ya, taa marbuta -> ha, Persian/Urdu letter variants,
Arabic-Indic and Persian digits, Arabic decimal/thousands/percent signs, guillemets and
typographic quotes, zero-width and bidi controls, presentation forms, Latin case.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

COMPONENT = "text.normalize"
VERSION = "1"

_DELETE = "\x00"  # translation target meaning "drop this character"

# Characters dropped for matching.
_DROPPED = (
    ["\u0640"]  # tatweel
    + [chr(c) for c in range(0x064B, 0x0660)]  # harakat, tanwin, shadda, sukun, extended marks
    + ["\u0670"]  # superscript alef
    + [chr(c) for c in range(0x0610, 0x061B)]  # honorific and small high signs
    + [chr(c) for c in range(0x06D6, 0x06EE) if c != 0x06DE and c != 0x06E9]  # Quranic annotation marks
    + ["\u08f0", "\u08f1", "\u08f2", "\u08f3"]  # open tanwin forms
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f"]  # zero width space/joiners, LRM, RLM
    + [chr(c) for c in range(0x202A, 0x202F)]  # bidi embeddings and overrides
    + [chr(c) for c in range(0x2066, 0x206A)]  # bidi isolates
    + ["\u061c", "\ufeff", "\u00ad", "\u2060"]  # Arabic letter mark, BOM/ZWNBSP, soft hyphen, word joiner
    + ["\x00"]
)

# One character for one character.
_ONE_TO_ONE: dict[str, str] = {
    # alef and hamza carriers
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ٵ": "ا",
    "ؤ": "و", "ٶ": "و", "ئ": "ي", "ٸ": "ي",
    # alef maqsura, taa marbuta
    "ى": "ي", "ة": "ه", "ۃ": "ه",
    # Persian / Urdu / other-script variants of Arabic letters
    "ی": "ي", "ې": "ي", "ۍ": "ي", "ێ": "ي", "ے": "ي", "ۓ": "ي",
    "ک": "ك", "ڪ": "ك", "گ": "ك",
    "ہ": "ه", "ە": "ه", "ھ": "ه", "ۀ": "ه", "ۂ": "ه",
    "ٹ": "ت", "ڈ": "د", "ڑ": "ر",
    # punctuation with ASCII meaning
    "٫": ".", "٬": ",", "٪": "%", "؍": "/", "٭": "*",
    "«": '"', "»": '"', "‹": '"', "›": '"', "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "〝": '"', "〞": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2008": " ",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
}
for _i in range(10):
    _ONE_TO_ONE[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _ONE_TO_ONE[chr(0x06F0 + _i)] = str(_i)  # Persian (Extended Arabic-Indic) digits
    _ONE_TO_ONE[chr(0x07C0 + _i)] = str(_i)  # NKo digits (seen in scraped text)
for _c in range(ord("A"), ord("Z") + 1):
    _ONE_TO_ONE[chr(_c)] = chr(_c + 32)


def _presentation_forms() -> dict[str, str]:
    """Arabic presentation forms (U+FB50-FDFF, U+FE70-FEFF) to base letters, folded too."""
    out: dict[str, str] = {}
    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFEFF)):
        ch = chr(cp)
        decomposed = unicodedata.normalize("NFKC", ch)
        if decomposed == ch or not decomposed.strip():
            continue
        folded = "".join(_ONE_TO_ONE.get(c, c) for c in decomposed if c not in _DROPPED_SET and not c.isspace())
        if folded != ch:
            out[ch] = folded
    return out


_DROPPED_SET = frozenset(_DROPPED)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str], dict[str, str], re.Pattern[str]]:
    table: dict[int, str] = {ord(k): v for k, v in _ONE_TO_ONE.items()}
    for ch in _DROPPED:
        table[ord(ch)] = _DELETE
    expansions: dict[str, str] = {}
    for ch, folded in _presentation_forms().items():
        if len(folded) == 1:
            table[ord(ch)] = folded
        elif len(folded) == 0:
            table[ord(ch)] = _DELETE
        else:
            expansions[ch] = folded
    expand_re = re.compile("[" + "".join(re.escape(c) for c in expansions) + "]")
    return table, expansions, expand_re


_KEPT_RUNS = re.compile("[^\x00]+")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text and, for each of its characters, the original offset it came from.

    ``origins`` is ``None`` when the normalised text has the same length and alignment as the
    original (the common case for clean text): then offsets are shared.
    """

    original: str
    text: str
    origins: tuple[int, ...] | None

    def to_original(self, start: int, end: int, *, with_marks: bool = False) -> tuple[int, int]:
        """Map a normalised span ``[start, end)`` to the smallest original span covering it.

        With ``with_marks``, the span also keeps what normalisation dropped after its last
        character (the diacritics and tatweel of its last letter), up to the next kept one.
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside normalised text of length {len(self.text)}")
        origins = self.origins
        if origins is None:
            return start, end
        if start == end:
            pos = origins[start] if start < len(self.text) else len(self.original)
            return pos, pos
        last = origins[end - 1] + 1
        if with_marks:
            nxt = origins[end] if end < len(origins) else len(self.original)
            last = max(last, nxt)
        return origins[start], last

    def to_normalized(self, position: int) -> int:
        """The normalised offset of the first normalised character at or after ``position``."""
        if self.origins is None:
            return position
        return bisect_right(self.origins, position - 1)

    def original_span(self, start: int, end: int) -> str:
        s, e = self.to_original(start, end)
        return self.original[s:e]


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` for matching; see the module docstring for what is folded."""
    table, expansions, expand_re = _tables()
    if expansions and expand_re.search(text):
        return _normalize_slow(text, table, expansions)
    mapped = text.translate(table)
    if _DELETE not in mapped:
        return NormalizedText(text, mapped, None)
    origins: list[int] = []
    for m in _KEPT_RUNS.finditer(mapped):
        origins.extend(range(m.start(), m.end()))
    return NormalizedText(text, mapped.replace(_DELETE, ""), tuple(origins))


def _normalize_slow(text: str, table: dict[int, str], expansions: dict[str, str]) -> NormalizedText:
    """Character by character, for the rare text with ligatures that expand to two letters."""
    out: list[str] = []
    origins: list[int] = []
    for i, ch in enumerate(text):
        rep = expansions.get(ch)
        if rep is None:
            rep = table.get(ord(ch), ch)
            if rep == _DELETE:
                continue
        out.append(rep)
        origins.extend([i] * len(rep))
    return NormalizedText(text, "".join(out), tuple(origins))


def normalize_str(text: str) -> str:
    """Just the normalised string, for keys of lexicons and gazetteers."""
    return normalize(text).text


def bare(word: str) -> str:
    """A normalised word without its conjunction, preposition and article (``وبالطيران`` -> ``طيران``).

    A quick, dictionary-free reduction for comparing words across texts (event cues, report pairs);
    the token layer's clitic analysis is the careful one.
    """
    if len(word) > 3 and word[0] in "وف":
        word = word[1:]
    if len(word) > 3 and word[0] in "بلك" and word[1:3] == "ال":
        word = word[1:]
    if word.startswith("لل") and len(word) > 4:
        return word[2:]
    if word.startswith("ال") and len(word) > 3:
        return word[2:]
    return word
