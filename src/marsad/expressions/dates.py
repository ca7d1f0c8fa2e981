"""Date expressions: absolute dates in every common Arabic form, and relative ones resolved
against the document's publication date.

Absolute: "5 تشرين الثاني 2018", "الرابع من مايو", "يناير الثاني والعشرين، 2018", "2018/11/05",
"العام ٢٠١٧", Hijri "1 ربيع الأول 1440 هـ" (converted with hijridate, Umm al-Qura). Relative:
"أمس"، "أول أمس"، "الأحد الماضي"، "الأسبوع الماضي"، "منذ عام"، "قبل ثلاثة أيام"، "في الساعات الماضية"...
Each date has a ``value`` as precise as the text allows (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``,
or an ISO week ``YYYY-Www`` for "last week") and a ``precision`` (day, week, month, year). Without
a publication date, relative and partial dates are still found, with ``value: null``.
The vocabulary is in ``data/expressions/dates.toml``.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from marsad.document import Annotation  # at module level: an import per call costs ~5 µs
from marsad.expressions.lexicon import PhraseLexicon, dates_data
from marsad.expressions.numbers import _Parser, parse_digits, scan_vocabulary
from marsad.expressions.numbers import core_starters as _number_starters
from marsad.expressions.numbers import lexicon as number_lexicon
from marsad.expressions.scan import Words, any_in_function, scan_functions, words_of

COMPONENT = "expressions.dates"
VERSION = "1"

_SEPARATORS = ("/", "-", ".")
_NONE: frozenset[str] = frozenset()
_COMMAS = (",", "،")


@lru_cache(maxsize=1)
def lexicon() -> PhraseLexicon:
    """The date vocabulary, normalised and indexed (loaded once, on first use)."""
    d = dates_data()
    lex = PhraseLexicon()
    needs_context = set(d["months_needing_context"]["forms"])
    for month, forms in d["months"].items():
        for form in forms:
            lex.add(form, "month", (int(month), form in needs_context))
    hijri_context = set(d["hijri_needing_context"]["forms"])
    for month, forms in d["hijri_months"].items():
        for form in forms:
            lex.add(form, "hijri_month", (int(month), form in hijri_context))
    for weekday, forms in d["weekdays"].items():
        for form in forms:
            lex.add(form, "weekday", (int(weekday), not form.startswith("ال")))
    years = d["year_words"]
    for key, category in (("forms", "year_word"), ("era_gregorian", "era_g"), ("era_hijri", "era_h"),
                          ("year_prepositions", "year_prep")):
        for form in years[key]:
            lex.add(form, category, None, article=category == "year_word")
    for phrase, spec in d["relative"].items():
        lex.add(phrase, "relative", spec)
    for key, category in (("past", "wd_past"), ("next", "wd_next")):
        for form in d["weekday_modifiers"][key]:
            lex.add(form, category, None, article=False)
    for unit, forms in d["duration_units"].items():
        for form in forms:
            lex.add(form, "unit", unit)
    for unit, forms in d["duration_plurals"].items():
        for form in forms:
            lex.add(form, "unit", unit)
            lex.add(form, "unit_plural", unit)
    for unit, forms in d["duration_duals"].items():
        for form in forms:
            lex.add(form, "unit_dual", unit)
    direction = d["duration_direction"]
    for key in ("ago", "ahead", "suffix_ago", "suffix_from_now"):
        for form in direction[key]:
            lex.add(form, key, None, article=False)
    for form in d["period_parts"]["forms"]:
        lex.add(form, "period_part", None, article=False)
    for form in d["day_triggers"]["forms"]:
        lex.add(form, "day_trigger", None, article=False)
    return lex


@dataclass(slots=True)
class DateMention:
    start: int  # word indices, end exclusive
    end: int
    kind: str  # absolute | relative | partial
    fields: dict[str, Any] = field(default_factory=dict)


class _DateParser:
    """Date grammar over one document's words (the rules; :func:`find_dates` says where to try them)."""

    def __init__(self, words: Words) -> None:
        self.w = words
        self.norms = words.norms
        self.n = len(words)
        (self.lex, self.catmap, self.day_words, self.ordinal_words, self.month_words, self.unit_words,
         self.month_prepositions) = _parser_tables()
        self.first = self.lex.first  # for indices known to be in range: _first without its test
        self.numbers = _Parser(words, set())
        self.any_in = any_in_function()

    # -- small readers --------------------------------------------------------------------------
    def _first(self, i: int, *categories: str):
        if i >= self.n:
            return None
        return self.lex.first(self.norms, i, *categories)  # its own first test is one set probe

    def _int(self, i: int) -> int | None:
        if i < self.n and self.w.kinds[i] == "number" and self.norms[i].isdigit():
            return int(self.norms[i])
        return None

    def _skip_comma(self, i: int) -> int:
        return i + 1 if i < self.n and self.norms[i] in _COMMAS else i

    def day_at(self, i: int) -> tuple[int, int] | None:
        """A day of the month at ``i``: 5, ٢٢, الرابع, الحادي والعشرين, الثاني والعشرين, خمسة."""
        v = self._int(i)
        if v is not None:
            if 1 <= v <= 31 and len(self.norms[i]) <= 2:
                end = i + 1
                if end < self.n and self.norms[end] == "-" and self.w.adjacent(i, end):
                    end += 1  # "2- أكتوبر"
                return v, end
            return None
        if self.norms[i] in self.ordinal_words:  # الرابع، الحادي عشر، الثاني والعشرين
            ordinal = self.numbers.ordinal(i)
            if ordinal is not None:
                return (int(ordinal.value), ordinal.end) if ordinal.value <= 31 else None
        card = self.numbers.cardinal(i) if self.w.kinds[i] == "word" else None
        if card is not None and 1 <= card[0] <= 31 and float(card[0]).is_integer():
            return int(card[0]), card[1]
        return None

    def month_at(self, i: int) -> tuple[int, bool, bool, int] | None:
        """(month, hijri, needs_context, end) at ``i``; "شهر آذار" included."""
        start = i
        if i < self.n and self.norms[i] in ("شهر", "لشهر", "بشهر") and i + 1 < self.n:
            i += 1
        m = self._first(i, "month", "hijri_month")
        if m is None:
            return None
        month, needs_context = m.entry.value
        if needs_context and start == i and i > 0 and self.norms[i - 1] in self.month_prepositions:
            needs_context = False  # "في مارس"
        end = i + m.length
        if m.entry.category == "month":  # "فبراير/شباط", "فبراير (شباط)": one month in two series
            other = self._second_name(end, month)
            if other is not None:
                end, needs_context = other, False
        return month, m.entry.category == "hijri_month", needs_context and start == i, end

    def _second_name(self, k: int, month: int) -> int | None:
        """The end of the same month's name in another series after "/" or in brackets, or None."""
        if k + 1 >= self.n or self.norms[k] not in ("/", "("):
            return None
        m = self._first(k + 1, "month")
        if m is None or m.entry.value[0] != month:
            return None
        end = k + 1 + m.length
        if self.norms[k] == "(":
            return end + 1 if end < self.n and self.norms[end] == ")" else None
        return end

    def year_at(self, i: int, *, need_word: bool = False) -> tuple[int, bool | None, int] | None:
        """(year, hijri?, end): "2018", "عام 2018", "من العام ٢٠١٧", "1440 هـ", word numbers."""
        k = i
        if k < self.n and self.norms[k] == "من":
            k += 1
        had_word = False
        yw = self._first(k, "year_word")
        if yw is not None:
            k += yw.length
            had_word = True
        if need_word and not had_word:
            return None
        v = self._int(k)
        end = k + 1
        if v is None:
            card = self.numbers.cardinal(k) if k < self.n and self.w.kinds[k] == "word" else None
            if card is None or not (1000 <= card[0] <= 2200) or not float(card[0]).is_integer():
                return None
            v, end = int(card[0]), card[1]
        elif len(self.norms[k]) == 2 and had_word:
            v += 2000 if v < 50 else 1900
        elif len(self.norms[k]) != 4:
            return None
        hijri: bool | None = None
        era = self._first(end, "era_g", "era_h")
        if era is not None:
            hijri = era.entry.category == "era_h"
            end += era.length
        if not (1300 <= v <= 1500 if hijri else 1000 <= v <= 2200):
            return None
        return v, hijri, end

    # -- patterns -----------------------------------------------------------------------------
    def at(self, i: int, names: tuple[str, ...] | list[str] | None = None) -> DateMention | None:
        """The date that starts at word ``i``; only the rules its word can start (or ``names``) are tried."""
        if names is None:
            names = _NUMBER_RULES if self.w.kinds[i] == "number" else _rules_for(self.norms[i])
        for name in names:
            found = getattr(self, name)(i)
            if found is not None:
                return found
        return None

    def relative(self, i: int) -> DateMention | None:
        start = i
        if self.norms[i] == "يوم" and i + 1 < self.n:
            i += 1
        m = self.first(self.norms, i, "relative")  # i < n: i is a word, or "يوم" is followed by one
        if m is None:
            return None
        spec = m.entry.value
        if m.entry.words == ("اليوم",) and i + 1 < self.n and self.norms[i + 1] in self.ordinal_words:
            return None  # "اليوم الثاني" is a count of days, not today
        return DateMention(start, i + m.length, "relative", dict(spec))

    def numeric(self, i: int) -> DateMention | None:
        if self.w.kinds[i] == "number" and "." in self.norms[i]:
            return self._dotted(i)
        a = self._int(i)
        if a is None:
            return None
        parts, seps, k = [a], [], i
        digits = [self.norms[i]]
        while len(parts) < 3 and k + 2 < self.n and self.norms[k + 1] in _SEPARATORS \
                and self.w.adjacent(k, k + 1) and self.w.adjacent(k + 1, k + 2) and self._int(k + 2) is not None:
            seps.append(self.norms[k + 1])
            parts.append(self._int(k + 2))  # type: ignore[arg-type]
            digits.append(self.norms[k + 2])
            k += 2
        end = k + 1
        if len(parts) == 1:
            return self._dotted(i)
        if len(set(seps)) > 1:
            return None
        if len(parts) == 3:
            y, m, d = _ymd(parts, digits)
            if y is None:
                return None
            return DateMention(i, end, "absolute", {"y": y, "m": m, "d": d})
        # two parts: day/month (or month/day), a date only after a date word or before a year
        x, y2 = parts
        k = self._skip_comma(end)
        year = self.year_at(k) if k < self.n else None
        trigger = i > 0 and self._first(i - 1, "day_trigger", "year_prep") is not None
        if year is None and not trigger:
            if seps[0] == "/" and x < y2 <= 10:
                return None  # 3/4 is a fraction
            if seps[0] != "/" and x < y2:
                return None  # 10-20 is a range
        d, m = (x, y2) if y2 <= 12 else (y2, x)
        if not (1 <= m <= 12 and 1 <= d <= 31):
            return None
        fields = {"m": m, "d": d}
        if year is not None:
            fields["y"] = year[0]
            end = year[2]
        return DateMention(i, end, "absolute" if year else "partial", fields)

    def _dotted(self, i: int) -> DateMention | None:
        """"4.22" or "16.11.2016" in one token."""
        parts = self.norms[i].split(".")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            y, m, d = _ymd([int(p) for p in parts], parts)
            if y is not None:
                return DateMention(i, i + 1, "absolute", {"y": y, "m": m, "d": d})
        if len(parts) == 2 and all(p.isdigit() for p in parts) and i > 0 and self.norms[i - 1] in ("في", "عند", "يوم"):
            a, b = int(parts[0]), int(parts[1])
            if (i + 1 >= self.n or self.w.is_barrier(i + 1)) and 1 <= a <= 12 and 1 <= b <= 31:
                return DateMention(i, i + 1, "partial", {"m": a, "d": b})
        return None

    def _ahead(self, i: int, words: frozenset[str], span: int = 6) -> bool:
        """Does one of ``words`` occur in the few words after ``i``? (a cheap gate)."""
        return self.any_in(self.norms, i, i + span, words)

    def day_month(self, i: int) -> DateMention | None:
        if not self._ahead(i + 1, self.month_words):
            return None
        start = i
        if self.norms[i] == "يوم" and i + 1 < self.n:
            i += 1
        day = self.day_at(i)
        if day is None:
            return None
        k = day[1]
        if k < self.n and self.norms[k] == "." and self.w.adjacent(k - 1, k):
            k += 1  # "16. نوفمبر. 2016"
        if k < self.n and self.norms[k] == "من":
            k += 1
        month = self.month_at(k)
        if month is None:
            return self._day_of_this_month(start, day)
        m, hijri, _needs, end = month
        return self._with_year(start, end, {"d": day[0], "m": m}, hijri)

    def _day_of_this_month(self, start: int, day: tuple[int, int]) -> DateMention | None:
        """"31 من هذا الشهر"، "العشرين من الشهر المقبل"."""
        k = day[1]
        if k < self.n and self.norms[k] == "من":
            rel = self._first(k + 1, "relative")
            if rel is not None and rel.entry.value.get("unit") == "month":
                return DateMention(start, k + 1 + rel.length, "relative", {**rel.entry.value, "d": day[0]})
        return None

    def _with_year(self, start: int, end: int, fields: dict[str, Any], hijri: bool) -> DateMention:
        k = end
        if k < self.n and self.norms[k] == "." and self.w.adjacent(k - 1, k):
            k += 1
        k = self._skip_comma(k)
        year = self.year_at(k) if k < self.n else None
        if year is not None:
            fields["y"] = year[0]
            end = year[2]
            hijri = hijri or bool(year[1])
        if hijri:
            fields["hijri"] = True
        kind = "absolute" if "y" in fields else "partial"
        return DateMention(start, end, kind, fields)

    def month_first(self, i: int) -> DateMention | None:
        month = self.month_at(i)
        if month is None:
            return None
        m, hijri, needs_context, end = month
        k = end
        day = self.day_at(k) if k < self.n else None
        fields: dict[str, Any] = {"m": m}
        if day is not None:
            fields["d"] = day[0]
            end = day[1]
        mention = self._with_year(i, end, fields, hijri)
        if "d" not in fields and "y" not in fields:
            if needs_context:
                return None
            mention.kind = "partial"
            mod = self._first(mention.end, "wd_past", "wd_next")  # "آذار الماضي", "رمضان المقبل"
            if mod is not None:
                fields["direction"] = -1 if mod.entry.category == "wd_past" else 1
                mention.end += mod.length
        return mention

    def weekday(self, i: int) -> DateMention | None:
        start = i
        yawm = self.norms[i] in ("يوم", "ويوم", "بيوم") and i + 1 < self.n
        if yawm:
            i += 1
        wd = self._first(i, "weekday")
        if wd is None:
            return None
        weekday, needs_yawm = wd.entry.value
        if needs_yawm and not yawm:
            return None
        end = i + wd.length
        if end < self.n and self.norms[end] in ("عشر", "عشره"):
            return None  # "الأحد عشر" is eleven
        fields: dict[str, Any] = {"weekday": weekday}
        mod = self._first(end, "wd_past", "wd_next")
        if mod is not None:
            fields["direction"] = -1 if mod.entry.category == "wd_past" else 1
            end += mod.length
        k = self._skip_comma(end)
        if k < self.n and self.norms[k] == "في":
            k += 1
        for rule in (self.day_month, self.month_first, self.numeric):
            found = rule(k) if k < self.n else None
            if found is not None:
                found.start = start
                found.fields.setdefault("weekday", weekday)
                return found
        day = self.day_at(k) if k < self.n else None
        if day is not None and (day[1] >= self.n or self.w.kinds[day[1]] != "word"
                                or self._first(day[1], "month") is None):
            return DateMention(start, day[1], "partial", {"d": day[0], "weekday": weekday})
        return DateMention(start, end, "relative", fields)

    def duration(self, i: int) -> DateMention | None:
        """منذ عام، قبل ثلاثة أيام، بعد يومين، منذ أشهر، 2 سنة و1 شهر و21 يوما من الآن."""
        if not self._ahead(i, self.unit_words):
            return None
        direction = self.first(self.norms, i, "ago", "ahead")
        k = i + direction.length if direction is not None else i
        amounts: list[tuple[float | None, str]] = []
        n, norms, kinds, catmap, lex = self.n, self.norms, self.w.kinds, self.catmap, self.lex
        quantity_words = self.numbers.quantity_words
        while k < n:
            j = k + 1 if amounts and norms[k] in ("و", ",", "،") else k
            if j >= n:
                break
            # _first and _count inlined where their first test fails: this loop runs at every candidate
            if "unit_dual" in catmap.get(norms[j], _NONE):
                dual = lex.first(norms, j, "unit_dual")
                if dual is not None:
                    amounts.append((2.0, dual.entry.value))
                    k = j + dual.length
                    continue
            if kinds[j] == "word" and norms[j] not in quantity_words:
                count, after = None, j  # no number here (what _Parser.core would say)
            else:
                count, after = self._count(j)
            if after >= n or "unit" not in catmap.get(norms[after], _NONE):
                break
            unit = lex.first(norms, after, "unit")
            if unit is None:
                break
            if after == j:  # a bare unit: "منذ عام" is one year, "منذ أشهر" some months
                if direction is None and not amounts or "ال" in unit.prefix:
                    break  # "خلال الشهر الماضي" is a relative phrase, not a count of one
                count = None if self._first(after, "unit_plural") is not None else 1.0
            amounts.append((count, unit.entry.value))
            k = after + unit.length
        if not amounts:
            return None
        suffix = self._first(k, "suffix_ago", "suffix_from_now")
        if direction is None and suffix is None:
            return None
        sign = 1 if direction is not None and direction.entry.category == "ahead" else -1
        end = k
        if suffix is not None:
            end += suffix.length
            if suffix.entry.category == "suffix_from_now" and direction is None:
                sign = 1
        return DateMention(i, end, "relative", {"ago": amounts, "sign": sign})

    def _count(self, j: int) -> tuple[float | None, int]:
        """A count before a time unit: (value, index after it); (None, j) when there is none."""
        if self.w.kinds[j] == "number":
            v = parse_digits(self.norms[j])
            return (v, j + 1) if v is not None else (None, j)
        if self.w.kinds[j] == "word":
            card = self.numbers.core(j, fractions=False)
            if card is not None and card.kind != "range":
                return (None if card.kind == "vague" else card.value), card.end
        return None, j

    def year(self, i: int) -> DateMention | None:
        if self.w.kinds[i] == "word":
            if self.first(self.norms, i, "year_word") is None:
                return None
            found = self.year_at(i, need_word=True)
            if found is None:
                return None
            return DateMention(i, found[2], "absolute", {"y": found[0], "hijri": bool(found[1])})
        v = self._int(i)
        if v is None or len(self.norms[i]) != 4:
            return None
        era = self._first(i + 1, "era_g", "era_h")
        prep = i > 0 and self.first(self.norms, i - 1, "year_prep") is not None
        if era is None and not prep:
            return None
        found = self.year_at(i)
        if found is None:
            return None
        return DateMention(i, found[2], "absolute", {"y": found[0], "hijri": bool(found[1])})

    def day_only(self, i: int) -> DateMention | None:
        """A day alone, after a date word: "يوم 27"، "في 15"، "إلى 27"، "للثاني والعشرين"."""
        start = i
        trigger = self.first(self.norms, i, "day_trigger") is not None
        if trigger:
            i += 1
        if i >= self.n or not (self.w.kinds[i] == "number" or self.norms[i] in self.day_words):
            return None
        lam = self.w.kinds[i] == "word" and self.norms[i].startswith("لل")
        if not trigger and not lam:
            return None  # tested before day_at, which costs more
        day = self.day_at(i)
        if day is None:
            return None
        if self.w.kinds[i] == "word" and self.numbers.cardinal(i) is not None and not lam:
            return None  # "في خمسة" is a count
        end = day[1]
        if end < self.n and not self.w.is_barrier(end) and self.norms[end] not in ("!", "؟", "?", ","):
            return None
        return DateMention(start, end, "partial", {"d": day[0]})

    def period(self, i: int) -> DateMention | None:
        """"مطلع الشهر الجاري"، "أواخر ٢٠١٧"، "منتصف آذار": the period, with the part word."""
        part = self.first(self.norms, i, "period_part")
        if part is None:
            return None
        k = i + part.length
        if k >= self.n:
            return None
        if self.w.kinds[k] != "number" and self.norms[k] not in self.catmap and self.norms[k] not in _UNIT_WORDS:
            return None  # the first tests of the three rules below, at once: "بداية المعركة"
        for rule in (self.relative, self.month_first, self.year):
            found = rule(k)
            if found is not None and found.fields.get("unit", "month") in ("month", "year"):
                found.start = i
                return found
        return None


