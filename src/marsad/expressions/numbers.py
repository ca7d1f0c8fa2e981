"""Number expressions: value, vagueness (ACLED's conservative values) and what they count.

Reads the normalised words of a document (:mod:`marsad.expressions.scan`) and the vocabulary
in ``data/expressions/numbers.toml``. Finds digits in any script (with thousands and decimal
separators), number words in their gender and case forms and compounds (خمسة وعشرون، ثلاث مائة،
اثنا عشر ألفاً), fractions and percentages, ranges (بين 10 و20), vague quantities (عشرات → 10,
بضعة → 3, مئات → 100, آلاف → 1000) and hedges (قرابة، أكثر من، تجاوز ...), and what the number
counts (killed, wounded, killed_or_wounded, fighters, families, civilians, displaced,
kidnapped, detained, other) from the noun that follows it and the verb or noun that precedes it.
Numbers inside date expressions belong to the ``dates`` layer and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from marsad.document import Annotation  # at module level: an import per call costs ~5 µs
from marsad.expressions.lexicon import PhraseLexicon, numbers_data
from marsad.expressions.scan import BARRIERS, Words, any_in_function, scan_functions, words_of

COMPONENT = "expressions.numbers"
VERSION = "1"

# Nouns that say what happened to those counted (قتيلا، جرحى) win over a cue before the number;
# nouns that only say who they are (محتجزين، نازحين، عائلات) yield to one: "قتل أحد المحتجزين" is killed.
OUTCOME_NOUNS = frozenset({"killed", "wounded", "killed_or_wounded"})

_THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA_RE = re.compile(r"\d+,\d+")
_DECIMAL_RE = re.compile(r"\d+(?:\.\d+)?")
_GROUP_RE = re.compile(r"\d{3}(?:\.\d+)?")

_CORE = ("unit", "teen_unit", "teen_ten", "ten", "hundred", "scale", "scale_plural", "scale_dual",
         "fraction", "fraction_plural", "dozens", "dozens_dual", "amb_fraction")
_NONE: frozenset[str] = frozenset()
_FRACTION_WORDS = frozenset({"decimal_point", "parts", "part", "over", "out_of"})
_TAIL_WORDS = frozenset({"percent", "hedge_after", "bound_after"})
_RANGE_TO = frozenset({"الي", "حتي", "لغايه"})
_TAIL_FIRST = frozenset({"-", "~", "الي", "حتي", "%", "ربما", "قد"})  # what _tails tests before its lexicon
_PERSON_WHAT = frozenset({"killed", "wounded", "fighters", "families", "civilians", "displaced", "kidnapped",
                          "detained", "other"})


@lru_cache(maxsize=1)
def lexicon() -> PhraseLexicon:
    """The number vocabulary, normalised and indexed (loaded once, on first use)."""
    d = numbers_data()
    lex = PhraseLexicon()
    for section, category in (("units", "unit"), ("teen_units", "teen_unit"), ("tens", "ten"),
                              ("hundreds", "hundred"), ("fractions", "fraction"),
                              ("fraction_plurals", "fraction_plural"), ("vague", "vague")):
        for value, forms in d[section].items():
            for form in forms:
                lex.add(form, category, float(value))
    for form in d["teen_tens"]["forms"]:
        lex.add(form, "teen_ten", 10.0)
    for scale in d["scales"].values():
        for kind, category in (("singular", "scale"), ("plural", "scale_plural"), ("dual", "scale_dual")):
            for form in scale[kind]:
                lex.add(form, category, float(scale["value"]))
    for form in d["dozens"]["forms"]:
        lex.add(form, "dozens", 12.0)
    for form in d["dozens"]["dual"]:
        lex.add(form, "dozens_dual", 24.0)
    for value, forms in d["ambiguous_fractions"].items():
        for form in forms:
            lex.add(form, "amb_fraction", float(value))
    fw = d["fraction_words"]
    for key in ("over", "out_of", "part", "parts", "decimal_point"):
        for form in fw[key]:
            lex.add(form, key, None, article=False)
    for form in d["negative"]["forms"]:
        lex.add(form, "negative", -1.0)
    for form in d["percent"]["phrases"]:
        lex.add(form, "percent", None, article=False)
    hedges = d["hedges"]
    upper = set(hedges["upper"])
    for form in hedges["before"]:
        lex.add(form, "hedge", "upper" if form in upper else "approx")
    for form in hedges["after"]:
        lex.add(form, "hedge_after", "upper" if form in hedges["upper_after"] else "approx", article=False)
    for form in hedges["bound_after"]:
        lex.add(form, "bound_after", None, article=False)
    for form in d["ranges"]["between"]:
        lex.add(form, "between", None, article=False)
    for form in d["ranges"]["from"]:
        lex.add(form, "range_from", None, article=False)
    for value, forms in d["ordinals"].items():
        for form in forms:
            lex.add(form, "ordinal", float(value))
    what = d["what"]
    for category, forms in what["nouns"].items():
        for form in forms:
            lex.add(form, "what_noun", category)
    for category, forms in what["duals"].items():
        for form in forms:
            lex.add(form, "what_dual", category)
    for category, forms in what["cues"].items():
        for form in forms:
            lex.add(form, "what_cue", category)
    for category, forms in what.get("loss", {}).items():
        for form in forms:
            lex.add(form, "what_cue", "loss:" + category)
    for category, forms in what["after"].items():
        for form in forms:
            lex.add(form, "what_after", category, article=False)
    for category, forms in d.get("things", {}).items():
        for form in forms:
            lex.add(form, "thing", category)
    return lex


@dataclass(slots=True)
class NumberMention:
    start: int  # word indices, end exclusive
    end: int
    value: float
    approx: bool = False
    kind: str = "cardinal"
    what: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def parse_digits(norm: str) -> float | None:
    """The value of a digit token (normalised to ASCII digits): 1,200 / 12.5 / 0,25 (decimal comma)."""
    if norm.isdigit():
        return float(int(norm))
    if _THOUSANDS_RE.fullmatch(norm):
        return float(norm.replace(",", ""))
    if _DECIMAL_COMMA_RE.fullmatch(norm):  # a comma not followed by groups of three: decimal
        return float(norm.replace(",", "."))
    if _DECIMAL_RE.fullmatch(norm):
        return float(norm)
    return None


_LEAD_CATEGORIES = frozenset({"hedge", "range_from", "between", "negative"})  # what mention_at reads first
_MENTION_BRANCHES = _LEAD_CATEGORIES | {"ordinal", "part"}  # ... and what it reads before core
_VAGUE_OR_SCALES = frozenset({"vague", "scale_plural"})
_SCALES = frozenset({"scale", "scale_plural"})
_QUOTES = frozenset({'"', "'"})  # « » “ ” normalise to '"'
_COUNTED = frozenset({"what_noun", "what_dual", "scale", "scale_plural", "hundred", "unit", "ten", "teen_ten",
                      "vague", "fraction_plural", "dozens"})
_PLURAL_ENDINGS = ("ات", "ين", "ون", "اء", "ي")


@lru_cache(maxsize=1)
def _homographs() -> frozenset[str]:
    """The number words of [homographs] in numbers.toml, with the clitics they can carry (not ال)."""
    lex = PhraseLexicon()
    for form in numbers_data().get("homographs", {}).get("forms", []):
        lex.add(form, "homograph", None, article=False)
    return lex.surfaces("homograph")


@lru_cache(maxsize=1)
def _time_units() -> frozenset[str]:
    """Time units a number counts (سنوات، أيام، ساعات), from the dates vocabulary."""
    from marsad.expressions.dates import lexicon as date_lexicon

    return date_lexicon().surfaces("unit", "unit_plural", "unit_dual")


@lru_cache(maxsize=4096)
def _plural_shape(word: str) -> bool:
    """Is a normalised word shaped like an Arabic plural (what follows 3..10)? Sound plurals
    (سنوات، مدنيين), and the broken patterns أفعال، أفعلة، أفعل، فعول، فعائل/مفاعل/مفاعيل، فعلان، فعل."""
    n = len(word)
    if n >= 3 and word.endswith(_PLURAL_ENDINGS):
        return True
    if n == 3:  # دول، مدن: too short to tell
        return True
    if n == 4:
        return word[0] == "ا" or word[2] == "و"
    if n == 5 and word[0] == "ا" and (word[3] == "ا" or word[4] == "ه"):
        return True
    return n >= 5 and (word[2] == "ا" or (word[3] == "ا" and word[4] == "ن"))


@lru_cache(maxsize=1)
def _core_readings() -> tuple[dict[str, tuple[_Item, ...]], dict[str, tuple[_Item, ...]], frozenset[str]]:
    """Per word form, its readings as the first part of a number and as a later part, and the
    words that begin a multi-word number phrase (read with the general matcher instead).

    The readings are shared by every document: callers must not change them (``cardinal``
    copies one it marks as joined by a separate و).
    """
    lex = lexicon()
    first: dict[str, list[_Item]] = {}
    later: dict[str, list[_Item]] = {}
    for word, found in lex.one_word_readings(*_CORE).items():
        for prefix, entry in found:
            waw = prefix.startswith(("و", "ف"))
            rest = prefix[1:] if waw else prefix
            if rest and rest not in ("ال", "لل", "ب", "ل"):
                continue
            reading = _Item(entry.category, entry.value, 1, waw)
            first.setdefault(word, []).append(reading)
            if rest not in ("ب", "ل", "لل"):
                later.setdefault(word, []).append(reading)
    return ({w: tuple(r) for w, r in first.items()}, {w: tuple(r) for w, r in later.items()},
            lex.multi_surfaces(*_CORE))


@dataclass(slots=True)
class _Item:
    category: str
    value: float
    n: int  # words consumed
    waw: bool  # joined by و (attached or a separate word)


@lru_cache(maxsize=1)
def _parser_tables() -> tuple[Any, ...]:
    """What every _Parser reads, gathered once (one call per document instead of eight)."""
    lex = lexicon()
    cardinal_words, quantity_words = _quantity_words()
    return (lex, lex.category_map(), cardinal_words, quantity_words, _core_readings(), _homographs(), _cue_words(),
            _time_units())


class _Parser:
    """Number grammar over one document's words."""

    def __init__(self, words: Words, date_words: set[int]) -> None:
        self.w = words
        self.norms = words.norms
        self.n = len(words)
        self.dates = date_words  # word indices inside date expressions
        # catmap: probed per word on demand (most words are never asked)
        (self.lex, self.catmap, self.cardinal_words, self.quantity_words, self.readings, self.homographs,
         self.cue_words, self.time_units) = _parser_tables()
        self.any_in = any_in_function()
        self.zone = False  # parsing inside a date: parts never cross its edge

    # -- single items -------------------------------------------------------------------------
    def _glued(self, i: int) -> bool:
        """A digit token written against letters (ديرالزور24، 10000دولار) is part of a name or code."""
        w = self.w
        before = (i > 0 and w.adjacent(i - 1, i) and w.kinds[i - 1] == "word"
                  and self.norms[i - 1] not in ("ال", "و", "ب", "ل"))
        after = (w.adjacent(i, i + 1) and w.kinds[i + 1] == "word"
                 and self.norms[i + 1] != "e")  # 1e10 is an exponent, not a code
        return before or after

    def items(self, i: int, first: bool) -> Sequence[_Item]:
        """The readings of the word at ``i`` as a part of a number (several: خمس is 5 or 1/5).
        One-word readings are shared objects (see :func:`_core_readings`): read them, never set."""
        if i >= self.n or (i in self.dates) != self.zone:
            return []
        norm = self.norms[i]
        if self.w.kinds[i] == "number":
            if self._glued(i) or self._clock(i) or self._quoted_name(i):
                return []
            value = parse_digits(norm)
            return [] if value is None else [_Item("digits", value, 1, False)]
        if self.w.kinds[i] != "word":
            return []
        readings = self.readings
        if norm not in readings[2]:  # one-word number words: read once per word form, cached
            return readings[0 if first else 1].get(norm, ())
        out = []
        for m in self.lex.match(self.norms, i, _CORE):
            prefix = m.prefix
            waw = prefix.startswith(("و", "ف"))
            rest = prefix[1:] if waw else prefix
            if rest and rest not in ("ال", "لل", "ب", "ل") or (rest in ("ب", "ل", "لل") and not first):
                continue
            if any((k in self.dates) != self.zone for k in range(i, i + m.length)):
                continue
            out.append(_Item(m.entry.category, m.entry.value, m.length, waw))
        return out

    # -- compounds ----------------------------------------------------------------------------
    def cardinal(self, i: int) -> tuple[float, int, str] | None:
        """Parse a cardinal (or fraction) starting at word ``i``: (value, end, kind)."""
        if i < self.n and self.w.kinds[i] != "number" and self.norms[i] not in self.cardinal_words:
            return None  # the cheap test first: the rules below find nothing at other words
        n, norms, kinds, cardinal_words = self.n, self.norms, self.w.kinds, self.cardinal_words
        if i < n and kinds[i] == "number" and self._plain_digits(i):  # most numbers: what the rules below say
            value = parse_digits(norms[i])
            return None if value is None else (value, i + 1, "cardinal")
        items: list[_Item] = []
        k = i
        if i < n and kinds[i] == "word" and (i in self.dates) == self.zone and self._ends_alone(i):
            # one number word that nothing after it continues: the loop below would take its first
            # reading that can stand first (items(i, True) is its one-word readings) and stop
            for it in self.readings[0].get(norms[i], ()):
                if it.category not in ("amb_fraction", "fraction_plural"):
                    items.append(it)
                    k = i + it.n
                    break
        else:
            while k < n:
                sep_waw = bool(items) and norms[k] == "و" and kinds[k] == "word"
                at = k + 1 if sep_waw else k
                if at >= n or kinds[at] != "number" and norms[at] not in cardinal_words:
                    break  # items() has no reading for this word (the same test, without the call)
                chosen = None
                for it in self.items(at, not items):
                    if sep_waw and not it.waw:
                        it = _Item(it.category, it.value, it.n, True)  # a copy: readings are shared
                    if items:
                        if _can_follow(items, it):
                            chosen = it
                            break
                    elif it.category not in ("amb_fraction", "fraction_plural") and not (it.waw and sep_waw):
                        chosen = it  # a plural denominator needs a numerator: "أخماس" alone is no number
                        break
                if chosen is None:
                    break
                items.append(chosen)
                k = at + chosen.n
        if not items:
            return None
        # _compound_denominator's own first test, inlined: it needs a unit at k
        denominator = self._compound_denominator(items, k) if (
            k + 1 < n and "unit" in self.catmap.get(norms[k], _NONE)) else None
        if denominator is not None:  # ثلاثة واحد وعشرونات = 3/21
            value, _kind = _evaluate(items)
            return value / denominator[0], denominator[1], "fraction"
        if items[0].category == "unit" and items[0].value == 10 and i > 0 and \
                self.lex.first(self.norms, i - 1, "ordinal") is not None:
            return None  # "الثالثة عشرة", "الحادي عشر": an ordinal, not a count
        # A lone "أحد"/"اثنا" is not a number.
        if len(items) == 1 and items[0].category == "teen_unit":
            return None
        if len(items) == 1 and self.norms[i] in self.homographs and not self._counted_after(k):
            return None  # "وست بوينت": a name, not six
        value, kind = _evaluate(items)
        if len(items) == 1 and items[0].category == "digits" and not self.zone:
            value, k = self._digit_forms(i, value)
            if value is None:
                return None
        return value, k, kind

    def _plain_digits(self, i: int) -> bool:
        """Is the digit token at ``i`` a number alone, as :meth:`cardinal` would find after all its
        tests? Spaces on both sides (nothing glued: no clock, code, quotation, split or exponent),
        and after it no digit, number word or "و" that could continue it."""
        j = i + 1
        w = self.w
        starts, ends, n = w.starts, w.ends, self.n
        if (i > 0 and ends[i - 1] == starts[i]) or (i in self.dates) != self.zone or self.norms[i] in self.homographs:
            return False
        if j >= n:
            return True
        following = self.norms[j]
        return (ends[i] != starts[j] and w.kinds[j] != "number" and following not in self.cardinal_words
                and following != "و")

    def _counted_after(self, k: int) -> bool:
        """Can word ``k`` be what a number 3..10 counts? A plural noun, "من", a known noun or unit,
        or nothing (the end of a phrase: "الدول الست."); not a digit, a name or a singular word."""
        if k >= self.n or self.w.is_barrier(k):
            return True
        kind, word = self.w.kinds[k], self.norms[k]
        if kind == "number":
            return False
        if kind != "word":
            return True
        return word == "من" or bool(self.cats(k) & _COUNTED) or word in self.time_units or _plural_shape(word)

    def _quoted_name(self, i: int) -> bool:
        """«الياسين 105»، "كورنيت 5": digits closing a short quotation after a name are a model number."""
        norms, kinds, w = self.norms, self.w.kinds, self.w
        if i + 1 >= self.n or norms[i + 1] not in _QUOTES or not w.adjacent(i, i + 1):
            return False
        for k in range(i - 1, max(i - 5, -1), -1):
            if norms[k] in _QUOTES:
                return k < i - 1 and w.adjacent(k, k + 1)
            if kinds[k] != "word" or self.cats(k):
                return False  # "«قتل 5»": a number word or a cue inside the quotation is a quote
        return False

    def _compound_denominator(self, items: list[_Item], k: int) -> tuple[float, int] | None:
        """A denominator of a unit and a plural ten joined by و after a whole numerator
        ("واحد وعشرونات" = twenty-firsts): (denominator, end) or None."""
        if k + 1 >= self.n or items[-1].category not in ("unit", "digits", "ten", "teen_ten", "hundred") \
                or "unit" not in self.cats(k) or "fraction_plural" not in self.cats(k + 1):
            return None
        unit = [it for it in self.items(k, False) if it.category == "unit" and 1 <= it.value <= 9 and not it.waw]
        tens = [it for it in self.items(k + 1, False)
                if it.category == "fraction_plural" and it.waw and it.value >= 20]
        if not unit or not tens:
            return None
        return unit[0].value + tens[0].value, k + 2

    def cats(self, i: int) -> frozenset[str]:
        """Categories of the phrases that can start at word ``i`` (a cheap test before a lookup)."""
        return self.catmap.get(self.norms[i], _NONE) if i < self.n else _NONE

    def _clock(self, i: int) -> bool:
        """13:58 is a time of day, not two numbers."""
        norms, w = self.norms, self.w
        after = i + 2 < self.n and norms[i + 1] == ":" and self.w.adjacent(i, i + 1) and self.w.adjacent(i + 1, i + 2) \
            and w.kinds[i + 2] == "number"
        before = i >= 2 and norms[i - 1] == ":" and self.w.adjacent(i - 1, i) and self.w.adjacent(i - 2, i - 1) \
            and w.kinds[i - 2] == "number"
        return after or before

    def _int_at(self, i: int) -> float | None:
        """A plain integer token at ``i`` standing alone (not the start of a fraction or date)."""
        if not (self.w.kinds[i] == "number" and self.norms[i].isdigit()) or (i in self.dates) != self.zone:
            return None
        if i + 1 < self.n and self.norms[i + 1] in ("/", ".", ",") and self.w.adjacent(i, i + 1):
            return None
        return float(self.norms[i])

    def _digit_forms(self, i: int, value: float) -> tuple[float | None, int]:
        """Digit-only forms: 1 234 567 (groups of three), 3/4 (a fraction), 1e10 and 1.1^23."""
        w, norms = self.w, self.norms
        if i + 2 < self.n and norms[i + 1] == "/" and self.w.adjacent(i, i + 1) and self.w.adjacent(i + 1, i + 2) \
                and w.kinds[i + 2] == "number":
            den = parse_digits(norms[i + 2])
            if i + 3 < self.n and norms[i + 3] == "/" and self.w.adjacent(i + 2, i + 3):
                return None, i + 1  # 5/17/2018: a date, not two numbers
            if den and value < den and (den <= 10 or den == 100):
                whole = self._int_at(i + 3) if i + 3 < self.n and not self.w.adjacent(i + 2, i + 3) else None
                if whole is not None:  # "١/٤ ٢" = 2¼ (written fraction first)
                    return whole + value / den, i + 4
                return value / den, i + 3
            return None, i + 1
        joined = self._split_digits(i)
        if joined is not None:
            return joined
        value, k = self._space_groups(i, value)
        if k < self.n and self.w.adjacent(k - 1, k):
            sign_at = k + 1
            if norms[k] == "e" and sign_at < self.n:
                sign = 1
                if norms[sign_at] in ("+", "-") and self.w.adjacent(k, sign_at):
                    sign = -1 if norms[sign_at] == "-" else 1
                    sign_at += 1
                if w.is_number(sign_at) and self.w.adjacent(sign_at - 1, sign_at):
                    exp = parse_digits(norms[sign_at])
                    if exp is not None:
                        return value * 10 ** (sign * exp), sign_at + 1
            if norms[k] == "^":
                sign = 1
                while sign_at < self.n and norms[sign_at] in ("+", "-") and self.w.adjacent(sign_at - 1, sign_at):
                    sign = -sign if norms[sign_at] == "-" else sign
                    sign_at += 1
                if w.is_number(sign_at) and self.w.adjacent(sign_at - 1, sign_at):
                    exp = parse_digits(norms[sign_at])
                    if exp is not None and value:
                        return value ** (sign * exp), sign_at + 1
        return value, k

    def _skip_marks(self, j: int) -> int:
        """Past the invisible direction marks (RLM, LRE ...) written against word ``j - 1``."""
        norms, kinds, w = self.norms, self.w.kinds, self.w
        while j < self.n and norms[j] == "" and kinds[j] == "punct" and w.adjacent(j - 1, j):
            j += 1
        return j

    def _split_digits(self, i: int) -> tuple[float, int] | None:
        """One number the tokenizer split: groups of three after an Arabic comma (26،013 = 26013),
        or separators around an invisible direction mark (1\u200f,200 = 1200; 3\u200e.5 = 3.5)."""
        norms, kinds, w = self.norms, self.w.kinds, self.w
        if not norms[i].isdigit():
            return None
        whole, fraction, thousands = norms[i], "", ""
        marks = False
        k = i + 1
        while True:
            j = self._skip_marks(k)
            marks = marks or j > k
            if j >= self.n or norms[j] not in ("،", ",", ".") or not w.adjacent(j - 1, j):
                break
            d = self._skip_marks(j + 1)
            if d >= self.n or kinds[d] != "number" or not norms[d].isdigit() or not w.adjacent(d - 1, d):
                break
            sep, part = norms[j], norms[d]
            group = sep == "،" or (sep == "," and thousands != "،")
            if group and len(part) == 3 and (thousands or len(whole) <= 3) and thousands in ("", sep):
                whole, thousands = whole + part, sep
                marks = marks or d > j + 1
                k = d + 1
                continue
            if sep == "." or (sep == "," and thousands != ","):
                fraction = part
                marks = marks or d > j + 1
                k = d + 1
            break
        if k == i + 1 or not (marks or thousands == "،"):
            return None  # nothing split, or "1,5" / "3.5" already read by the tokenizer's rules
        return float(f"{whole}.{fraction}" if fraction else whole), k

    def _space_groups(self, i: int, value: float) -> tuple[float, int]:
        """1 234 567 and 1 234 567.89: digit groups of three separated by one space."""
        w, norms = self.w, self.norms
        if not (norms[i].isdigit() and len(norms[i]) <= 3):
            return value, i + 1
        k = i + 1
        digits = norms[i]
        while (k < self.n and w.kinds[k] == "number" and _GROUP_RE.fullmatch(norms[k])
               and w.text[w.ends[k - 1] : w.starts[k]] in (" ", "\u00a0", "\u202f", "\u2009")):
            digits += norms[k]
            k += 1
            if "." in norms[k - 1]:
                break
        if k - i >= 3:
            return float(digits), k
        return value, i + 1

    # -- whole expressions ---------------------------------------------------------------------
    def dotted_parts(self, i: int) -> list[NumberMention]:
        """192.168.1.2 or a version 2.4.1: each part is a number (a dotted date is the dates layer's)."""
        norm = self.norms[i]
        if self.w.kinds[i] != "number" or norm.count(".") < 2 or self._glued(i):
            return []
        out, offset = [], 0
        for part in norm.split("."):
            if part.isdigit():
                out.append(NumberMention(i, i + 1, float(part), extra={"_chars": (offset, offset + len(part))}))
            offset += len(part) + 1
        return out

    def date_part(self, i: int) -> NumberMention | None:
        """A number inside a date (the 5 and 2018 of "5 مايو 2018"): found, marked, not a count.

        Only digits: a weekday such as "الاثنين" is not the number two.
        """
        if self.w.kinds[i] != "number":
            return None
        self.zone = True
        try:
            card = self.cardinal(i)
        finally:
            self.zone = False
        if card is None:
            return None
        return NumberMention(i, card[1], card[0], kind="date_part")

    def ordinal(self, i: int) -> NumberMention | None:
        """الأول، الثالثة عشرة، الحادي والعشرون: a position, kept apart from counts (kind "ordinal")."""
        m = self.lex.first(self.norms, i, "ordinal")
        if m is None:
            return None
        value, end = m.entry.value, i + m.length
        if end < self.n and self.norms[end] in ("عشر", "عشره") and value < 10:
            value, end = value + 10, end + 1
        elif end < self.n and value < 10:
            tens = self.lex.first(self.norms, end, "ten")
            if tens is not None and tens.prefix.startswith("و"):
                value, end = value + tens.entry.value, end + tens.length
        return NumberMention(i, end, value, kind="ordinal")

    def mention_at(self, i: int) -> NumberMention | None:
        lex, norms = self.lex, self.norms
        if i in self.dates:
            return self.date_part(i)
        cats = self.catmap.get(norms[i], _NONE)
        if cats.isdisjoint(_MENTION_BRANCHES) and norms[i] != "." and self.w.kinds[i] != "punct":
            return self.core(i)  # digits, most number words: none of the branches below applies
        if not cats.isdisjoint(_LEAD_CATEGORIES):  # each branch below needs one of them
            hedge = lex.first(norms, i, "hedge") if "hedge" in cats else None
            if hedge is not None:
                core = self.core(i + hedge.length)
                if core is not None:
                    core.start = i
                    core.approx = True
                    if hedge.entry.value == "upper":
                        core.extra["bound"] = "upper"
                    if "عدد" in " ".join(hedge.entry.words):  # "مقاتلون تجاوز عددهم العشرون"
                        core.extra["counted_before"] = True
                    return core
            if "range_from" in cats:  # من 10 إلى 20
                rng = self._from_to(i + 1)
                if rng is not None:
                    rng.start = i
                    return rng
            between = lex.first(norms, i, "between") if "between" in cats else None
            if between is not None:
                rng = self._range_after(i + between.length)
                if rng is not None:
                    rng.start = i
                    return rng
            neg = lex.first(norms, i, "negative") if "negative" in cats else None
            if neg is not None:
                core = self.core(i + neg.length)
                if core is not None:
                    core.start = i
                    core.value = -core.value
                    return core
        if "ordinal" in cats:
            ordinal = self.ordinal(i)
            if ordinal is not None:
                return ordinal
        if "part" in cats and i + 1 < self.n and lex.first(norms, i + 1, "out_of"):
            whole = self.core(i + 2, fractions=False)
            if whole is not None and whole.value:
                return NumberMention(i, whole.end, 1 / whole.value, kind="fraction")  # جزء من مئة
        if norms[i] == "." and self.w.is_number(i + 1) and self.w.adjacent(i, i + 1) and (
                i == 0 or not self.w.adjacent(i - 1, i)):
            core = self.core(i + 1)
            if core is not None and self.norms[i + 1].isdigit():
                core.start = i
                core.value = float("0." + self.norms[i + 1])
                return core
        if (self.w.kinds[i] == "punct" and norms[i] == "-" and self.w.is_number(i + 1)
                and self.w.adjacent(i, i + 1) and not (i > 0 and self.w.adjacent(i - 1, i))):  # not "إف-16"
            core = self.core(i + 1)
            if core is not None:
                core.start = i
                core.value = -core.value
                return core
        return self.core(i)

    def core(self, i: int, fractions: bool = True) -> NumberMention | None:
        """A quantity at ``i``: vague or cardinal, with a range or bound tail, percent or dual noun."""
        n = self.n
        if i >= n or (i in self.dates) != self.zone:
            return None
        digits = self.w.kinds[i] == "number"
        if not digits and self.norms[i] not in self.quantity_words:
            return None  # the cheap test first: nothing below matches at other words
        lex, norms, catmap = self.lex, self.norms, self.catmap
        mention: NumberMention | None = None
        cats = catmap.get(norms[i], _NONE)
        vague = lex.first(norms, i, "vague") if "vague" in cats else None
        # cardinal's own first test, inlined: vague words (بضعة، عشرات) start no cardinal
        if vague is not None and self._ends_alone(i):
            card = None  # a cardinal here would end within the vague phrase, which wins then
        elif digits and self._plain_digits(i):  # cardinal's first case, without the call
            value = parse_digits(norms[i])
            card = None if value is None else (value, i + 1, "cardinal")
        else:
            card = self.cardinal(i) if digits or norms[i] in self.cardinal_words else None
        if vague is not None and (card is None or card[1] <= i + vague.length):
            value, end = vague.entry.value, i + vague.length
            # the lookups' own first test, made here: most words after a vague one are no number word
            if end < n and catmap.get(norms[end], _NONE).isdisjoint(_VAGUE_OR_SCALES):
                pass
            elif value == 3.0 and end < n:  # بضعة مئات → 100, بضعة آلاف → 1000
                nxt = lex.first(norms, end, "vague", "scale_plural")
                if nxt is not None and nxt.entry.value > 3:
                    value, end = nxt.entry.value, end + nxt.length
            elif end < n:  # عشرات الآلاف → 10,000
                nxt = lex.first(norms, end, "scale_plural", "vague")
                if nxt is not None and nxt.entry.value >= 1000 and nxt.entry.value > value:
                    value, end = value * nxt.entry.value, end + nxt.length
            mention = NumberMention(i, end, value, approx=True, kind="vague")
        elif card is not None:
            value, end, kind = card
            mention = NumberMention(i, end, value, kind=kind)
            scale = lex.first(norms, end - 1, "scale", "scale_plural") if end - 1 > i and not catmap.get(
                norms[end - 1], _NONE).isdisjoint(_SCALES) else None
            if scale is not None and scale.length == 1:
                mention.extra["_scale"] = scale.entry.value
        elif cats:
            dual = lex.first(norms, i, "what_dual") if "what_dual" in cats else None
            if dual is not None:
                return NumberMention(i, i + dual.length, 2.0, what=dual.entry.value, kind="dual")
            one = lex.first(norms, i, "teen_unit")
            if (one is not None and one.entry.value == 1.0 and i + 1 < n and norms[i + 1].startswith("ال")
                    and "what_noun" in catmap.get(norms[i + 1], _NONE) and lex.first(norms, i + 1, "what_noun")):
                return NumberMention(i, i + 1, 1.0, kind="cardinal")  # أحد المحتجزين
        if mention is None:
            return None
        # The tails' own first tests, inlined: after most numbers comes a plain word.
        j = mention.end
        if j < self.n:
            following = catmap.get(norms[j], _NONE)
            if fractions and mention.kind != "vague" and not following.isdisjoint(_FRACTION_WORDS):
                self._fraction_tail(mention)
            if mention.end != j or norms[j] in _TAIL_FIRST or not following.isdisjoint(_TAIL_WORDS):
                self._tails(mention)
        return mention

    def _ends_alone(self, i: int) -> bool:
        """A cardinal starting at word ``i`` can be one word at most: the word begins no longer
        number phrase, and what follows cannot continue one (the tests of ``cardinal``'s loop)."""
        j = i + 1
        if self.norms[i] in self.readings[2]:
            return False
        return j >= self.n or (self.w.kinds[j] != "number" and self.norms[j] not in self.cardinal_words
                               and self.norms[j] != "و")

    def _fraction_tail(self, m: NumberMention) -> None:
        """X على Y (X over Y), X من Y (X out of Y, X < Y), X أجزاء من Y, X فاصلة Y (a decimal point)."""
        lex, norms = self.lex, self.norms
        j = m.end
        if j >= self.n or self.cats(j).isdisjoint(_FRACTION_WORDS):
            return
        point = lex.first(norms, j, "decimal_point")
        if point is not None:
            frac = self.cardinal(j + point.length)
            if frac is not None and frac[0] >= 0 and float(frac[0]).is_integer():
                digits = len(str(int(frac[0])))
                m.value = m.value + frac[0] / 10 ** digits if m.value >= 0 else m.value - frac[0] / 10 ** digits
                m.end = frac[1]
            return
        k = j
        parts = lex.first(norms, k, "parts", "part")
        if parts is not None:
            k += parts.length
        if k >= self.n:
            return
        over = lex.first(norms, k, "over")
        out_of = lex.first(norms, k, "out_of") if over is None else None
        if over is None and out_of is None:
            return
        k += (over or out_of).length  # type: ignore[union-attr]
        if k >= self.n:
            return
        whole = self.core(k, fractions=False)
        if whole is None or not whole.value or whole.kind == "vague":
            return
        if out_of is not None and parts is None and not m.value < whole.value:
            return
        nxt = lex.first(norms, whole.end, "what_noun") if whole.end < self.n else None
        if nxt is not None and nxt.entry.value in _PERSON_WHAT and out_of is not None:
            return  # "3 من 10 مدنيين": two counts, not a fraction
        m.value = m.value / whole.value
        m.end = whole.end
        m.kind = "fraction"

    def _range_after(self, i: int) -> NumberMention | None:
        low = self.core(i)
        if low is None or low.end >= self.n:
            return None
        j = low.end
        waw_word = self.norms[j] == "و"
        high = self.core(j + 1) if waw_word else None
        if high is None and self.norms[j].startswith("و"):
            high = self._core_after_waw(j)
        if high is None:
            return None
        scale = high.extra.pop("_scale", None)
        if scale and low.value * scale <= high.value and "_scale" not in low.extra:
            low.value *= scale  # "بين 10 و20 ألف": the thousands go with both
        low.end = high.end
        low.approx = True
        low.kind = "range"
        low.extra["high"] = _num(high.value)
        low.what = low.what or high.what
        return low

    def _from_to(self, i: int) -> NumberMention | None:
        low = self.core(i, fractions=False)
        if low is not None and low.kind == "range" and self.norms[i + 1 if i + 1 < self.n else i] != "و":
            return low if any(self.norms[k] in _RANGE_TO for k in range(i, low.end)) else None
        if low is None or low.end >= self.n or self.norms[low.end] not in _RANGE_TO:
            return None
        high = self.core(low.end + 1, fractions=False)
        if high is None or high.value <= low.value:
            return None
        low.end, low.kind, low.approx = high.end, "range", True
        low.extra["high"] = _num(high.value)
        return low

    def _core_after_waw(self, j: int) -> NumberMention | None:
        # "و20" is tokenised as "و" + "20"; "وعشرين" carries the و as a clitic
        if not any(it.waw for it in self.items(j, True)):
            return None
        return self.core(j)

    def _tails(self, m: NumberMention) -> None:
        """Ranges with -/إلى, upper bounds, percent signs and words, approx words after."""
        lex, norms = self.lex, self.norms
        j = m.end
        if j >= self.n:
            return
        if norms[j] in ("-", "~", "الي", "حتي") and m.kind != "vague":
            high = self.core(j + 1)
            if high is not None and high.value > m.value:
                m.end, m.kind, m.approx = high.end, "range", True
                m.extra["high"] = _num(high.value)
                return
        if norms[j] == "%":
            m.end, m.kind = j + 1, "percent"
            m.extra["unit"] = "percent"
            return
        if self.cats(j).isdisjoint(_TAIL_WORDS) and norms[j] not in ("ربما", "قد"):
            return
        pct = lex.first(norms, j, "percent")
        if pct is not None:
            m.end, m.kind = j + pct.length, "percent"
            m.extra["unit"] = "percent"
            return
        after = lex.first(norms, j, "hedge_after")
        if after is not None:
            m.end, m.approx = j + after.length, True
            if after.entry.value == "upper":
                m.extra["bound"] = "upper"
            return
        k = j + 1 if norms[j] in ("ربما", "قد") else j
        if k < self.n:
            bound = lex.first(norms, k, "bound_after")
            if bound is not None:
                high = self.core(k + bound.length)
                if high is not None and high.value >= m.value:
                    m.end, m.approx = high.end, True
                    m.extra["high"] = _num(high.value)
                    m.what = m.what or high.what

    # -- what it counts -----------------------------------------------------------------------
    def classify(self, m: NumberMention, floor: int = 0) -> None:
        lex, norms, catmap = self.lex, self.norms, self.catmap
        j = m.end
        noun: str | None = m.what
        if j < self.n:
            after = lex.first(norms, j, "what_after") if "what_after" in catmap.get(norms[j], _NONE) else None
            if after is not None:
                m.what = after.entry.value
                m.end = j + after.length
                return
            k = j + 1 if norms[j] == "من" else j
            # not Words.is_barrier(k), inlined (k >= j > 0): this runs for every number
            if k < self.n and "what_noun" in catmap.get(norms[k], _NONE) and not (
                    self.w.kinds[k] == "punct" and norms[k][:1] in BARRIERS
                    or self.w.text.find("\n", self.w.ends[k - 1], self.w.starts[k]) >= 0):
                found = lex.first(norms, k, "what_noun")
                if found is not None and (k == j or norms[k].startswith("ال")):
                    noun = found.entry.value
                    m.end = k + found.length
        if m.extra:  # most mentions have no extras
            if noun is None and m.extra.pop("counted_before", False) and m.start > floor:
                found = lex.first(norms, m.start - 1, "what_noun")
                if found is not None:
                    noun = found.entry.value
                    m.start -= 1
            m.extra.pop("counted_before", None)
        if m.end < self.n and not m.approx and "hedge_after" in catmap.get(norms[m.end], _NONE):  # "قتل 7 أشخاص تقريبا"
            after = lex.first(norms, m.end, "hedge_after")
            if after is not None:
                m.end, m.approx = m.end + after.length, True
                if after.entry.value == "upper":
                    m.extra["bound"] = "upper"
        if noun is None:
            thing = self._thing(m)
            if thing is not None:  # "5 دبابات", "4 مليارات دولار", "15 سنة": no people, no casualty cue
                m.what = None
                m.extra["counts"] = thing
                return
        if noun in OUTCOME_NOUNS:
            m.what = noun
            return
        start = m.start
        # _cue_before's own first test, made here: most numbers have no cue word before them
        if not self.any_in(norms, max(floor, start - 8), start, self.cue_words):
            m.what = noun
            return
        cue = self._cue_before(start, floor)
        if cue is not None and cue.startswith("loss:"):  # "خسرت الميليشيا 20 مسلحا": lost fighters are dead
            cue = cue[5:] if noun is not None else None
        m.what = cue or noun

    def _thing_at(self, k: int) -> str | None:
        """The category of word ``k`` when it names things, not people ([things], time units)."""
        word = self.norms[k]
        if "thing" in self.catmap.get(word, _NONE):
            found = self.lex.first(self.norms, k, "thing")
            if found is not None:
                return found.entry.value
        return "time" if word in self.time_units else None

    def _thing(self, m: NumberMention) -> str | None:
        """What a number counts when that is no person: the noun after it (or after "من"), or the
        noun before "واحد" and before a number with the article, which stand after what they count
        ("يوم واحد", "الدول الثلاث")."""
        norms, kinds, n = self.norms, self.w.kinds, self.n
        text, starts, ends = self.w.text, self.w.starts, self.w.ends
        j = m.end
        # not Words.is_barrier(j), inlined for a word (no punctuation): no line break before it
        if j < n and kinds[j] == "word" and text.find("\n", ends[j - 1], starts[j]) < 0:
            k = j + 1 if norms[j] == "من" and j + 1 < n and kinds[j + 1] == "word" else j
            thing = self._thing_at(k)
            if thing is not None:
                return thing
        i = m.start
        if (m.end - i == 1 and i > 0 and kinds[i] == "word" and kinds[i - 1] == "word"
                and (m.value in (1.0, 2.0) or norms[i].startswith("ال"))
                and text.find("\n", ends[i - 1], starts[i]) < 0):  # not Words.is_barrier(i), as above
            return self._thing_at(i - 1)
        return None

    def _cue_before(self, start: int, floor: int, window: int = 8) -> str | None:
        """The nearest casualty cue before ``start`` in the same clause, after ``floor``."""
        lex, norms, kinds, catmap = self.lex, self.norms, self.w.kinds, self.catmap
        lowest = max(floor, start - window)
        if not self.any_in(norms, lowest, start, self.cue_words):
            return None  # no cue word among the words the loop below would visit (one C call)
        starts, ends, text = self.w.starts, self.w.ends, self.w.text
        # The last line break before the number: a gap after it holds none, so the slice test
        # below runs only where ends[k] <= newline (same result, fewer slices). Searched for only
        # after the lowest word the loop visits: one before that is the same as none.
        newline = text.rfind("\n", ends[lowest], starts[start]) if start < self.n else len(text)
        for k in range(start - 1, max(floor - 1, start - 1 - window), -1):
            # a clause boundary at k + 1 (Words.is_barrier, inlined: this loop runs for every number)
            if kinds[k + 1] == "punct" and norms[k + 1][:1] in BARRIERS or (
                    ends[k] <= newline and "\n" in text[ends[k] : starts[k + 1]]):
                break
            if kinds[k] != "word":
                if norms[k][:1] in ".!?؟؛":
                    break
                continue
            if "what_cue" not in catmap.get(norms[k], _NONE):
                continue
            cue = lex.first(norms, k, "what_cue")
            if cue is not None and k + cue.length <= start:
                wider = lex.first(norms, k - 1, "what_cue") if k > floor else None
                if wider is not None and k - 1 + wider.length > k:  # "مقتل وإصابة": the phrase, not its end
                    return wider.entry.value
                return cue.entry.value
        return None


