"""More of the NER component's C speed-ups against the Python code they stand for.

``crf_tag_document`` does ``WordScores.lay_out``, ``WordScores.scores`` and ``NativeDecoder.tag``
in one call: its answers must be those of the three steps (each already compared with Python in
``test_ner_speed_equivalence.py``) and of the Python steps, the marginals to the bit, on real
documents and on made-up ones (new words by the thousand, so the word table grows inside the
call; Latin, digits, emoji, one-token sentences).
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

import marsad
from marsad import _native
from marsad._native import speedups
from marsad.document import Document
from marsad.ner import component as component_module
from marsad.ner import model as model_module
from marsad.ner.component import _sentence_bounds, _token_texts
from marsad.ner.crf import WordScores
from marsad.ner.features import _WINDOW
from marsad.ner.model import NerModel, default_model
from marsad.pipeline import DEFAULT_COMPONENTS, Pipeline

from marsad.bench import builtin_corpus

DEMO = sorted((Path(marsad.__file__).parent / "data" / "demo").glob("*.txt"))


def _texts() -> list[str]:
    """Real text: the demo documents and the built-in benchmark corpus' articles."""
    return [p.read_text(encoding="utf-8") for p in DEMO] + [d.text for d in builtin_corpus(40, 400)]


@pytest.fixture(scope="module")
def sentences_of_documents(native) -> list[list[list[str]]]:
    """Each real document's sentences of tokens, as the component hands them to the tagger."""
    names = [c.name for c in DEFAULT_COMPONENTS]
    before = Pipeline(DEFAULT_COMPONENTS[: names.index(component_module.COMPONENT)])
    out = []
    for k, text in enumerate(_texts()):
        doc = Document(text, id=f"doc-{k}")
        before(doc)
        spans = doc.tokens.spans
        bounds = [b for b in _sentence_bounds(spans, [(s.start, s.end) for s in doc.layer("sentences")])
                  if b[1] > b[0]]
        out.append(_token_texts(doc.text, spans, bounds))
    return out


def _made_up(seed: int) -> list[list[list[str]]]:
    """Documents of new word types (thousands: the table of 1024 rows grows during one call)."""
    rng = random.Random(seed)
    alphabet = "ابتثجحخدذرزسشصضطظعغفقكلمنهويةءآأإىئؤ" + "abcXYZ" + "0123456789" + "\U0001F600،.«»-"
    docs = []
    for _ in range(3):
        doc = []
        for _ in range(rng.randint(1, 120)):
            doc.append(["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9)))
                        for _ in range(rng.randint(1, 40))])
        docs.append(doc)
    docs.append([["x"]])
    docs.append([["محمد"], ["قال", "محمد", "علي"], ["\U0001F600"]])
    return docs


def _word_scores(model: NerModel, max_types: int) -> WordScores:
    return WordScores(model.crf, model.extractor.word, _WINDOW, max_types=max_types, flag=model._is_given)


def _steps(model: NerModel, ws: WordScores, sentences: list[list[str]], marginals: bool, python: bool):
    """The three steps one by one, the layout and scores in Python if ``python``."""
    decoder = model.native_decoder
    if python:
        with pytest.MonkeyPatch.context() as m:
            m.setattr(_native, "disabled", True)
            laid, norms, flagged = ws.lay_out(sentences)
            scores = ws.scores(laid)
    else:
        laid, norms, flagged = ws.lay_out(sentences)
        scores = ws.scores(laid)
    return decoder.tag(scores, [len(s) for s in sentences], marginals=marginals), norms, flagged


def _same(ours, theirs) -> None:
    """Equal answers, the marginals to the bit."""
    assert ours[1:] == theirs[1:]
    assert len(ours[0]) == len(theirs[0])
    for (tags, marg), (their_tags, their_marg) in zip(ours[0], theirs[0]):
        assert tags == their_tags
        assert np.array(marg).tobytes() == np.array(their_marg).tobytes()


@pytest.mark.parametrize("max_types", [100_000, 50])  # 50: the table is cleared and refilled on the way
def test_fused_tagging_is_the_three_steps(native, sentences_of_documents, max_types) -> None:
    model = default_model()
    decoder = model.native_decoder
    assert decoder is not None
    # each way fills its own table, in the same order
    fused, stepwise, python = (_word_scores(model, max_types) for _ in range(3))
    names = 0
    for doc in sentences_of_documents + _made_up(5):
        for marginals in (True, False):
            ours = decoder.tag_document(fused, doc, marginals=marginals)
            _same(ours, _steps(model, stepwise, doc, marginals, python=False))
            _same(ours, _steps(model, python, doc, marginals, python=True))
            names += sum(t != "O" for tags, _m in ours[0] for t in tags)
        assert fused._norms == stepwise._norms == python._norms
        assert fused._table.tobytes() == stepwise._table.tobytes()
    assert names > 0