_NUMBER_RULES = ("numeric", "day_month", "duration", "year")


@lru_cache(maxsize=1)
def _parser_tables() -> tuple[Any, ...]:
    """What every _DateParser reads, gathered once (one call per document instead of seven)."""
    lex = lexicon()
    months, units = _gate_words()
    return lex, lex.category_map(), _day_words(), _ordinal_words(), months, units, _month_prepositions()


@lru_cache(maxsize=65536)
def _rules_for(word: str) -> tuple[str, ...]:
    """The rules a word can start, in the order they are tried."""
    cats = lexicon().categories(word)
    number_word = word in _number_starters()
    ordinal = word in _ordinal_words()
    rules = []
    if "relative" in cats or word == "يوم":
        rules.append("relative")
    if number_word or ordinal or word == "يوم":
        rules.append("day_month")
    if "month" in cats or "hijri_month" in cats or word in ("شهر", "لشهر", "بشهر"):
        rules.append("month_first")
    if "weekday" in cats or word in ("يوم", "ويوم", "بيوم"):
        rules.append("weekday")
    if "ago" in cats or "ahead" in cats or "unit_dual" in cats or number_word:
        rules.append("duration")
    if "year_word" in cats:
        rules.append("year")
    if "day_trigger" in cats or ordinal or (number_word and word.startswith("لل")):  # للثلاثين
        rules.append("day_only")
    if "period_part" in cats:
        rules.append("period")
    return tuple(rules)


