"""marsad's optional C speed-ups give the answers of the Python code they stand for.

``marsad._speedups`` is built by ``setup.py`` where a C compiler is there; everything must work,
with the same results, where it is not (``MARSAD_NO_SPEEDUPS=1`` in the environment makes marsad
act as if it were not built; the tests switch ``marsad._native.disabled``). CI sets
``MARSAD_REQUIRE_SPEEDUPS`` so that a failed build fails the tests rather than skipping them. The
CRF decoder's comparisons are in ``tests/test_ner_crf.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import marsad
from marsad import _native
from marsad._native import speedups
from marsad.text import sentences as sentences_module
from marsad.text.tokens import tokenize

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "seeds"
DEMO = sorted((Path(marsad.__file__).parent / "data" / "demo").glob("*.txt"))


def _python_tokens(text: str, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as m:
        m.setattr(_native, "disabled", True)
        assert speedups() is None
        tokens = tokenize(text)
    return tokens.spans, tokens.norms, tokens.words


def _native_tokens(text: str):
    tokens = tokenize(text)
    return tokens.spans, tokens.norms, tokens.words


def test_the_switch_turns_the_speedups_off(native, monkeypatch) -> None:
    assert speedups() is native
    monkeypatch.setattr(_native, "disabled", True)
    assert speedups() is None


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in DEMO]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    data = Path(__file__).resolve().parents[2] / "shared" / "data" / "events"
    for name in ("dev.jsonl", "train.jsonl"):
        if (data / name).is_file():
            texts += [json.loads(line)["text"] for line in (data / name).read_text(encoding="utf-8").splitlines()]
    return texts


def test_tokenizer_loop_is_the_python_loop_on_real_text(native, monkeypatch) -> None:
    texts = _texts()
    assert len(texts) >= 4
    for text in texts:
        expected = _python_tokens(text, monkeypatch)
        assert _native_tokens(text) == expected
        # and again with warm caches (the C loop reads both caches the Python loop fills)
        assert _native_tokens(text) == expected


_PIECES = st.sampled_from([
    " ", "  ", "\n", "\n\n", "و", "الباغوز", "والباغوز", "قَالَ", "ـ", "١٢٫٥", "12,000", "2017.", "«حرر»", "(قسد)",
    "#داعش", "@user", "https://example.org/a?b=1.", "a@b.co", "U.S.", "...", "؟!", "،", "\u200f", "\u00ad",
    "x", "Ä", "ß", "İ", "\U0001F534", "😀", "\ufeff", "٪", "%", "٣", "ﻻ", "\t", "\u00a0", "\r",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=60))
def test_tokenizer_loop_is_the_python_loop_on_any_text(native, monkeypatch, text) -> None:
    assert _native_tokens(text) == _python_tokens(text, monkeypatch)


def _plain_word_before(text: str, lo: int, end: int) -> str:
    """The first implementation of ``_word_before``: a backward scan, character by character."""
    i = end
    while i > lo:
        c = text[i - 1]
        if c in sentences_module._WORD_STOPS or c.isspace():
            break
        i -= 1
    return text[i:end]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab.«\"'([ \t\u00a0\u2003د.مU٢") + ["\u3000", "\u0085"]), max_size=30),
       st.integers(0, 30), st.integers(0, 30))
def test_word_before_is_the_backward_scan(text, lo, end) -> None:
    end = min(end, len(text))
    lo = min(lo, end)
    assert sentences_module._word_before(text, lo, end) == _plain_word_before(text, lo, end)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["قال", "في", "الرقة", "و", "١٢", "", "x"]), max_size=30),
       st.sets(st.sampled_from(["قال", "الرقة", "", "y"])))
def test_positions_is_the_comprehension(native, monkeypatch, items, wanted) -> None:
    from marsad._native import positions

    expected = [i for i, item in enumerate(items) if item in wanted]
    for container in (wanted, frozenset(wanted), dict.fromkeys(wanted), list(wanted)):
        assert native.positions(items, container) == expected
        assert native.positions(tuple(items), container) == expected
        assert positions(items, container) == expected
    with monkeypatch.context() as m:
        m.setattr(_native, "disabled", True)
        assert positions(items, wanted) == expected


_SENTENCE_PIECES = st.sampled_from([
    " ", "\n", "\n\n", "\r\n", "\u2028", "قال", "وقال", "ab", "U.S.", "Dr.", "sept.", "abcde.", "د.", "«د.»", "م.",
    "عام ٢٠١٧ م.", "2017.وقال", "١٢٫٥", "12.5", ".", "!", "?", "؟", "؛", "…", "...", "..", "!!", '"', "'", "»", "”",
    "“", "’", ")", "]", "(", "[", "«", "\u200f", "\u200e", "\u00a0", "\t", "\U0001F534", "•", "◀", "ـ",
])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_SENTENCE_PIECES, max_size=40).map("".join))
def test_sentence_splitter_is_the_python_one_on_any_text(native, monkeypatch, text) -> None:
    from marsad.text.sentences import split_sentences

    ours = split_sentences(text)
    with monkeypatch.context() as m:
        m.setattr(_native, "disabled", True)
        assert split_sentences(text) == ours
    if "\r" not in text and "\u2028" not in text:
        assert native.split_sentences_plain(text, sentences_module._abbreviation_stop) is not None


def test_sentence_splitter_is_the_python_one_on_real_text(native, monkeypatch) -> None:
    from marsad.text.sentences import split_sentences

    texts = _texts()
    ours = [split_sentences(t) for t in texts]
    with monkeypatch.context() as m:
        m.setattr(_native, "disabled", True)
        assert [split_sentences(t) for t in texts] == ours
    assert sum(map(len, ours)) > 100


_TAGS = st.sampled_from(["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "I-ORG", "B-MISC", "B", "I", "X", "", "O-X", "B-", "I-",
                         "BB-LOC", "I-LOC-2", "-LOC"])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_TAGS, max_size=25))
def test_iob_spans_is_the_python_reading(native, monkeypatch, tags) -> None:
    from marsad.ner.model import iob_spans

    ours = iob_spans(tags)
    assert native.iob_spans(tags) == ours and native.iob_spans(tuple(tags)) == ours
    with monkeypatch.context() as m:
        m.setattr(_native, "disabled", True)
        assert iob_spans(tags) == ours


def _words_view(text: str):
    from marsad.document import Document
    from marsad.expressions.scan import words_of

    doc = Document(text)
    doc.tokens = tokenize(text)
    words = words_of(doc)
    return words.norms, words.starts, words.ends, words.kinds, words.tag_positions()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=60))
def test_words_view_columns_are_the_python_ones_on_any_text(native, monkeypatch, text) -> None:
    expected_native = _words_view(text)
    with monkeypatch.context() as m:
        m.setattr(_native, "disabled", True)
        expected = _words_view(text)
    assert expected_native == expected


def test_words_view_columns_are_the_python_ones_on_real_text(native, monkeypatch) -> None:
    texts = _texts() + ["#داعش يتبنى هجوم @قسد", "قال #وزير_الدفاع", "a # b @ c"]
    for text in texts:
        got = _words_view(text)
        with monkeypatch.context() as m:
            m.setattr(_native, "disabled", True)
            assert _words_view(text) == got


def test_token_columns_checks_its_input(native) -> None:
    assert native.token_columns([(0, 3, "word"), (4, 5, "tag")], "tag") == ([0, 4], [3, 5], ["word", "tag"], True)
    assert native.token_columns([], "tag") == ([], [], [], False)
    with pytest.raises(TypeError):
        native.token_columns([(0, 3)], "tag")


def test_no_two_c_files_give_a_function_the_same_name() -> None:
    """Each C file adds its own method table to the one module; a name given twice would silently
    stand for the last table's function (PyModule_AddFunctions overwrites)."""
    import re
    from pathlib import Path

    import marsad

    names: dict[str, str] = {}
    sources = sorted(Path(marsad.__file__).parent.glob("_speedups*.c"))
    assert len(sources) >= 6
    for path in sources:
        for name in re.findall(r'^\s*\{"(\w+)",', path.read_text(encoding="utf-8"), flags=re.M):
            assert name not in names, f"{name} is in {names.get(name)} and {path.name}"
            names[name] = path.name
    assert {"crf_decode", "word_ranges", "claim_word_ranges", "trigger_test"} <= names.keys()
