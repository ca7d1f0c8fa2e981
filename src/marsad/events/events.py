"""Pipeline component ``events.events``: ACLED-style event records, every field traced to words.

Per sentence: trigger words from ``data/events/events.toml`` are found; general triggers ("قصف",
"هجوم", "مقتل") are refined into ACLED sub-event types by the other words of the sentence (an
air cue makes a bombardment an air strike, a military target makes an attack a clash, ...); a
specific trigger wins over general ones in the same sentence; a trigger in a plan, threat or
long-period total is not an event. Arguments come from the layers below: actors (who acted, who
was targeted), places (the most specific place in the sentence, else the document's focus with
a weaker precision), dates (the sentence's date, else the dateline), numbers (people killed, never
wounded) and claims (an event inside a claim's content is ``attributed`` to its speaker). One
incident mentioned twice in a document is one event.
"""

from __future__ import annotations

import copy
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import compress
from operator import attrgetter
from typing import Any

from marsad._native import positions, speedups
from marsad.expressions.lexicon import PhraseLexicon
from marsad.expressions.scan import Words, words_of
from marsad.text.normalize import bare as _bare_uncached
from marsad.text.normalize import normalize_str


class _PerWordForm(dict):
    """word form -> ``func(word)``, computed once per form (a dict's look-up costs less than
    ``lru_cache``'s, and every word of a sentence with a trigger is looked up)."""

    def __init__(self, func: Any, limit: int) -> None:
        super().__init__()
        self._func, self._limit = func, limit

    def __missing__(self, word: str) -> Any:
        if len(self) >= self._limit:  # a long-running process meets ever more word forms
            self.clear()
        value = self[word] = self._func(word)
        return value


# A word's bare form depends on the word alone: computed once per word form, not once per use
# (every word of every document is reduced, and again for each event of its sentence).
_bare_forms = _PerWordForm(_bare_uncached, 1 << 16)
_bare = _bare_forms.__getitem__
# place names are compared normalised, again for each event of a sentence and each merge test
_normalized_name = lru_cache(maxsize=1 << 12)(normalize_str)

COMPONENT = "events.events"
VERSION = "1"

EVENT_TYPES = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests",
    "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots",
    "Mob violence": "Riots",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
}
# ACLED's actor categories and their interaction codes
INTER_CODES = {"State forces": 1, "Rebel group": 2, "Political militia": 3, "Identity militia": 4, "Rioters": 5,
               "Protesters": 6, "Civilians": 7, "External/Other forces": 8}
_ARMED = {"State forces", "Rebel group", "Political militia", "Identity militia", "External/Other forces"}
_COMBATANTS = {"State forces", "Rebel group", "Political militia", "Identity militia"}  # not monitors or NGOs
_NOT_EVENT_WINDOW = 5  # words before a trigger in which a "not an event" cue cancels it
_NEAR_CHARS = 80  # a place this close to the trigger is in its clause
_TARGET_MARKERS = frozenset(("على", "ضد", "استهدف", "استهدفت", "يستهدف", "تستهدف"))  # the actor after them is hit
# which general word names the event when only general words are in a sentence (lowest first)
_WEAK_PRIORITY = {"shelling": 0, "attack": 1, "trigger:Chemical weapon": 2, "trigger:Change to group/activity": 3,
                  "trigger:Other": 4, "killing": 5}
_VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")
# event types that kill no one by themselves: a killing beside them is a separate event
_NON_LETHAL = frozenset(("Sexual violence", "Abduction/forced disappearance", "Arrests", "Looting/property destruction",
                         "Peaceful protest", "Protest with intervention", "Agreement", "Change to group/activity",
                         "Headquarters or base established", "Non-violent transfer of territory"))
_LETHAL_KINDS = frozenset(("Attack", "Armed clash", "Excessive force against protesters"))
_TERRITORY = ("Government regains territory", "Non-state actor overtakes territory", "Non-violent transfer of territory")
_VIOLENT_SET, _TERRITORY_SET = frozenset(_VIOLENT), frozenset(_TERRITORY)  # built once, not per sentence
_ANY = frozenset(("اي", "لاي", "باي", "واي"))  # normalised "أي" with its clitics
_ON = normalize_str("على")
_AGENT_MARKERS = ("من قبل", "على يد", "على أيدي", "شنته", "شنها", "نفذه", "نفذها", "نفذته")


@dataclass(frozen=True)
class Grammar:
    lexicon: PhraseLexicon
    cues: dict[str, tuple[tuple[str, ...], ...]]  # cue set -> phrases as bare word tuples
    cue_index: dict[str, dict[str, tuple[tuple[str, ...], ...]]]  # cue set -> first word -> phrases
    generic: frozenset[str]  # definite plurals that are no single incident
    trigger_words: frozenset[str]  # first words of the triggers: only these are looked up
    cue_firsts: dict[str, tuple[str, ...]]  # bare word -> the cue sets with a phrase that starts with it
    # a trigger word that starts no longer phrase -> its one-word trigger (or None): it depends on the word alone
    single_triggers: dict[str, Any]
    # a word that starts a longer phrase -> its one-word trigger (or None): its reading where the next
    # word continues none of its phrases (most of its uses)
    multi_singles: dict[str, Any]
    trigger_pairs: frozenset[tuple[str, str]]  # (first word, second word) of the phrases of two or more words
    trigger_consts: tuple[Any, ...] = ()  # the words and cue sets _trigger_test reads, for its C twin

    def trigger_at(self, norms: list[str], i: int) -> Any | None:
        """``lexicon.first(norms, i, "trigger")``, without the call where no longer phrase starts at ``i``."""
        word = norms[i]
        match = self.single_triggers.get(word, self)
        if match is not self:
            return match
        if i + 1 < len(norms) and (word, norms[i + 1]) in self.trigger_pairs:
            return self.lexicon.first(norms, i, "trigger")
        return self.multi_singles.get(word)


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    from marsad.events import events_data

    data = events_data("events.toml")
    lex = PhraseLexicon()
    for rule in data["trigger"]:
        value = (rule.get("sub_event"), rule.get("kind"), rule.get("strength", "strong"), rule.get("requires"),
                 rule.get("within", 3))
        for phrase in rule["phrases"]:
            lex.add(phrase, "trigger", value, article=rule.get("article", True))
    cues = {name: tuple(tuple(_bare(w) for w in normalize_str(p).split()) for p in phrases)
            for name, phrases in data["cues"].items()}
    generic = frozenset(normalize_str(w) for w in data["cues"]["generic_plurals"])
    index: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {}
    for name, phrases in cues.items():
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            if phrase:
                by_first.setdefault(phrase[0], []).append(phrase)
        index[name] = {w: tuple(sorted(ps, key=len)) for w, ps in by_first.items()}
    firsts: dict[str, list[str]] = {}
    for name, by_first in index.items():
        for w in by_first:
            firsts.setdefault(w, []).append(name)
    surfaces = lex.surfaces("trigger")
    multi_firsts = {w for w, _second in lex.phrase_pairs()}
    single = {w: lex.first([w], 0, "trigger") for w in surfaces if w not in multi_firsts}
    multi_singles = {w: lex.first([w], 0, "trigger") for w in surfaces if w in multi_firsts}
    return Grammar(lex, cues, index, generic, surfaces, {w: tuple(ns) for w, ns in firsts.items()}, single,
                   multi_singles, lex.phrase_pairs(), _trigger_consts(generic))


def cue_positions(g: Grammar, bares: list[str], start: int = 0) -> dict[str, list[int]]:
    """Cue set -> indices (plus ``start``) of the words of ``bares`` that start one of its phrases, in order.

    One pass over a sentence's words serves all its cue tests (a trigger takes several, each of
    which would otherwise read the words again).
    """
    native = speedups()
    if native is not None:
        return native.cue_positions(bares, g.cue_firsts, start)
    out: dict[str, list[int]] = {}
    firsts = g.cue_firsts
    for k in compress(range(start, start + len(bares)), map(firsts.__contains__, bares)):  # the few words that start a cue
        for name in firsts[bares[k - start]]:
            if name in out:
                out[name].append(k)
            else:
                out[name] = [k]
    return out


def sentence_cues(g: Grammar, norms: list[str], a: int, b: int) -> tuple[list[str], dict[str, list[int]]]:
    """The bare forms of the words ``norms[a:b]`` and :func:`cue_positions` of them: a sentence's
    clause in one pass over its words (in C where it was built)."""
    native = speedups()
    if native is not None:
        return native.sentence_cues(norms, a, b, _bare_forms, _bare, g.cue_firsts)
    bares = list(map(_bare, norms[a:b]))
    return bares, cue_positions(g, bares, a)


class Clause:
    """A sentence's words, bare, for cue tests."""

    def __init__(self, bares: list[str], start: int, firsts: dict[str, list[int]] | None = None) -> None:
        self.bares = bares
        self.start = start  # word index of the sentence's first word
        self._end = start + len(bares)
        # cue_positions() of bares, in word indices: every test of the sentence reads it
        self._firsts = firsts if firsts is not None else cue_positions(grammar(), bares, start)
        native = speedups()
        if native is not None:  # the same test in C (a sentence takes a hundred): it stands for the method
            self.has = partial(native.clause_has, self._firsts, bares, start, self._end)

    def has(self, g: Grammar, name: str, lo: int | None = None, hi: int | None = None) -> int | None:
        """Word index of the leftmost cue of set ``name`` (between word indices lo and hi), or None.

        Phrases are indexed by their first word; the words of the sentence that start a phrase of
        each set are found in one pass, so a test visits only those words.
        """
        positions = self._firsts.get(name)
        if positions is None:  # most tests end here: no word of the sentence starts a phrase of the set
            return None
        start, end = self.start, self._end
        if hi is not None and hi < end:
            end = hi
        if lo is None or lo <= start:
            p = 0
        else:
            p = bisect_left(positions, lo)
        index, bares = g.cue_index[name], self.bares
        for k in positions[p:] if p else positions:
            if k >= end:
                return None
            for phrase in index[bares[k - start]]:
                n = len(phrase)
                if n == 1 or (k + n <= end and tuple(bares[k - start : k - start + n]) == phrase):
                    return k
        return None


@dataclass
class Candidate:
    sub_event: str
    strength: str
    trigger: tuple[int, int]  # word indices
    rules: list[str] = field(default_factory=list)
    subject: tuple[int, int] | None = None  # word indices where the verb's subject must stand, if known


