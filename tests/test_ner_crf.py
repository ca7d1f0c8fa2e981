"""The NumPy CRF inference (``marsad.ner.crf``) against crfsuite's own tagger on the same model.

Both decoders are held to it: marsad's C one (``marsad._speedups.crf_decode``) and python-crfsuite's,
the fallback where the C one was not built.

The pipeline no longer hands crfsuite feature strings; these tests hold it to the same labels and
marginal probabilities crfsuite gives for the shipped model, on real text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pycrfsuite
import pytest

from marsad.errors import ModelError
from marsad.io.demo import demo_paths
from marsad.ner.crf import LinearChainCrf, WordScores
from marsad.ner.features import _WINDOW
from marsad.ner.model import MODEL_FILE, NerModel, repair_iob, shipped_model_dir
from marsad.text.sentences import split_sentences
from marsad.text.tokens import tokenize

REPO = Path(__file__).resolve().parents[1]
ANERCORP = (REPO / ".." / "shared" / "data" / "ner" / "anercorp-train.conll").resolve()


def _demo_sentences() -> list[list[str]]:
    out = []
    for path in demo_paths():
        text = path.read_text(encoding="utf-8")
        tokens = tokenize(text)
        for start, end in split_sentences(text):
            words = [text[t.start : t.end] for t in tokens.in_span(start, end)]
            if words:
                out.append(words)
    return out


def _anercorp_tail(n: int) -> list[list[str]]:
    from marsad.ner.conll import read_conll

    return [s.tokens for s in read_conll(ANERCORP, with_tags=True)][-n:]


def _native_available() -> bool:
    try:
        from marsad import _speedups  # noqa: F401
    except ImportError:
        if os.environ.get("MARSAD_REQUIRE_SPEEDUPS"):
            pytest.fail("marsad._speedups was not built (MARSAD_REQUIRE_SPEEDUPS is set): is a C compiler there?")
        return False
    return True


def _model_with(decoder: str) -> NerModel:
    """The shipped model decoding in C (``native``) or through python-crfsuite (the fallback)."""
    if decoder == "native" and not _native_available():
        pytest.skip("marsad._speedups was not built here (no C compiler at install)")
    from marsad import _native

    saved = _native.disabled
    _native.disabled = decoder == "crfsuite"
    try:
        model = NerModel(shipped_model_dir())
    finally:
        _native.disabled = saved
    assert (model.native_decoder is not None) == (decoder == "native")
    return model


@pytest.fixture(scope="module", params=["native", "crfsuite"])
def model(request) -> NerModel:
    """Every comparison below runs with both decoders."""
    return _model_with(request.param)


@pytest.fixture(scope="module")
def reference() -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(shipped_model_dir() / MODEL_FILE))
    return tagger


def _assert_same_as_crfsuite(model: NerModel, reference: pycrfsuite.Tagger, sentences: list[list[str]]) -> None:
    ours = model.tag_sentences_scored(sentences)
    names = 0
    for words, (tags, marginals) in zip(sentences, ours):
        expected = reference.tag(model.extractor.sentence(words))
        assert tags == repair_iob(expected), words
        for i, tag in enumerate(expected):
            if tag != "O":
                names += 1
                assert marginals[i] == pytest.approx(reference.marginal(tag, i), abs=1e-9)
            else:
                assert marginals[i] == 1.0
    assert names > 10  # the comparison covered names, not only outside tokens


def test_same_tags_and_marginals_as_crfsuite_on_the_demo_articles(model, reference) -> None:
    _assert_same_as_crfsuite(model, reference, _demo_sentences())


@pytest.mark.skipif(not ANERCORP.is_file(), reason=f"{ANERCORP} is absent (CI puts ../shared beside the repo)")
def test_same_tags_and_marginals_as_crfsuite_on_anercorp(model, reference) -> None:
    sentences = _anercorp_tail(600)
    for k in range(0, len(sentences), 25):  # batches, as the pipeline tags a document's sentences
        _assert_same_as_crfsuite(model, reference, sentences[k : k + 25])


def test_batch_and_one_by_one_agree(model) -> None:
    sentences = _demo_sentences()
    together = model.tag_sentences_scored([[], *sentences, []])
    assert together[0] == ([], []) and together[-1] == ([], [])
    assert together[1:-1] == [model.tag_scored(s) for s in sentences]
    assert model.tag_sentences(sentences) == [t for t, _m in together[1:-1]]


def test_word_table_is_bounded_and_stays_exact(model) -> None:
    sentences = _demo_sentences()
    small = WordScores(model.crf, model.extractor.word, _WINDOW, max_types=50)
    big = model.word_scores
    for s in sentences:
        a = small.emissions([s])
        b = big.emissions([s])
        assert (a == b).all()
        assert len(small._rows) <= 50 + len(s)


def test_model_file_is_read_exactly(model, reference) -> None:
    info = reference.info()
    crf = model.crf
    assert set(crf.labels) == set(info.labels)
    index = {label: i for i, label in enumerate(crf.labels)}
    for (a, b), weight in info.transitions.items():  # the dump prints 6 decimals
        assert crf.transition[index[a], index[b]] == pytest.approx(weight, abs=1e-6)
    for (attribute, label), weight in list(info.state_features.items())[:2000]:
        assert crf.state[crf.attribute_ids[attribute], index[label]] == pytest.approx(weight, abs=1e-6)
    assert (crf.state != 0).sum() == len(info.state_features)


@pytest.mark.parametrize("damage", ["empty", "truncated", "magic", "strings"])
def test_damaged_model_file_is_a_model_error(tmp_path: Path, damage: str) -> None:
    data = bytearray((shipped_model_dir() / MODEL_FILE).read_bytes())
    if damage == "empty":
        data = bytearray()
    elif damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "magic":
        data[:4] = b"XXXX"
    else:  # the attribute table's chunk id
        off_attrs = int.from_bytes(data[36:40], "little")
        data[off_attrs : off_attrs + 4] = b"ZZZZ"
    path = tmp_path / "model.crfsuite"
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError) as err:
        LinearChainCrf.read(path)
    assert str(path) in str(err.value) or err.value.origin == str(path)


def test_missing_model_file_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError):
        LinearChainCrf.read(tmp_path / "absent.crfsuite")


def test_span_index_finds_the_first_overlap_as_a_scan_does() -> None:
    import random

    from marsad.ner.component import _overlapping, _Spans

    rng = random.Random(7)
    for _ in range(300):
        spans = []
        for k in range(rng.randint(0, 12)):
            s = rng.randint(0, 60)
            spans.append((s, s + rng.randint(1, 15), k))
        if rng.random() < 0.8:
            spans.sort(key=lambda x: x[0])
        index = _Spans(spans)
        for _ in range(20):
            a = rng.randint(0, 70)
            b = a + rng.randint(1, 10)
            assert index.first_overlapping(a, b) == _overlapping(spans, a, b)


def test_threads_sharing_a_model_get_their_own_answers() -> None:
    from concurrent.futures import ThreadPoolExecutor

    sentences = _demo_sentences()
    expected = NerModel(shipped_model_dir()).tag_sentences_scored(sentences)
    shared = NerModel(shipped_model_dir())  # a fresh model: its word table grows while threads tag
    batches = [sentences[k::4] for k in range(4)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda batch: [shared.tag_scored(s) for s in batch], batches * 3))
    for k, result in enumerate(results):
        assert result == expected[k % 4 :: 4]


def test_native_decoder_gives_every_marginal_of_crfsuite() -> None:
    """Not only the chosen labels' probabilities: every label's, at every position."""
    model = _model_with("native")
    reference = pycrfsuite.Tagger()
    reference.open(str(shipped_model_dir() / MODEL_FILE))
    sentences = _demo_sentences()[:40]
    emissions = model.word_scores.emissions(sentences)
    ids, probabilities = model.native_decoder.decode(emissions, [len(s) for s in sentences], marginals=True)
    start = 0
    for words in sentences:
        expected = reference.tag(model.extractor.sentence(words))
        assert [model.crf.labels[k] for k in ids[start : start + len(words)]] == expected
        for i in range(len(words)):
            row = probabilities[start + i]
            assert row.sum() == pytest.approx(1.0, abs=1e-12)
            for k, label in enumerate(model.crf.labels):
                assert row[k] == pytest.approx(reference.marginal(label, i), abs=1e-9)
        start += len(words)


def test_native_decoder_rejects_inconsistent_buffers() -> None:
    import numpy as np

    model = _model_with("native")
    decoder = model.native_decoder
    scores = np.zeros((5, len(model.crf.labels)))
    with pytest.raises(ValueError, match="sum"):
        decoder.decode(scores, [2, 2], marginals=False)
    with pytest.raises(ValueError, match="positive"):
        decoder.decode(scores, [5, 0], marginals=True)
    ids, probabilities = decoder.decode(scores[:0], [], marginals=True)
    assert len(ids) == 0 and probabilities is not None and probabilities.shape == (0, len(model.crf.labels))
    from marsad import _speedups

    with pytest.raises(ValueError, match="bytes"):  # float32 scores are not float64
        _speedups.crf_decode(scores.astype(np.float32), np.array([5], dtype=np.int64), decoder._transition,
                          len(model.crf.labels), np.empty(5, dtype=np.int64), None)


def test_pipeline_output_is_the_same_with_either_decoder() -> None:
    native, fallback = _model_with("native"), _model_with("crfsuite")
    sentences = _demo_sentences()
    assert native.tag_sentences_scored(sentences) == fallback.tag_sentences_scored(sentences)


def test_token_bounds_are_the_plain_scan() -> None:
    """Two bisections give the tokens a scan finds (tokens are disjoint and in order)."""
    import random

    from marsad.ner.component import _token_bounds

    def _token_range(spans, start, end):
        return list(range(*_token_bounds(spans, start, end)))

    def plain(spans, start, end):
        return [i for i, (s, e, _k) in enumerate(spans) if start <= s and e <= end]

    rng = random.Random(5)
    texts = [p.read_text(encoding="utf-8")[:600] for p in demo_paths()]
    texts += ["قال «مصدر»، في 12.5 ...قالت: نعم!", "", "  ", "a.b c"]
    for text in texts:
        spans = tokenize(text).spans
        for _ in range(300):
            start = rng.randint(0, len(text) + 2)
            end = start + rng.randint(0, 80)
            assert _token_range(spans, start, end) == plain(spans, start, end)
        for start, end in split_sentences(text):
            assert _token_range(spans, start, end) == plain(spans, start, end)
