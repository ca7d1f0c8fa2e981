"""The C paths and shortcuts of events, claims and candidates give the answers of the Python they stand for.

Each test runs on the words of the demo articles and of the built-in bench corpus, and compares
the fast path with the plain code (or the C function with its Python fallback).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import marsad
from marsad import _native
from marsad.bench import builtin_corpus
from marsad.events import claims, events
from marsad.expressions.scan import words_of
from marsad.knowledge import candidates

DEMO = sorted((Path(marsad.__file__).parent / "data" / "demo").glob("*.txt"))


@pytest.fixture(scope="module")
def docs() -> list:
    texts = [p.read_text(encoding="utf-8") for p in DEMO] + [d.text for d in builtin_corpus(12)]
    return [marsad.extract(text, published="2020-01-01") for text in texts]


def _python_cue_positions(g: events.Grammar, bares: list[str], start: int) -> dict[str, list[int]]:
    """events.cue_positions with the C module switched off."""
    saved = _native.disabled
    _native.disabled = True
    try:
        return events.cue_positions(g, bares, start)
    finally:
        _native.disabled = saved


def test_cue_positions_in_c_is_the_python_pass(docs: list) -> None:
    native = _native.speedups()
    if native is None:
        pytest.skip("marsad._speedups is not built")
    g = events.grammar()
    compared = found = 0
    for doc in docs:
        words = words_of(doc)
        for a, b in events._sentence_ranges(doc, words):
            bares = [events._bare(w) for w in words.norms[a:b]]
            got = native.cue_positions(bares, g.cue_firsts, a)
            want = _python_cue_positions(g, bares, a)
            assert got == want
            assert list(got) == list(want)  # the same sets, first met first
            compared += 1
            found += sum(map(len, got.values()))
    assert compared > 50 and found > 100


def test_cue_positions_in_c_rejects_what_python_would() -> None:
    native = _native.speedups()
    if native is None:
        pytest.skip("marsad._speedups is not built")
    with pytest.raises(TypeError):
        native.cue_positions(["a"], {"a": ["not", "a", "tuple"]}, 0)
    with pytest.raises(TypeError):
        native.cue_positions(("a",), {}, 0)
    assert native.cue_positions([], {}, 5) == {}


def test_clause_indexes_are_the_plain_scan(docs: list) -> None:
    """A clause built with the C index answers every cue test as one built without it."""
    g = events.grammar()
    for doc in docs[:6]:
        words = words_of(doc)
        for a, b in events._sentence_ranges(doc, words):
            bares = [events._bare(w) for w in words.norms[a:b]]
            fast = events.Clause(bares, a, events.cue_positions(g, bares, a))
            plain = events.Clause(bares, a, _python_cue_positions(g, bares, a))
            for name in g.cue_index:
                for lo, hi in ((None, None), (a + 2, b - 1), (a - 3, a + 4), (b - 5, b + 9)):
                    assert fast.has(g, name, lo, hi) == plain.has(g, name, lo, hi)


def test_claim_cue_positions_do_not_depend_on_the_cache(docs: list) -> None:
    """The per-word-form cache (filled, or emptied) gives the positions of the plain test."""
    g = claims.grammar()
    for doc in docs:
        norms = words_of(doc).norms
        want = [k for k, w in enumerate(norms) if claims._could_be_cue(w, g)]
        assert claims._cue_positions(norms, g) == want  # cache filled as needed
        assert claims._cue_positions(norms, g) == want  # cache warm: one pass
        g.cue_words.clear()
        assert claims._cue_positions(norms, g) == want  # cache emptied


def test_blames_is_the_scan_of_both_forms(docs: list) -> None:
    g = claims.grammar()
    index = claims._by_first_word(g.accusation)

    def plain(norms: list[str]) -> bool:
        bare = [w[1:] if len(w) > 3 and w[0] in "وفب" else w for w in norms]
        return any(tuple(ws[k : k + len(p)]) == p for ws in (bare, norms) for k in range(len(ws)) for p in index.get(ws[k], ()))

    hits = 0
    for doc in docs:
        norms = words_of(doc).norms
        for k in range(0, len(norms), 5):
            window = norms[k : k + 30]
            got = claims._blames(window, g.accusation)
            assert got == plain(window)
            hits += got
    for phrase in g.accusation:  # every phrase, alone, with a clitic, and with its last word cut
        for words in (list(phrase), ["و" + phrase[0], *phrase[1:]], ["ب" + phrase[0], *phrase[1:]], list(phrase[:-1])):
            sample = ["قال", *words, "امس"]
            assert claims._blames(sample, g.accusation) == plain(sample)
    assert hits > 0


def test_candidate_overlap_is_any_overlap() -> None:
    spans = [(0, 4), (10, 10), (12, 20), (30, 31)]
    for start in range(-2, 35):
        for end in range(start, 36):
            assert candidates._overlaps(spans, start, end) == any(s < end and start < e for s, e in spans)


def test_word_ranges_are_the_bisects(docs: list) -> None:
    from bisect import bisect_left

    for doc in docs:
        starts = words_of(doc).starts
        anns = list(doc.layer("actors")) + list(doc.layer("entities")) + list(doc.layer("places"))
        assert claims._word_ranges(starts, anns) == [(bisect_left(starts, x.start), bisect_left(starts, x.end)) for x in anns]


def _plain_not_a_statement(words, word: str, after: int, end: int, g: claims.ClaimGrammar) -> bool:
    """claims._not_a_statement before its per-word test was cached (its first implementation)."""
    norms = words.norms
    stems = (word, *(word[: -len(x)] for x in claims._OBJECT_SUFFIXES if word.endswith(x)))
    if not g.responsibility.isdisjoint(stems):
        return after < end and claims._bare(norms[after]).startswith(claims._RESPONSIBILITY) or not any(
            claims._bare(norms[k]).startswith(claims._RESPONSIBILITY) for k in range(after, min(end, after + 12)))
    if not g.sourced.isdisjoint(stems):
        return not any(norms[k] in g.complementizers or norms[k] in claims._FROM_SOURCE for k in range(after, min(end, after + 8)))
    for cues, objects in g.acts:
        if not cues.isdisjoint(stems):
            for k in range(after, min(end, after + 4)):
                if norms[k] in g.complementizers:
                    break
                if norms[k] in objects or claims._bare(norms[k]) in objects:
                    return True
    return False


def test_not_a_statement_is_the_plain_test(docs: list) -> None:
    g = claims.grammar()
    acts = [w for cues, _objects in g.acts for w in cues]
    tested = said = 0
    for doc in docs:
        words = words_of(doc)
        n = len(words.norms)
        for i in range(n):
            word = words.norms[i]
            for w in {word, *acts[:3], *list(g.responsibility)[:1], *list(g.sourced)[:1]} if i % 50 == 0 else (word,):
                for end in (n, min(n, i + 5)):
                    got = claims._not_a_statement(words, w, i + 1, end, g)
                    assert got == _plain_not_a_statement(words, w, i + 1, end, g), (w, i)
                    tested += 1
                    said += got
    assert tested > 1000 and said > 0


def test_clause_has_in_c_is_the_python_method(docs: list) -> None:
    native = _native.speedups()
    if native is None:
        pytest.skip("marsad._speedups is not built")
    import random

    g = events.grammar()
    rng = random.Random(11)
    found = compared = 0
    for doc in docs:
        words = words_of(doc)
        for a, b in events._sentence_ranges(doc, words):
            bares = [events._bare(w) for w in words.norms[a:b]]
            clause = events.Clause(bares, a)
            assert clause.has is not None and not hasattr(clause.has, "__func__")  # the C test stands for the method
            for name in g.cue_index:
                windows = [(None, None), (a, None), (None, b)] + [
                    (rng.randint(a - 3, b + 2), rng.randint(a - 3, b + 3)) for _ in range(3)]
                for lo, hi in windows:
                    got = clause.has(g, name, lo, hi)
                    assert got == events.Clause.has(clause, g, name, lo, hi), (name, lo, hi)
                    found += got is not None
                    compared += 1
            assert clause.has(g, "not_event") == events.Clause.has(clause, g, "not_event")  # lo and hi left out
    assert compared > 10000 and found > 100
    with pytest.raises(KeyError):
        native.clause_has({"x": [0]}, ["w"], 0, 1, g, "x")  # no such cue set in the grammar