def _refine(kind: str, clause: Clause, g: Grammar, actors: list[Any], trigger: tuple[int, int],
            starts: list[int] | None = None) -> tuple[str, str]:
    """(sub-event type, rule) of a general trigger, from the words of its sentence."""
    def has(name: str) -> bool:
        return clause.has(g, name) is not None

    if kind == "shelling":
        return ("Air/drone strike", "shelling+air") if has("air") else ("Shelling/artillery/missile attack", "shelling")
    if kind == "attack":
        for cue, sub in (("suicide", "Suicide bomb"), ("chemical", "Chemical weapon"), ("explosive", "Remote explosive/landmine/IED"),
                         ("air", "Air/drone strike"), ("missile", "Shelling/artillery/missile attack")):
            if has(cue):
                return sub, f"attack+{cue}"
        if clause.has(g, "vessels", trigger[1], trigger[1] + 3) is not None:  # "الهجوم على ناقلة النفط": fire from afar
            return "Shelling/artillery/missile attack", "attack+vessel"
        armed = {a.data.get("category") for a in actors} & _ARMED
        civilians = any(a.data.get("category") == "Civilians" for a in actors) or has("civilian_targets")
        # "برصاص مسلحين": what follows "bullets of" is the shooter, not the target
        shooter = clause.bares[trigger[0] - clause.start] in ("رصاص", "برصاص")
        after = None if shooter else clause.has(g, "military_targets", trigger[1], trigger[1] + 10)
        # "شهداء من قيادة شرطة درعا إثر اعتداء مجموعة مسلحة": armed victims named before the attack
        before = None if civilians else clause.has(g, "military_targets", trigger[0] - 8, trigger[0])
        military = trigger[1] < clause.start + len(clause.bares) and clause.bares[trigger[1] - clause.start] in (
            "عسكري", "مسلح")  # "الهجوم العسكري", "هجوم مسلح"
        if (after is not None or before is not None or military or len(armed) >= 2) and not (civilians and after is None):
            return "Armed clash", "attack+military-target"
        return "Attack", "attack"
    if kind == "killing":
        if has("protest_context"):  # "مقتل متظاهر في احتجاجات البصرة"
            return "Excessive force against protesters", "killing+protest"
        if _combatant_victims(clause, g, trigger):  # "يقتل 45 من عناصر التنظيم", "مقتل ضابط وجندي"
            return "Armed clash", "killing+combatants"
        return "Attack", "killing"
    if kind == "explosion":
        for cue, sub in (("accidental", "Other"), ("suicide", "Suicide bomb"), ("explosive", "Remote explosive/landmine/IED"),
                         ("missile", "Shelling/artillery/missile attack"), ("air", "Air/drone strike")):
            if has(cue):
                return sub, f"explosion+{cue}"
        return "Other", "explosion"  # an explosion of unknown cause (the guideline's "Other")
    if kind == "protest":
        if has("protest_violence"):
            return "Violent demonstration", "protest+violence"
        if has("protest_force"):
            return "Excessive force against protesters", "protest+force"
        if has("protest_intervention"):
            return "Protest with intervention", "protest+intervention"
        return "Peaceful protest", "protest"
    if kind == "territory":
        if has("protest_context"):  # "المتظاهرين حاولوا اقتحام مبنى": a riot, not a capture
            return "Violent demonstration", "territory+protest"
        before = [a for a in actors if a.data.get("category")]
        gainer = clause.has(g, "gainer", trigger[1]) if starts is not None else None
        if gainer is not None:  # "خسارة بلدة ليمان لصالح قوات كييف": the side it went to took it
            before = [a for a in before if a.start >= starts[gainer]] or before
        state = any(a.data.get("category") == "State forces" for a in before[:1])
        if not before:  # no known actor: state words, or "القوات" + a nationality ("القوات السورية")
            nationality = _nationalities()
            state = has("state_forces") or any(
                clause.bares[k] in ("قوات", "جيش") and k + 1 < len(clause.bares) and clause.bares[k + 1] in nationality
                for k in range(len(clause.bares)))
        return ("Government regains territory", "territory+state") if state else \
            ("Non-state actor overtakes territory", "territory+non-state")
    raise ValueError(kind)


_VICTIM_SKIP = frozenset(("من", "بين", "بينهم", "نحو", "قرابة", "حوالي", "اكثر", "اقل", "عشرات", "العشرات", "مئات", "المئات", "عدد"))


def _not_an_event(clause: Clause, g: Grammar, trigger: tuple[int, int]) -> bool:
    """A plan, threat or general word near the trigger makes it no incident ...

    ... unless a past cause stands between that word and the trigger: "إسرائيل تحذر إيران بعد غارات
    جوية" warns after strikes that happened.
    """
    hi = trigger[1] + 3
    k = clause.has(g, "not_event", trigger[0] - _NOT_EVENT_WINDOW, hi)
    if k is None:
        return False
    if k >= trigger[0]:
        return True
    cause = clause.has(g, "past_causes", k + 1, trigger[0])
    return cause is None or clause.has(g, "not_event", cause + 1, hi) is not None


_INCIDENT, _NOT_INCIDENT, _PURPOSE, _DEMANDED = 0, 1, 2, 3  # what _trigger_test says of a trigger
_PURPOSE_PREFIXES = ("ل", "ول", "فل")
_OR = ("او", "ولا")
_BUT = ("سوي", "الا")
_ABDUCTION = "Abduction/forced disappearance"


def _trigger_consts(generic: frozenset[str]) -> tuple[Any, ...]:
    """What :func:`_trigger_test` compares words with, in the order its C twin reads them."""
    return (_ON, _OR, _BUT, "من", "في", _ANY, "اسر", generic, "territory", "killing", _ABDUCTION,
            _PURPOSE_PREFIXES, "ب", "بال", "ال", "يت",
            "not_event", "past_causes", "subjected", "demands", "negation", "relative", "not_violence", "period_totals",
            "durations", "time_frames", "allies", "families_of")


def _trigger_test(clause: Clause, g: Grammar, norms: list[str], a: int, t0: int, t1: int,  # noqa: PLR0911, PLR0913
                  prefix: str, kind: str, sub: str | None, length: int, demanded: int,
                  s_actors: Sequence[Any] = (), t_s: int = 0, t_e: int = 0) -> int:
    """Whether a trigger found at words ``[t0, t1)`` (characters ``[t_s, t_e)``) of the sentence that
    starts at word ``a`` and names ``s_actors`` reports an incident: ``_INCIDENT``, else why not
    (``_PURPOSE`` and ``_DEMANDED`` change what the sentence reads next). Its ``requires`` cue is
    tested before. (``native.trigger_test`` is the same test in C.)"""
    for x in s_actors:
        if x.start <= t_s and t_e <= x.end and (x.start != t_s or x.end != t_e):
            return _NOT_INCIDENT  # "هيئة تحرير الشام" is a name, not a liberation
    if _not_an_event(clause, g, (t0, t1)):
        return _NOT_INCIDENT
    if kind == "territory" and t0 > a and norms[t0 - 1] == _ON:
        return _NOT_INCIDENT  # "تعاقبت جماعات على السيطرة عليها", "صراع على السيطرة": control striven for, not taken
    if prefix in _PURPOSE_PREFIXES and clause.has(g, "subjected", t0 - 4, t0) is None:
        return _PURPOSE  # "لتفكيك عبوة ناسفة": a purpose, not an incident, nor its object
    if prefix[-1:] == "ب" or prefix[-3:] == "بال":
        if clause.has(g, "demands", max(t0 - _NOT_EVENT_WINDOW, demanded), t0) is not None:
            return _DEMANDED  # "طالبت النيابة بإعدام", "حكم بإعدام": demanded or sentenced, not done
    reach = 4 if t0 > a and norms[t0 - 1] in _OR else 3  # "لم يقع أي هجوم"
    negated = clause.has(g, "negation", t0 - reach, t0)
    if negated is not None and not any(norms[k] in _BUT for k in range(negated + 1, t0)):
        return _NOT_INCIDENT  # ("لم يكن سوى كمين": "nothing but an ambush" is an ambush)
    if (norms[t0][:1] in "يت" or kind != "killing") and clause.has(g, "relative", t0 - 1, t0) is not None:
        # "المناطق التي سيطرت عليها القوات": a verb in a relative clause describes, it does not
        # report; but "الذي قتله قصف إسرائيلي" reports a death
        return _NOT_INCIDENT
    # the trigger word with its article but without a conjunction or preposition: "والهجمات" -> "الهجمات"
    definite = norms[t0][len(prefix) - 2:] if prefix.endswith("ال") else norms[t0]
    if length == 1 and definite in g.generic:
        return _NOT_INCIDENT
    if kind == "killing" and (clause.has(g, "not_violence") is not None  # floods, crashes, disease
                              or clause.has(g, "period_totals") is not None):  # "منذ بدء القصف": a tally
        return _NOT_INCIDENT
    if t0 - 2 >= a and norms[t0 - 1] == "من" and clause.has(g, "durations", t0 - 2, t0 - 1) is not None:
        return _NOT_INCIDENT  # "بعد أكثر من عامين من الاعتقال": a duration
    if clause.has(g, "time_frames", t0 - 2, t0) is not None:
        return _NOT_INCIDENT  # "هجوم داعش في بداية المعركة": the battle dates the attack, it is not reported here
    if t0 - 1 > a and norms[t0 - 1] == "في" and \
            clause.has(g, "allies", t0 - _NOT_EVENT_WINDOW, t0 - 1) is not None:
        return _NOT_INCIDENT  # "وحليفها على الأرض في قتال داعش": a role, not a fight
    if t0 > a and norms[t0 - 1] in _ANY:  # "مسؤولية أي هجوم": any attack, none in particular
        return _NOT_INCIDENT
    if sub == _ABDUCTION and length == 1 and definite == "اسر" and \
            clause.has(g, "families_of", t1, t1 + 1) is not None:
        return _NOT_INCIDENT  # "أسر الضحايا": the victims' families, not a capture
    return _INCIDENT


def _killed_count_candidate(g: Grammar, clause: Clause, words: Words, numbers: list[Any], a: int, b: int) -> Candidate | None:
    """A killing anchored on a count of the killed, for a sentence with no trigger word."""
    s_start, s_end = words.starts[a], words.ends[b - 1]
    killed = next((n for n in numbers if n.data.get("what") == "killed" and _in(n, s_start, s_end)), None)
    if killed is None or clause.has(g, "not_violence") is not None or clause.has(g, "period_totals") is not None:
        return None  # floods and crashes; "مقتل 71 مسلحا منذ بدء العملية" is a tally
    k = max(a, bisect_left(words.starts, killed.start))
    while k + 1 < b and words.ends[k] < killed.end:
        k += 1
    trigger = (k, k + 1)
    if clause.has(g, "not_event", trigger[0] - _NOT_EVENT_WINDOW, trigger[1] + 3) is not None or \
            clause.has(g, "demands", a, trigger[0]) is not None:  # "طالبت بإعدام فلان وأربعة آخرين"
        return None
    sub, rule = _refine("killing", clause, g, [], trigger)
    return Candidate(sub, "weak", trigger, [rule])


def _combatant_victims(clause: Clause, g: Grammar, trigger: tuple[int, int]) -> bool:
    """The dead named right after a killing word are armed ("مقتل 3 مسلحين", "بقتل 16 عنصرا").

    Only the victim phrase is read: counts and "من" are skipped, and reading stops at the first
    other word, so the killer named later ("برصاص الجيش", "على يد مسلحين") does not count.
    """
    end = clause.start + len(clause.bares)
    k = trigger[1]
    while k < end and k < trigger[1] + 4:
        if clause.has(g, "military_victims", k, k + 3) == k:  # a cue that starts at this word
            return True
        word = clause.bares[k - clause.start]
        if not (word in _VICTIM_SKIP or word[:1].isdigit()):
            return False
        k += 1
    return False


def _sentence_ranges(doc, words: Words) -> list[tuple[int, int]]:  # noqa: ANN001
    """(first word, end word) of each sentence that holds a word (all the words where no sentence does)."""
    sentences = doc.layer("sentences")
    native = speedups()
    if native is not None and type(sentences) is list and type(words.starts) is list:  # the same loop in C
        ranges = native.word_ranges(sentences, words.starts)
        return ranges or ([(0, len(words.norms))] if words.norms else [])
    ranges = []
    for s in sentences:
        a, b = bisect_left(words.starts, s.start), bisect_left(words.starts, s.end)
        if b > a:
            ranges.append((a, b))
    return ranges or ([(0, len(words.norms))] if words.norms else [])


def _in(ann: Any, start: int, end: int) -> bool:
    return start <= ann.start and ann.end <= end


class _Within:
    """The annotations of a list that lie inside a character range, in the list's own order.

    A document has dozens of sentences and hundreds of annotations: one sort by start, then a
    bisect per question, instead of testing every annotation for every sentence and event.
    """

    def __init__(self, anns: list[Any]) -> None:
        starts = list(map(_start_of, anns))
        in_order = starts == sorted(starts)  # already sorted by start (the usual case): no reordering
        order = list(range(len(anns))) if in_order else sorted(range(len(anns)), key=starts.__getitem__)
        self._starts = starts if in_order else [starts[k] for k in order]
        self._order = order
        self._anns = anns
        self._in_order = in_order

    def any_in(self, start: int, end: int) -> bool:
        """Whether an annotation lies inside ``[start, end)``: ``bool(self(start, end))``."""
        anns, order = self._anns, self._order
        for k in order[bisect_left(self._starts, start):bisect_right(self._starts, end)]:
            if anns[k].end <= end:
                return True
        return False

    def __call__(self, start: int, end: int) -> list[Any]:
        """The annotations ``x`` with ``_in(x, start, end)``, in list order."""
        lo, hi = bisect_left(self._starts, start), bisect_right(self._starts, end)
        if lo == hi:  # none starts in the range (most sentences, for most layers)
            return []
        anns = self._anns
        if self._in_order:
            return [x for x in anns[lo:hi] if x.end <= end]
        found = [k for k in self._order[lo:hi] if anns[k].end <= end]
        found.sort()
        return [anns[k] for k in found]


