"""The C functions and caches of the places and actors layers give what the Python code gives."""

from __future__ import annotations

import random

import pytest

import marsad
from marsad import _native
from marsad.document import Document
from marsad.expressions.scan import words_of
from marsad.io.demo import demo_paths
from marsad.knowledge import actors, vocabulary_hits
from marsad.knowledge.places import _PRONOUN_ENDINGS, _SEPARATORS, matcher

TEXTS = [
    "قصفت الطائرات قرية هجين، والشعفة، والسوسة، والباغوز في ريف دير الزور",
    "هجين، والشعفة، و السوسة ، والباغوز وأريافها، ودير الزور",
    "قتل 3 مدنيين في غارة على مخيم البريج وسط قطاع غزة، وأصيب جنديان إسرائيليان",
    "قوات سوريا الديمقراطية تسيطر على الباغوز، وحررت القوات قرية هجين بعد اشتباكات مع التنظيم",
    "إيران تقصف البوكمال، والأردن يعلن مقتل 3 مسلحين على الحدود مع سورية",
    "#قطاع_غزة: استهداف قرية \"الحمرا\" في ريف حماة، وصحيفة الشروق تنقل عن مصادر محلية",
    "اعتقلت الشرطة العراقية 5 فلسطينيين في بغداد، والجيش اللبناني ينتشر في طرابلس، وحلب، وحمص",
    "",
    "حلب",
    "والباغوز،",
]


def _texts() -> list[str]:
    return TEXTS + [p.read_text(encoding="utf-8") for p in demo_paths()]


def _python_followed(items: list[str], indices: list[int], follows: dict) -> list[int]:
    n = len(items)
    return [j for j in indices if (s := follows[items[j]]) is None or (j + 1 < n and items[j + 1] in s)]


def test_followed_positions_is_the_comprehension(native) -> None:  # noqa: ANN001
    rng = random.Random(7)
    vocabulary = ["حلب", "دير", "الزور", "عين", "العرب", "x", "", "،", "🙂", "ديرالزور"]
    follows = {"حلب": None, "دير": frozenset({"الزور", "حافر"}), "عين": frozenset({"العرب"}), "x": frozenset(),
               "": None, "،": frozenset({""}), "🙂": frozenset({"🙂"}), "ديرالزور": None, "الزور": None,
               "العرب": frozenset({"x"})}
    for _ in range(500):
        items = [rng.choice(vocabulary) for _ in range(rng.randrange(0, 12))]
        indices = sorted(rng.sample(range(len(items)), rng.randrange(0, len(items) + 1))) if items else []
        assert native.followed_positions(items, indices, follows) == _python_followed(items, indices, follows)
    assert native.followed_positions([], [], {}) == []
    assert native.followed_positions(["دير"], [0], follows) == []  # the last word: no next word
    assert native.followed_positions(["دير", "الزور"], [0, 1], follows) == [0, 1]
    with pytest.raises(KeyError):
        native.followed_positions(["غزة"], [0], follows)
    with pytest.raises(KeyError):
        _python_followed(["غزة"], [0], follows)
    with pytest.raises(IndexError):
        native.followed_positions(["حلب"], [1], follows)


def test_followed_positions_falls_back_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_native, "disabled", True)
    follows = {"دير": frozenset({"الزور"}), "حلب": None}
    assert _native.followed_positions(["دير", "الزور", "حلب", "دير"], [0, 2, 3], follows) == [0, 2]


def test_list_items_is_the_python_walk(native) -> None:  # noqa: ANN001
    """The walk in C finds the items the Python walk finds, in the same order, and takes them."""
    m = matcher()
    rng = random.Random(11)
    vocabulary = ["هجين", "والشعفة", "والسوسة", "الباغوز", "وأريافها", "،", ",", "و", "في", "قرية", "والرقة",
                  "حلب", "وبها", "ومنها", "x", "", "و", "1", "والحمرا", "ودير"]
    kinds_of = ["word", "word", "word", "word", "word", "punct", "punct", "word", "word", "word", "word",
                "word", "word", "word", "word", "word", "word", "number", "word", "word"]
    for _ in range(1500):
        size = rng.randrange(0, 16)
        picks = [rng.randrange(len(vocabulary)) for _ in range(size)]
        norms = [vocabulary[p] for p in picks]
        kinds = [kinds_of[p] if rng.random() < 0.9 else rng.choice(["tag", "punct", "word"]) for p in picks]
        anchors = rng.sample(range(size), rng.randrange(0, size + 1)) if size else []
        taken = set(rng.sample(range(size), rng.randrange(0, size + 1))) if size else set()
        taken.update(anchors)
        taken_c, taken_py = set(taken), set(taken)
        found_c = native.list_items(norms, kinds, anchors, taken_c, m._could_be, m._could_be_name,
                                    _SEPARATORS, _PRONOUN_ENDINGS)
        found_py = m._list_items(norms, kinds, anchors, taken_py)
        assert found_c == found_py, (norms, kinds, anchors, taken)
        assert taken_c == taken_py
    assert native.list_items([], [], [], set(), {}, m._could_be_name, _SEPARATORS, _PRONOUN_ENDINGS) == []
    with pytest.raises(ValueError):
        native.list_items(["حلب"], [], [0], set(), {}, m._could_be_name, _SEPARATORS, _PRONOUN_ENDINGS)