def _ymd(parts: list[int], digits: list[str]) -> tuple[int | None, int, int]:
    """Year, month, day of a three-part numeric date (Y/M/D, D/M/Y, or M/D/Y when D/M cannot be)."""
    a, b, c = parts
    if len(digits[0]) == 4:
        y, m, d = a, b, c
    else:
        y = c if len(digits[2]) == 4 else (2000 + c if c < 50 else 1900 + c) if len(digits[2]) == 2 else None
        if y is None:
            return None, 0, 0
        d, m = (a, b) if b <= 12 else (b, a)
    try:
        date(y, m, d)
    except (ValueError, OverflowError):
        return None, 0, 0
    return y, m, d


def _add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _iso_week(day: date) -> str:
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def resolve(m: DateMention, published: date | None) -> dict[str, Any]:
    """``value`` and ``precision`` of a date mention (and ``first_day``/``last_day`` for weeks)."""
    f = m.fields
    out: dict[str, Any] = {"value": None, "precision": None}
    try:
        if f.get("hijri") and "y" in f:
            return _resolve_hijri(f, out)
        if f.get("hijri"):
            return _resolve_hijri_month(f, published, out)
        if "ago" in f:
            return _resolve_duration(f, published, out)
        if "unit" in f:
            return _resolve_relative(f, published, out)
        if "weekday" in f and "d" not in f:
            out["precision"] = "day"
            if published is not None:
                delta = (published.weekday() - f["weekday"]) % 7
                direction = f.get("direction")
                if direction == 1:
                    delta = -((f["weekday"] - published.weekday()) % 7 or 7)
                elif direction == -1 and delta == 0:
                    delta = 7
                out["value"] = (published - timedelta(days=delta)).isoformat()
            return out
        y, mo, d = f.get("y"), f.get("m"), f.get("d")
        if y is not None and mo is not None and d is not None:
            out.update(value=date(y, mo, d).isoformat(), precision="day")
        elif y is not None and mo is not None:
            out.update(value=f"{y:04d}-{mo:02d}", precision="month")
        elif y is not None:
            out.update(value=f"{y:04d}", precision="year")
        elif mo is not None:
            out["precision"] = "day" if d is not None else "month"
            if published is not None:
                year = published.year
                probe = date(year, mo, min(d or 1, calendar.monthrange(year, mo)[1]))
                direction = f.get("direction")
                if direction == -1:  # "آذار الماضي": the last one before publication
                    if (mo, d or 1) >= (published.month, published.day):
                        year -= 1
                elif direction == 1:
                    if (mo, d or 31) <= (published.month, published.day):
                        year += 1
                elif probe > published + timedelta(days=31):  # news reports the past
                    year -= 1
                if d is not None:
                    out["value"] = date(year, mo, d).isoformat()
                else:
                    out["value"] = f"{year:04d}-{mo:02d}"
        elif d is not None:
            out["precision"] = "day"
            if published is not None:
                ref = published if d <= published.day else _add_months(published.replace(day=1), -1)
                out["value"] = ref.replace(day=min(d, calendar.monthrange(ref.year, ref.month)[1])).isoformat()
    except (ValueError, OverflowError):
        out.update(value=None)
    return out