def _can_follow(items: list[_Item], nxt: _Item) -> bool:
    prev = items[-1]
    pc, nc = prev.category, nxt.category
    if nc == "amb_fraction":  # only where a cardinal cannot be meant
        return pc in ("unit", "digits", "ten", "teen_ten", "hundred") and (
            not nxt.waw or pc in ("unit", "digits") and prev.value < 10)
    if nxt.value == 0 and nc in ("unit", "digits"):
        return False
    if nc in ("teen_ten",) or (nc == "unit" and nxt.value == 10 and not nxt.waw):
        return (pc in ("unit", "teen_unit") and 1 <= prev.value <= 9 or pc == "digits" and 1 <= prev.value <= 9) and not nxt.waw
    if not nxt.waw:
        if nc in ("scale", "scale_plural", "scale_dual", "dozens"):
            return pc not in ("scale", "scale_plural", "scale_dual", "fraction_plural") or (
                pc in ("scale", "scale_plural") and nc in ("scale", "scale_plural") and nxt.value > prev.value)
        if nc == "hundred" and nxt.value == 100:
            return pc in ("unit", "digits") and 1 <= prev.value <= 9
        if pc in ("scale", "scale_plural") and nc in ("unit", "digits", "hundred") and nxt.value < prev.value:
            return True  # أربعة آلاف ثلاثمائة: the و is sometimes left out after a scale
        if nc == "fraction_plural":
            return pc in ("unit", "digits", "ten", "teen_ten") and prev.value >= 1
        return False
    # joined by و: only a smaller part may follow, except units before tens (خمسة وعشرون)
    if pc == "digits" and nc == "digits":
        return False
    if nc in ("scale", "scale_plural", "scale_dual", "teen_unit", "fraction_plural", "dozens"):
        return False
    if pc in ("unit", "teen_ten") and nc == "ten":
        return pc == "unit" and prev.value <= 9
    place = _place(items)
    if nc == "fraction":
        return True
    return nxt.value < place