def _within_of(anns: list[Any]) -> Any:
    """``_Within(anns)`` as a function of (start, end): in C where it was built and the annotations
    are in order of start (the usual case)."""
    within = _Within(anns)
    native = speedups()
    if native is not None and within._in_order and type(anns) is list:
        return partial(native.within_sorted, anns, within._starts)
    return within


def _place_dict(p: Any, precision: int | None = None) -> dict[str, Any]:
    out = {"start": p.start, "end": p.end, "text": p.text, **p.data}
    if precision is not None:
        out["precision"] = max(precision, out.get("precision") or 1)
    return out


def _actor_dict(a: Any) -> dict[str, Any]:
    """An actor as an event's field; a known actor without the conjunction it was written with
    ("قسد وجيش الثوار" -> "جيش الثوار"): the conjunction joins the sentence, it is not the name."""
    start, text = a.start, a.text
    ante = a.data.get("anaphor_of")
    if ante is not None:  # "حررت القوات": the forces named before, by their name
        data = {k: v for k, v in a.data.items() if k != "anaphor_of"}
        return {"start": ante["start"], "end": ante["end"], "text": ante["text"], **data,
                "mention": {"start": a.start, "end": a.end, "text": a.text}}
    if text[:1] in "وف" and _normalized_name(text[1:]) in _actor_aliases().get(a.data.get("actor_id") or "", ()):
        start, text = start + 1, text[1:]
    return {"start": start, "end": a.end, "text": text, **a.data}


@lru_cache(maxsize=1)
def _actor_aliases() -> dict[str, frozenset[str]]:
    """Known actor id -> its Arabic names, normalised."""
    from marsad.knowledge.actors import actor_base

    return {i: frozenset(normalize_str(n) for n in a.get("aliases", ())) for i, a in actor_base().items()}


@lru_cache(maxsize=1)
def _source_actors() -> frozenset[str]:
    """Ids of actors that report or monitor (``role = "source"`` in actors.toml): never an event's actor."""
    from marsad.knowledge.actors import actor_base

    return frozenset(i for i, a in actor_base().items() if a.get("role") == "source")


@lru_cache(maxsize=1)
def _nationalities() -> dict[str, str]:
    from marsad.knowledge import knowledge_data

    return {normalize_str(w): code for code, words in knowledge_data("nationalities.toml").items() for w in words}


@dataclass
class _Side:
    """A side of an event named by something other than an actor mention (an entity, a country, a nisba)."""

    start: int
    end: int
    text: str
    data: dict[str, Any]


def _other_sides(doc, words: Words, a: int, b: int, places: list[Any], entities: list[Any],  # noqa: ANN001, PLR0913
                 g: Grammar | None = None, clause: Clause | None = None) -> list[_Side]:
    """Sides named in a sentence without an actor: people and organisations, countries, nationalities,
    and (given the sentence's ``clause``) groups named by a common noun ("قوات الحرس الجمهوري")."""
    s_start, s_end = words.starts[a], words.ends[b - 1]
    out: list[_Side] = []
    for e in entities:
        if s_start <= e.start and e.end <= s_end and e.label in ("PERS", "ORG") and e.data.get("how") != "kb":  # _in()
            out.append(_Side(e.start, e.end, e.text, {"actor_id": None, "name": e.text, "category": None,
                                                        "in_kb": False, "from": "entity"}))
    for p in places:
        if s_start <= p.start and p.end <= s_end and p.data.get("feature_code") == "PCLI":
            k = bisect_left(words.starts, p.start)
            if clause is not None and a < k <= b and clause.has(g, "locatives", k - 1, k) is not None:
                continue  # "مقتل العشرات في ليبيا", "شمال غربي تونس": where it happened, not who took part
            code = p.data.get("country")
            out.append(_Side(p.start, p.end, p.text, {"actor_id": f"{(code or 'xx').lower()}-state-forces",
                                                        "name": f"State forces of {code}", "category": "State forces",
                                                        "country": code, "from": "country"}))
    nis = _nationalities()
    norms = words.norms[a:b]
    bares = clause.bares if clause is not None else list(map(_bare, norms))  # (a clause's words are the bare forms)
    # the words whose bare or plain form is a nationality: the only ones that can name one
    for i in sorted(set(positions(bares, nis)).union(positions(norms, nis))):
        code = nis.get(bares[i]) or nis.get(norms[i])
        i += a
        if code:
            start, end = words.starts[i], words.ends[i]
            out.append(_Side(start, end, doc.text[start:end], {"actor_id": f"{code.lower()}-state-forces",
                                                                "name": f"State forces of {code}", "category": "State forces",
                                                                "country": code, "from": "nationality"}))
    if clause is not None:
        out += _group_nouns(doc, words, b, g, clause, out)
    return sorted(out, key=lambda x: x.start)


# the one these events befall is named after their trigger: "اختفاء خاشقجي", "اعتقال الناشطة", "اغتصاب فتاة"
_VICTIM_OBJECT = frozenset(("Abduction/forced disappearance", "Arrests", "Sexual violence"))


def _nisba_sides(doc, words: Words, k: int, b: int, s_actors: list[Any]) -> list[Any]:  # noqa: ANN001
    """The sides that nationality adjectives right after a trigger name, one or two ("اتفاق أمريكي تركي").

    People plurals ("مقتل فلسطينيين") are the ones hit, not adjectives of the trigger.
    """
    nis, out = _nationalities(), []
    for i in range(k, min(k + 2, b)):
        w = _bare(words.norms[i])
        code = nis.get(w)
        if not code or words.kinds[i] != "word" or w.endswith(("ين", "ون")):
            break
        start, end = words.starts[i], words.ends[i]
        out.append(next((x for x in s_actors if x.start <= start < x.end), None) or _Side(
            start, end, doc.text[start:end], {"actor_id": f"{code.lower()}-state-forces", "name": f"State forces of {code}",
                                              "category": "State forces", "country": code, "from": "nationality"}))
    return out


def _victim(doc, words: Words, c: Candidate, killing: list[Candidate], b: int, clause: Clause, g: Grammar,  # noqa: ANN001, PLR0913
            s_actors: list[Any], entities: list[Any]) -> Any | None:
    """Who was killed (abducted, arrested) as the trigger or a killing word of the sentence names them:
    "مقتل متظاهر في احتجاجات البصرة" -> "متظاهر", "مقتل 9 من قوات الحرس الوطني" -> "قوات الحرس الوطني".

    Counts and "من" are skipped; the name is a known actor or person starting there, else the word
    with the definite words that follow it. After a verb an armed side is its subject, not its victim.
    """
    norms, starts, ends, kinds = words.norms, words.starts, words.ends, words.kinds
    own = c.rules[0].startswith("killing") or c.sub_event in _VICTIM_OBJECT
    for k in ([c] if own else []) + [x for x in killing if x is not c]:
        j = k.trigger[1]
        while j < min(b, k.trigger[1] + 4) and (kinds[j] == "number" or clause.bares[j - clause.start] in _VICTIM_SKIP
                                                 or clause.bares[j - clause.start][:1].isdigit()):
            j += 1  # "مقتل 9 من", "مقتل العشرات من"
        if j >= b or kinds[j] != "word" or norms[j] in _NOT_VICTIM or clause.has(g, "not_victims", j, j + 1) is not None \
                or (norms[j] in g.trigger_words and g.trigger_at(norms, j) is not None):
            continue  # "باغتصاب وقتل فتاة": the next word is another deed
        named = next((x for x in s_actors if x.start == starts[j]), None) or next(
            (e for e in entities if e.start == starts[j] and e.label in ("PERS", "ORG")), None)
        armed = named is not None and (named.data.get("category") in _ARMED) or clause.has(g, "group_nouns", j, j + 1) is not None
        if armed and j == k.trigger[1] and clause.has(g, "victim_nouns", k.trigger[0], k.trigger[0] + 1) is None:
            continue  # "قتلت القوات الحكومية 5 مسلحين": the subject of the verb
        if named is not None:
            return named
        e = j + 1
        while e < min(b, j + 3) and kinds[e] == "word" and norms[e].startswith("ال"):
            e += 1  # "قوات الحرس الوطني", "المسعفة الفلسطينية"
        start, end = starts[j], ends[e - 1]
        return _Side(start, end, doc.text[start:end], {"actor_id": None, "name": doc.text[start:end], "category": None,
                                                       "in_kb": False, "from": "victim"})
    return None


def _group_nouns(doc, words: Words, b: int, g: Grammar, clause: Clause, named: list[_Side]) -> list[_Side]:  # noqa: ANN001
    """Groups a sentence names by a common noun and no known name: "قوات الحرس الجمهوري تتقدم",
    "مسلحو أحرار الشام يغادرون", "اشتباكات بين المليشيات".

    A noun in construct state takes the name after it ("مسلحو" + "أحرار الشام"), any noun the
    definite words that follow it ("قوات" + "الحرس الجمهوري"), at most three.
    """
    if clause.has(g, "group_nouns") is None:  # most sentences: no such noun
        return []
    out: list[_Side] = []
    norms, starts, ends = words.norms, words.starts, words.ends
    k = clause.start
    while (k := clause.has(g, "group_nouns", k)) is not None:
        head = norms[k][1:] if norms[k][:1] in "وف" and len(norms[k]) > 4 else norms[k]
        j = k + 1
        if j < b and not head.startswith(("ال", "لل", "بال")) and words.kinds[j] == "word" and norms[j] not in _NOT_VICTIM:
            j += 1  # construct state: "مسلحو المعارضة", "مسلحو أحرار"
        while j < min(b, k + 4) and words.kinds[j] == "word" and norms[j].startswith("ال"):
            j += 1  # "الحرس الجمهوري", "الشام"
        start, end = starts[k], ends[j - 1]
        if not any(x.start < end and start < x.end for x in named):
            out.append(_Side(start, end, doc.text[start:end], {"actor_id": None, "name": doc.text[start:end],
                                                                 "category": None, "in_kb": False, "from": "group-noun"}))
        k = j
    return out


