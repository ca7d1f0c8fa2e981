"""The C functions and shortcuts of the claims component give the answers of the Python they stand for.

Each test runs on the words and annotations of the demo articles and of the built-in bench corpus
(and on made-up edge cases), and compares the fast path with the plain code, or the C function
with its Python fallback (``MARSAD_NO_SPEEDUPS``' switch, ``_native.disabled``).
"""

from __future__ import annotations

import random
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

import pytest

import marsad
from marsad import _native
from marsad.bench import builtin_corpus
from marsad.document import Document
from marsad.events import claims
from marsad.expressions.scan import Words, words_of
from marsad.knowledge import candidates

DEMO = sorted((Path(marsad.__file__).parent / "data" / "demo").glob("*.txt"))


@pytest.fixture(scope="module")
def docs() -> list:
    texts = [p.read_text(encoding="utf-8") for p in DEMO] + [d.text for d in builtin_corpus(12)]
    return [marsad.extract(text, published="2020-01-01") for text in texts]


@dataclass
class _Ann:
    start: int
    end: int
    label: str | None = None


def _python(monkeypatch: pytest.MonkeyPatch, run):  # noqa: ANN001, ANN202
    """``run()`` with the speed-ups switched off."""
    with monkeypatch.context() as m:
        m.setattr(_native, "disabled", True)
        assert _native.speedups() is None
        return run()


def _edge_spans(starts: list[int], rng: random.Random) -> list[_Ann]:
    """Spans on, between, before and past the words, empty ones, and reversed ones."""
    last = starts[-1] if starts else 0
    spans = [_Ann(0, 0), _Ann(-5, -1), _Ann(last + 10, last + 20), _Ann(last, last + 1), _Ann(7, 3)]
    for _ in range(60):
        a = rng.randint(-3, last + 5)
        spans.append(_Ann(a, a + rng.randint(0, 40)))
    spans += [_Ann(s, s) for s in starts[:5]] + [_Ann(s, s + 1) for s in starts[-5:]]
    return spans


def _plain_word_ranges(starts: list[int], anns: list, nonempty: bool) -> list[tuple[int, int]]:
    ranges = [(bisect_left(starts, x.start), bisect_left(starts, x.end)) for x in anns]
    return [r for r in ranges if r[1] > r[0]] if nonempty else ranges