def _resolve_relative(f: dict[str, Any], published: date | None, out: dict[str, Any]) -> dict[str, Any]:
    unit = f["unit"]
    # the precision is what the text says, with or without a publication date
    out["precision"] = "day" if ("d" in f or "weekday" in f) else unit
    if published is None:
        return out
    if "years" in f:
        out["value"] = f"{published.year + f['years']:04d}"
    elif "months" in f:
        target = _add_months(published.replace(day=1), f["months"])
        if "d" in f:
            out["value"] = target.replace(day=min(f["d"], calendar.monthrange(target.year, target.month)[1])).isoformat()
        else:
            out["value"] = f"{target.year:04d}-{target.month:02d}"
    elif unit == "week" and "weekday" in f:  # "الأسبوع القادم يوم الجمعة"
        day = published + timedelta(days=f.get("shift", 0))
        monday = day - timedelta(days=day.weekday())
        out["value"] = (monday + timedelta(days=f["weekday"])).isoformat()
    elif unit == "week":
        if "span_days" in f:  # "in the past few days": the week up to publication
            first, last = published + timedelta(days=f["span_days"]), published
            out.update(value=_iso_week(published), first_day=first.isoformat(), last_day=last.isoformat())
        else:
            day = published + timedelta(days=f.get("shift", 0))
            monday = day - timedelta(days=day.weekday())
            out.update(value=_iso_week(day), first_day=monday.isoformat(),
                       last_day=(monday + timedelta(days=6)).isoformat())
    else:
        out["value"] = (published + timedelta(days=f.get("shift", 0))).isoformat()
    return out


