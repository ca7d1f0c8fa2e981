"""The shortcuts of the events component give the answers of the code they stand for.

On the words and layers of the demo articles and the built-in bench corpus: the sentence pass in C
(bare forms and cue positions at once) against its Python twin; trigger look-ups without the
lexicon's call against the call; claims handed to sentences by bisect against the plain filter;
the one-candidate path of the event choice and the targets found in one loop (and in C) against the
code they replace; the trigger tests and the range look-ups in C against their Python twins.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import marsad
from marsad import _native
from marsad.bench import builtin_corpus
from marsad.events import events
from marsad.expressions.scan import words_of

DEMO = sorted((Path(marsad.__file__).parent / "data" / "demo").glob("*.txt"))


@pytest.fixture(scope="module")
def docs() -> list:
    texts = [p.read_text(encoding="utf-8") for p in DEMO] + [d.text for d in builtin_corpus(12)]
    return [marsad.extract(text, published="2020-01-01") for text in texts]


def _python_sentence_cues(g: events.Grammar, norms: list[str], a: int, b: int) -> tuple[list[str], dict[str, list[int]]]:
    saved = _native.disabled
    _native.disabled = True
    try:
        return events.sentence_cues(g, norms, a, b)
    finally:
        _native.disabled = saved


def test_sentence_cues_in_c_is_the_python_pass(docs: list, native: Any) -> None:
    g = events.grammar()
    compared = found = 0
    for doc in docs:
        norms = words_of(doc).norms
        for a, b in events._sentence_ranges(doc, words_of(doc)):
            got = native.sentence_cues(norms, a, b, events._bare_forms, events._bare, g.cue_firsts)
            want = _python_sentence_cues(g, norms, a, b)
            assert got == want
            assert list(got[1]) == list(want[1])  # the same sets, first met first
            assert got[0] == [events._bare_uncached(w) for w in norms[a:b]]
            compared += 1
            found += sum(map(len, got[1].values()))
    assert compared > 50 and found > 100


def test_sentence_cues_in_c_at_the_edges(native: Any) -> None:
    g = events.grammar()
    norms = ["قصف", "والطائرات", "كلمة\u0651جديدة" + "ٌ", "", "في", "Ünïcode", "𝔘"]
    for a, b in ((0, 0), (0, len(norms)), (2, 5), (5, 2), (-3, len(norms)), (0, -2), (4, 99), (99, 100), (-99, 3)):
        assert native.sentence_cues(norms, a, b, events._bare_forms, events._bare, g.cue_firsts) == \
            _python_sentence_cues(g, norms, a, b), (a, b)
    # a word form not yet in the cache is reduced by the function, which fills the cache
    fresh = "وكلمةلمتر" + str(random.Random(5).randint(10**6, 10**7))
    events._bare_forms.pop(fresh, None)
    bares, _positions = native.sentence_cues([fresh], 0, 1, events._bare_forms, events._bare, g.cue_firsts)
    assert bares == [events._bare_uncached(fresh)] and fresh in events._bare_forms
    calls = []

    def failing(word: str) -> str:
        calls.append(word)
        raise ValueError(word)

    with pytest.raises(ValueError):
        native.sentence_cues(["غير-موجودة-هنا"], 0, 1, {}, failing, g.cue_firsts)
    assert calls == ["غير-موجودة-هنا"]
    with pytest.raises(TypeError):
        native.sentence_cues(("a",), 0, 1, {}, events._bare, g.cue_firsts)
    with pytest.raises(TypeError):
        native.sentence_cues(["a"], 0, 1, {"a": "a"}, events._bare, {"a": ["not", "a", "tuple"]})
    with pytest.raises(TypeError):
        native.sentence_cues(["a"], 0, 1)


def test_trigger_look_up_is_the_lexicon_call(docs: list) -> None:
    g = events.grammar()
    found = multi = 0
    for doc in docs:
        norms = words_of(doc).norms
        for i in range(len(norms)):
            want = g.lexicon.first(norms, i, "trigger")
            assert g.trigger_at(norms, i) == want, (i, norms[i])
            found += want is not None
            multi += want is not None and want.length > 1
        for w in g.trigger_words:  # every trigger word, at the end of a text and before each other word
            assert g.trigger_at([w], 0) == g.lexicon.first([w], 0, "trigger")
    for (first, second) in list(g.trigger_pairs)[:200]:
        sample = [first, second, "ثم", "قال"]
        assert g.trigger_at(sample, 0) == g.lexicon.first(sample, 0, "trigger")
    assert found > 50 and multi > 0


@dataclass
class _Claim:
    start: int
    end: int
    data: dict = field(default_factory=dict)


def test_claims_spread_by_bisect_are_the_plain_filters() -> None:
    rng = random.Random(17)
    for _ in range(400):
        bounds, at = [], 0
        for _s in range(rng.randint(1, 12)):
            at += rng.randint(0, 6)
            start = at
            at += rng.randint(1, 40)
            bounds.append((start, at))
        if rng.random() < 0.2:
            rng.shuffle(bounds)  # out of order: the plain path
        claims = []
        for _c in range(rng.randint(1, 6)):
            s = rng.randint(-5, at + 5)
            cs = rng.randint(s - 10, s + 30)
            claims.append(_Claim(s, s + rng.randint(0, 60), {"content": {"start": cs, "end": cs + rng.randint(0, 80)}}))
        d = events._DocFacts.__new__(events._DocFacts)
        d.claim_rows = [(cl.data["content"]["start"], cl.data["content"]["end"], cl) for cl in claims]
        d.claims_of, d.contents_of = {}, {}
        d.spread_claims([s for s, _e in bounds], [e for _s, e in bounds])
        for j, (s_start, s_end) in enumerate(bounds):
            want_claims = [(cl, ce) for _cs, ce, cl in d.claim_rows if cl.start >= s_start and cl.end <= s_end + 1]
            want_contents = [(cs, ce, cl) for cs, ce, cl in d.claim_rows if cs < s_end and s_start < ce]
            assert d.claims_of.get(j, []) == want_claims
            assert d.contents_of.get(j, []) == want_contents


def test_one_candidate_is_chosen_as_the_rules_choose_it(docs: list) -> None:
    g = events.grammar()
    words = words_of(docs[0])
    a, b = events._sentence_ranges(docs[0], words)[0]
    clause = events.Clause([events._bare(w) for w in words.norms[a:b]], a)
    rules = ["trigger:x", "killing", "killing+combatants", "attack", "attack+air", "explosion+nuclear", "shelling"]
    for sub in events.EVENT_TYPES:
        for strength in ("strong", "weak"):
            for rule in rules:
                c = events.Candidate(sub, strength, (a, a + 1), [rule])
                assert events._choose([c], clause, g, words.norms) == events._choose_among([c], clause, g, words.norms)


def test_targets_are_is_target(docs: list) -> None:
    g = events.grammar()
    checked = hit = 0
    for doc in docs:
        words = words_of(doc)
        facts = events._DocFacts(doc, words, g, [], [], None, [])
        sides = sorted(list(doc.layer("actors")) + list(doc.layer("entities")) + list(doc.layer("places")),
                       key=lambda x: x.start)
        for a, b in events._sentence_ranges(doc, words):
            clause = events.Clause([events._bare(w) for w in words.norms[a:b]], a)
            s = events._SentenceFacts(facts, a, b, [], [], [], [], clause, [], [], 0)
            got = s.targets(sides)
            assert got == [s.is_target(x) for x in sides]
            checked += len(got)
            hit += sum(got)
    assert checked > 100 and hit > 0


def test_trigger_test_in_c_is_the_python_chain(docs: list, native: Any) -> None:
    """Every trigger word of the texts, as found and with other clitics, kinds and demands, gets the
    Python chain's verdict from the C twin."""
    assert events._NOT_EVENT_WINDOW == 5  # the C twin's NOT_EVENT_WINDOW
    g = events.grammar()
    rng = random.Random(23)
    kinds = ["killing", "territory", "attack", "protest", None]
    subs = [None, events._ABDUCTION, "Arrests"]
    prefixes = ["", "ل", "ول", "ب", "بال", "وال", "ال", "فبال", "لل"]
    verdicts: dict[int, int] = {}
    named = 0
    for doc in docs:
        words = words_of(doc)
        norms = words.norms
        actors = sorted(doc.layer("actors"), key=lambda x: x.start)
        for a, b in events._sentence_ranges(doc, words):
            bares, firsts = events.sentence_cues(g, norms, a, b)
            clause = events.Clause(bares, a, firsts)
            s_actors = events._within_of(actors)(words.starts[a], words.ends[b - 1])
            for t0 in range(a, b):
                match = g.trigger_at(norms, t0)
                tries = []
                if match is not None:
                    sub, kind, _strength, _requires, _within = match.entry.value
                    tries.append((match.prefix, kind, sub, match.length, a))
                if match is not None or rng.random() < 0.1:
                    tries += [(rng.choice(prefixes), rng.choice(kinds), rng.choice(subs), rng.choice((1, 2)),
                               rng.randint(a, t0 + 1)) for _ in range(3)]
                for prefix, kind, sub, length, demanded in tries:
                    t1 = min(t0 + length, b)
                    want = events._trigger_test(clause, g, norms, a, t0, t1, prefix, kind, sub, length, demanded)
                    got = native.trigger_test(clause._firsts, clause.bares, clause.start, clause._end, g.cue_index, norms,
                                              a, t0, t1, prefix, kind, sub, length, demanded, g.trigger_consts)
                    assert got == want, (norms[max(a, t0 - 5):t0 + 2], prefix, kind, sub, length, demanded)
                    verdicts[want] = verdicts.get(want, 0) + 1
                    t_s, t_e = words.starts[t0], words.ends[t1 - 1]
                    want = events._trigger_test(clause, g, norms, a, t0, t1, prefix, kind, sub, length, demanded,
                                                s_actors, t_s, t_e)
                    got = native.trigger_test(clause._firsts, clause.bares, clause.start, clause._end, g.cue_index, norms,
                                              a, t0, t1, prefix, kind, sub, length, demanded, g.trigger_consts,
                                              s_actors, t_s, t_e)
                    assert got == want
                    named += want == events._NOT_INCIDENT and any(x.start <= t_s and t_e <= x.end and (x.start, x.end) != (t_s, t_e)
                                                      for x in s_actors)
    assert verdicts.get(events._INCIDENT, 0) > 50 and verdicts.get(events._NOT_INCIDENT, 0) > 50
    assert verdicts.get(events._PURPOSE, 0) > 0 and named > 0


