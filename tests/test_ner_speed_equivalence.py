"""The NER component's C speed-ups give the answers of the Python code they stand for, on real text.

Each function of ``src/marsad/_speedups_ner.c`` stands for Python code that stays in marsad (see
``marsad/_native.py``); here each is run both ways over real documents (the demo texts, the seed
examples and, where ``../shared`` is there, the event data) and the answers must be equal, the
floating-point ones to the bit. The last test runs the whole component both ways, the Python way
with python-crfsuite's decoder, and compares the ``entities`` layers.
"""

from __future__ import annotations

import json
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
from marsad.ner.component import _overlapping, _sentence_bounds, _token_bounds, _token_texts
from marsad.ner.crf import WordScores
from marsad.ner.features import _WINDOW
from marsad.ner.model import NerModel, default_model, iob_spans, propagate_norms, shipped_model_dir, tag_lists
from marsad.pipeline import DEFAULT_COMPONENTS, Pipeline

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEMO = sorted((Path(marsad.__file__).parent / "data" / "demo").glob("*.txt"))


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in DEMO]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "examples" / "seeds").glob("*.txt"))]
    dev = SHARED / "data" / "events" / "dev.jsonl"
    if dev.is_file():
        texts += [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines()[:150]]
    assert len(texts) >= 4
    return texts


@pytest.fixture(scope="module")
def documents(native) -> list[Document]:
    """Real documents, run through the pipeline up to the NER component."""
    names = [c.name for c in DEFAULT_COMPONENTS]
    before = Pipeline(DEFAULT_COMPONENTS[: names.index(component_module.COMPONENT)])
    docs = []
    for k, text in enumerate(_texts()):
        doc = Document(text, id=f"doc-{k}")
        before(doc)
        docs.append(doc)
    return docs


def _sentences(doc: Document) -> tuple[list[tuple[int, int]], list[list[str]]]:
    spans = doc.tokens.spans
    bounds = [b for b in _sentence_bounds(spans, [(s.start, s.end) for s in doc.layer("sentences")]) if b[1] > b[0]]
    return bounds, _token_texts(doc.text, spans, bounds)


def _python(monkeypatch: pytest.MonkeyPatch, run):
    """``run()`` with the speed-ups switched off."""
    with monkeypatch.context() as m:
        m.setattr(_native, "disabled", True)
        assert speedups() is None
        return run()


def test_token_bounds_and_texts_are_the_python_ones(native, documents, monkeypatch) -> None:
    rng = random.Random(7)
    for doc in documents:
        spans, text = doc.tokens.spans, doc.text
        ranges = [(s.start, s.end) for s in doc.layer("sentences")]
        ranges += [(start, start + rng.randint(0, 90)) for start in (rng.randint(0, len(text) + 2) for _ in range(50))]
        bounds = native.ner_token_bounds(spans, ranges)
        assert bounds == [_token_bounds(spans, start, end) for start, end in ranges]
        assert native.ner_token_texts(text, spans, bounds) == _python(
            monkeypatch, lambda: _token_texts(text, spans, bounds))  # noqa: B023
    assert native.ner_token_bounds([], [(0, 5)]) == [(0, 0)]


def _word_scores(model: NerModel, max_types: int) -> WordScores:
    return WordScores(model.crf, model.extractor.word, _WINDOW, max_types=max_types, flag=model._is_given)


@pytest.mark.parametrize("max_types", [100_000, 50])  # 50: the table is cleared and refilled on the way
def test_word_table_is_the_python_one(native, documents, monkeypatch, max_types) -> None:
    """Layout, normal forms, given names and state scores: the same, the scores to the bit."""
    model = default_model()
    # each fills its own table, in the same order
    ours, theirs = _word_scores(model, max_types), _word_scores(model, max_types)
    flagged = 0
    for doc in documents:
        _bounds, words = _sentences(doc)
        laid, norms, given_at = ours.lay_out(words)
        assert (laid, norms, given_at) == _python(monkeypatch, lambda: theirs.lay_out(words))  # noqa: B023
        assert norms == [[model_module.analyse(w).norm for w in sentence] for sentence in words]
        flagged += sum(map(len, given_at))
        scores = ours.scores(laid)
        expected = _python(monkeypatch, lambda: theirs.scores(laid))  # noqa: B023
        assert scores.shape == expected.shape and scores.tobytes() == expected.tobytes()
    assert flagged > 0  # the documents hold given names


def test_the_fused_decoder_is_decode_then_tag_lists(native, documents, monkeypatch) -> None:
    """crf_tag gives NativeDecoder.decode's numbers, turned into lists as tag_lists does (either way)."""
    model = default_model()
    decoder = model.native_decoder
    assert decoder is not None
    names = 0
    for doc in documents:
        _bounds, words = _sentences(doc)
        laid, _norms, _given = model.word_scores.lay_out(words)
        emissions = model.word_scores.scores(laid)
        lengths = [len(w) for w in words]
        for marginals in (True, False):
            ids, probabilities = decoder.decode(emissions, lengths, marginals=marginals)
            fused = decoder.tag(emissions, lengths, marginals=marginals)
            assert fused == native.ner_tag_lists(ids, probabilities, lengths, decoder.labels)
            assert fused == _python(
                monkeypatch, lambda: tag_lists(ids, probabilities, lengths, decoder.labels))  # noqa: B023
        names += sum(t != "O" for tags, _m in fused for t in tags)
    assert names > 0