def test_tag_document_of_the_model_is_the_fallbacks(native, sentences_of_documents, monkeypatch) -> None:
    """NerModel.tag_document, fused, against the model without speed-ups (crfsuite's decoder)."""
    model = default_model()
    docs = sentences_of_documents[:20] + _made_up(11) + [[[]], [["a"], []], []]
    ours = [model.tag_document(doc) for doc in docs]
    with monkeypatch.context() as m:
        m.setattr(_native, "disabled", True)
        fallback = NerModel(model.directory)
        assert fallback.native_decoder is None
        theirs = [fallback.tag_document(doc) for doc in docs]
    for a, b in zip(ours, theirs):
        assert a.norms == b.norms and a.given_at == b.given_at
        assert [tags for tags, _m in a.tagged] == [tags for tags, _m in b.tagged]
        for (_t, ma), (_t2, mb) in zip(a.tagged, b.tagged):  # crfsuite's own arithmetic: equal to rounding
            assert ma == pytest.approx(mb, abs=1e-9)


def test_fused_tagging_checks_its_input(native) -> None:
    model = default_model()
    ws = _word_scores(model, 100_000)
    decoder = model.native_decoder
    assert decoder.tag_document(ws, [], marginals=True) == ([], [], [])
    with pytest.raises(TypeError):
        decoder.tag_document(ws, [5], marginals=True)
    with pytest.raises(TypeError):
        decoder.tag_document(ws, [[5]], marginals=True)  # a token must be a str (the word features)
    with pytest.raises(ValueError):
        native.crf_tag_document([["a"]], ws, ws._rows, ws._add, ws._norms, ws._flagged, ws.window, 3, ws._pairs,
                                ws.crf.state, decoder._transition[:2], decoder.labels, True)


def _free_known_python(taken, known):
    with pytest.MonkeyPatch.context() as m:
        m.setattr(_native, "disabled", True)
        assert speedups() is None
        return component_module._free_known(taken, known)


def _free_known_original(taken, known):
    """The component's loop before _free_known existed (what both must answer)."""
    taken = list(taken)
    chosen = []
    for _length, _start, k in sorted([(s - e, s, k) for k, (s, e, *_r) in enumerate(known)]):
        start, end = known[k][:2]
        if component_module._overlapping(taken, start, end) is None:
            chosen.append(k)
            taken.append((start, end, object()))
    return chosen


def test_free_known_names_are_the_python_ones(native) -> None:
    rng = random.Random(17)
    for trial in range(400):
        def span(value):
            start = rng.randint(0, 80)
            return (start, start + rng.randint(-1 if trial % 7 == 0 else 0, 12), value)

        taken = [span(None if rng.random() < 0.1 else object()) for _ in range(rng.randint(0, 15))]
        known = [(*span(object())[:2], object(), rng.choice(["LOC", "ORG"])) for _ in range(rng.randint(0, 25))]
        if rng.random() < 0.2:  # the same span twice: the first index goes first
            known += known[:3]
        expected = _free_known_original(taken, known)
        assert native.ner_free_known(taken, known) == expected
        assert _free_known_python(taken, known) == expected
        assert component_module._free_known(taken, known) == expected
    assert native.ner_free_known([], []) == []
    assert native.ner_free_known([(0, 5, object())], [(2, 3, "x"), (5, 9, "y"), (4, 6, "z")]) == [1]
    assert native.ner_free_known([(0, 5, None)], [(2, 3, "x")]) == [0]  # a span without a value takes nothing
    with pytest.raises(TypeError):
        native.ner_free_known([(0, 5)], [(2, 3, "x")])
    with pytest.raises(TypeError):
        native.ner_free_known([], [("a", 3)])


def _names_python(norms, found, lo, hi):
    names = model_module._names_in(norms, found, lo, hi)
    return names, model_module._lengths_of(names)


def _same_names(ours, theirs) -> None:
    """Equal, in the same order (a dict's order is the order names were met)."""
    assert list(ours[0].items()) == list(theirs[0].items())
    assert list(ours[1].items()) == list(theirs[1].items())


