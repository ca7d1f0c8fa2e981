"""The shortcuts taken for speed in the places and actors layers give what the long way gives."""

from __future__ import annotations

from collections import Counter
from itertools import islice

import pytest

import marsad
from marsad import _native
from marsad.document import Document
from marsad.expressions.scan import words_of
from marsad.io.demo import demo_paths
from marsad.knowledge import places, vocabulary_hits
from marsad.knowledge.places import _choose, _fixed_choice, _key_info, matcher

TEXTS = [
    "قصفت الطائرات قرية هجين، والشعفة، والسوسة، والباغوز في ريف دير الزور",
    "قتل 3 مدنيين في غارة على مخيم البريج وسط قطاع غزة، وأصيب جنديان إسرائيليان",
    "قوات سوريا الديمقراطية تسيطر على الباغوز، وحررت القوات قرية هجين بعد اشتباكات مع التنظيم",
    "إيران تقصف البوكمال، والأردن يعلن مقتل 3 مسلحين على الحدود مع سورية",
    "#قطاع_غزة: استهداف قرية \"الحمرا\" في ريف حماة، وصحيفة الشروق تنقل عن مصادر محلية",
    "اعتقلت الشرطة العراقية 5 فلسطينيين في بغداد، والجيش اللبناني ينتشر في طرابلس",
]


def _texts() -> list[str]:
    return TEXTS + [p.read_text(encoding="utf-8") for p in demo_paths()]


def _layers(texts: list[str]) -> list[list[tuple]]:
    out = []
    for text in texts:
        doc = marsad.extract(text)
        out.append([(a.layer, a.start, a.end, a.text, sorted(a.data.items(), key=repr))
                    for name in ("places", "actors") for a in doc.layer(name)])
    return out


def test_places_and_actors_are_the_same_without_the_c_module(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shared pass over the words and the selections in C give the layers of the Python code."""
    texts = _texts()
    with_c = _layers(texts)
    with monkeypatch.context() as m:
        m.setattr(_native, "disabled", True)
        without_c = _layers(texts)
    assert with_c == without_c
    assert any(layer for layer in with_c)  # the texts do hold places and actors


def test_the_shared_pass_finds_a_vocabulary_registered_after_it() -> None:
    doc = Document("قصفت الطائرات مدينة حلب ثم مدينة حمص")
    norms = words_of(doc).norms
    first = frozenset({norms[1]})
    hits, forms = vocabulary_hits(doc, norms, first)
    assert 1 in hits and norms[1] in forms
    later = frozenset({norms[4], norms[6]})  # registered after the document's pass: it is made again
    hits, forms = vocabulary_hits(doc, norms, later)
    assert {1, 4, 6} <= set(hits) and later <= forms
    for k in range(12):  # more vocabularies than are kept: the one asked for is always in
        hits, _forms = vocabulary_hits(doc, norms, frozenset({f"كلمة{k}"}))
        assert 1 not in hits or first <= {norms[i] for i in hits}
    hits, forms = vocabulary_hits(doc, norms, first)
    assert 1 in hits


def test_a_fixed_choice_is_the_choice_of_every_document() -> None:
    """_fixed_choice answers, once per name and cue, what _choose answers in any document."""
    m = matcher()
    gazetteer = m.gazetteer
    keys = [key for entries in islice(m.first.values(), 30_000) for _rest, key in entries]
    checked = 0
    for key in keys:
        found = _key_info(gazetteer, key)[0]
        if len(found) < 2:
            continue
        # geographies: none, the name's own, and those of its candidates, each alone and mixed
        geographies = [(Counter(), Counter())]
        for p in found[:3]:
            geographies.append((Counter({p.country or "": 2}), Counter({p.admin1 or "": 1})))
            geographies.append((Counter({p.country or "": 1, "IQ": 3}), Counter({p.admin1 or "": 1, "IQ.05": 2})))
        geographies.append((Counter({"EG": 4}), Counter({"EG.11": 4})))
        infos = {key: _key_info(gazetteer, key)}
        for cue in (None, "city", "camp", "village", "countryside"):
            fixed = _fixed_choice(gazetteer, key, cue)
            if fixed is None:
                continue
            for countries, admin1s in geographies:
                uses = Counter({key: 1})
                assert _choose(key, cue, None, infos, countries, admin1s, uses) == fixed, (key, cue)
            checked += 1
        if checked >= 300:
            break
    assert checked >= 50  # names of several places in one governorate are many


def test_a_mixed_name_is_left_to_the_document() -> None:
    """A name whose places lie in different governorates is chosen by the document's geography."""
    gazetteer = matcher().gazetteer
    m = matcher()
    for entries in islice(m.first.values(), 30_000):
        for _rest, key in entries:
            found = _key_info(gazetteer, key)[0]
            if len({(p.country, p.admin1) for p in found}) > 1:
                assert _fixed_choice(gazetteer, key, None) is None
                return
    pytest.fail("no name of places in several governorates")


def test_resolve_gives_each_mention_its_group_choice() -> None:
    """Mentions of one name and cue get one place; list items get the governorate of their anchor."""
    doc = marsad.extract(TEXTS[0])
    listed = [a for a in doc.layer("places") if a.data.get("cue") == "list"]
    assert listed and all(a.data["admin1_code"] for a in listed)
    assert places.resolve([], matcher().gazetteer) is None