def find_events(doc) -> list[dict[str, Any]]:  # noqa: ANN001, C901 - one pass over sentences, kept in one place
    g = grammar()
    words = words_of(doc)
    norms, starts, ends = words.norms, words.starts, words.ends
    actors = sorted(doc.layer("actors"), key=_start_of)
    places = sorted(doc.layer("places"), key=_start_of)
    dates = [d for d in doc.layer("dates") if d.data.get("value")]
    numbers = [n for n in doc.layer("numbers") if isinstance(n.data.get("value"), int)
               and n.data.get("kind") not in ("date_part", "ordinal", "percent", "fraction")]
    claims = doc.layer("claims")
    entities = doc.layer("entities")
    published = doc.meta.published if doc.meta else None
    sources = _source_actors()
    doc_facts = _DocFacts(doc, words, g, claims, entities, published, places)
    # the layers by position: each sentence takes its own annotations by bisect
    actors_in, places_in, dates_in = _within_of(actors), _within_of(places), _within_of(dates)
    numbers_in = _within_of(numbers)
    # the words that can start a trigger, in order: a sentence without one is not scanned word by word
    trigger_words, single_triggers = g.trigger_words, g.single_triggers
    trigger_pairs, multi_singles, n_words = g.trigger_pairs, g.multi_singles, len(norms)
    native, cue_index, consts = speedups(), g.cue_index, g.trigger_consts  # the trigger tests in C, where built
    hits = positions(norms, trigger_words)
    killed_in = _Within([n for n in numbers if n.data.get("what") == "killed"])
    kinds = words.kinds
    speakers = [(cl.data["speaker"]["start"], cl.data["speaker"]["end"]) for cl in claims]
    events: list[dict[str, Any]] = []
    captured: tuple[int, list[Any], Any] = (-2, [], None)  # the last capture: its sentence, places, actor1
    ranges = _sentence_ranges(doc, words)
    if claims:
        first_words, end_words = zip(*ranges) if ranges else ((), ())
        doc_facts.spread_claims(list(map(starts.__getitem__, first_words)), [ends[k - 1] for k in end_words])
    for number, (a, b) in enumerate(ranges):
        s_start, s_end = starts[a], ends[b - 1]
        h = bisect_left(hits, a)
        if (h == len(hits) or hits[h] >= b) and not killed_in.any_in(s_start, s_end):
            continue  # no word that can start a trigger, no count of the killed: nothing to read here
        # the sentence's cue words and actors, read only once a trigger matched (many sentences have none)
        clause: Clause | None = None
        s_actors_all: list[Any] = []
        s_actors: list[Any] = []
        candidates: list[Candidate] = []
        i = demanded = a
        sentenced: list[tuple[int, int]] = []
        for hit in hits[h:bisect_left(hits, b, h)]:  # the sentence's words that can start a trigger
            if hit < i:
                continue  # inside (or right after) the trigger found before
            i = hit
            if kinds[i] != "word":
                i += 1
                continue
            match = single_triggers.get(norms[i], g)  # g.trigger_at(norms, i), without the call
            if match is g:
                match = g.lexicon.first(norms, i, "trigger") if i + 1 < n_words and (norms[i], norms[i + 1]) in \
                    trigger_pairs else multi_singles.get(norms[i])
            if match is None:
                i += 1
                continue
            if clause is None:
                clause, s_actors_all, s_actors = _read_sentence(g, norms, a, b, actors_in(s_start, s_end), sources, speakers)
            trigger = (i, i + match.length)
            t0, t1 = trigger
            sub, kind, strength, requires, within = match.entry.value
            i = t1
            subject = None
            if requires:
                needed = clause.has(g, requires, t1, t1 + within)
                if needed is None:
                    continue  # "أوقف" is a change of activity only when what stopped follows: "أوقف التحالف ضرباته"
                subject = (t1, needed)  # the verb's subject stands between it and its object
            t_s, t_e = starts[t0], ends[t1 - 1]
            if native is not None:
                verdict = native.trigger_test(clause._firsts, clause.bares, clause.start, clause._end, cue_index, norms, a,
                                              t0, t1, match.prefix, kind, sub, match.length, demanded, consts,
                                              s_actors_all, t_s, t_e)
            else:
                verdict = _trigger_test(clause, g, norms, a, t0, t1, match.prefix, kind, sub, match.length, demanded,
                                        s_actors_all, t_s, t_e)
            if verdict:
                if verdict == _PURPOSE:
                    i = t1 + 3  # nor is its object an incident: "لتفكيك عبوة ناسفة"
                elif verdict == _DEMANDED:
                    demanded = t1  # a demand governs one object: "حكما بإعدام 45 متهمين بقتل متظاهرين"
                    sentenced.append((starts[t0], ends[min(t1 + 2, b - 1)]))  # "بإعدام 45 شخصا" are not dead
                continue
            rule = f"trigger:{sub or kind}"
            if kind == "massing":
                rule += "+massing"
            if sub == "Abduction/forced disappearance" and _combatant_victims(clause, g, trigger):
                sub, rule = "Other", "abduction+combatants"  # "خطف 14 من قوات الأمن": ACLED's abductions are of civilians
            if sub is None:
                sub, rule = _refine(kind, clause, g, s_actors, trigger, starts)
                if kind == "attack" and clause.has(g, "sexually", t1, t1 + 5) is not None:
                    sub, rule, strength = "Sexual violence", "attack+sexual", "strong"  # "اعتدى على فتاة جنسيا"
            elif sub == "Armed clash" and clause.has(g, "protest_context") is not None:
                # "مواجهات دامية بين الجيش ومتظاهرين": the bloodshed is the force used on them
                sub, rule = ("Excessive force against protesters", "clash+protest+bloody") \
                    if clause.has(g, "bloody", t1, t1 + 2) is not None else ("Violent demonstration", "clash+protest")
            elif sub == "Armed clash" and rule == "trigger:Armed clash" and clause.has(g, "crowds", t1, t1 + 6) is not None:
                sub, rule = "Mob violence", "clash+crowd"  # "اشتباكات بين الشرطة والصوفيين": an unarmed crowd, a riot
            elif sub == "Shelling/artillery/missile attack" and clause.has(g, "direct_fire", t0, t1) is not None \
                    and clause.has(g, "indirect_fire", t0, t1 + 1) is None \
                    and clause.has(g, "military_vehicles") is not None:
                sub, rule = "Armed clash", "direct-fire+vehicle"  # "استهداف دبابتين بقذيفة الياسين"
            elif sub == "Remote explosive/landmine/IED" and clause.has(g, "planting") is not None:
                sub, rule = "Other", "explosives+planting"
            if EVENT_TYPES[sub] == "Explosions/Remote violence" and clause.has(g, "nuclear", t1, t1 + 2) is not None:
                sub, rule = "Other", "explosion+nuclear"  # "أول تفجير حراري نووي": a test
            candidates.append(Candidate(sub, strength, trigger, [rule], subject))
        for c in candidates:
            if c.rules[0] == "explosion+nuclear":  # "وفُجرت القنبلة": the test's own detonation
                candidates = [c for c in candidates if c.sub_event != "Remote explosive/landmine/IED"]
                break
        if not candidates:  # no trigger word, but a count of the killed: "سقوط 4 من القوات الروسية"
            if not killed_in.any_in(s_start, s_end):
                continue
            if clause is None:
                clause, s_actors_all, s_actors = _read_sentence(g, norms, a, b, actors_in(s_start, s_end), sources, speakers)
        s_numbers_all = numbers_in(s_start, s_end)
        if not candidates:
            lone = _killed_count_candidate(g, clause, words, s_numbers_all, a, b)
            if lone is None:
                continue
            candidates.append(lone)
        strong, by_type = _choose(candidates, clause, g, norms)
        killing = [c for c in candidates if c.rules[0].startswith("killing")]
        s_numbers = [n for n in s_numbers_all if not any(x <= n.start < y for x, y in sentenced)] \
            if sentenced else s_numbers_all
        # the sentence's own places, dates and numbers: all that _arguments reads of them
        s_places, s_dates = places_in(s_start, s_end), dates_in(s_start, s_end)
        specific = _most_specific(s_places)  # (places_in gave only the sentence's places)
        facts = _SentenceFacts(doc_facts, a, b, s_actors, s_places, s_dates, s_numbers, clause, killing, specific, number)
        made = [_arguments(c, facts) for c in by_type.values()]
        if ":" in norms[a:b]:  # "ضربات التحالف: منها بالفوسفور، ومنها ...، وحتى الضربات التي استهدفت قسد"
            made = [item for c, e in zip(by_type.values(), made) for item in _enumerated(c, e, facts)]
        for e in made:
            e["sentence"] = number
        if by_type.keys() & _CAPTURES:  # "حررت القوات قرية هجين، والقريتين ...: السوسة والباغوز": one event a place
            made, captured = _captures_by_place(made, strong, specific, words, a, b, g, clause, captured, number)
        # the dead of a sentence are counted once: in the violent event whose trigger is nearest the count
        counted = [e for e in made if e["fatalities"] is not None]
        if len(counted) > 1:
            def distance(e: dict[str, Any]) -> tuple:
                where = e["fields"]["fatalities"].get("start", e["trigger"]["start"])
                return (e["event_type"] not in _VIOLENT, abs(e["trigger"]["start"] - where))
            keep = min(counted, key=distance)
            for e in counted:
                if e is not keep:
                    e["fatalities"] = None
                    e["fields"].pop("fatalities", None)
        events.extend(made)
    return [_finish(e) for e in _merge(events)]


_ITEM_OPENERS = frozenset(normalize_str(w) for w in ("منها", "ومنها", "وحتى", "بعضها", "وبعضها"))


def _enumerated(c: Candidate, e: dict[str, Any], s: _SentenceFacts) -> list[dict[str, Any]]:
    """One event per item of a list of incidents that follows its trigger and a colon.

    "ضربات التحالف: منها بالأسلحة المحرمة، ومنها بمجازر ...، وحتى الضربات التي استهدفت قسد" reports three
    kinds of strike, three events (ACLED codes each); all are the trigger's actor's, and each item's own
    side is the one hit. A list needs two items at least, each opened by "منها"/"ومنها"/"وحتى".
    """
    words, b = s.d.words, s.b
    norms, starts, ends = words.norms, words.starts, words.ends
    colon = c.trigger[1]  # the colon ends the phrase of the trigger: "غارات على ريف إدلب: منها ..."
    while colon < min(b, c.trigger[1] + _LIST_INTRO_WORDS) and words.kinds[colon] != "punct":
        colon += 1
    if colon + 1 >= b or norms[colon] != ":" or norms[colon + 1] not in ("منها", "بعضها"):
        return [e]
    openers = [colon + 1] + [k for k in range(colon + 2, b) if norms[k] in _ITEM_OPENERS]
    if len(openers) < 2:
        return [e]
    actor1_id = (e["actor1"] or {}).get("actor_id")
    sides = s.sides_hit()[0]
    fatal_at = e["fields"].get("fatalities", {}).get("start")
    items = []
    for n, lo in enumerate(openers):
        hi = openers[n + 1] if n + 1 < len(openers) else b
        while hi - 1 > lo and words.kinds[hi - 1] == "punct":
            hi -= 1
        lo_c, hi_c = starts[lo], ends[hi - 1]
        item = _deep_copied(e)
        item["fields"]["type"]["rule"] += "+listed"
        item["fields"]["item"] = {"rule": "listed-after-colon", "words": s.d.doc.text[lo_c:hi_c], "start": lo_c, "end": hi_c}
        hit = next((x for x in sides if lo_c <= x.start and x.end <= hi_c and (
            actor1_id is None or x.data.get("actor_id") != actor1_id)), None)
        item["actor2"] = _actor_dict(hit) if hit is not None else None
        item["fields"].pop("actor2", None)
        if hit is not None:
            item["fields"]["actor2"] = {"rule": "listed-item-side"}
        own_place = next((p for p in s.placeable() if lo_c <= p.start and p.end <= hi_c), None)
        if own_place is not None:  # "ومنها على سوق شعبي في سراقب": the item's own place
            item["location"] = _place_dict(own_place)
            item["fields"]["location"] = {"rule": "listed-item-place"}
        if fatal_at is not None and not lo_c <= fatal_at < hi_c:
            item["fatalities"] = None
            item["fields"].pop("fatalities", None)
        item["item"] = (e["trigger"]["start"], n)
        items.append(item)
    return items


_ATOMS = (str, int, float, bool, type(None))


def _deep_copied(x: Any, memo: dict[int, Any] | None = None) -> Any:
    """``copy.deepcopy(x)`` for an event: its dicts, lists and plain values (all it holds) without
    deepcopy's dispatch per value; other objects are left to deepcopy. Shared parts stay shared.
    (Keys are kept, not copied: a key is hashable, so it cannot change.)"""
    if memo is None:
        memo = {}
    kind = type(x)
    if kind in _ATOMS:
        return x
    if kind is dict:
        done = memo.get(id(x))
        if done is None:
            done = memo[id(x)] = x.copy()  # the plain values as they are (most of an event)
            for k, v in x.items():
                if type(v) not in _ATOMS:  # then each nested value replaced by its copy
                    done[k] = _deep_copied(v, memo)
        return done
    if kind is list:
        done = memo.get(id(x))
        if done is None:
            done = memo[id(x)] = []
            done.extend(v if type(v) in _ATOMS else _deep_copied(v, memo) for v in x)
        return done
    return copy.deepcopy(x, memo)