def test_known_names_are_the_python_ones(native, sentences_of_documents) -> None:
    model = default_model()
    seen = 0
    for doc in sentences_of_documents:
        tagged = model.tag_document(doc)
        found = [native.iob_spans(tags) for tags, _m in tagged.tagged]
        n = len(found)
        for lo, hi in [(0, n), (0, min(n, 3)), (max(0, n - 4), n), (n // 2, n // 2)]:
            ours = native.ner_known_names(tagged.norms, found, lo, hi)
            _same_names(ours, _names_python(tagged.norms, found, lo, hi))
            seen += len(ours[0])
    assert seen > 0
    # made up: ties between labels, several votes, long names, a person's last name alone
    rng = random.Random(23)
    words = ["أ", "ب", "ت", "ث", "ج", "x", "\U0001F600"]
    labels = ["PERS", "LOC", "ORG", "MISC"]
    for _ in range(300):
        norms, found = [], []
        for _s in range(rng.randint(0, 8)):
            sentence = [rng.choice(words) for _ in range(rng.randint(0, 12))]
            spans, i = [], 0
            while i < len(sentence):
                a = rng.randint(i, len(sentence))
                b = rng.randint(a, min(len(sentence), a + 6))
                if b > a:
                    spans.append((a, b, rng.choice(labels)))
                i = b + 1
            norms.append(sentence)
            found.append(spans)
        ours = native.ner_known_names(norms, found, 0, len(found))
        _same_names(ours, _names_python(norms, found, 0, len(found)))
    assert native.ner_known_names([], [], 0, 0) == ({}, {})
    with pytest.raises(IndexError):
        native.ner_known_names([["a"]], [[]], 0, 2)
    with pytest.raises(TypeError):
        native.ner_known_names([["a"]], [[(0, 1)]], 0, 1)


def test_propagation_both_ways_with_windows(native, sentences_of_documents, monkeypatch) -> None:
    model = default_model()
    for doc in sentences_of_documents[:25]:
        tagged = model.tag_document(doc)
        tags = [t for t, _m in tagged.tagged]
        for window in (None, 0, 1, 3):
            ours = model_module.propagate_norms(tagged.norms, tags, window=window, common=model.common_words)
            with monkeypatch.context() as m:
                m.setattr(_native, "disabled", True)
                theirs = model_module.propagate_norms(tagged.norms, tags, window=window, common=model.common_words)
            assert ours == theirs
            assert [a is b for a, b in zip(ours, tags)] == [a is b for a, b in zip(theirs, tags)]


def test_first_overlapping_takes_its_arguments_as_before(native) -> None:
    """ner_first_overlapping (METH_FASTCALL now) answers and refuses as the scan does."""
    value = object()
    spans = [(0, 2, "a"), (3, 7, value), (5, 9, "c")]
    assert native.ner_first_overlapping(spans, 4, 6) is value
    assert native.ner_first_overlapping(spans, 2, 3) is None
    assert native.ner_first_overlapping(spans, np.int64(6), True) is None  # any index-able start and end
    assert native.ner_first_overlapping([], 0, 10) is None
    assert native.ner_first_overlapping(spans, 6, 5) is component_module._overlapping(spans, 6, 5)
    with pytest.raises(TypeError):
        native.ner_first_overlapping(spans, 1)
    with pytest.raises(TypeError):
        native.ner_first_overlapping(tuple(spans), 1, 2)
    with pytest.raises(TypeError):
        native.ner_first_overlapping([(1, 2)], 1, 2)
    with pytest.raises(TypeError):
        native.ner_first_overlapping(spans, "1", 2)
    with pytest.raises(OverflowError):
        native.ner_first_overlapping(spans, 1 << 70, 2)


def _confidences_python(scored, norms, scored_spans):
    with pytest.MonkeyPatch.context() as m:
        m.setattr(_native, "disabled", True)
        assert speedups() is None
        return component_module._span_confidences(scored, norms, scored_spans)


def _same_dicts(ours, theirs) -> None:
    for a, b in zip(ours, theirs):
        assert list(a.items()) == list(b.items())
        assert all(x is y or x == y for x, y in zip(a.values(), b.values()))


def test_span_confidences_are_the_python_ones(native, sentences_of_documents) -> None:
    model = default_model()
    seen = 0
    for doc in sentences_of_documents:
        tagged = model.tag_document(doc)
        spans = [native.iob_spans(tags) for tags, _m in tagged.tagged]
        ours = native.ner_span_confidences(tagged.tagged, tagged.norms, spans)
        _same_dicts(ours, _confidences_python(tagged.tagged, tagged.norms, spans))
        seen += len(ours[0])
    assert seen > 0
    rng = random.Random(29)
    for _ in range(300):  # made up: ties between marginals, repeated names, spans running past the end
        scored, norms, spans = [], [], []
        for _s in range(rng.randint(0, 6)):
            n = rng.randint(0, 10)
            marginals = [rng.choice([0.5, 0.25, 1.0, 0.0, rng.random()]) for _ in range(n)]
            scored.append((["O"] * n, marginals))
            norms.append([rng.choice(["أ", "ب", "x"]) for _ in range(n)])
            sentence_spans = []
            for a in range(0, n, 3):
                end = min(n + rng.randint(0, 1), a + rng.randint(1, 3))
                sentence_spans.append((a, end, rng.choice(["PERS", "LOC"])))
            spans.append(sentence_spans)
        _same_dicts(native.ner_span_confidences(scored, norms, spans), _confidences_python(scored, norms, spans))
    assert native.ner_span_confidences([], [], []) == ({}, {})
    with pytest.raises(ValueError):
        native.ner_span_confidences([(["O"], [0.5])], [["a"]], [[(1, 1, "LOC")]])
    with pytest.raises(IndexError):
        native.ner_span_confidences([], [], [[(0, 1, "LOC")]])


def test_propagation_takes_any_sequences(native) -> None:
    """propagate_norms over tuples (the C reads lists only: the Python way answers the same)."""
    norms = [["جمال", "معروف", "قال"], ["معروف", "زار", "حلب"]]
    tags = [["B-PERS", "I-PERS", "O"], ["O", "O", "B-LOC"]]
    expected = model_module.propagate_norms(norms, tags, window=None)
    assert expected[1] == ["B-PERS", "O", "B-LOC"]
    assert model_module.propagate_norms(tuple(tuple(n) for n in norms), tags, window=None) == expected
    assert model_module.propagate_norms(norms, tags, window=1) == expected
