"""The shortcuts taken for speed in the expressions layer give what the long way gives."""

from __future__ import annotations

from marsad.document import Document
from marsad.expressions import dates, numbers
from marsad.expressions.lexicon import PhraseLexicon
from marsad.expressions.scan import words_of
from marsad.io.demo import demo_paths

TEXTS = [
    "قتل أكثر من 20 شخصا وأصيب ما يقرب من خمسة وعشرين آخرين منذ ثلاثة أيام",
    "عشرات الآلاف من النازحين، والمئات من الجرحى في الأسبوع الماضي",
    "بين 10 و20 ألف مقاتل، وخمسة وعشرون بالمئة منهم قتلوا بعد يومين",
    "بضعة مئات ربما لا يتجاوزون الألف مقاتل منذ أشهر مضت",
]


def _docs() -> list[Document]:
    texts = TEXTS + [p.read_text(encoding="utf-8") for p in demo_paths()]
    docs = []
    for text in texts:
        doc = Document(text)
        words_of(doc)
        docs.append(doc)
    return docs


def test_cached_first_equals_the_uncached_lookup() -> None:
    """``first``/``first_of`` cache one-word answers per (word, categories): same as ``_longest``."""
    asks = [("vague",), ("hedge",), ("what_noun",), ("scale", "scale_plural"), ("unit",), ("relative",),
            ("month", "hijri_month"), ("ago", "ahead"), ()]
    for doc in _docs():
        norms = doc.cache["words"].norms
        for lex in (numbers.lexicon(), dates.lexicon()):
            for _ in range(2):  # the second round reads the cache
                for i in range(len(norms)):
                    for cats in asks:
                        expected = lex._longest(norms, i, frozenset(cats) if cats else None)
                        assert lex.first(norms, i, *cats) == expected
                        if cats:
                            assert lex.first_of(norms, i, frozenset(cats)) == expected


def test_adding_a_phrase_clears_the_cache() -> None:
    lex = PhraseLexicon()
    lex.add("خمسة", "unit", 5.0)
    assert lex.first(["خمسه", "ايام"], 0, "unit").length == 1
    lex.add("خمسة أيام", "unit", 5.0)
    assert lex.first(["خمسه", "ايام"], 0, "unit").length == 2
    lex.add("ستة", "unit", 6.0)
    assert lex.first(["سته"], 0, "unit") is not None


def test_shared_readings_are_not_changed_by_parsing() -> None:
    """Number words' readings are shared across documents; "خمسة وعشرون" must not mark them."""
    first, later, _multi = numbers._core_readings()
    before = {w: [(it.category, it.value, it.n, it.waw) for it in r] for w, r in (*first.items(), *later.items())}
    for doc in _docs():
        dates.dates_component(doc)
        numbers.numbers_component(doc)
    after = {w: [(it.category, it.value, it.n, it.waw) for it in r] for w, r in (*first.items(), *later.items())}
    assert before == after


def test_vague_words_skip_only_cardinals_that_end_within_them() -> None:
    for doc in _docs():
        words = doc.cache["words"]
        parser = numbers._Parser(words, set())
        for i, norm in enumerate(words.norms):
            if words.kinds[i] == "word" and norm in parser.cardinal_words and parser._ends_alone(i):
                card = parser.cardinal(i)
                assert card is None or card[1] <= i + 1


def test_number_candidates_include_every_lead_before_a_number() -> None:
    """Leads of one-word phrases are looked for just before a number only: nothing is lost."""
    anchors, prefix_only, numberish, reach = numbers._start_words()
    for doc in _docs():
        words = doc.cache["words"]
        norms, kinds = words.norms, words.kinds
        found = set(numbers._candidates(words))
        for i, word in enumerate(norms):
            if word in prefix_only:
                start = numbers.lexicon().first_of(norms, i, numbers._STARTS_SET)
                k = i + start.length if start is not None else len(norms)
                if k < len(norms) and (kinds[k] == "number" or norms[k] in numberish):
                    assert i in found