def test_word_ranges_in_c_are_the_bisects(native, docs: list, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    for doc in docs:
        starts = words_of(doc).starts
        anns = [*doc.layer("actors"), *doc.layer("entities"), *doc.layer("places"), *doc.layer("sentences")]
        for spans in (anns, _edge_spans(starts, rng), [], tuple(anns[:3])):
            for nonempty in (False, True):
                want = _plain_word_ranges(starts, list(spans), nonempty)
                assert native.claim_word_ranges(starts, spans, nonempty) == want
                assert claims._word_ranges(starts, spans, nonempty) == want
                assert _python(monkeypatch, lambda: claims._word_ranges(starts, spans, nonempty)) == want  # noqa: B023
    assert native.claim_word_ranges([], [_Ann(0, 5), _Ann(3, 3)], False) == [(0, 0), (0, 0)]
    assert native.claim_word_ranges([], [_Ann(0, 5)], True) == []
    with pytest.raises(AttributeError):
        native.claim_word_ranges([0, 5], [object()], False)
    with pytest.raises(TypeError):
        native.claim_word_ranges((0, 5), [_Ann(0, 1)], False)  # the C function takes the list the words view holds


def _plain_overlapping(anns: list, start: int, end: int) -> list:
    return [x for x in anns if x.start < end and start < x.end]


def test_overlapping_in_c_is_the_python_filter(native, docs: list, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(9)
    tested = found = 0
    for doc in docs:
        named = list(doc.layer("actors")) + list(doc.layer("entities"))
        n = len(doc.text)
        queries = [(0, 0), (0, n), (n, n + 3), (-4, 0), (5, 2)] + [
            (a, a + rng.randint(0, 30)) for a in (rng.randint(-2, n) for _ in range(40))]
        queries += [(x.start, x.end) for x in named[:10]] + [(x.end, x.end + 4) for x in named[:10]]
        for start, end in queries:
            want = _plain_overlapping(named, start, end)
            got = native.overlapping(named, start, end)
            assert got == want and all(a is b for a, b in zip(got, want))
            assert claims._overlapping(named, start, end) == want
            assert _python(monkeypatch, lambda: claims._overlapping(named, start, end)) == want  # noqa: B023
            tested += 1
            found += bool(want)
    assert tested > 500 and found > 50
    assert native.overlapping([], 0, 10) == []
    with pytest.raises(AttributeError):
        native.overlapping([object()], 0, 1)


def test_cue_starts_are_where_cue_at_can_find_a_cue(docs: list, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every word where _cue_at finds a cue is among the starts; a start left out of the words that
    _could_be_cue accepts is the first word of a longer phrase whose second word does not follow."""
    g = claims.grammar()
    pairs = g.lexicon.phrase_pairs()
    cues = 0
    for doc in docs:
        words = words_of(doc)
        norms = words.norms
        hits, colons = claims._cue_starts(norms, g)
        assert (hits, colons) == _python(monkeypatch, lambda: claims._cue_starts(norms, g))  # noqa: B023
        assert colons == [k for k, w in enumerate(norms) if w == ":"]
        could = [k for k, w in enumerate(norms) if claims._could_be_cue(w, g)]
        assert set(hits) <= set(could) and hits == sorted(hits)
        for k in set(could) - set(hits):
            assert norms[k] in g.cue_table.pair_only and (k + 1 == len(norms) or (norms[k], norms[k + 1]) not in pairs)
        for k in range(len(norms)):
            if claims._cue_at(words, k, g) is not None:
                assert k in hits
                cues += 1
    assert cues > 20


def test_cue_vocabulary_is_what_could_be_cue_accepts() -> None:
    """The table's word forms are those _could_be_cue accepts: the lexicon's first words, their forms
    with an object pronoun when that is a cue, and no others."""
    g = claims.grammar()
    table = g.cue_table
    vocabulary = table.vocabulary - claims._COLON
    assert all(claims._could_be_cue(w, g) for w in vocabulary)
    firsts = list(g.lexicon.category_map())
    for w in firsts[:300]:
        for form in (w + "ه", w + "ها", w + "هم", "و" + w, w[:-1]):
            assert (form in vocabulary) == claims._could_be_cue(form, g), form
    assert not any(w in vocabulary for w in ("", ":", "قالت الوزارة", "البيت", "علي"[:1]))


def _plain_colon_phrase_start(words: Words, k: int, start: int) -> int | None:
    """The start of the words before a colon, as the first implementation found it: a pass from the
    sentence start (None where a token other than a word stands between it and the colon)."""
    seg = start
    for j in range(start, k):
        if words.kinds[j] == "punct" and words.norms[j] not in (":",) and not any(c.isalnum() for c in words.norms[j]):
            seg = j + 1 if words.norms[j] not in (",", "،") else seg
    return seg if all(words.kinds[x] in ("word", "tag") for x in range(seg, k)) else None


COLON_TEXTS = [
    "حماس: لن نقبل بالشروط",
    "عاجل - الخارجية الروسية: الهجوم مدان",
    "قال المتحدث، الرئيس: سنرد",
    "في 2020: قرار جديد",
    "الخبر: الوزير: لا تعليق",
    "«الجيش»: قصف ... مصادر:: شيء",
    "#حماس: بيان",
    ":",
    "وزير الخارجية السعودي عادل الجبير لبي بي سي: لا حوار",
]


def test_colon_phrase_start_is_the_pass_from_the_sentence_start(docs: list) -> None:
    samples = [(words_of(doc), words_of(doc).norms) for doc in docs] + [
        (words_of(d), words_of(d).norms) for d in (Document(t) for t in COLON_TEXTS)]
    tested = 0
    for words, norms in samples:
        colons = [k for k, w in enumerate(norms) if w == ":"]
        for k in colons:
            for start in range(max(0, k - 12), k + 1):
                assert claims._colon_phrase_start(words, k, start) == _plain_colon_phrase_start(words, k, start)
                tested += 1
    assert tested > 50


def test_find_claims_takes_places_or_a_function_that_gives_them(docs: list) -> None:
    texts = COLON_TEXTS + ["سوريا: قصف جديد على حلب", "الحرب في سوريا: قتلى", "تيلرسون في أنقرة التي تطالب باستبعاد المقاتلين"]
    for doc in docs + [marsad.extract(t) for t in texts]:
        words = words_of(doc)
        starts = words.starts
        sentences = claims.sentence_ranges(doc, words)
        names = claims._word_ranges(starts, list(doc.layer("actors")), nonempty=True)
        places = claims._word_ranges(starts, list(doc.layer("places")), nonempty=True)
        asked = []

        def places_of() -> list[tuple[int, int]]:
            asked.append(1)
            return places

        want = claims.find_claims(words, sentences, names, places)
        assert claims.find_claims(words, sentences, names, claims._Computed(places_of)) == want
        assert len(asked) <= 1
        assert claims.find_claims(words, sentences, names, None) == claims.find_claims(words, sentences, names, [])


def test_claims_are_the_same_without_the_c_module(docs: list, monkeypatch: pytest.MonkeyPatch) -> None:
    def layers() -> list:
        out = []
        for doc in docs:
            claims.claims_component(doc)
            out.append([(a.start, a.end, a.text, a.label, sorted(a.data.items(), key=repr)) for a in doc.layer("claims")])
        return out

    with_c = layers()
    assert with_c == _python(monkeypatch, layers)
    assert sum(map(len, with_c)) > 20


# knowledge.candidates


def test_any_overlap_in_c_is_the_python_loop(native) -> None:
    rng = random.Random(3)
    for _ in range(300):
        spans = [(a, a + rng.randint(0, 6)) for a in (rng.randint(0, 60) for _ in range(rng.randint(0, 12)))]
        spans += [(b, a) for a, b in spans[:2]]  # reversed ones
        for start in range(-2, 70, 3):
            for end in (start, start + 1, start + 7):
                assert native.any_overlap(spans, start, end) == candidates._overlaps(spans, start, end)
    assert native.any_overlap([], 0, 5) is False
    assert native.any_overlap(((0, 3),), 1, 2) is True
    with pytest.raises(TypeError):
        native.any_overlap([(0, 1, 2)], 0, 1)
    assert candidates._overlaps_function() is native.any_overlap


def test_not_places_near_a_span_are_the_document_s(docs: list) -> None:
    """_NotPlaces.overlaps is an overlap with PlaceMatcher.not_place_spans of the whole document."""
    from marsad.knowledge.places import matcher

    texts = ["تظاهرة سلمية في حلب", "قالت صحيفة الشروق المصرية إن قوات سورية الديمقراطية دخلت الرقة",
             "القنصلية السعودية في إسطنبول", "غارات جوية تدمر مدينة حمص", "والقريتين الجنوبيتين", ""]
    rng = random.Random(1)
    tested = blocked = 0
    for doc in docs + [marsad.extract(t) for t in texts]:
        words = words_of(doc)
        spans = matcher().not_place_spans(words, doc)
        near = candidates._NotPlaces(doc)
        n = len(doc.text)
        queries = [(s, e) for s, e in spans] + [(e.start, e.end) for e in doc.layer("entities")]
        queries += [(a, a + rng.randint(0, 25)) for a in (rng.randint(0, n) for _ in range(30))] + [(0, n), (n, n)]
        for start, end in queries:
            got = near.overlaps(start, end)
            assert got == candidates._overlaps(spans, start, end), (start, end)
            tested += 1
            blocked += got
    assert tested > 300 and blocked > 10


@dataclass
class _Place:
    data: dict


def test_document_region_is_the_counters() -> None:
    from collections import Counter

    def plain(places: list) -> tuple:
        resolved = [p.data for p in places if p.data.get("geonameid")]
        admin1s = Counter(d.get("admin1_code") for d in resolved if d.get("admin1_code"))
        countries = Counter(d.get("country") for d in resolved if d.get("country"))
        admin1 = admin1s.most_common(1)[0][0] if admin1s else None
        country = admin1.split(".")[0] if admin1 else countries.most_common(1)[0][0] if countries else None
        return admin1, country

    rng = random.Random(4)
    codes = [None, "", "SY.01", "SY.02", "IQ.03", "EG.11"]
    for _ in range(2000):
        places = [_Place({"geonameid": rng.choice([None, 0, 5, 7]), "admin1_code": rng.choice(codes),
                          "country": rng.choice([None, "", "SY", "IQ", "EG"])}) for _ in range(rng.randint(0, 7))]
        assert candidates._document_region(places) == plain(places)


def _layers(doc) -> list:  # noqa: ANN001
    return [[(a.layer, a.start, a.end, a.text, a.component, sorted(a.data.items(), key=repr)) for a in doc.layer(name)]
            for name in ("places", "actors")]


def test_candidates_are_the_same_without_the_c_module(monkeypatch: pytest.MonkeyPatch) -> None:
    from marsad.pipeline import DEFAULT_COMPONENTS

    texts = [p.read_text(encoding="utf-8") for p in DEMO] + [d.text for d in builtin_corpus(20)]
    before = []
    for text in texts:
        doc = Document(text)
        for c in DEFAULT_COMPONENTS:
            if c.name == "knowledge.candidates":
                break
            c.func(doc)
        before.append(doc)

    def run() -> list:
        out = []
        for doc in before:
            copy = Document(doc.text)
            copy.tokens, copy.layers, copy.cache = doc.tokens, dict(doc.layers), dict(doc.cache)
            candidates.candidates_component(copy)
            out.append(_layers(copy))
        return out

    with_c = run()
    assert with_c == _python(monkeypatch, run)
    assert any(a[4] == candidates.COMPONENT for layers in with_c for layer in layers for a in layer)


def test_cue_starts_in_c_on_edge_cases(native, monkeypatch: pytest.MonkeyPatch) -> None:
    g = claims.grammar()
    pair_first, pair_second = next(iter(sorted(p for p in g.cue_table.pairs if p[0] in g.cue_table.pair_only)))
    samples = [[], [":"], [":", ":"], [pair_first], [pair_first, pair_second], [pair_first, ":", pair_second],
               ["قال", ":", "قالت", pair_first], ["x" * 50, "", "؟", "قال"], ["وقال", pair_first, pair_second, ":"]]
    for norms in samples:
        want = _python(monkeypatch, lambda: claims._cue_starts(norms, g))  # noqa: B023
        assert claims._cue_starts(norms, g) == want
        table = g.cue_table
        assert native.cue_starts(norms, table.vocabulary, table.bitmap, table.pair_only, table.pairs) == want
    assert claims._cue_starts(("قال", ":"), g) == ([0], [1])  # a tuple: the Python pass
    with pytest.raises(ValueError):
        native.cue_starts(["قال"], g.cue_table.vocabulary, b"", frozenset(), frozenset())
    with pytest.raises(TypeError):
        native.cue_starts(("قال",), g.cue_table.vocabulary, g.cue_table.bitmap, frozenset(), frozenset())