def _choose(candidates: list[Candidate], clause: Clause, g: Grammar,
            norms: list[str]) -> tuple[list[Candidate], dict[str, Candidate]]:
    """The strong candidates of a sentence, and the events it reports: one candidate per sub-event type."""
    if len(candidates) == 1:  # most sentences: the one candidate is the event, as _choose_among finds
        c = candidates[0]
        return ([c] if c.strength == "strong" else []), {c.sub_event: c}
    return _choose_among(candidates, clause, g, norms)


def _choose_among(candidates: list[Candidate], clause: Clause, g: Grammar,
                  norms: list[str]) -> tuple[list[Candidate], dict[str, Candidate]]:
    """:func:`_choose` by its rules (a general word beside a specific one, a riot over a protest, ...)."""
    strong = [c for c in candidates if c.strength == "strong"]
    strong_types = {EVENT_TYPES[c.sub_event] for c in strong}
    violent_strong = bool(strong_types & _VIOLENT_SET)
    captures = bool(strong) and {c.sub_event for c in strong} <= _TERRITORY_SET
    weak = [c for c in candidates if c.strength != "strong" and not c.rules[0].startswith("killing")
            and (EVENT_TYPES[c.sub_event] not in strong_types  # "الضربات" after "ضربات التحالف"
                 and not (violent_strong and c.rules[0].startswith("attack"))  # "الضربات التي استهدفت": the strike
                 # ... but the fighting that led to a capture is a battle of its own ("إثر الهجوم العسكري ... استعادة السيطرة")
                 or captures and c.sub_event == "Armed clash")
            and not any(abs(c.trigger[0] - s.trigger[0]) <= 4 for s in strong)]
    # "هجوم داعش في بداية المعركة، على مخيم للنازحين": an attack on civilians stands beside the battle
    targeted = [c for c in candidates if c.rules[0] == "attack" and c not in weak
                and clause.has(g, "attacked_civilians", c.trigger[1], c.trigger[1] + 8) is not None
                and not any(s.sub_event == "Attack" for s in strong)]
    weak += targeted[:1]
    kept = [c for c in strong if not (c.sub_event == "Other" and len(strong) > 1 and c.rules[0] != "explosion+nuclear")]
    if weak:  # general words away from specific ones: one event, the most specific reading
        kept.append(min(weak, key=lambda c: _WEAK_PRIORITY.get(c.rules[0].split("+")[0], 9)))
    if not kept:  # a killing on its own; soldiers or fighters among the dead make it a clash
        kept = [next((c for c in candidates if c.rules[0] == "killing+combatants"), candidates[0])]
    by_type: dict[str, Candidate] = {}
    for c in kept:
        by_type.setdefault(c.sub_event, c)
    if "Violent demonstration" in by_type or "Excessive force against protesters" in by_type:
        by_type.pop("Peaceful protest", None)  # the protest is the riot, not a second event
    if "Violent demonstration" in by_type:  # ACLED: violent protesters make a riot, whatever force met them
        for sub in ("Excessive force against protesters", "Protest with intervention", "Looting/property destruction"):
            by_type.pop(sub, None)  # "المتظاهرين بحرق مجلس": the burning is the riot
    if "Agreement" in by_type:  # "اتفاق على انسحاب المسلحين": the withdrawal is what was agreed
        by_type.pop("Non-violent transfer of territory", None)
    if "Disrupted weapons use" in by_type:  # "فككت القوات عبوة ناسفة": defused, not exploded
        for sub in ("Remote explosive/landmine/IED", "Shelling/artillery/missile attack", "Air/drone strike", "Suicide bomb"):
            by_type.pop(sub, None)
        stopped = by_type["Disrupted weapons use"].trigger[0]
        for sub in ("Attack", "Armed clash"):  # "تعترض صاروخا من اليمن استهدف نجران": what the stopped weapon aimed at
            c = by_type.get(sub)
            if c is not None and c.rules[0].startswith("attack") and c.trigger[0] > stopped and \
                    clause.has(g, "aimed", c.trigger[0], c.trigger[1]) is not None:
                by_type.pop(sub)
    if strong and {c.sub_event for c in strong} <= _NON_LETHAL and not by_type.keys() & _LETHAL_KINDS:
        # "اغتصبوا النساء وقتلوهن", "القبض على مشتبه به في مقتل عاملة": the killing is an event of its own
        lone = next((c for c in candidates if c.rules[0].startswith("killing")), None)
        if lone is not None and any(c.sub_event == "Sexual violence" and 0 <= lone.trigger[0] - c.trigger[1] <= 1
                                    and norms[lone.trigger[0]].startswith("و") for c in strong):
            lone = None  # "تعرضت للاغتصاب والقتل": one assault, its dead counted in it
        if lone is not None:
            if lone.sub_event == "Excessive force against protesters":  # "مظاهرات تؤدي لمقتل متظاهر": one protest
                for sub in ("Peaceful protest", "Protest with intervention"):
                    by_type.pop(sub, None)
            by_type.setdefault(lone.sub_event, lone)
    if not strong and by_type and all(EVENT_TYPES[s] == "Strategic developments" for s in by_type):
        # "تنديد بالإفراج عن جندي قتل جريحا": the killing the release story names is an incident of its own
        lone = next((c for c in candidates if c.rules[0].startswith("killing")), None)
        if lone is not None:
            by_type.setdefault(lone.sub_event, lone)
    return strong, by_type


def _read_sentence(g: Grammar, norms: list[str], a: int, b: int, s_actors_all: list[Any], sources: frozenset[str],
                   speakers: list[tuple[int, int]]) -> tuple[Clause, list[Any], list[Any]]:
    """A sentence's clause (its bare words and cue positions), its actors, and those that can act in an event."""
    bares, firsts = sentence_cues(g, norms, a, b)
    return Clause(bares, a, firsts), s_actors_all, _acting(s_actors_all, sources, speakers)


def _acting(actors: list[Any], sources: frozenset[str], speakers: list[tuple[int, int]]) -> list[Any]:
    """The actors that can act in an event, in order: who speaks is not who acts, so an unarmed claim
    speaker (a rights group, a newspaper) is no event actor, nor is a source (a monitor)."""
    native = speedups()
    if native is not None and type(actors) is list and type(speakers) is list:  # the same filter in C
        return native.acting(actors, sources, speakers, _COMBATANTS)
    out = []
    for x in actors:
        data = x.data
        if data.get("actor_id") in sources:
            continue
        if speakers and data.get("category") not in _COMBATANTS:
            start = x.start
            for sp_start, sp_end in speakers:
                if sp_start <= start < sp_end:
                    break
            else:
                out.append(x)
            continue
        out.append(x)
    return out


_CAPTURES = frozenset(("Government regains territory", "Non-state actor overtakes territory"))
_OBJECT_REACH = 4  # words after a capture trigger in which the place it took stands ("حررت القوات قرية هجين")
_LIST_INTRO_WORDS = 6  # words of a description that introduces a list with a colon ("والقريتين الجنوبيتين من المنطقة:")


def _word_at(words: Words, offset: int) -> int:
    return bisect_left(words.starts, offset)


def _listed_places(c: Candidate, specific: list[Any], words: Words, b: int, g: Grammar, clause: Clause) -> list[Any]:
    """The places a capture trigger took, in order: the first specific place right after it, and the
    places listed after that one ("هجين، والسوسة والباغوز", "هجين، والقريتين الجنوبيتين: السوسة والباغوز").

    A listed place follows the previous one across a conjunction, punctuation or a settlement noun
    ("وقرية"), or across a short description that ends in a colon; a place in another province
    than the first is no member of the list (a common word the gazetteer read as a town).
    """
    norms, kinds = words.norms, words.kinds
    first = next((p for p in specific if c.trigger[1] <= _word_at(words, p.start) <= c.trigger[1] + _OBJECT_REACH), None)
    if first is None:
        return []
    out, admin1 = [first], first.data.get("admin1")
    for p in specific:
        if p.start < out[-1].end:
            continue
        if admin1 and p.data.get("admin1") and p.data.get("admin1") != admin1:
            continue
        lo, hi = _word_at(words, out[-1].end), _word_at(words, p.start)
        if hi > b:
            break
        gap = range(lo, hi)
        if any(words.is_barrier(k) and norms[k] != ":" or norms[k] in g.trigger_words and g.trigger_at(norms, k) for k in gap):
            break
        joined = all(kinds[k] == "punct" and norms[k] != ":" or clause.bares[k - clause.start] == "و"
                     or clause.has(g, "settlement_nouns", k, k + 1) == k for k in gap)
        colon = [k for k in gap if norms[k] == ":"]
        introduced = len(colon) == 1 and len(gap) <= _LIST_INTRO_WORDS + 2 and (
            norms[lo] in (",", "،") or norms[lo].startswith("و")) and all(kinds[k] == "punct" for k in range(colon[0], hi))
        if not (joined or introduced):
            break
        out.append(p)
    return out


def _captures_by_place(made: list[dict[str, Any]], strong: list[Candidate], specific: list[Any], words: Words, a: int,
                       b: int, g: Grammar, clause: Clause, captured: tuple[int, list[Any], Any],
                       number: int) -> tuple[list[dict[str, Any]], tuple[int, list[Any], Any]]:
    """Captures, one event for each place taken (ACLED codes an event per location).

    Each capture trigger of the sentence takes the places listed right after it ("استعادة السيطرة
    على تل خطرة وبسط السيطرة على تل مسيطف": two events). A capture in a sentence that names no place
    took back the places of the capture just before it ("حررت القوات قرية هجين ... استطاعت داعش
    استعادة المناطق المحررة"), from the side that took them. Returns the events and (sentence,
    places taken, who took them) of this sentence's captures, else ``captured`` unchanged.
    """
    out: list[dict[str, Any]] = []
    taken: list[Any] = []
    taker = None
    for e in made:
        out.append(e)
        sub = e["sub_event_type"]
        if sub not in _CAPTURES:
            continue
        rule = "sentence-place"
        places: list[Any] = []
        for c in sorted((c for c in strong if c.sub_event == sub), key=lambda c: c.trigger[0]):
            places += [p for p in _listed_places(c, specific, words, b, g, clause) if p not in places]
        if not specific and captured[0] >= number - 1 and captured[1]:
            places, rule = list(captured[1]), "previous-capture"
            loser = captured[2]  # who took them just before loses them now
            if e["actor2"] is None and loser is not None and e["actor1"] is not None and \
                    loser.get("actor_id") not in (None, e["actor1"].get("actor_id")):
                e["actor2"], e["fields"]["actor2"] = loser, {"rule": "previous-capture"}
        elif places and not taker:
            taker = e["actor1"]
        taken += places
        if len(places) < 2 and rule == "sentence-place":
            continue
        here = e["location"]
        if rule == "previous-capture" or here is None or not any(p.start == here["start"] for p in places):
            e["location"], e["fields"]["location"] = _place_dict(places[0]), {"rule": rule}
        for p in places:
            if p.start == e["location"]["start"]:
                continue
            clone = {**e, "location": _place_dict(p), "fatalities": None,
                     "fields": {**{k: v for k, v in e["fields"].items() if k != "fatalities"}, "location": {"rule": rule}}}
            out.append(clone)
    return out, ((number, taken, taker) if taken else captured)


_TIME_PRECISION = {"day": 1, "week": 2, "month": 2}  # a date's precision -> ACLED's time precision (else 3)
_HEADLINE_WORDS = 12  # a first line this short, ended by a line break, is the document's headline


def _focus_place(places: list[Any], text: str = "", lead_end: int = 0) -> Any | None:
    """The place a document is about: the specific place (town or region, not a country) of its
    headline, else of its lead sentence (``lead_end``), else its most named one.

    "«جيب التحالف الداعشي» في دير الزور" above an article whose sentences name Hajin three times:
    the story is placed in Deir ez-Zor, and so are its incidents that name no place of their own.
    """
    specific = [p for p in places if (p.data.get("feature_code") or "") not in ("PCLI", "ADM1")]
    if not specific:
        return None
    line_end = text.find("\n")
    if 0 < line_end and len(text[:line_end].split()) <= _HEADLINE_WORDS and text[line_end + 1:].strip():
        headline = [p for p in specific if p.end <= line_end]
        if headline:
            return headline[0]
    if lead_end:
        lead = [p for p in specific if p.end <= lead_end]
        if lead:
            return lead[0]
    counts: dict[Any, int] = {}
    first: dict[Any, Any] = {}  # each key's first place
    for p in specific:
        key = p.data.get("geonameid") or p.data.get("name")
        if key in counts:
            counts[key] += 1
        else:
            counts[key], first[key] = 1, p
    return first[max(counts, key=counts.__getitem__)]  # the first of the most named, as Counter.most_common(1)


