"""The C functions of the expression matchers give the answers of the Python they stand for.

Each test runs on the words of the demo articles, the built-in bench corpus and sentences written
to reach the rarer paths (durations with a suffix, hashtags, digits glued to words), and compares
the C function of ``marsad._speedups`` with its Python fallback; the last test compares the dates
and numbers layers made with and without the C module.
"""

from __future__ import annotations

from datetime import date

import pytest

from marsad import _native
from marsad.bench import builtin_corpus
from marsad.document import Document, DocumentMeta
from marsad.expressions import dates, numbers, scan
from marsad.io.demo import demo_paths
from marsad.pipeline import DEFAULT_COMPONENTS, Pipeline

SENTENCES = [
    "قتل 5 أشخاص منذ ثلاثة أيام مضت، وأصيب عشرات آخرون قبل أسبوعين من الآن في #دير_الزور",
    "بعد يومين و3 ساعات، في 2018/11/05، سقط 1,200 قتيل و٢٦،٠١٣ جريحا ديرالزور24 و10000دولار",
    "خلال الساعات الـ24 الماضية، 192.168.1.2 و3.5% و1 234 567 و13:58 و«الياسين 105»",
    "منذ عام مضى، الأحد الماضي، شهر آذار، مطلع الشهر الجاري، للثاني والعشرين من مايو 2017",
]


def _native_or_skip():
    native = _native.speedups()
    if native is None:
        pytest.skip("marsad._speedups is not built")
    return native


def _python(func, *args):
    """``func(*args)`` with the C module switched off."""
    saved = _native.disabled
    _native.disabled = True
    try:
        return func(*args)
    finally:
        _native.disabled = saved


@pytest.fixture(scope="module")
def word_lists() -> list[scan.Words]:
    texts = [p.read_text(encoding="utf-8") for p in demo_paths()] + [d.text for d in builtin_corpus(6)] + SENTENCES
    tokens = Pipeline(DEFAULT_COMPONENTS[:[c.name for c in DEFAULT_COMPONENTS].index("text.tokens") + 1])
    out = []
    for text in texts:
        doc = Document(text)
        tokens(doc)
        out.append(scan.words_of(doc))
    return out


def _vocabularies() -> list[frozenset[str]]:
    return [numbers.scan_vocabulary(), dates._anchors(), dates._date_leads()[0], dates._phrase_leads()[2],
            dates._suffix_gate_words(), numbers._cue_words(), frozenset({"-", ".", "في", "من"}), frozenset()]


def test_select_and_preceding_in_c_are_the_python_ones(word_lists) -> None:
    native = _native_or_skip()
    found = 0
    for words in word_lists:
        norms = words.norms
        everywhere = list(range(len(norms)))
        hits = words.indices(numbers.scan_vocabulary())
        for vocabulary in _vocabularies():
            for indices in (hits, everywhere, []):
                got = native.select_positions(norms, indices, vocabulary)
                assert got == scan.select_positions(norms, indices, vocabulary)
                found += len(got)
            targets = hits + words.number_positions() + [0, len(norms)]
            for reach in (1, 2, 5, 8):
                got = native.preceding(norms, targets, vocabulary, reach)
                assert got == scan.preceding_positions(norms, targets, vocabulary, reach)
                found += len(got)
    assert found > 1000


def test_any_in_in_c_is_the_slice_test(word_lists) -> None:
    native = _native_or_skip()
    answers = set()
    for words in word_lists:
        norms = words.norms
        n = len(norms)
        for vocabulary in _vocabularies():
            for start in range(0, n + 3, 3):
                for width in (0, 1, 6, 8):
                    got = native.any_in(norms, start, start + width, vocabulary)
                    assert got is scan.any_in(norms, start, start + width, vocabulary)
                    answers.add(got)
    assert answers == {True, False}


def test_kind_and_hashed_positions_in_c_are_the_python_ones(word_lists) -> None:
    native = _native_or_skip()
    kinds_found = set()
    for words in word_lists:
        for kind in ("number", "tag", "punct", "word", "none"):
            fresh = scan.Words(words.norms, words.starts, words.ends, words.kinds, words.text)
            want = _python(fresh._kind_positions, kind)
            assert native.kind_positions(words.kinds, kind) == want
            if want:
                kinds_found.add(kind)
        for vocabulary in _vocabularies():
            got = native.positions_hashed(words.norms, vocabulary, scan._hash_bitmap(vocabulary))
            assert got == [i for i, word in enumerate(words.norms) if word in vocabulary]
            assert got == native.positions(words.norms, vocabulary)
    assert kinds_found >= {"number", "tag", "punct", "word"}


def test_the_c_functions_reject_what_python_would(word_lists) -> None:
    native = _native_or_skip()
    norms = word_lists[0].norms
    with pytest.raises(ValueError):
        native.any_in(norms, -1, 3, frozenset())
    with pytest.raises(IndexError):
        native.preceding(norms, [len(norms) + 1], frozenset(), 1)
    with pytest.raises(IndexError):
        native.select_positions(norms, [len(norms)], frozenset())
    with pytest.raises(ValueError):
        native.positions_hashed(norms, frozenset(), b"\0\0\0")  # not a power of two long


def _layers(texts: list[str]) -> list[tuple]:
    pipeline = Pipeline(DEFAULT_COMPONENTS[:[c.name for c in DEFAULT_COMPONENTS].index("expressions.numbers") + 1])
    out = []
    for text in texts:
        doc = Document(text, meta=DocumentMeta(published=date(2018, 11, 7)))
        pipeline(doc)
        out.append([(a.start, a.end, a.text, a.data) for name in ("dates", "numbers") for a in doc.layer(name)])
    return out


def test_dates_and_numbers_are_the_same_without_the_c_module() -> None:
    _native_or_skip()
    texts = [p.read_text(encoding="utf-8") for p in demo_paths()] + [d.text for d in builtin_corpus(6)] + SENTENCES
    fast = _layers(texts)
    slow = _python(_layers, texts)
    assert fast == slow
    assert sum(map(len, fast)) > 100