def _resolve_duration(f: dict[str, Any], published: date | None, out: dict[str, Any]) -> dict[str, Any]:
    amounts = f["ago"]
    precision = {"hour": "day", "day": "day", "week": "week", "month": "month", "year": "year"}
    out["precision"] = precision[amounts[-1][1]]
    if published is None or any(a is None for a, _u in amounts):
        return out
    day = published
    sign = f["sign"]
    for amount, unit in amounts:
        if unit == "year":
            day = _add_months(day, int(sign * amount * 12))
        elif unit == "month":
            day = _add_months(day, int(sign * amount))
        elif unit == "week":
            day += timedelta(days=sign * 7 * amount)
        elif unit == "day":
            day += timedelta(days=sign * amount)
    p = out["precision"]
    out["value"] = {"year": f"{day.year:04d}", "month": f"{day.year:04d}-{day.month:02d}",
                    "week": _iso_week(day), "day": day.isoformat()}[p]
    return out


def _resolve_hijri_month(f: dict[str, Any], published: date | None, out: dict[str, Any]) -> dict[str, Any]:
    """A Hijri month without a year ("رمضان الماضي"): the last (or next) one around publication."""
    from hijridate import Gregorian, Hijri

    out.update(calendar="hijri", precision="day" if "d" in f else "month")
    if published is None:
        return out
    today = Gregorian(published.year, published.month, published.day).to_hijri()
    year = today.year
    direction = f.get("direction")
    if direction == 1:
        if f["m"] <= today.month:
            year += 1
    elif f["m"] > today.month or (direction == -1 and f["m"] == today.month):
        year -= 1
    try:
        first = Hijri(year, f["m"], f.get("d", 1)).to_gregorian()
    except (ValueError, OverflowError):
        return out
    out["value"] = first.isoformat() if "d" in f else f"{first.year:04d}-{first.month:02d}"
    return out