def test_trigger_test_in_c_at_the_edges(native: Any) -> None:
    g = events.grammar()
    norms = ["اسر", "الضحايا", "في", "قتال", "", "لم", "يكن", "سوي", "هجوم"]
    clause = events.Clause([events._bare(w) for w in norms], 0)
    for t0 in range(len(norms)):
        for kind in ("killing", "territory", None):
            for prefix in ("", "ال", "بال", "ل"):
                want = events._trigger_test(clause, g, norms, 0, t0, t0 + 1, prefix, kind, events._ABDUCTION, 1, 0)
                got = native.trigger_test(clause._firsts, clause.bares, 0, len(norms), g.cue_index, norms, 0, t0, t0 + 1,
                                          prefix, kind, events._ABDUCTION, 1, 0, g.trigger_consts)
                assert got == want, (t0, kind, prefix)
    args = [clause._firsts, clause.bares, 0, len(norms), g.cue_index, norms, 0, 0, 1, "", "killing", None, 1, 0]
    with pytest.raises(TypeError):
        native.trigger_test(*args)  # no consts
    with pytest.raises(TypeError):
        native.trigger_test(*args, g.trigger_consts[:-1])
    with pytest.raises(IndexError):
        native.trigger_test(*args[:7], len(norms) + 3, len(norms) + 4, *args[9:], g.trigger_consts)
    with pytest.raises(TypeError):
        native.trigger_test(*args, g.trigger_consts, (), 0, 1)  # the actors must be a list
    with pytest.raises(AttributeError):
        native.trigger_test(*args, g.trigger_consts, [object()], 0, 1)
    inside = [_Claim(0, 30)]  # a name that holds the trigger's characters
    assert native.trigger_test(*args, g.trigger_consts, inside, 3, 9) == 1 == \
        events._trigger_test(clause, g, norms, 0, 0, 1, "", "killing", None, 1, 0, inside, 3, 9)
    same = [_Claim(3, 9)]  # the trigger itself, as an actor: no name around it
    assert native.trigger_test(*args, g.trigger_consts, same, 3, 9) == native.trigger_test(*args, g.trigger_consts)