class _DocFacts:
    """What every sentence of a document reads alike: its claims as spans, and its focus place,
    found only when an event needs it (most events have a place of their own)."""

    __slots__ = ("_focus", "_focus_known", "_places", "claim_rows", "claims", "claims_of", "contents_of", "dateline", "doc",
                 "entities", "g", "persons", "published", "words")

    def __init__(self, doc, words: Words, g: Grammar, claims: list[Any], entities: list[Any],  # noqa: ANN001
                 published: Any, places: list[Any]) -> None:
        self.doc, self.words, self.g, self.claims, self.entities, self.published = doc, words, g, claims, entities, published
        self.persons = [e for e in entities if e.label == "PERS"]  # the only entities a count of the dead reads
        self.dateline = published.isoformat() if published is not None else None  # the date of events that name none
        # (content start, content end, claim) of each claim, in layer order
        self.claim_rows = [(cl.data["content"]["start"], cl.data["content"]["end"], cl) for cl in claims]
        # sentence number -> the claims a trigger of it may stand in / the claim rows whose content overlaps it
        self.claims_of: dict[int, list[tuple[Any, Any]]] = {}
        self.contents_of: dict[int, list[tuple[Any, Any, Any]]] = {}
        self._places, self._focus, self._focus_known = places, None, False

    def spread_claims(self, s_starts: list[int], s_ends: list[int]) -> None:
        """Fill ``claims_of`` and ``contents_of`` for the sentences with these first and last characters:
        each claim goes to the sentences it concerns (by bisect where the sentences are in order), in
        layer order, instead of every sentence testing every claim."""
        claims_of, contents_of = self.claims_of, self.contents_of
        if not self.claim_rows:
            return
        if s_starts != sorted(s_starts) or s_ends != sorted(s_ends):  # not expected: test every pair
            for j, (s_start, s_end) in enumerate(zip(s_starts, s_ends)):
                for cs, ce, cl in self.claim_rows:
                    if cs < s_end and s_start < ce:
                        contents_of.setdefault(j, []).append((cs, ce, cl))
                    if cl.start >= s_start and cl.end <= s_end + 1:
                        claims_of.setdefault(j, []).append((cl, ce))
            return
        for cs, ce, cl in self.claim_rows:
            for j in range(bisect_right(s_ends, cs), bisect_left(s_starts, ce)):  # cs < s_end and s_start < ce
                contents_of.setdefault(j, []).append((cs, ce, cl))
            for j in range(bisect_left(s_ends, cl.end - 1), bisect_right(s_starts, cl.start)):  # inside it (+1)
                claims_of.setdefault(j, []).append((cl, ce))

    def focus(self) -> Any | None:
        """:func:`_focus_place` of the document."""
        if not self._focus_known:
            self._focus, self._focus_known = _focus_place(self._places, self.doc.text, self.doc.sentences[0].end if self.doc.sentences else 0), True
        return self._focus


class _SentenceFacts:
    """What every event of one sentence reads alike, computed once for the sentence (a sentence
    often holds several events): its sides and which of them are hit, its places that can be
    where an event happened, the agent markers in it, the country its "الأراضي الليبية" names."""

    __slots__ = (
        "_land",
        "_land_known",
        "_markers",
        "_other",
        "_placeable",
        "_sides_hit",
        "a",
        "b",
        "claims",
        "clause",
        "contents",
        "d",
        "dates",
        "killing",
        "numbers",
        "places",
        "s_actors",
        "s_end",
        "s_start",
        "specific",
    )

    def __init__(self, d: _DocFacts, a: int, b: int, s_actors: list[Any], places: list[Any], dates: list[Any],  # noqa: PLR0913
                 numbers: list[Any], clause: Clause, killing: list[Candidate], specific: list[Any], number: int) -> None:
        self.d, self.a, self.b = d, a, b
        self.s_start, self.s_end = d.words.starts[a], d.words.ends[b - 1]
        self.s_actors, self.places, self.dates, self.numbers = s_actors, places, dates, numbers
        self.clause, self.killing, self.specific = clause, killing, specific
        # the claims a trigger of the sentence may stand in, without its own content: (claim, its content end)
        self.claims = d.claims_of.get(number, [])
        # the claims (content start, content end, claim) whose contents overlap the sentence: only these can
        # hold a trigger or a place of it
        self.contents = d.contents_of.get(number, [])
        self._other: list[_Side] | None = None
        self._sides_hit: tuple[list[Any], list[bool]] | None = None
        self._placeable: list[Any] | None = None
        self._markers: list[tuple[str, list[int]]] | None = None
        self._land: _Side | None = None
        self._land_known = False

    def other_sides(self) -> list[_Side]:
        """:func:`_other_sides` of the sentence."""
        if self._other is None:
            d = self.d
            self._other = _other_sides(d.doc, d.words, self.a, self.b, self.places, d.entities, d.g, self.clause)
        return self._other

    def sides_hit(self) -> tuple[list[Any], list[bool]]:
        """The sentence's sides (its actors, else :meth:`other_sides`) and, for each, whether it is the one hit."""
        if self._sides_hit is None:
            sides = self.s_actors or self.other_sides()
            self._sides_hit = (sides, self.targets(sides))
        return self._sides_hit

    def targets(self, sides: list[Any]) -> list[bool]:
        """:meth:`is_target` of each side, in one loop (in C where it was built)."""
        words, a, b = self.d.words, self.a, self.b
        starts, norms, bares = words.starts, words.norms, self.clause.bares
        native = speedups()
        if native is not None and type(sides) is list and type(starts) is list and type(norms) is list:
            return native.side_targets(sides, starts, norms, bares, a, b, _TARGET_MARKERS, "لل")
        n = len(norms)
        out = []
        for x in sides:
            k = bisect_left(starts, x.start)
            if k >= n:
                out.append(False)
            else:
                out.append((bares[k - 1 - a] if a < k <= b else "") in _TARGET_MARKERS or norms[k].startswith("لل"))
        return out

    def is_target(self, x: Any) -> bool:
        """"هجوم على حاجز للجيش": an actor after "على"/"ضد", or written with "لل", is the one hit."""
        words, a, b = self.d.words, self.a, self.b
        k = bisect_left(words.starts, x.start)
        if k >= len(words.norms):
            return False
        prev = self.clause.bares[k - 1 - a] if a < k <= b else ""  # the word before the sentence counts as none
        return prev in _TARGET_MARKERS or words.norms[k].startswith("لل")

    def markers(self) -> list[tuple[str, list[int]]]:
        """(agent marker, the offsets where it stands whole in the sentence), for the markers in it."""
        if self._markers is None:
            text, s_start, s_end = self.d.doc.text, self.s_start, self.s_end
            native = speedups()
            if native is not None:  # the same scan in C
                self._markers = native.markers_in(text, _AGENT_MARKERS, s_start, s_end)
                return self._markers
            found = []
            for marker in _AGENT_MARKERS:
                k = text.find(marker, s_start, s_end)
                at = []
                while k >= 0:
                    at.append(k)
                    k = text.find(marker, k + 1, s_end)
                if at:
                    found.append((marker, at))
            self._markers = found
        return self._markers

    def placeable(self) -> list[Any]:
        """The sentence's specific places that are no part of a group's name (see :func:`_unnamed_places`)."""
        if self._placeable is None:
            d = self.d
            self._placeable = _unnamed_places(self.specific, d.words, self.a, self.b, self.clause, d.g)
        return self._placeable

    def land(self) -> _Side | None:
        """:func:`_national_territory` of the sentence."""
        if not self._land_known:
            self._land, self._land_known = _national_territory(self.d.doc, self.d.words, self.a, self.b,
                                                                        self.clause.bares), True
        return self._land


