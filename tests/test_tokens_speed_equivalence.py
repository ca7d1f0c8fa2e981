"""The tokenizer's C loop gives the Python loop's tokens: offsets, kinds, normal forms and columns.

The C loop folds plain words with a per-character table (``tokens._plain_map``) instead of the
normal-form cache, and returns the spans' columns for the matchers' word view; both must be what
the Python code says, on real text and on any text.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from marsad import _native
from marsad._native import speedups
from marsad.bench import builtin_corpus
from marsad.document import Document
from marsad.expressions.scan import words_of
from marsad.io.demo import demo_paths
from marsad.text import tokens as tokens_module
from marsad.text.normalize import normalize
from marsad.text.tokens import tokenize


def _python(text: str, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as m:
        m.setattr(_native, "disabled", True)
        assert speedups() is None
        tokens = tokenize(text)
        doc = Document(text)
        doc.tokens = tokens
        words = words_of(doc)
    return tokens.spans, tokens.norms, tokens.words, (words.norms, words.starts, words.ends, words.kinds,
                                                      words.tag_positions())


def _native_result(text: str):
    tokens = tokenize(text)
    doc = Document(text)
    doc.tokens = tokens
    words = words_of(doc)
    return tokens.spans, tokens.norms, tokens.words, (words.norms, words.starts, words.ends, words.kinds,
                                                      words.tag_positions())


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in demo_paths()]
    texts += [d.text for d in builtin_corpus(60, 400)]
    return texts


def test_the_plain_table_is_normalisation_one_character_at_a_time() -> None:
    table = tokens_module._plain_map()
    assert len(table) == tokens_module._PLAIN_MAP_SIZE
    for cp, one in enumerate(table):
        ch = chr(cp)
        if one == "\ufffe":
            assert ch.isspace()
        elif one == "\uffff":
            assert not ch.isspace() and not ch.isalpha()
        else:
            assert ch.isalpha() and normalize(ch).text == ("" if one == "\0" else one)


def test_c_tokens_are_the_python_tokens_on_real_text(native, monkeypatch) -> None:
    texts = _texts()
    assert len(texts) >= 60
    for text in texts:
        expected = _python(text, monkeypatch)
        tokens_module._NORM_CACHE.clear()  # cold caches, then warm ones
        assert _native_result(text) == expected
        assert _native_result(text) == expected


def test_c_tokens_carry_their_columns(native) -> None:
    tokens = tokenize("قال وزير الدفاع، إن 12,000 «مقاتل» #داعش")
    starts, ends, kinds = tokens.columns
    assert (starts, ends, kinds) == tuple(list(column) for column in zip(*tokens.spans))


_PIECES = st.sampled_from([
    " ", "\n", "و", "الباغوز", "أإآٱ", "مدرسة", "مستشفى", "سئل", "مؤتمر", "یکی", "گروه", "ـ", "الـمدينة", "ـــ",
    "ٹڈڑ", "ھہ", "ۀ", "ABCxyz", "İstanbul", "ß", "Ä", "ǅ", "ﻻ", "ﷲ", "ﺍﻟﻠﻪ", "ߊ", "ݐ", "ࢠ", "\u08a0", "ހ",
    "قَالَ", "٣", "12", "#وزير_الدفاع", "،", ".", "\u200f", "\u00ad", "ا" * 70, "ة" * 63, "ى" * 64, "ى" * 65,
    "ء" * 64 + "أ", "\U0001F534", "\ufeff", "\t", "\u00a0",
])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=30).map("".join) | st.text(max_size=80)
       | st.text(alphabet=st.characters(min_codepoint=0x5F0, max_codepoint=0x820), max_size=80))
def test_c_tokens_are_the_python_tokens_on_any_text(native, monkeypatch, text) -> None:
    assert _native_result(text) == _python(text, monkeypatch)


def test_c_tokenizer_checks_its_input(native) -> None:
    with pytest.raises(TypeError):
        native.tokenize_plain("نص", {}, {}, str, str, "word")  # no plain map
    assert native.tokenize_plain("", {}, {}, str, str, "word", "") == ([], [], 0, [], [], [])
    # an empty table: every plain word is looked up in the cache (then normalised by the callback)
    spans, norms, words, starts, ends, kinds = native.tokenize_plain("أب ة", {"أب": "اب"}, {}, lambda w: "?", str,
                                                                    "word", "")
    assert (spans, norms, words, starts, ends, kinds) == ([(0, 2, "word"), (3, 4, "word")], ["اب", "?"], 2,
                                                          [0, 3], [2, 4], ["word", "word"])
    assert native.tokenize_plain("a\tb", {}, {}, str, str, "word", "") is None
    assert native.tokenize_plain("a\tb", {}, {}, str, str, "word", tokens_module._plain_map()) is None
    assert native.tokenize_plain("a\u2003b", {}, {}, str, str, "word", tokens_module._plain_map()) is None