def _resolve_hijri(f: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    from hijridate import Hijri  # light, pure Python; loaded only for Hijri dates

    out["calendar"] = "hijri"
    y, mo, d = f["y"], f.get("m"), f.get("d")
    try:
        if mo is not None and d is not None:
            out.update(value=Hijri(y, mo, d).to_gregorian().isoformat(), precision="day")
        elif mo is not None:
            first = Hijri(y, mo, 1).to_gregorian()
            out.update(value=f"{first.year:04d}-{first.month:02d}", precision="month")
        else:
            first = Hijri(y, 1, 1).to_gregorian()
            out.update(value=f"{first.year:04d}", precision="year")
    except (ValueError, OverflowError):
        out.update(value=None, precision=None)
    return out


# Phrases that can begin a date; number words can too (خمسة أيام، الحادي والعشرين من مايو).
STARTS = ("relative", "month", "hijri_month", "weekday", "ago", "ahead", "unit_dual",
          "year_word", "day_trigger", "period_part")
_UNIT_WORDS = frozenset({"يوم", "ويوم", "بيوم", "شهر", "لشهر", "بشهر"})
_YAWM = frozenset({"يوم", "ويوم", "بيوم"})
_MONTH_WORDS = frozenset({"شهر", "لشهر", "بشهر"})


@lru_cache(maxsize=1)
def _starters() -> frozenset[str]:
    """First words of every phrase that can begin a date (a quick set test before matching)."""
    return lexicon().surfaces(*STARTS) | _number_starters() | _ordinal_words() | _UNIT_WORDS


@lru_cache(maxsize=1)
def _gate_words() -> tuple[frozenset[str], frozenset[str]]:
    """Month words (and الشهر) and time-unit words, for the cheap look-ahead gates."""
    lex = lexicon()
    months = lex.surfaces("month", "hijri_month") | {"الشهر", "شهر"}
    units = lex.surfaces("unit", "unit_dual")
    return months, units


@lru_cache(maxsize=1)
def _one_word_months() -> frozenset[str]:
    """Month names of one word (آذار، يناير); "كانون الثاني" is found by its first two words."""
    return lexicon().single_surfaces("month", "hijri_month")


@lru_cache(maxsize=1)
def _bare_weekdays() -> frozenset[str]:
    """Weekday forms that are a date without "يوم" before them (الأحد, not أحد)."""
    lex = lexicon()
    return lex.multi_surfaces("weekday") | frozenset(
        w for w, found in lex.one_word_readings("weekday").items() if any(not entry.value[1] for _p, entry in found))


@lru_cache(maxsize=1)
def _single_relative() -> frozenset[str]:
    """Words that are a relative date on their own (اليوم، أمس، غدا)."""
    return lexicon().single_surfaces("relative")


@lru_cache(maxsize=1)
def _month_prepositions() -> frozenset[str]:
    from marsad.text.normalize import normalize_str

    return frozenset(normalize_str(w) for w in dates_data()["months_needing_context"]["prepositions"])


@lru_cache(maxsize=1)
def _ordinal_words() -> frozenset[str]:
    """Ordinals (الأول، الرابع، الحادي) from the numbers vocabulary: days of the month in dates."""
    return number_lexicon().surfaces("ordinal")


@lru_cache(maxsize=1)
def _day_words() -> frozenset[str]:
    """Words that can be a day of the month: number words and ordinals."""
    return _number_starters() | _ordinal_words()


@lru_cache(maxsize=1)
def _trigger_only() -> frozenset[str]:
    """Words whose one-word meanings only introduce a day or a year (في، إلى، حتى)."""
    lex = lexicon()
    return frozenset(
        w for w in lex.surfaces("day_trigger", "year_prep")
        if lex.single_categories(w) <= {"day_trigger", "year_prep"}
        and w not in _number_starters() and w not in _UNIT_WORDS
    )


@lru_cache(maxsize=1)
def _date_leads() -> tuple[frozenset[str], frozenset[str]]:
    """(the trigger-only words, what one of them must precede to start a date): a day word or
    the second word of one of their phrases ("في الساعات"); digits as well."""
    trigger_only = _trigger_only() & _starters()
    seconds = frozenset(second for first, second in lexicon().phrase_pairs() if first in trigger_only)
    return trigger_only, _day_words() | seconds


_LEAD_RULES = frozenset({"relative", "month_first", "duration"})


@lru_cache(maxsize=1)
def _phrase_leads() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(words that start a date only as the first of a phrase ("هذا الأسبوع") or a few words
    before a time unit ("بعد ثلاثة أيام"), the second words of their phrases, the unit words).

    These words ("هذا"، "بعد"، "منذ") are frequent and rarely start a date: like the
    trigger-only words, they are found by looking back from what must follow them.
    """
    _months, units = _gate_words()
    special = _single_relative() | _one_word_months() | units | _UNIT_WORDS | _MONTH_WORDS | _YAWM
    leads = frozenset(w for w in _starters() - _trigger_only() - special if set(_rules_for(w)) <= _LEAD_RULES)
    seconds = frozenset(second for first, second in lexicon().phrase_pairs() if first in leads)
    return leads, seconds, units


@lru_cache(maxsize=1)
def _duration_leads() -> frozenset[str]:
    """The phrase leads that can start a duration ("منذ"، "بعد"): only they need a time unit
    within five words; the others start a date only before their phrase's second word."""
    return frozenset(w for w in _phrase_leads()[0] if "duration" in _rules_for(w))


@lru_cache(maxsize=1)
def _anchors() -> frozenset[str]:
    """Words that can start a date whatever follows them."""
    return _starters() - _trigger_only() - _phrase_leads()[0]


def _candidates(words: Words) -> list[int]:
    """Digits and the words that can start a date, from the pass shared with numbers. Lead
    words come only where what they need follows: a trigger-only word ("في") a day word, a
    phrase's second word or a digit; a phrase lead ("هذا"، "بعد") its phrase's second word, or
    a time unit within five words. A superset of where a rule's first test passes: find_dates
    still makes those tests."""
    norms = words.norms
    hits = words.indices(scan_vocabulary())
    digits = words.number_positions()
    select, preceding = scan_functions()  # Words.select and Words.preceding, without a method call each
    found = select(norms, hits, _anchors())
    trigger_only, targets = _date_leads()
    found += preceding(norms, select(norms, hits, targets) + digits, trigger_only, 1)
    leads, seconds, units = _phrase_leads()
    found += preceding(norms, select(norms, hits, seconds), leads, 1)
    found += preceding(norms, select(norms, hits, units), _duration_leads(), 5)
    found += digits
    return sorted(set(found))


@lru_cache(maxsize=1)
def _direction_words() -> frozenset[str]:
    """Words that start "منذ"، "قبل"، "بعد" before a duration."""
    return lexicon().surfaces("ago", "ahead")


@lru_cache(maxsize=1)
def _suffix_gate_words() -> frozenset[str]:
    """Where a duration's suffix is ("مضت"، "من الآن"), one of these words is: a one-word suffix,
    or the second word of a longer one. They are rare; the shared scan finds them."""
    lex = lexicon()
    return lex.single_surfaces("suffix_ago", "suffix_from_now") | lex.second_words("suffix_ago", "suffix_from_now")


def _last_suffix_word(words: Words) -> int:
    """The index of the last word of :func:`_suffix_gate_words` (-1 if none): a duration without
    a direction word needs a suffix after its start."""
    found = words.select(words.indices(scan_vocabulary()), _suffix_gate_words())
    return found[-1] if found else -1


# The first test find_dates makes for a rule at a word, before trying it (see _plan).
_ALWAYS, _PAIR, _AFTER_YAWM, _AFTER_MONTH_WORD, _MONTH_AHEAD, _UNIT_AHEAD, _UNIT_AHEAD_SUFFIX, _DAY_NEXT = range(8)


@lru_cache(maxsize=65536)
def _plan(word: str) -> tuple[bool, tuple[tuple[Callable[..., DateMention | None], int], ...]]:
    """(is ``word`` trigger-only, the rules it can start (as methods of _DateParser, in the order
    :meth:`_DateParser.at` tries them) with the test each needs first).

    What depends on the word alone is decided here, once per word form: a rule that cannot pass
    at this word is left out, one that always passes needs no test (_ALWAYS), the others need a
    look at the words around (the codes above, read by :func:`find_dates`).
    """
    single_relative, one_word_months, bare_weekdays = _single_relative(), _one_word_months(), _bare_weekdays()
    plan: list[tuple[Callable[..., DateMention | None], int]] = []
    for name in _rules_for(word):
        if name == "relative":
            gate = _AFTER_YAWM if word == "يوم" else _ALWAYS if word in single_relative else _PAIR
        elif name == "day_month":
            gate = _MONTH_AHEAD
        elif name == "duration":  # without "منذ"، "قبل"، "بعد", a duration needs a suffix after it
            gate = _UNIT_AHEAD if word in _direction_words() else _UNIT_AHEAD_SUFFIX
        elif name == "day_only":  # a day after a trigger word ("في 15"), or a word with لل ("للثاني")
            if "day_trigger" in lexicon().categories(word):
                gate = _DAY_NEXT
            elif word.startswith("لل"):
                gate = _ALWAYS
            else:
                continue
        elif name == "month_first":
            gate = _AFTER_MONTH_WORD if word in _MONTH_WORDS else _ALWAYS if word in one_word_months else _PAIR
        elif name == "weekday":
            if word not in _YAWM and word not in bare_weekdays:
                continue  # "أحد" without "يوم" is a number, not Sunday
            gate = _ALWAYS
        else:  # year (a year word), period
            gate = _ALWAYS
        plan.append((getattr(_DateParser, name), gate))
    return word in _trigger_only(), tuple(plan)


def find_dates(words: Words) -> list[DateMention]:
    """Date mentions over ``words``, left to right, without overlaps."""
    out: list[DateMention] = []
    norms, kinds = words.norms, words.kinds
    candidates = _candidates(words)
    if not candidates:
        return out
    parser: _DateParser | None = None  # made at the first candidate that passes its tests
    done = 0
    day_words, n = _day_words(), len(norms)
    pairs = lexicon().phrase_pairs()  # ("في", "الساعات"): a set test instead of a call to has_pair
    months, units = _gate_words()
    single_relative, one_word_months = _single_relative(), _one_word_months()
    direction_words = _direction_words()
    window = any_in_function()  # window(norms, a, b, words): is one of norms[a:b] in words?
    suffix_last = -2  # the last word a duration's suffix can put in the text; -2: not looked for yet
    for i in candidates:
        if i < done:
            continue
        word = norms[i]
        nxt = norms[i + 1] if i + 1 < n else ""
        # Each rule's own first test, made here before any call: most candidates fail them all.
        runnable = []
        if kinds[i] == "number":  # the rules of _NUMBER_RULES, in order
            if "." in word or nxt in _SEPARATORS:
                runnable.append(_DateParser.numeric)
            if window(norms, i + 1, i + 7, months):
                runnable.append(_DateParser.day_month)
            if window(norms, i, i + 6, units):
                if word not in direction_words and suffix_last == -2:
                    suffix_last = _last_suffix_word(words)
                if word in direction_words or suffix_last >= i:
                    runnable.append(_DateParser.duration)
            if len(word) == 4 and word.isdigit():
                runnable.append(_DateParser.year)
        else:
            trigger, plan = _plan(word)
            # "في", "إلى": a date only if a day, a number or a phrase follows
            if trigger and not ((word, nxt) in pairs or nxt in day_words or (i + 1 < n and kinds[i + 1] == "number")):
                continue
            for rule, gate in plan:
                if gate == _ALWAYS:
                    pass
                elif gate == _PAIR:
                    if (word, nxt) not in pairs:
                        continue
                elif gate == _MONTH_AHEAD:
                    if not window(norms, i + 1, i + 7, months):
                        continue
                elif gate == _UNIT_AHEAD or gate == _UNIT_AHEAD_SUFFIX:
                    if not window(norms, i, i + 6, units):
                        continue
                    if gate == _UNIT_AHEAD_SUFFIX:
                        if suffix_last == -2:
                            suffix_last = _last_suffix_word(words)
                        if suffix_last < i:
                            continue
                elif gate == _DAY_NEXT:
                    if not (i + 1 < n and (kinds[i + 1] == "number" or nxt in day_words)):
                        continue
                elif gate == _AFTER_YAWM:  # "يوم أمس"
                    if i + 1 < n:
                        if not (nxt in single_relative or (i + 2 < n and (nxt, norms[i + 2]) in pairs)):
                            continue
                    elif word not in single_relative:
                        continue
                elif gate == _AFTER_MONTH_WORD:  # "شهر آذار"
                    if i + 1 < n:
                        if not (nxt in one_word_months or (i + 2 < n and (nxt, norms[i + 2]) in pairs)):
                            continue
                    elif word not in one_word_months:
                        continue
                runnable.append(rule)
        if not runnable:
            continue
        if parser is None:
            parser = _DateParser(words)
        for rule in runnable:  # parser.at(i, their names)
            m = rule(parser, i)
            if m is not None:
                break
        if m is None or m.end <= i:
            continue
        # _mergeable's own first test, made here: at most one word between the two
        if out and m.start - out[-1].end <= 1 and _mergeable(out[-1], m, words):
            out[-1] = _merge(out[-1], m)
        else:
            out.append(m)
        done = m.end
    return out


def _weekday_only(m: DateMention) -> bool:
    return set(m.fields) <= {"weekday", "direction"}


def _mergeable(a: DateMention, b: DateMention, words: Words) -> bool:
    """"صباح اليوم الثلاثاء"، "الأسبوع القادم يوم الجمعة"، "الجمعة من هذا الأسبوع": one date."""
    gap = words.norms[a.end : b.start]
    if len(gap) > 1 or (gap and gap[0] not in (",", "،", "من", "في")):
        return False
    return _weekday_only(a) != _weekday_only(b) and (
        a.fields.get("unit") in ("day", "week") or b.fields.get("unit") in ("day", "week"))


def _merge(a: DateMention, b: DateMention) -> DateMention:
    weekday, other = (a, b) if _weekday_only(a) else (b, a)
    fields = dict(other.fields)
    if fields.get("unit") == "week":
        fields["weekday"] = weekday.fields["weekday"]
    return DateMention(a.start, b.end, other.kind, fields)


def dates_component(doc) -> None:
    """Pipeline component: add the ``dates`` layer and tell ``numbers`` which words it took."""
    words = words_of(doc)
    published = doc.meta.published
    text, starts, ends = doc.text, words.starts, words.ends
    layer = []
    taken: set[int] = set()
    for m in find_dates(words):
        start, end = starts[m.start], ends[m.end - 1]  # words.span
        data = resolve(m, published)
        data["kind"] = m.kind
        layer.append(Annotation("dates", start, end, text[start:end], COMPONENT, VERSION, None, data))
        taken.update(range(m.start, m.end))
    doc.cache["date_words"] = taken
    doc.set_layer("dates", layer)