def _arguments(c: Candidate, s: _SentenceFacts) -> dict[str, Any]:  # noqa: C901 - one event's fields, in order
    """An event's fields from its sentence."""
    d = s.d
    doc, words, g, clause, s_actors, killing = d.doc, d.words, d.g, s.clause, s.s_actors, s.killing
    a, b, s_start, s_end = s.a, s.b, s.s_start, s.s_end
    starts, ends = words.starts, words.ends
    t_start, t_end = starts[c.trigger[0]], ends[c.trigger[1] - 1]
    text = doc.text
    evidence = {"start": s_start, "end": s_end, "text": text[s_start:s_end]}
    fields: dict[str, dict[str, Any]] = {"type": {"rule": c.rules[0], "words": text[t_start:t_end],
                                                  "start": t_start, "end": t_end}}
    # actors: an agent phrase ("على يد X") names actor1; else the nearest actor before the trigger
    actor1 = actor2 = None
    sides, hit = s.sides_hit()
    between = clause.has(g, "between", c.trigger[1], c.trigger[1] + 2)
    if between is not None and between + 1 < b:  # "اشتباكات بين المليشيات", "اتفاق بين أمريكا و تركيا": its parties
        pool = sides if not s_actors else s_actors + [x for x in s.other_sides()
                                                      if not any(y.start < x.end and x.start < y.end for y in s_actors)]
        lo, hi = starts[between + 1], ends[min(between + 7, b - 1)]
        parties = sorted((x for x in pool if lo <= x.start and x.end <= hi), key=_start_of)
        if parties:
            actor1, fields["actor1"] = parties[0], {"rule": "between"}
            if len(parties) > 1:
                actor2, fields["actor2"] = parties[1], {"rule": "between"}
    for marker, at in s.markers() if actor1 is None else ():
        k = next((k for k in at if k >= t_end and k + len(marker) <= s_end), -1)  # text.find(marker, t_end, s_end)
        if k >= 0:
            after = [x for x in sides if x.start >= k + len(marker)]
            if after:
                actor1 = after[0]
                fields["actor1"] = {"rule": "agent-marker", "words": marker}
                break
    reacting = clause.has(g, "reacting", max(a, c.trigger[0] - 6), c.trigger[0]) if actor1 is None else None
    if reacting is not None:  # "الأمم المتحدة تدين غارة": who condemns or accuses is no side of the event
        cut = ends[reacting]
        hit = [t for x, t in zip(sides, hit) if x.start >= cut]  # (whether a side is hit depends on it alone)
        sides = [x for x in sides if x.start >= cut]
        if clause.has(g, "accusing", reacting, reacting + 1) is not None:  # "تتهم إيران بقصف": the accused did it
            accused = [x for x in sides if x.end <= t_start] or [
                x for x in s.other_sides() if ends[reacting] <= x.start and x.end <= t_start]
            if accused:
                actor1, fields["actor1"] = accused[0], {"rule": "accused"}
    if actor1 is None and c.subject is not None and c.subject[1] > c.subject[0]:
        s0, s1 = starts[c.subject[0]], ends[c.subject[1] - 1]
        subject = [x for x in sides if s0 <= x.start and x.end <= s1]
        if subject:  # "أوقف التحالف ضرباته": verb, subject, object
            actor1 = subject[0]
            fields["actor1"] = {"rule": "verb-subject"}
    if actor1 is None and c.trigger[1] < b and not c.rules[0].startswith("killing") and c.sub_event not in _VICTIM_OBJECT \
            and clause.bares[c.trigger[1] - a] in _nationalities() \
            and clause.has(g, "craft", c.trigger[1] - 1, c.trigger[1]) is None:
        # (_nisba_sides finds none unless the word after the trigger is a nationality)
        # "غارات إسرائيلية", "القصف الإسرائيلي", "اتفاق أمريكي تركي": a nationality after the trigger names who did it
        # (not after a killing, an arrest or a downed aircraft: "مقتل فلسطيني", "إسقاط طائرة إسرائيلية" name the one hit)
        by_nisba = _nisba_sides(doc, words, c.trigger[1], b, s_actors)
        if by_nisba:
            actor1, fields["actor1"] = by_nisba[0], {"rule": "nationality-after-trigger"}
            if len(by_nisba) > 1:
                actor2, fields["actor2"] = by_nisba[1], {"rule": "nationality-after-trigger"}
    if actor1 is None:
        for x in sides:
            if t_start <= x.start and x.end <= t_end:  # "ضربات التحالف": the coalition's strikes
                actor1 = x
                fields["actor1"] = {"rule": "in-trigger"}
                break
    before: list[Any] = []
    after_t: list[Any] = []
    targets: list[Any] = []
    for x, t in zip(sides, hit):  # one pass for the three lists
        if t:
            targets.append(x)
        else:
            if x.end <= t_start:
                before.append(x)
            if x.start >= t_end:
                after_t.append(x)
    if actor1 is None and before:
        actor1 = before[-1]
        fields["actor1"] = {"rule": "nearest-before"}
    if actor1 is None and after_t:
        actor1 = after_t[0]
        fields["actor1"] = {"rule": "first-after"}
    if actor1 is None:
        others = targets + after_t + before[::-1]
    else:  # a side other than actor1, and not actor1 named again
        a1_id, a1_text = actor1.data.get("actor_id"), actor1.text
        others = [x for x in targets + after_t + before[::-1] if x is not actor1 and (
                  (x_id := x.data.get("actor_id")) != a1_id or x_id is None and x.text != a1_text)]
    if others and clause.has(g, "subordinators") is not None:
        # "استعادت داعش المناطق بعد أن أوقف التحالف ضرباته": a side in another clause of the sentence,
        # across "بعد أن", "عندما", "ولكن", is no party to this event
        def apart(x: Any) -> bool:
            k = bisect_left(starts, x.start)
            lo, hi = (c.trigger[1], k) if x.start >= t_end else (bisect_left(starts, x.end), c.trigger[0])
            return clause.has(g, "subordinators", lo, hi) is not None
        others = [x for x in others if not apart(x)]
    if others and actor2 is None:
        actor2 = others[0]
        fields["actor2"] = {"rule": "other-side"}
    if c.rules[0].endswith("+massing"):
        actor2 = _ally(c, s, sides, actor1)
        fields.pop("actor2", None)
        if actor2 is not None:
            fields["actor2"] = {"rule": "massing-ally"}
    if actor1 is not None and actor1.data.get("category") == "Civilians" and \
            EVENT_TYPES[c.sub_event] in _VIOLENT:  # victims are the target, not the actor
        actor1, actor2 = (actor2 if actor2 is not None and actor2.data.get("category") != "Civilians" else None), actor1
        fields["actor1"], fields["actor2"] = {"rule": "victims-are-actor2"}, {"rule": "victims-are-actor2"}
        if actor1 is None:
            fields.pop("actor1")
    if actor2 is None and (killing or c.sub_event in _VICTIM_OBJECT):  # the one named right after a killing word was hit
        victim = _victim(doc, words, c, killing, b, clause, g, s_actors, d.entities)
        if victim is not None and actor1 is not None and victim.start < actor1.end and actor1.start < victim.end \
                and fields["actor1"]["rule"] in ("nearest-before", "first-after"):
            actor1 = None  # "مقتل 9 من قوات الحرس الوطني في هجوم": the dead were hit, they did not attack
            fields.pop("actor1")
        if victim is not None and (actor1 is None or not (victim.start < actor1.end and actor1.start < victim.end)):
            actor2, fields["actor2"] = victim, {"rule": "victim-after-trigger"}
    claim = None
    for cs, ce, cl in s.contents:  # (a content that holds the trigger overlaps its sentence)
        if cs <= t_start < ce:
            claim = cl
            break
    else:
        # a claim of the sentence, unless it ended before the trigger: "يقول ” ... ” حينما سمح لهم" is the writer's again
        for cl, ce in s.claims:
            if not (ce < t_start and ce < s_end - 1 and cl.end <= t_start):
                claim = cl
                break
    if actor1 is None and claim is not None and claim.data.get("stance") != "accuse" and reacting is None:
        sp = claim.data["speaker"]
        speaker_actor = next((x for x in doc.layer("actors") if x.start < sp["end"] and sp["start"] < x.end), None)
        if speaker_actor is not None and speaker_actor.data.get("category") in _ARMED \
                and speaker_actor.data.get("actor_id") not in _source_actors():  # "أعلنت كتائب القسام ..."
            actor1 = speaker_actor
            fields["actor1"] = {"rule": "claim-speaker"}
    # location: the most specific place of the sentence, nearest the trigger; else the focus
    s_places = s.placeable()
    if s_places and s.contents:  # not a place in a reported statement that does not report the event
        elsewhere = [(cs, ce) for cs, ce, _cl in s.contents if not cs <= t_start < ce]
        if elsewhere:
            s_places = [p for p in s_places if not any(x <= p.start and p.end <= y for x, y in elsewhere)]
    location, precision_floor = None, None
    if s_places:
        def rank(p: Any) -> tuple:
            code = p.data.get("feature_code") or ""
            broad = 2 if code == "PCLI" else 1 if code in ("ADM1", "RGN") else 0
            near = 0 if 0 <= p.start - t_end <= _NEAR_CHARS else 1 if 0 <= t_start - p.end <= _NEAR_CHARS else 2
            return (broad == 2, near == 2, broad, near, abs(p.start - t_end))  # a country only as a last resort
        location = min(s_places, key=rank) if len(s_places) > 1 else s_places[0]
        fields["location"] = {"rule": "sentence-place"}
        # "استيقظت بيروت ... في مرفأ بيروت": a longer name that holds the chosen one is the more specific place
        if len(s_places) > 1:
            core = _normalized_name(location.text)
            longer = [q for q in s_places if q is not location and len(q.text) > len(location.text)
                      and q.data.get("feature_code") != "PCLI" and _normalized_name(q.text).endswith(" " + core)]
            if longer:
                location = longer[0]
                fields["location"] = {"rule": "sentence-place+longer-name"}
    elif (land := s.land()) is not None:  # "داخل الأراضي الليبية": the country
        location = land
        fields["location"] = {"rule": "national-territory"}
    elif (focus := d.focus()) is not None:
        location, precision_floor = focus, 2
        fields["location"] = {"rule": "document-focus"}
    # date: the sentence's date, else the dateline
    s_dates = s.dates
    date_value, time_precision = None, None
    if s_dates:
        dt = min(s_dates, key=lambda dt: abs(dt.start - t_start)) if len(s_dates) > 1 else s_dates[0]
        date_value = str(dt.data["value"])
        time_precision = _TIME_PRECISION.get(dt.data.get("precision") or "", 3)
        fields["date"] = {"rule": "sentence-date", "words": dt.text}
    elif d.dateline is not None:
        date_value, time_precision = d.dateline, 1
        fields["date"] = {"rule": "dateline"}
    if date_value and len(date_value) > 10:
        date_value = date_value[:10]
    # fatalities: people killed in the sentence, nearest the trigger; one named victim is one
    fatalities = _fatalities(doc, words, c, killing, (a, b), s.numbers, d.persons, g, clause, fields)
    sub = c.sub_event
    out: dict[str, Any] = {
        "event_type": EVENT_TYPES[sub],
        "sub_event_type": sub,
        "evidence": evidence,
        "trigger": {"start": t_start, "end": t_end, "text": text[t_start:t_end]},
        "actor1": _actor_dict(actor1) if actor1 is not None else None,
        "actor2": _actor_dict(actor2) if actor2 is not None else None,
        "location": _place_dict(location, precision_floor) if location is not None else None,
        "date": date_value,
        "time_precision": time_precision,
        "fatalities": fatalities,
        "civilian_targeting": False,  # set by _finish() from the final actors
        "attributed": claim is not None,
        "claim_speaker": claim.data["speaker"] if claim is not None else None,
        "confidence": _CONFIDENCE[c.strength == "strong", actor1 is not None,
                                  location is not None and precision_floor is None],
        "fields": fields,
    }
    return out


def _ally(c: Candidate, s: _SentenceFacts, sides: list[Any], actor1: Any) -> Any | None:
    """The second side of a build-up: the ally named with the one massing, if any.

    "حشد التحالف الدولي – وحليفها على الأرض في قتال داعش قوات سوريا الديمقراطية –، الآلاف ... والتي وصلت
    خطوط التماس الأولى مع تنظيم داعش": the forces gathered hit no one, so the enemy they face is no side;
    the ally is the first side after "حليف" that no "قتال"/"ضد" governs.
    """
    d, clause = s.d, s.clause
    ally = clause.has(d.g, "allies", c.trigger[1], s.b)
    if ally is None:
        return None
    starts, after = d.words.starts, d.words.ends[ally]
    own = (actor1.data.get("actor_id") if actor1 is not None else None)
    for x in sides:
        if x.start < after or x is actor1 or (own is not None and x.data.get("actor_id") == own):
            continue
        k = bisect_left(starts, x.start)
        if clause.has(d.g, "fighting", k - 1, k) is None:
            return x
    return None


def _confidence(strong: bool, acted: bool, placed: bool) -> float:
    """An event's confidence: from the strength of its trigger, whether it has an actor, whether its
    place is its own (not the document's focus)."""
    confidence = 0.75 if strong else 0.55
    confidence += 0.1 if acted else -0.1
    confidence += 0.05 if placed else -0.05
    return round(max(0.05, min(0.95, confidence)), 2)


# the eight values, computed once (every event takes one)
_CONFIDENCE = {(s, a, p): _confidence(s, a, p) for s in (False, True) for a in (False, True) for p in (False, True)}


def _unnamed_places(s_places: list[Any], words: Words, a: int, b: int, clause: Clause, g: Grammar) -> list[Any]:
    """The places of a sentence that can be where its event happened: not a place in a group's name
    ("مسلحو أحرار الشام", "فيلق الرحمن": the head before it is in construct state).

    (Nor one inside a reported statement that does not report the event, "تخلي قياديين ... وصرح
    الوزير بأن هذه القوات يتم نقلها إلى مناطق آسيا": that test depends on the event, and
    :func:`_arguments` makes it; this one is the same for every event of a sentence.)
    """
    if clause.has(g, "group_name_heads") is None:  # most sentences: no group's name can hold a place
        return list(s_places)
    out = []
    for p in s_places:
        k = bisect_left(words.starts, p.start)
        if a < k <= b:
            head = words.norms[k - 1][1:] if words.norms[k - 1][:1] in "وف" else words.norms[k - 1]
            if not head.startswith(("ال", "لل")) and (clause.has(g, "group_name_heads", k - 1, k) == k - 1 or (
                    k - 2 >= a and clause.has(g, "group_name_heads", k - 2, k) == k - 2 and
                    clause.has(g, "group_name_heads", k - 2, k - 1) is None)):
                continue  # "أحرار الشام", "هيئة تحرير الشام"
        out.append(p)
    return out


_start_of = attrgetter("start")  # an annotation's start, as a sort key


def _specific_places(places: list[Any], start: int, end: int) -> list[Any]:
    """The places inside ``[start, end)`` that no longer place name holds: "مرفأ بيروت" holds "بيروت",
    and the longer name is the more specific place."""
    return _most_specific([p for p in places if _in(p, start, end)])


def _most_specific(inside: list[Any]) -> list[Any]:
    """:func:`_specific_places` of places that all lie in the range (a sentence's own places)."""
    if len(inside) < 2:
        return inside
    reach = -1
    for p in sorted(inside, key=_start_of):
        if p.start < reach:
            break  # two overlap: look closer
        reach = max(reach, p.end)
    else:
        return inside  # no two overlap, so none holds another
    return [p for p in inside if not any(q is not p and q.start <= p.start and p.end <= q.end
                                         and q.end - q.start > p.end - p.start for q in inside)]


_LANDS = frozenset(("اراضي", "ارض"))