def _python_targets(s: Any, sides: list[Any]) -> list[bool]:
    saved = _native.disabled
    _native.disabled = True
    try:
        return s.targets(sides)
    finally:
        _native.disabled = saved


def test_side_targets_in_c_are_the_python_loop(docs: list, native: Any) -> None:
    g = events.grammar()
    checked = 0
    for doc in docs:
        words = words_of(doc)
        facts = events._DocFacts(doc, words, g, [], [], None, [])
        sides = sorted(list(doc.layer("actors")) + list(doc.layer("entities")) + list(doc.layer("places")),
                       key=lambda x: x.start)
        sides.append(_Claim(len(doc.text) + 5, len(doc.text) + 9))  # past the last word
        for a, b in events._sentence_ranges(doc, words):
            clause = events.Clause([events._bare(w) for w in words.norms[a:b]], a)
            s = events._SentenceFacts(facts, a, b, [], [], [], [], clause, [], [], 0)
            assert s.targets(sides) == _python_targets(s, sides)
            assert s.targets([]) == []
            checked += len(sides)
    assert checked > 1000
    with pytest.raises(TypeError):
        native.side_targets((), [], [], [], 0, 0, events._TARGET_MARKERS, "لل")
    with pytest.raises(AttributeError):
        native.side_targets([object()], [0], ["x"], ["x"], 0, 1, events._TARGET_MARKERS, "لل")