def test_list_items_calls_could_be_name_for_unknown_words(native) -> None:  # noqa: ANN001
    asked: list[str] = []

    def could_be_name(word: str) -> bool:
        asked.append(word)
        return word != "والرقة"

    norms, kinds = ["هجين", "،", "والشعفة", "،", "والرقة"], ["word", "punct", "word", "punct", "word"]
    found = native.list_items(norms, kinds, [0], {0}, {}, could_be_name, _SEPARATORS, _PRONOUN_ENDINGS)
    assert found == [(2, 0)] and asked == ["والشعفة", "والرقة"]
    with pytest.raises(ZeroDivisionError):
        native.list_items(norms, kinds, [0], {0}, {}, lambda word: 1 / 0, _SEPARATORS, _PRONOUN_ENDINGS)

    def shrinking(word: str) -> bool:  # a callback that changes the words: an error, not a crash
        norms.clear()
        kinds.clear()
        return True

    with pytest.raises(RuntimeError):
        native.list_items(norms, kinds, [0], {0}, {}, shrinking, _SEPARATORS, _PRONOUN_ENDINGS)


def test_the_shared_pass_is_the_same_without_the_c_module(monkeypatch: pytest.MonkeyPatch) -> None:
    vocabulary = matcher().vocabulary
    for text in _texts():
        doc = Document(text)
        norms = words_of(doc).norms
        with_c = vocabulary_hits(doc, norms, vocabulary)
        with monkeypatch.context() as m:
            m.setattr(_native, "disabled", True)
            doc.cache.pop("knowledge.hits")
            without_c = vocabulary_hits(doc, norms, vocabulary)
        assert with_c == without_c
        assert list(with_c[0]) == [i for i, w in enumerate(norms) if w in with_c[1]]


def test_the_phrase_caches_answer_as_the_lexicon() -> None:
    """A window's cached phrase and a word's plan are what the lexicon answers at that word."""
    lex = actors.lexicon()
    starts, multis, singles, _every = actors._vocabulary()
    reach = actors._phrase_reach()
    checked = 0
    for text in _texts():
        norms = words_of(marsad.extract(text)).norms
        for i, word in enumerate(norms):
            if word not in starts:
                continue
            multi, single, nisba = actors._word_plan(word)
            assert multi == (word in multis) and nisba == (word in actors._nisba_rules().starts)
            assert single == (actors._single_match(word) if word in singles else None)
            if multi and i + 1 < len(norms) and (word, norms[i + 1]) in lex.phrase_pairs():
                assert actors._window_match(tuple(norms[i : i + reach])) == lex.first_of(norms, i, actors._CATEGORY_SET)
                checked += 1
    assert checked >= 10


def test_plan_match_is_the_python_match(native) -> None:  # noqa: ANN001
    """The C reading of a word's matching plan finds the name the Python reading finds."""
    from types import MappingProxyType

    from marsad.knowledge.places import PlaceMatcher

    m = matcher()
    checked = 0
    for text in _texts():
        norms = words_of(Document(text)).norms
        for i, word in enumerate(norms):
            plan = m.plan(word)
            assert native.plan_match(plan, norms, i) == PlaceMatcher._match(plan, norms, i), (word, i)
            checked += bool(plan)
    assert checked >= 50
    norms = ["دير", "الزور", "عين", "العرب", "و"]
    plans = [
        (), ((0, None),), ((0, "حلب"),),
        ((1, {("الزور",): "دير الزور"}), (0, "دير")),
        ((2, {("الزور", "عين"): "x"}), (1, {("الزور",): None}), (0, None)),
        ((4, {("الزور", "عين", "العرب", "و"): "long"}),),
        ((9, {("الزور", "عين", "العرب", "و"): "shorter at the end"}),),
        ((1, MappingProxyType({("الزور",): "proxy"})),),
    ]
    for plan in plans:
        for i in range(len(norms)):
            assert native.plan_match(plan, norms, i) == PlaceMatcher._match(plan, norms, i), (plan, i)
    with pytest.raises(IndexError):
        native.plan_match(((0, "حلب"),), norms, len(norms))
    with pytest.raises(TypeError):
        native.plan_match([(0, "حلب")], norms, 0)


def test_best_place_is_the_max_of_the_scores() -> None:
    """_best_place picks what max() over _score picks, the first of equals included."""
    from collections import Counter
    from itertools import islice

    from marsad.knowledge.places import _best_place, _key_info, _score

    m = matcher()
    rng = random.Random(3)
    checked = 0
    for entries in islice(m.first.values(), 20_000):
        for _rest, key in entries:
            found = _key_info(m.gazetteer, key)[0]
            if len(found) < 2:
                continue
            places_countries = [p.country or "" for p in found] + ["IQ", "EG"]
            places_admin1s = [p.admin1 or "" for p in found] + ["IQ.05"]
            for cue in (None, "city", "village", "camp", "countryside"):
                countries = Counter(rng.choices(places_countries, k=rng.randrange(0, 4)))
                admin1s = dict(Counter(rng.choices(places_admin1s, k=rng.randrange(0, 3))))
                expected = max(found, key=lambda p: _score(p, cue, countries, admin1s))  # noqa: B023
                assert _best_place(found, cue, countries, admin1s) is expected
                checked += 1
        if checked >= 2000:
            break
    assert checked >= 200
    # equal scores: the first place wins, as with max()
    assert _best_place([found[0], found[0]], None, {}, {}) is found[0]