def _national_territory(doc, words: Words, a: int, b: int, bares: list[str]) -> _Side | None:  # noqa: ANN001
    """ "الأراضي الليبية" (the Libyan territory) in a sentence that names no place: that country, as a place
    (``bares``: the sentence's words, bare)."""
    if _LANDS.isdisjoint(bares):  # most sentences: no "أراضي" at all
        return None
    nis = _nationalities()
    for i in range(a, b - 1):
        if bares[i - a] in _LANDS and words.kinds[i + 1] == "word":
            code = nis.get(bares[i + 1 - a])
            if code:
                start, end = words.starts[i], words.ends[i + 1]
                return _Side(start, end, doc.text[start:end], {"country": code, "feature_code": "PCLI", "precision": 3,
                                                                "name": doc.text[start:end], "from": "nationality"})
    return None


def _finish(e: dict[str, Any]) -> dict[str, Any]:
    """Fields derived from the final actors (after mentions were merged)."""
    e.pop("item", None)
    e["inter1"] = INTER_CODES.get((e["actor1"] or {}).get("category") or "", 0)
    e["inter2"] = INTER_CODES.get((e["actor2"] or {}).get("category") or "", 0)
    e["civilian_targeting"] = e["sub_event_type"] in ("Attack", "Sexual violence", "Abduction/forced disappearance") or (
        (e["actor2"] or {}).get("category") == "Civilians")
    return e


_PLURAL_ENDINGS = ("ين", "ون", "ات")
_NOT_VICTIM = frozenset(normalize_str(w) for w in "في على من إلى عن مع بعد قبل خلال داخل إثر جراء بسبب نتيجة منذ و".split())


def _fatalities(doc, words: Words, c: Candidate, killing: list[Candidate], sentence: tuple[int, int],  # noqa: ANN001, PLR0913
                numbers: list[Any], persons: list[Any], g: Grammar, clause: Clause, fields: dict) -> int | None:
    """People killed in this event, by ACLED's conservative rules; never the wounded.

    In order: a count of the killed in the sentence ("16 قتيلا"), nearest the trigger; a count
    right after a killing word ("يقتل 45 من عناصر", "مقتل 9 من"); one or two named or singular
    victims right after a killing word ("مقتل خاشقجي" = 1, "مقتل ضابط وجندي" = 2). ``numbers`` are
    the sentence's own; ``persons`` the document's entities (only those labelled PERS count).
    """
    a, b = sentence
    starts, ends, norms = words.starts, words.ends, words.norms
    t_start = starts[c.trigger[0]]
    s_numbers = numbers  # the sentence's own numbers (as its caller gives them)
    killed = [n for n in s_numbers if n.data.get("what") == "killed"]
    if killed:
        n = min(killed, key=lambda n: abs(n.start - t_start))
        fields["fatalities"] = {"rule": "killed-count", "words": n.text, "start": n.start, "end": n.end}
        return int(n.data["value"]) + _one_more(doc.text, words, n, killing)

    killers = killing + ([c] if c.rules[0].startswith("killing") and c not in killing else [])
    for k in killers:
        nxt = k.trigger[1]
        for n in s_numbers:
            if n.data.get("what") in (None, "other", "fighters", "civilians") and 0 <= n.start - ends[nxt - 1] <= 12:
                fields["fatalities"] = {"rule": "count-after-killing", "words": doc.text[starts[k.trigger[0]]:n.end],
                                        "start": starts[k.trigger[0]], "end": n.end}
                return int(n.data["value"])
        if nxt >= b or words.kinds[nxt] != "word":
            continue
        word = norms[nxt]
        if word.endswith("ين") and _DUAL_SUKUN in doc.text[starts[nxt]:ends[nxt]]:
            # "مقتل روسييْن": the sukun says dual (two), where "روسيين" alone could be any number
            fields["fatalities"] = {"rule": "dual-victims", "words": doc.text[starts[k.trigger[0]]:ends[nxt]]}
            return 2
        if clause.has(g, "not_victims", nxt, nxt + 1) == nxt and clause.has(g, "singular_victim", nxt, nxt + 1) is None:
            continue  # "بين قتيل وجريح", "قتلى وجرحى", "قتلوا الجميع": no count of the dead ("مقتل شخص" is one)
        if word in _NOT_VICTIM or word.endswith(_PLURAL_ENDINGS) and not any(
                e.label == "PERS" and e.start <= starts[nxt] < e.end for e in persons):
            continue
        victims = 1
        for j in range(nxt + 1, min(b, nxt + 5)):  # "ضابط وجندي", "أم حامل و طفلتها"
            apart = norms[j] == "و" and j + 1 < b  # the conjunction written apart: "و طفلتها"
            if apart:
                j += 1
            second = norms[j] if apart else norms[j][1:]
            if (apart or norms[j].startswith("و") and len(norms[j]) > 3) and words.kinds[j] == "word" \
                    and not second.endswith(_PLURAL_ENDINGS):
                if clause.has(g, "singular_victim", j, j + 1) is not None or second in ("طفلتها", "طفلها", "ابنه", "ابنها", "زوجته"):
                    victims = 2
                break
        fields["fatalities"] = {"rule": "named-victim" if victims == 1 else "two-victims",
                                "words": doc.text[starts[k.trigger[0]]:ends[nxt]]}
        return victims
    if not killers:
        return None  # (_victims_before_passive reads only the killing words)
    return _victims_before_passive(doc, words, killers, a, b, persons, g, clause, fields)


_DUAL_SUKUN = "\u064a\u0652\u0646"  # "يْن": a dual's ending written with its sukun


def _victims_before_passive(doc, words: Words, killers: list[Candidate], a: int, b: int,  # noqa: ANN001, PLR0913
                            persons: list[Any], g: Grammar, clause: Clause, fields: dict) -> int | None:
    """A victim named before a passive killing verb: "جمال خاشقجي قتل في القنصلية" is one dead,
    "جثماني فلسطينيين قتلا في يوم الأرض" two (the verb in the dual).

    The word after the verb must say where, when or how (``passive_after``) or end the sentence:
    after an active verb comes its object ("مسلح يقتل إسرائيليين"). The word before must be a
    person's name or a singular person noun (``singular_victim``), "قد" aside; a dual verb needs
    only a word before it.
    """
    starts, ends, norms, kinds = words.starts, words.ends, words.norms, words.kinds
    for k in killers:
        verb, nxt = k.trigger
        if nxt - verb != 1 or verb <= a or norms[verb].startswith(("ال", "وال")):
            continue  # a verb of one word, with a word before it; "القتل" is the noun
        if not (nxt >= b or kinds[nxt] == "punct" or clause.has(g, "passive_after", nxt, nxt + 1) == nxt):
            continue
        before = verb - 1
        if norms[before] == "قد" and before > a:
            before -= 1
        if kinds[before] != "word":
            continue
        dual = clause.has(g, "dual_killing_verbs", verb, verb + 1) == verb
        person = any(e.label == "PERS" and e.end == ends[before] for e in persons) or \
            clause.has(g, "singular_victim", before, before + 1) == before
        if not (person or dual):
            continue
        fields["fatalities"] = {"rule": "victim-before-passive", "words": doc.text[starts[before]:ends[verb]]}
        return 2 if dual else 1
    return None


_OTHERS = frozenset(normalize_str(w) for w in ("آخرين", "آخرون", "أخرين", "اخرين", "الآخرين"))


def _one_more(text: str, words: Words, n: Any, killing: list[Candidate]) -> int:
    """1 when a count of the killed is "N others" after a victim named before it, else 0.

    "مقتل ضابط و3 جنود آخرين" is four dead; "قتل باروخ ... ومقتل جنديين آخرين" three: the others
    are counted beside someone whose death the sentence reported first.
    """
    k = bisect_left(words.starts, n.end)
    for j in range(k, min(k + 2, len(words.norms))):  # "3 آخرين", "3 جنود آخرين"
        if words.norms[j] in _OTHERS:
            break
    else:
        return 0
    conjoined = n.text.startswith("و") or text[max(0, n.start - 2):n.start].strip().endswith("و")  # "ضابط و3 آخرين"
    before = [c for c in killing if words.ends[c.trigger[1] - 1] <= n.start]  # killing words before the count
    return 1 if before and (conjoined or len(before) > 1) else 0


def _merge(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One incident mentioned twice is one event.

    Two mentions are one event when they have the same sub-type and name the same place, or when one
    names no place and they stand in the same or neighbouring sentences. A killing reported on its own ("سقوط 59 قتيلا") belongs to the
    violent event of the document, if there is one. The kept record is the first mention; it
    gains the later mentions' missing actors and figures, and lists their evidence in ``mentions``.
    """
    def place_key(e: dict[str, Any]) -> str | None:
        loc = e["location"]
        if loc is None or e["fields"].get("location", {}).get("rule") not in ("sentence-place", "previous-capture"):
            return None
        return str(loc.get("geonameid") or _normalized_name(loc.get("name") or loc["text"]))

    def absorb(first: dict[str, Any], e: dict[str, Any]) -> None:
        first.setdefault("mentions", []).append(e["evidence"])
        for name in ("actor1", "actor2", "fatalities"):
            if first.get(name) is None and e.get(name) is not None:
                first[name] = e[name]
                first["fields"][name] = {**e["fields"].get(name, {}), "from_mention": True}
        if first["location"] is not None and place_key(first) is None and place_key(e) is not None:
            first["location"], first["fields"]["location"] = e["location"], e["fields"]["location"]

    def same_side(first: dict[str, Any], e: dict[str, Any]) -> bool:
        """Two sides that take a place are two incidents ("القوات حررت" / "داعش استعادت").

        A clash has two sides either of which may be named first, so there sharing one is enough.
        Other kinds of event are often credited to whoever announced them, so they are not split.
        """
        a, b = (first["actor1"] or {}).get("actor_id"), (e["actor1"] or {}).get("actor_id")
        if a is None or b is None or a == b or e["sub_event_type"] not in _TERRITORY + ("Armed clash",):
            return True
        if e["sub_event_type"] == "Armed clash":
            sides = {a, (first["actor2"] or {}).get("actor_id")} - {None}
            return bool(sides & ({b, (e["actor2"] or {}).get("actor_id")} - {None}))
        return False

    kept: list[dict[str, Any]] = []
    kept_keys: list[str | None] = []  # place_key() of each kept event (it changes only when it absorbs one)
    of_type: dict[str, list[int]] = {}  # sub-event type -> the indices in kept of its events, in order
    for e in events:
        key = place_key(e)
        same_type = of_type.get(e["sub_event_type"])
        for j in same_type or ():  # only events of the same sub-type can be one
            k = kept[j]
            if "item" in e and "item" in k and e["item"][0] == k["item"][0]:
                continue  # the items of one list are incidents of their own (see _enumerated)
            if ((key is not None and kept_keys[j] == key)  # the same named place
                    or ((key is None or kept_keys[j] is None) and e["sentence"] - k["sentence"] <= 1)) \
                    and same_side(k, e):  # or next door (the cheap tests first: same_side reads more)
                absorb(k, e)
                kept_keys[j] = place_key(k)
                break
        else:
            if same_type is None:
                of_type[e["sub_event_type"]] = [len(kept)]
            else:
                same_type.append(len(kept))
            kept.append(e)
            kept_keys.append(key)
    violent = [e for e in kept if e["fields"]["type"]["rule"] != "killing" and e["sub_event_type"] not in _NON_LETHAL
               and e["event_type"] in ("Battles", "Explosions/Remote violence", "Violence against civilians")]
    if violent:
        for e in [e for e in kept if e["fields"]["type"]["rule"] == "killing"]:
            kept.remove(e)
            absorb(violent[0], e)
    return kept


def events_component(doc) -> None:  # noqa: ANN001 - a pipeline component over a Document
    """Pipeline component: add the ``events`` layer (after places, actors, numbers, dates, claims)."""
    from marsad.document import Annotation

    layer = []
    for e in find_events(doc):
        ev = e["evidence"]
        layer.append(Annotation("events", ev["start"], ev["end"], ev["text"], COMPONENT, VERSION, e["sub_event_type"], e))
    doc.set_layer("events", layer)
