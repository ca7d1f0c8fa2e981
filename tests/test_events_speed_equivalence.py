"""The shortcuts that make events and claims fast give the answers of the plain scans they replace.

Each test compares an indexed or cached look-up with the straightforward loop it stands for, over
the words and annotations of the demo articles.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest

import marsad
from marsad.events import claims, events
from marsad.expressions.scan import words_of

DEMO = sorted((Path(marsad.__file__).parent / "data" / "demo").glob("*.txt"))


@pytest.fixture(scope="module")
def docs() -> list:
    return [marsad.extract(p.read_text(encoding="utf-8"), published="2020-01-01") for p in DEMO]


def _plain_has(g: events.Grammar, bares: list[str], start: int, name: str, lo: int | None, hi: int | None) -> int | None:
    """Clause.has as a scan of every word of the window (its first implementation)."""
    lo = start if lo is None else max(lo, start)
    hi = start + len(bares) if hi is None else min(hi, start + len(bares))
    index, end = g.cue_index[name], hi - start
    for k in range(lo - start, end):
        for phrase in index.get(bares[k], ()):
            n = len(phrase)
            if n == 1 or (k + n <= end and tuple(bares[k : k + n]) == phrase):
                return start + k
    return None


def test_clause_has_is_the_plain_scan(docs: list) -> None:
    g = events.grammar()
    rng = random.Random(7)
    tested = 0
    for doc in docs:
        words = words_of(doc)
        for a, b in events._sentence_ranges(doc, words):
            bares = [events._bare(w) for w in words.norms[a:b]]
            clause = events.Clause(list(bares), a)
            for name in g.cue_index:
                windows = [(None, None)] + [(rng.randint(a - 3, b + 2), rng.randint(a - 3, b + 3)) for _ in range(4)]
                for lo, hi in windows:
                    assert clause.has(g, name, lo, hi) == _plain_has(g, bares, a, name, lo, hi), (name, lo, hi)
                    tested += 1
    assert tested > 1000


@dataclass
class _Ann:
    start: int
    end: int


def test_within_is_the_plain_filter() -> None:
    rng = random.Random(3)
    for _ in range(50):
        anns = []
        for _k in range(rng.randint(0, 30)):
            s = rng.randint(0, 200)
            anns.append(_Ann(s, s + rng.randint(0, 20)))
        for ordered in (anns, sorted(anns, key=lambda x: x.start)):
            within = events._Within(ordered)
            for _q in range(20):
                s = rng.randint(-5, 210)
                e = s + rng.randint(0, 60)
                got = within(s, e)
                want = [x for x in ordered if events._in(x, s, e)]
                assert len(got) == len(want) and all(x is y for x, y in zip(got, want))


def test_claim_cue_positions_are_the_words_with_a_cue(docs: list) -> None:
    g = claims.grammar()
    for doc in docs:
        words = words_of(doc)
        found = claims._cue_positions(words.norms, g)
        with_cue = [i for i in range(len(words.norms)) if claims._cue_at(words, i, g) is not None]
        assert set(with_cue) <= set(found)  # every cue is visited
        assert found == sorted(set(found))


def test_blames_shortcut_agrees_with_the_scan(docs: list) -> None:
    g = claims.grammar()
    index = claims._by_first_word(g.accusation)

    def plain(norms: list[str]) -> bool:
        bare = [w[1:] if len(w) > 3 and w[0] in "وفب" else w for w in norms]
        return any(tuple(ws[k : k + len(p)]) == p for ws in (bare, norms) for k, w in enumerate(ws) for p in index.get(w, ()))

    samples = [words_of(doc).norms for doc in docs]
    phrase_words = [list(p) for p in g.accusation] + [["و" + p[0], *p[1:]] for p in g.accusation]
    for norms in samples:
        for k in range(0, len(norms), 7):
            window = norms[k : k + 25]
            assert claims._blames(window, g.accusation) == plain(window)
    for words in phrase_words:
        assert claims._blames(["قال", *words, "امس"], g.accusation) == plain(["قال", *words, "امس"])


def test_specific_places_is_the_pairwise_test() -> None:
    """The sentence's most specific places: the overlap pre-check changes no answer."""
    def plain(places: list, start: int, end: int) -> list:
        inside = [p for p in places if events._in(p, start, end)]
        return [p for p in inside if not any(q is not p and q.start <= p.start and p.end <= q.end
                                             and q.end - q.start > p.end - p.start for q in inside)]

    rng = random.Random(3)
    for _ in range(3000):
        places = []
        for _k in range(rng.randint(0, 7)):
            a = rng.randint(0, 40)
            places.append(_Ann(a, a + rng.randint(1, 12)))
        if rng.random() < 0.5:
            places.sort(key=lambda p: p.start)
        lo = rng.randint(0, 20)
        hi = lo + rng.randint(0, 40)
        assert events._specific_places(places, lo, hi) == plain(places, lo, hi)