def test_a_stray_inside_tag_is_repaired_the_python_way(native, monkeypatch) -> None:
    labels = ("O", "B-ORG", "I-ORG", "B-LOC", "I-PERS")
    ids = np.array([2, 2, 0, 4, 1, 2, 4, 0, 0], dtype=np.int64)
    probabilities = np.arange(len(ids) * len(labels), dtype=np.float64).reshape(len(ids), -1) / 100
    lengths = [3, 4, 2]
    got = native.ner_tag_lists(ids, probabilities, lengths, labels)
    assert got == _python(monkeypatch, lambda: tag_lists(ids, probabilities, lengths, labels))
    assert got[0][0] == ["B-ORG", "I-ORG", "O"] and got[1][0] == ["B-PERS", "B-ORG", "I-ORG", "B-PERS"]
    assert got[2] == (["O", "O"], [1.0, 1.0])
    with pytest.raises(ValueError, match="sum"):
        native.ner_tag_lists(ids, probabilities, [3, 4], labels)


def test_propagation_is_the_python_one(native, documents, monkeypatch) -> None:
    model = default_model()
    spread = 0
    for doc in documents:
        _bounds, words = _sentences(doc)
        tagged = model.tag_document(words)
        tags = model.apply_rules_document(tagged, [t for t, _m in tagged.tagged])
        for window in (None, 2):
            ours = propagate_norms(tagged.norms, tags, window=window, common=model.common_words)
            theirs = _python(monkeypatch, lambda: propagate_norms(
                tagged.norms, tags, window=window, common=model.common_words))  # noqa: B023
            assert ours == theirs
            # a sentence nothing spread over keeps its list, whichever way
            assert [a is b for a, b in zip(ours, tags)] == [a is b for a, b in zip(theirs, tags)]
        spread += sum(a is not b for a, b in zip(ours, tags))
    assert spread > 0  # names did spread somewhere


def test_spreading_skips_common_short_and_tagged_words(native, monkeypatch) -> None:
    words = ["زار", "جمال", "معروف", "و", "معروف", "حلب", "ab", "جمال", "معروف"]
    tags = ["O", "O", "O", "O", "O", "B-LOC", "O", "B-ORG", "O"]
    known = {("جمال", "معروف"): ("B-PERS", "I-PERS"), ("معروف",): ("B-PERS", "I-PERS"),
             ("حلب",): ("B-LOC", "I-LOC"), ("ab",): ("B-ORG", "I-ORG")}
    starting = {"جمال": [2], "معروف": [1], "حلب": [1], "ab": [1]}
    for common in (frozenset(), frozenset({"معروف"})):
        ours = native.ner_spread(words, tags, starting, known, common)
        theirs = _python(monkeypatch, lambda: model_module._spread(words, tags, starting, known, common))  # noqa: B023
        assert ours == theirs
    assert native.ner_spread(words, tags, starting, known, frozenset()) == [
        "O", "B-PERS", "I-PERS", "O", "B-PERS", "B-LOC", "O", "B-ORG", "B-PERS"]
    assert native.ner_spread(["x"], ["O"], {}, {}, frozenset()) is None


def test_first_overlapping_is_the_scan(native) -> None:
    rng = random.Random(3)
    for _ in range(200):
        starts = [rng.randint(0, 60) for _ in range(rng.randint(0, 12))]
        spans = sorted(((s, s + rng.randint(0, 9), object()) for s in starts), key=lambda span: span[:2])
        if rng.random() < 0.3:
            rng.shuffle(spans)
        start = rng.randint(0, 70)
        end = start + rng.randint(0, 12)
        assert native.ner_first_overlapping(spans, start, end) is _overlapping(spans, start, end)
        assert component_module._overlap_finder(spans)(start, end) is _overlapping(spans, start, end)


def test_entities_are_the_python_ones(native, documents, monkeypatch) -> None:
    """The whole component: C speed-ups and the C decoder, against Python and python-crfsuite's."""

    def entities(doc: Document) -> list[tuple]:
        copy = Document(doc.text, id=doc.id)
        copy.tokens = doc.tokens
        copy.layers = {name: list(layer) for name, layer in doc.layers.items() if name != "entities"}
        component_module.entities_component(copy)
        return [(e.start, e.end, e.text, e.label, sorted(e.data.items())) for e in copy.layer("entities")]

    ours = [entities(doc) for doc in documents]
    with monkeypatch.context() as m:
        m.setattr(_native, "disabled", True)
        fallback = NerModel(shipped_model_dir())
        assert fallback.native_decoder is None
        m.setattr(model_module, "default_model", lambda: fallback)
        theirs = [entities(doc) for doc in documents]
    assert ours == theirs
    assert sum(map(len, ours)) > 20
    assert {how for doc in ours for *_rest, data in doc for key, how in data if key == "how"} >= {"crf", "kb"}


def test_iob_spans_of_the_component_are_the_python_ones(native, documents, monkeypatch) -> None:
    model = default_model()
    for doc in documents[:10]:
        _bounds, words = _sentences(doc)
        for tags, _m in model.tag_document(words).tagged:
            assert native.iob_spans(tags) == _python(monkeypatch, lambda: iob_spans(tags))  # noqa: B023