def test_within_sorted_in_c_is_the_python_filter(native: Any) -> None:
    rng = random.Random(29)
    for _ in range(300):
        anns = sorted((_Claim(s, s + rng.randint(0, 25)) for s in (rng.randint(0, 150) for _k in range(rng.randint(0, 25)))),
                      key=lambda x: x.start)
        within = events._Within(anns)
        fast = events._within_of(anns)
        assert fast is not within
        for _q in range(25):
            start = rng.randint(-5, 160)
            end = start + rng.randint(-3, 60)
            got, want = fast(start, end), within(start, end)
            assert len(got) == len(want) and all(x is y for x, y in zip(got, want))
    unsorted = [_Claim(5, 6), _Claim(1, 2)]
    assert isinstance(events._within_of(unsorted), events._Within)  # out of order: the Python class
    with pytest.raises(TypeError):
        native.within_sorted([_Claim(1, 2)], [], 0, 5)


def _plain_markers(text: str, s_start: int, s_end: int) -> list:
    found = []
    for marker in events._AGENT_MARKERS:
        k, at = text.find(marker, s_start, s_end), []
        while k >= 0:
            at.append(k)
            k = text.find(marker, k + 1, s_end)
        if at:
            found.append((marker, at))
    return found


def test_markers_in_c_are_the_find_loop(docs: list, native: Any) -> None:
    texts = [doc.text for doc in docs] + ["على يد على يد من قبلمن قبل نفذها نفذه شنته.", "", "نفذهنفذه"]
    hits = 0
    for text in texts:
        for s_start in range(0, len(text) + 1, 41):
            for s_end in (s_start, s_start + 1, s_start + 9, s_start + 120, len(text), len(text) + 7):
                got = native.markers_in(text, events._AGENT_MARKERS, s_start, s_end)
                assert got == _plain_markers(text, s_start, s_end), (s_start, s_end)
                hits += len(got)
    assert hits > 10
    with pytest.raises(TypeError):
        native.markers_in(text, list(events._AGENT_MARKERS), 0, 5)
    with pytest.raises(TypeError):
        native.markers_in(text, ("على", 5), 0, 5)


@dataclass
class _Actor:
    start: int
    data: Any


class _Data(dict):
    """Not a plain dict: read through its own ``get``."""


def test_acting_in_c_is_the_python_filter(docs: list, native: Any) -> None:
    sources = events._source_actors()
    saved = _native.disabled
    compared = kept = 0
    for doc in docs:
        actors = sorted(doc.layer("actors"), key=lambda x: x.start)
        claims = doc.layer("claims")
        speakers = [(cl.data["speaker"]["start"], cl.data["speaker"]["end"]) for cl in claims]
        for spoken in (speakers, [], [(x.start, x.start + 1) for x in actors[::3]]):
            got = native.acting(actors, sources, spoken, events._COMBATANTS)
            _native.disabled = True
            try:
                want = events._acting(actors, sources, spoken)
            finally:
                _native.disabled = saved
            assert len(got) == len(want) and all(x is y for x, y in zip(got, want))
            compared += len(actors)
            kept += len(got)
    assert compared > 100 and 0 < kept < compared
    odd = [_Actor(3, _Data(actor_id=next(iter(sources)))), _Actor(4, _Data(category="Civilians")), _Actor(9, {}),
           _Actor(5, {"actor_id": None, "category": "State forces"})]
    _native.disabled = True
    try:
        want = events._acting(odd, sources, [(4, 6)])
    finally:
        _native.disabled = saved
    assert native.acting(odd, sources, [(4, 6)], events._COMBATANTS) == want == [odd[2], odd[3]]
    with pytest.raises(TypeError):
        native.acting(odd, sources, [(4, 6, 7)], events._COMBATANTS)


def test_word_ranges_in_c_are_the_bisects(docs: list, native: Any) -> None:
    from bisect import bisect_left

    rng = random.Random(31)
    for doc in docs:
        starts = words_of(doc).starts
        for anns in (list(doc.layer("sentences")), list(doc.layer("actors")),
                     [_Claim(s, s + rng.randint(-2, 50)) for s in (rng.randint(-10, len(doc.text) + 10) for _ in range(40))]):
            want = [(bisect_left(starts, x.start), bisect_left(starts, x.end)) for x in anns]
            assert native.word_ranges(anns, starts) == [(a, b) for a, b in want if b > a]
    assert native.word_ranges([], []) == []
    assert native.word_ranges([_Claim(0, 5)], []) == []
    with pytest.raises(TypeError):
        native.word_ranges((), [])