def _place(items: list[_Item]) -> float:
    """The smallest place value already filled: what comes after و must be below it."""
    last = items[-1]
    if last.category in ("scale", "scale_plural", "scale_dual", "dozens"):
        return last.value
    if last.category == "hundred" or (len(items) > 1 and items[-1].category == "hundred"):
        return 100.0
    if last.category == "ten":
        return 10.0
    if last.category == "digits":
        return 10 ** len(str(int(last.value))) if last.value >= 1 else 1.0
    return 1.0


def _evaluate(items: list[_Item]) -> tuple[float | None, str]:
    total = 0.0
    current = 0.0
    last = 0.0  # the trailing compound (اثنان وثلاثون = 32): the numerator of a plural fraction
    biggest = 0.0  # the largest scale so far
    kind = "cardinal"
    for idx, it in enumerate(items):
        c, v = it.category, it.value
        prev = items[idx - 1] if idx else None
        if c == "teen_ten" or (c == "unit" and v == 10 and prev is not None and not it.waw
                               and prev.category in ("unit", "teen_unit", "digits")):
            current += 10
            last += 10
        elif c in ("unit", "teen_unit", "digits"):
            current += v
            last = v
        elif c == "ten":
            current += v
            last = last + v if prev is not None and prev.category == "unit" and it.waw else v
        elif c == "hundred":
            if v == 100 and 0 < current < 10:
                current *= 100
            else:
                current += v
            last = 0.0
        elif c in ("scale", "scale_plural") and not current and total and v > biggest:
            total *= v  # مئة ألف تريليون: a larger scale multiplies the whole
            biggest = v
        elif c in ("scale", "dozens"):
            total += (current or 1) * v
            current = last = 0.0
            biggest = max(biggest, v)
        elif c == "scale_plural":
            redundant = prev is not None and prev.category == "digits" and current > 10
            total += current if redundant else (current or 1) * v  # "4000 آلاف" repeats, not multiplies
            current = last = 0.0
            biggest = max(biggest, v)
        elif c == "scale_dual":
            total += current + 2 * v
            current = last = 0.0
        elif c == "dozens_dual":
            total += current + v
            current = last = 0.0
        elif c == "fraction":
            if not total and not current:
                kind = "fraction"
            current += v
        elif c == "fraction_plural":
            if 3 <= last <= 10:  # ثلاثة أخماس: the plural goes with 3..10
                current += last / v - last
            else:  # مائة واثنان وثلاثون أخماس: the whole number is the numerator
                current, total = (total + current) / v, 0.0
            kind = "fraction"
        elif c == "amb_fraction":
            if it.waw:
                current += 1 / v  # ثلاثة وخمس = 3.2
            else:
                current = (total + current) / v  # عشرون خمس = 20 fifths
                total = 0.0
            kind = "fraction"
    return total + current, kind


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 10)


