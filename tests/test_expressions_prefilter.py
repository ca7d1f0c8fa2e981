"""The fast candidate filters of the numbers and dates layers change nothing but speed.

``find_numbers`` parses only where a digit, a number word, or a hedge or range word with a
number within reach occurs; ``find_dates`` tries a rule only where its own first test passes.
These tests run the same parsers at every position, untouched by the filters, and compare.
"""

from __future__ import annotations

from datetime import date

import pytest

from marsad.document import Document, DocumentMeta
from marsad.expressions import dates as dates_mod
from marsad.expressions import numbers as numbers_mod
from marsad.expressions.scan import Words, words_of
from marsad.io.demo import demo_paths
from marsad.text import tokens

SENTENCES = [
    "قتل ما لا يقل عن 12 مدنيا وأصيب نحو عشرين آخرين في قصف يوم الأحد الماضي على بلدة هجين",
    "من 10 إلى 20 مقاتلا، على الأقل 5 منهم قتلوا، بين 300 و400 نازح منذ ثلاثة أيام",
    "وصل عددهم إلى ما يقرب من - 5 و.5 وسالب ثلاثة في 5/17/2018 و16.11.2016 و4.22",
    "أول أمس وبعد غد وفي الساعات الماضية وهذا الأسبوع والشهر المقبل ومطلع آذار الماضي",
    "الذي قتل أحد المحتجزين ويوم الخميس 5 تشرين الثاني 2018 وفي 15 وإلى 27 وللثاني والعشرين",
    "منذ عام مضى، قبل ثلاثة أشهر، بعد يومين، 2 سنة و1 شهر و21 يوما من الآن، في العام ٢٠١٧",
    "بضعة مئات ربما لا يتجاوزن الألف مقاتل، عشرات الآلاف، مئة ألف، 1 234 567 و3/4 و١/٤ ٢",
    # words found by looking back from what follows them: hashtags, phrase leads, units within reach
    "#من 5 و#على_الأقل 3 قتلى، هذه الأيام الثلاثة، وقبل أسبوعين من الآن، بعد مرور ثلاثة أيام",
    "منذ ذلك الحين قبل نحو عشرة أعوام، هذا الشهر وذو الحجة، على بعد - 4 كم، حتى 3 من الشهر",
]


def _words(text: str) -> Words:
    doc = Document(text, meta=DocumentMeta(published=date(2018, 11, 7)))
    tokens.tokenize_component(doc)
    return words_of(doc)


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in demo_paths()] + SENTENCES


def _dates_everywhere(words: Words) -> list[dates_mod.DateMention]:
    """find_dates as it was before its gates: every rule of every candidate word is tried."""
    parser = dates_mod._DateParser(words)
    norms, kinds, n = words.norms, words.kinds, len(words)
    out: list[dates_mod.DateMention] = []
    done = 0
    for i in words.positions(dates_mod._starters()):
        if i < done:
            continue
        word = norms[i]
        if word in dates_mod._trigger_only():
            nxt = norms[i + 1] if i + 1 < n else ""
            if not (parser.lex.has_pair(word, nxt) or nxt in parser.day_words
                    or (i + 1 < n and kinds[i + 1] == "number")):
                continue
        m = parser.at(i)
        if m is None or m.end <= i:
            continue
        if out and dates_mod._mergeable(out[-1], m, words):
            out[-1] = dates_mod._merge(out[-1], m)
        else:
            out.append(m)
        done = m.end
    return out


@pytest.mark.parametrize("text", _texts())
def test_numbers_are_the_same_when_every_position_is_a_candidate(text, monkeypatch):
    words = _words(text)
    fast = numbers_mod.find_numbers(words)
    monkeypatch.setattr(numbers_mod, "_candidates", lambda w: list(range(len(w))))
    slow = numbers_mod.find_numbers(words)
    assert fast == slow


@pytest.mark.parametrize("text", _texts())
def test_dates_are_the_same_when_every_rule_is_tried(text):
    words = _words(text)
    assert dates_mod.find_dates(words) == _dates_everywhere(words)


def test_a_text_without_numbers_or_dates_is_not_parsed():
    words = _words("أعلنت الحكومة خطة جديدة لإعادة الإعمار")
    assert numbers_mod.find_numbers(words) == []
    assert dates_mod.find_dates(words) == []