# Phrases that only introduce a number (a hedge, "بين", "من", "سالب"): a candidate only before one.
_PREFIXES = frozenset({"hedge", "between", "range_from", "negative"})
# Phrases that can begin a number mention: only where one matches does the parser start.
STARTS = _CORE + ("vague", "hedge", "between", "range_from", "negative", "what_dual", "teen_unit", "part",
                  "ordinal")
_STARTS_SET = frozenset(STARTS)


@lru_cache(maxsize=1)
def _start_words() -> tuple[frozenset[str], frozenset[str], frozenset[str], int]:
    """(words that may start a number, words that only introduce one, what they must precede, reach).

    "من"، "على"، "لا" are frequent and only introduce a number (من 10 إلى 20، على الأقل 5، لا يقل عن):
    they are candidates only when a digit, a number word or a "-" comes within ``reach`` words.
    """
    lex = lexicon()
    starts = frozenset(STARTS)
    starters = lex.surfaces(*STARTS)
    prefix_only = frozenset(w for w in starters if lex.categories(w) & starts <= _PREFIXES)
    return starters - prefix_only, prefix_only, core_starters() | {"-"}, lex.max_length(*_PREFIXES)


@lru_cache(maxsize=1)
def _lead_lengths() -> tuple[frozenset[str], frozenset[str]]:
    """The words that only introduce a number, split: (those that start only one-word phrases of
    the prefix categories, those that start longer ones). find_numbers needs a number right
    after the phrase, so the first need be looked for only just before a number."""
    _anchors, prefix_only, _numberish, _reach = _start_words()
    long = lexicon().multi_surfaces(*_PREFIXES) & prefix_only
    return prefix_only - long, long


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every word that can start a number or a date."""
    from marsad.expressions.dates import _starters as date_starters

    anchors, prefix_only, _numberish, _reach = _start_words()
    return anchors | prefix_only | date_starters()


@lru_cache(maxsize=1)
def scan_vocabulary() -> frozenset[str]:
    """The words one pass over a document looks for, shared by dates and numbers.

    Words that only introduce a number or a date ("من"، "على"، "في"، "إلى") are about three
    quarters of a news text's hits, and each matters only before a digit or one of a few words.
    They are left out here and found by looking back from those (:meth:`Words.preceding`);
    the words they must precede are in.
    """
    from marsad.expressions.dates import _anchors as date_anchors
    from marsad.expressions.dates import _date_leads, _phrase_leads, _suffix_gate_words

    anchors, prefix_only, numberish, _reach = _start_words()
    trigger_only, trigger_targets = _date_leads()
    phrase_leads, seconds, units = _phrase_leads()
    leads_only = (prefix_only | trigger_only | phrase_leads) - anchors - date_anchors()
    # the rare words of a duration's suffix ("مضت"، "من الآن"): find_dates asks whether one follows
    return (vocabulary() - leads_only) | numberish | trigger_targets | seconds | units | _suffix_gate_words()


def _candidates(words: Words) -> list[int]:
    """Where the parser may start: digits, number words, "-"/"." before a digit, and hedge or
    range words with a number within reach (the rest of the text is never parsed)."""
    anchors, prefix_only, numberish, reach = _start_words()
    norms, kinds = words.norms, words.kinds
    digits = words.number_positions()
    hits = words.indices(scan_vocabulary())
    found = [p - 1 for p in digits if p and norms[p - 1] in ("-", ".") and kinds[p - 1] == "punct"]
    found += digits
    select, preceding = scan_functions()  # Words.select and Words.preceding, without a method call each
    found += select(norms, hits, anchors)
    # a hedge or range word counts when a digit, a number word or "-" comes within reach: right
    # after it for the words that start one-word phrases only ("من"), within the longest phrase
    # for the others ("ما يقرب من")
    targets = select(norms, hits, numberish) + digits
    short, long = _lead_lengths()
    found += preceding(norms, targets, short, 1)
    found += preceding(norms, targets, long, reach)
    # ... or, whatever follows, when it is not a plain word (a hashtag)
    found += [i for i in words.tag_positions() if norms[i] in prefix_only]
    return sorted(set(found))


@lru_cache(maxsize=1)
def _quantity_words() -> tuple[frozenset[str], frozenset[str]]:
    """(first words of a cardinal, first words of anything ``_Parser.core`` reads): a word in
    neither starts no number, so the parser returns at once."""
    lex = lexicon()
    return lex.surfaces(*_CORE), lex.surfaces(*_CORE, "vague", "teen_unit", "what_dual")


@lru_cache(maxsize=1)
def _cue_words() -> frozenset[str]:
    """First words of the casualty cues (قتل، مقتل، إصابة ...)."""
    return lexicon().surfaces("what_cue")


@lru_cache(maxsize=1)
def core_starters() -> frozenset[str]:
    """First words of number words proper (not hedges or range words): days, counts of units."""
    return lexicon().surfaces(*_CORE, "vague", "teen_unit")


def find_numbers(words: Words, date_words: set[int] | None = None) -> list[NumberMention]:
    """Number mentions over ``words``, left to right, without overlaps."""
    kinds, norms = words.kinds, words.norms
    candidates = _candidates(words)
    if not candidates:
        return []
    parser = _Parser(words, date_words or set())
    out: list[NumberMention] = []
    lex = parser.lex
    done = 0  # words before this index belong to a mention already
    core = core_starters()
    n = len(norms)
    for i in candidates:
        if i < done:
            continue
        if kinds[i] == "word":
            start = lex.first_of(norms, i, _STARTS_SET)
            if start is None:
                continue
            if start.entry.category in _PREFIXES:  # "من", "نحو", "ما يقرب من": only before a number
                k = i + start.length
                if k >= n or not (kinds[k] == "number" or norms[k] in core or norms[k] == "-"):
                    continue
        elif kinds[i] == "punct" and not (i + 1 < n and kinds[i + 1] == "number"):
            continue  # a "-" or "." that no digit follows
        # dotted_parts's first tests, made here: a digit token with two dots at least
        parts = parser.dotted_parts(i) if kinds[i] == "number" and norms[i].count(".") >= 2 else None
        if parts:
            if i in parser.dates:
                for part in parts:
                    part.kind = "date_part"
            out.extend(parts)
            done = i + 1
            continue
        m = parser.mention_at(i)
        if m is None:
            continue
        if m.kind not in ("date_part", "ordinal"):
            parser.classify(m, out[-1].end if out else 0)
        out.append(m)
        done = max(m.end, i + 1)
    return out


def numbers_component(doc) -> None:
    """Pipeline component: add the ``numbers`` layer (after ``dates``, whose numbers it skips)."""
    words = words_of(doc)
    date_words: set[int] = doc.cache.get("date_words", set())
    text, starts, ends = doc.text, words.starts, words.ends
    layer = []
    for m in find_numbers(words, date_words):
        start, end = starts[m.start], ends[m.end - 1]
        value = m.value
        data: dict[str, Any] = {"value": int(value) if float(value).is_integer() else round(value, 10),  # _num
                                "approx": m.approx, "what": m.what, "kind": m.kind}
        if m.extra:  # most mentions have none
            chars = m.extra.pop("_chars", None)
            if chars is not None:  # a part of one token (192.168.1.2): offsets inside it
                start, end = start + chars[0], start + chars[1]
            for key, item in m.extra.items():  # a loop, not a generator: one or two extras
                if not key.startswith("_"):
                    data[key] = item
        layer.append(Annotation("numbers", start, end, text[start:end], COMPONENT, VERSION, None, data))
    doc.set_layer("numbers", layer)
