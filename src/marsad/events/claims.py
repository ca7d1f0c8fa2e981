"""Pipeline component ``events.claims``: attributed statements — who says what, and how.

Four patterns, from ``data/events/claims.toml``:

- verb first (Arabic's usual order): ``وقالت منظمة العفو الدولية إن ...`` — the speaker follows the
  cue, the content follows the complementizer;
- speaker first: ``مسؤولون بالبنتاغون كشفوا أن ...`` — the cue is followed by the complementizer,
  the speaker is the phrase before it;
- cue after the content: ``...، قال مصدر عسكري`` — the content is what precedes the cue;
- "according to": ``بحسب مصادر سورية`` — the speaker follows, the content is the rest of the
  sentence; and a headline's ``حماس: ...`` — a short name before a colon at the start of a line.

Each claim records the speaker, cue and content spans, a stance (assert, deny, accuse) from the
cue, the pattern that found it, and the actor the speaker names, if the actor layer has one there.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import compress
from operator import attrgetter, itemgetter
from typing import Any, Callable

from marsad._native import positions, speedups
from marsad.document import Annotation
from marsad.expressions.lexicon import PhraseLexicon
from marsad.expressions.scan import Words, _hash_bitmap, words_of
from marsad.text.normalize import normalize_str

COMPONENT = "events.claims"
VERSION = "1"

MAX_SPEAKER_WORDS = 6
MAX_COLON_SPEAKER_WORDS = 4
_QUOTES = frozenset('"\'')
_COLON = frozenset((":",))
_first = itemgetter(0)
_label = attrgetter("label")


@dataclass(frozen=True)
class ClaimGrammar:
    lexicon: PhraseLexicon
    complementizers: frozenset[str]
    stops: frozenset[str]
    heads_with_in: frozenset[str]
    not_speakers: frozenset[str]
    clause_openers: frozenset[str]
    continuations: frozenset[str]
    carriers: frozenset[str]
    nominal: frozenset[str]
    accusation: tuple[tuple[str, ...], ...]  # phrases, as normalised word tuples
    colon_labels: frozenset[str]  # "بالصور:", "عاجل:": a line's label, not a speaker
    prepositions: frozenset[str]  # a clause-opening phrase after one is no speaker before a cue
    hedges: frozenset[str]  # "نحو 20 منظمة": a count that belongs to the speaker
    naming: frozenset[str]  # "يدعى" (is called), written like "يدعي" (claims)
    calls: frozenset[str]  # "دعت ... للتظاهر": a call to protest is no statement
    protests: tuple[str, ...]
    attendance: frozenset[str]
    resumptive: frozenset[str]  # "قال فيها": the cue points back at a text
    publishing: frozenset[str]  # "نشر تغريدة": the verb whose subject wrote the text
    escalation: frozenset[str]  # "وحتى صرح": a statement that goes further in the same sense as the one before
    responsibility: frozenset[str]  # "تحمل": a cue only with "مسؤولية" after it
    sourced: frozenset[str]  # "نقل": a cue only with "عن" or a complementizer after it
    nominal_from: frozenset[str]  # "اتهامات للقوات": the speaker only after "من"
    relatives: frozenset[str]  # "أنقرة التي تطالب": the antecedent speaks
    topics: frozenset[str]  # "اختفاء خاشقجي:": a headline's topic, not its speaker
    acts: tuple[tuple[frozenset[str], frozenset[str]], ...]  # (cues, objects): "أعلنت حالة الطوارئ"
    appeals: frozenset[str]  # "محاولاته استعطاف ... بأن": the possessor of the noun before speaks
    # word -> its cue with an object pronoun ("أكدتها"), or None: filled as words are met
    object_cues: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)
    # word -> whether a cue may stand at it (_could_be_cue): filled as words are met
    cue_words: dict[str, bool] = field(default_factory=dict, compare=False, hash=False, repr=False)
    # cue word -> which test of _not_a_statement it takes (_statement_test): filled as words are met
    statement_tests: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @cached_property
    def first_words(self) -> dict[str, frozenset[str]]:
        """The lexicon's first words: ``w in g.first_words`` is ``w in g.lexicon`` without a method call."""
        return self.lexicon.category_map()

    @cached_property
    def cue_table(self) -> CueTable:
        """The word forms where a cue may stand, for :func:`_cue_starts` (built on first use)."""
        return _cue_table(self)


@dataclass(frozen=True)
class CueTable:
    """Where a cue may start, known from the lexicon in advance: a document's words are then
    tested in one pass against a fixed set, not one by one against a cache of every form met."""

    # the forms _could_be_cue accepts (the lexicon's first words, their object-pronoun forms), and ":"
    vocabulary: frozenset[str]
    bitmap: bytes  # of the vocabulary's hashes, for the C pass (most words are ruled out by one bit)
    # first words of longer phrases only ("على" of "على لسان"): a cue only before their second word
    pair_only: frozenset[str]
    pairs: frozenset[tuple[str, str]]  # (first word, second word) of the lexicon's longer phrases


@lru_cache(maxsize=1)
def grammar() -> ClaimGrammar:
    from marsad.events import events_data

    data = events_data("claims.toml")
    lex = PhraseLexicon()
    for stance in ("assert", "deny", "accuse"):
        for w in data["cues"][stance]:
            lex.add(w, "cue", stance, article=False)
    for phrase in data["according"]["phrases"]:
        lex.add(phrase, "according", "assert", article=False)

    def norms(words: list[str]) -> frozenset[str]:
        return frozenset(normalize_str(w) for w in words)

    return ClaimGrammar(
        lex,
        norms(data["complementizers"]["words"]),
        norms(data["speaker_stops"]["words"]) | norms(data["according"]["phrases"]),
        norms(data["speaker_stops"]["speaker_heads_with_in"]),
        norms(data["not_speakers"]["words"]),
        norms(data["clause_openers"]["words"]),
        norms(data["cues"]["continuations"]),
        norms(data["cues"]["carriers"]),
        norms(data["cues"]["nominal"]),
        tuple(tuple(normalize_str(w).split()) for w in data["accusation"]["words"]),
        norms(data["colon_labels"]["words"]),
        norms(data["prepositions"]["words"]),
        norms(data["speaker_stops"]["hedges"]),
        norms(data["cues"]["naming"]),
        norms(data["cues"]["calls"]),
        tuple(sorted(norms(data["cues"]["protests"]))),
        norms(data["cues"]["attendance"]),
        norms(data["documents"]["resumptive"]),
        norms(data["documents"]["publishing"]),
        norms(data["escalation"]["words"]),
        norms(data["cues"]["responsibility"]),
        norms(data["cues"]["sourced"]),
        norms(data["cues"]["nominal_from"]),
        norms(data["cues"]["relatives"]),
        norms(data["colon_labels"]["topics"]),
        tuple((norms(a["cues"]), norms(a["objects"])) for a in data["acts"]),
        norms(data["cues"]["appeals"]),
    )


def _is_word(words: Words, i: int) -> bool:
    return words.kinds[i] in ("word", "tag")


def _speaker_after(words: Words, i: int, end: int, g: ClaimGrammar, first_word_prefix: int = 0) -> tuple[int, int] | None:
    """The noun phrase that starts at word ``i`` (a speaker after its cue), as [i, j).

    ``first_word_prefix`` letters of the first word are a clitic that is not part of the speaker.
    """
    norms = words.norms
    first = norms[i][first_word_prefix:] if i < end else ""
    # a count opens the phrase: "قال 3 مسؤولين", "دعت نحو 20 منظمة"
    number = i + 1 if first in g.hedges else i
    if not (number + 1 < end and words.kinds[number] == "number" and _is_word(words, number + 1)):
        number = -1
    if i >= end or not (_is_word(words, i) or i == number) or first in g.not_speakers or (
            first in g.stops and not first_word_prefix):
        return None
    if not first_word_prefix and first.startswith("بال") and len(first) > 5:
        return None  # "و تصفه بالمسرحية": a prepositional phrase, no subject
    j = i
    while (j < end and j - i < MAX_SPEAKER_WORDS and (_is_word(words, j) or j == number)
           and norms[j] not in g.first_words):
        word = norms[j]
        if j > i and word in g.stops and not (word == "في" and norms[j - 1] in g.heads_with_in):
            break
        if j > i and word.startswith("بال") and len(word) > 4:  # "طالبت المنظمة | بالإفراج عن ...": the content
            break
        if j > i and words.text[words.ends[j - 1] : words.starts[j]].strip():  # punctuation between
            break
        j += 1
    if j > i and j < end and norms[j] in _QUOTES:  # صحيفة “القدس العربي”: the quoted name belongs to it
        for k in range(j + 1, min(end, j + 6)):
            if norms[k] in _QUOTES:
                return (i, k + 1) if k > j + 1 else (i, j)
    return (i, j) if j > i else None


def _speaker_before(words: Words, i: int, start: int, g: ClaimGrammar) -> tuple[int, int] | None:
    """The noun phrase that ends right before word ``i`` (a speaker before its cue)."""
    norms = words.norms
    while i - 1 > start and norms[i - 1] in g.carriers:  # "المصادر السورية، كررت تأكيدها"
        i -= 1
    if i - 1 > start and words.kinds[i - 1] == "punct" and norms[i - 1] in (",", "،"):
        i -= 1
    j = i
    while j > start and i - j < MAX_SPEAKER_WORDS and _is_word(words, j - 1):
        word = norms[j - 1]
        if word == "في" and j - 2 >= start and norms[j - 2] in g.heads_with_in:  # مصدر في الجيش
            j -= 1
            continue
        if word in g.stops or word in g.complementizers or word in g.first_words or word in g.clause_openers:
            break
        if j < i and words.text[words.ends[j - 1] : words.starts[j]].strip():
            break
        j -= 1
        if (j > start and word.startswith("وال") and len(word) > 4 and not _definite(norms[j - 1])
                and word[1:] not in g.stops and word[1:] not in g.relatives):
            break  # "باعتقال مواطن قطري والإعلام السعودي يصفه": "و" opens the subject ("الأمن والشرطة" goes on)
    if j > start and _opens_with_preposition(words, j - 1, start, g):
        return None
    if j < i and norms[j][:1] in ("و", "ف") and norms[j][1:] in g.prepositions:
        return None  # "وفي ذات الوقت حملت جهات ...": the phrase before the cue is a prepositional one  # "وفي سياق متصل، قالت": a prepositional phrase, the speaker comes after the verb
    return (j, i) if j < i and norms[j] not in g.not_speakers else None


def _quoted_subject(words: Words, i: int, start: int) -> tuple[int, int] | None:
    """The words of a quoted name of one to four words that ends right before word ``i`` and opens
    its sentence or follows punctuation ("◀ «فيليب موريس» تعلن"), or None."""
    norms = words.norms
    if i - 1 <= start or norms[i - 1] not in _QUOTES:
        return None
    for k in range(i - 2, max(start, i - 7) - 1, -1):
        if norms[k] in _QUOTES:
            inside = range(k + 1, i - 1)
            if 1 <= len(inside) <= 4 and all(_is_word(words, x) for x in inside) and (
                    k == start or words.kinds[k - 1] == "punct"):
                return (k + 1, i - 1)
            return None
    return None


def _opens_with_preposition(words: Words, k: int, start: int, g: ClaimGrammar) -> bool:
    """Word ``k`` is a preposition that opens its clause: joined to و/ف ("وفي", "ومن"), or at the
    sentence start or after punctuation ("من جهته،"). Mid-clause "في" ("المقاتلين في داعش") is not."""
    word = words.norms[k]
    if word[:1] in ("و", "ف") and word[1:] in g.prepositions:
        return True
    return word in g.prepositions and (k == start or words.kinds[k - 1] == "punct")


_MIN_QUOTED_WORDS = 3  # a shorter quoted opening is a name ("«داعش» هاجم"), not the quoted statement


def _content(words: Words, i: int, end: int, g: ClaimGrammar) -> tuple[int, int] | None:
    """The reported content from word ``i`` (after a complementizer or a comma) to the sentence end,
    or to the closing quotation mark when it opens with one: "يقول ” لعلنا نحصل على الفرصة ” حينما
    سمح لهم" quotes the words up to the mark; what follows is the writer's again."""
    quoted = False
    while i < end and (words.kinds[i] == "punct" or words.norms[i] in g.complementizers):
        quoted = quoted or words.norms[i] in _QUOTES
        i += 1
    if quoted:
        close = next(compress(range(i, end), map(_QUOTES.__contains__, words.norms[i:end])), None)  # the first quote
        if close is not None and close - i >= _MIN_QUOTED_WORDS:
            end = close
    return (i, end) if end - i >= 2 else None


def _calls_to_protest(words: Words, after: int, end: int, g: ClaimGrammar) -> bool:
    """What a call cue calls for, after ل or إلى, is a protest: "دعت نحو 20 منظمة للتظاهر",
    "ودعت الأنصار لحضور احتجاجها". That organises a protest (an event), it reports no statement."""
    norms = words.norms
    stop = min(end, after + MAX_SPEAKER_WORDS + 2)
    for k in range(after, stop):
        word = norms[k]
        if k > after and norms[k - 1] in ("الي", "إلى", "الى"):
            pass
        elif word[:1] == "ل" and len(word) > 4:
            word = word[2:] if word[1:2] == "ل" else word[1:]  # "للتظاهر", "لحضور"
        else:
            continue
        if word in g.attendance:  # "لحضور احتجاجها", "للمشاركة في الاعتصام": what is attended
            k += 1 + (k + 2 < end and norms[k + 1] == "في")
            word = norms[k] if k < end else ""
        if word.removeprefix("ال").startswith(g.protests):
            return True
    return False


def _resumptive_speaker(words: Words, i: int, after: int, start: int, end: int, names: list[tuple[int, int]],
                        g: ClaimGrammar) -> tuple[int, int] | None:
    """The speaker of a cue that points back at a text ("قال فيها"): the phrase before the cue is
    the tweet or statement, not who speaks.

    The speaker is the subject of the verb that published the text, after it ("أصدرت الوزارة بيانا
    قالت فيه") or before it ("معتوق قد نشر تغريدة قال فيها"), or follows the pronoun when "أن" or a
    colon comes next ("في بيان قالت فيه الوزارة إن"; not "وصفت فيها مساعدة أوباما بـ", an object).
    """
    norms = words.norms
    for p in range(i - 1, max(start, i - MAX_SPEAKER_WORDS) - 1, -1):
        verb = norms[p]
        joined = verb[:1] in ("و", "ف") and verb[1:] in g.publishing
        if not joined and verb not in g.publishing:
            continue
        if p - 1 > start and norms[p - 1] == "قد" and _is_word(words, p - 2):  # "معتوق قد نشر"
            return _speaker_before(words, p - 1, start, g)
        if joined or p == start or words.kinds[p - 1] == "punct" or norms[p - 1] in g.clause_openers:
            speaker = _speaker_after(words, p + 1, i - 1, g)  # verb first: "وأصدرت الوزارة | بيانا"
            return _trim_object(words, speaker, names, True) if speaker else None
        before = _speaker_before(words, p, start, g)
        if before is None:  # "وفي موسكو أصدرت الخارجية الروسية بيانا دعت فيه": the subject follows the verb
            speaker = _speaker_after(words, p + 1, i - 1, g)
            return _trim_object(words, speaker, names, True) if speaker else None
        return before
    speaker = _speaker_after(words, after + 1, end, g)
    if speaker and speaker[1] < end and (norms[speaker[1]] == ":" or norms[speaker[1]] in g.complementizers
                                         and norms[speaker[1]] not in g.prepositions and norms[speaker[1]] != "ب"):
        return speaker
    return None


def _span(words: Words, a: int, b: int) -> dict[str, Any]:
    s, e = words.starts[a], words.ends[b - 1]
    return {"start": s, "end": e, "text": words.text[s:e]}


_OBJECT_SUFFIXES = ("ها", "ه")


def _cue_at(words: Words, i: int, g: ClaimGrammar):  # noqa: ANN202 - a lexicon Match or None
    """The cue at word ``i``, also with an object pronoun attached ("أكدتها", "تأكيدها")."""
    word = words.norms[i]
    if word in g.first_words:  # the lexicon holds cues and "according" phrases only: no other word starts one
        match = g.lexicon.first(words.norms, i, "cue", "according")
        if match is not None:
            return match
    if not word.endswith(_OBJECT_SUFFIXES) or words.text[words.ends[i] - 1] == "ة":  # "وتذكرة السفر": no pronoun
        return None
    found = _object_cue(word, g)
    stem = word[:-2] if word.endswith("ها") else word[:-1]
    if found is not None and _imperfect(stem) and not stem.endswith("ت") and stem not in g.nominal:
        # an imperfect verb with its object pronoun is a cue with "بـ" or "أن" after it ("يصفه بأنه",
        # "وتتهمه بالكذب"), not in "لن يذكره أحد", "ما يعلنه بلا مواربة"
        nxt = words.norms[i + 1] if i + 1 < len(words.norms) else ""
        if not (nxt in _THAT or (nxt[:1] == "ب" and len(nxt) > 3 and nxt != "بلا")
                or _verb_first_statement(words, i + 1, len(words.norms), g)):  # "تعلنه وزارة الآثار عن"
            return None
    return found


def _could_be_cue(word: str, g: ClaimGrammar) -> bool:
    """Whether :func:`_cue_at` may find a cue at this word: a test on the word alone, to skip the others."""
    return word in g.first_words or (word.endswith(_OBJECT_SUFFIXES) and _object_cue(word, g) is not None)


def _cue_table(g: ClaimGrammar) -> CueTable:
    """:class:`CueTable` of a grammar. A word that is not in the lexicon may still be a cue with an
    object pronoun ("أكدتها"), and then its stem is in the lexicon: the lexicon's first words with
    each pronoun attached are all such forms there can be."""
    firsts = frozenset(g.lexicon.category_map())
    with_pronoun = frozenset(w + x for w in firsts for x in _OBJECT_SUFFIXES
                             if _object_cue_uncached(w + x, g) is not None)
    vocabulary = firsts | with_pronoun | _COLON  # the colons are found in the same pass
    singles = g.lexicon.single_surfaces("cue", "according")
    # such a word that ends like a pronoun may be a cue on its own (_object_cue): it stays
    pair_only = frozenset(w for w in firsts if w not in singles and not w.endswith(_OBJECT_SUFFIXES))
    return CueTable(vocabulary, _hash_bitmap(vocabulary), pair_only, g.lexicon.phrase_pairs())


def _cue_starts(norms: list[str], g: ClaimGrammar) -> tuple[list[int], list[int]]:
    """Indices of the words where :func:`_cue_at` may find a cue, and of the colons, in order (one
    pass over the words). The first are the words that :func:`_could_be_cue` accepts, less the first
    word of a longer phrase only whose second word does not follow (most "على" open no "على لسان")."""
    table = g.cue_table
    native = speedups()
    if native is not None and type(norms) is list:  # the same in one C pass
        return native.cue_starts(norms, table.vocabulary, table.bitmap, table.pair_only, table.pairs)
    found = positions(norms, table.vocabulary)
    pair_only, pairs, n = table.pair_only, table.pairs, len(norms)
    colons = [i for i in found if norms[i] == ":"]
    if colons:  # ":" is no cue
        found = [i for i in found if norms[i] != ":"]
    return [i for i in found if norms[i] not in pair_only or (i + 1 < n and (norms[i], norms[i + 1]) in pairs)], colons


def _cue_positions(norms: list[str], g: ClaimGrammar) -> list[int]:
    """Indices of the words where a cue may stand, in order (the test is cached per word form)."""
    known = g.cue_words
    try:  # most documents hold no word form not met before: one pass in C
        return list(compress(range(len(norms)), map(known.__getitem__, norms)))
    except KeyError:
        pass
    new = set(norms).difference(known)
    if len(known) + len(new) > 1 << 17:  # a long-running process meets ever more word forms
        known.clear()
        new = set(norms)
    for word in new:
        known[word] = _could_be_cue(word, g)
    try:
        return list(compress(range(len(norms)), map(known.__getitem__, norms)))
    except KeyError:  # another thread emptied the cache meanwhile
        return [k for k, w in enumerate(norms) if _could_be_cue(w, g)]


def _object_cue(word: str, g: ClaimGrammar):  # noqa: ANN202 - a lexicon Match or None
    """The cue of a word that ends in an object pronoun (it depends on the word alone: cached per word form)."""
    cues = g.object_cues
    found = cues.get(word, _UNKNOWN)
    if found is _UNKNOWN:
        if len(cues) > 1 << 16:  # a long-running process meets ever more word forms
            cues.clear()
        found = cues[word] = _object_cue_uncached(word, g)
    return found


_UNKNOWN = object()


def _object_cue_uncached(word: str, g: ClaimGrammar):  # noqa: ANN202 - a lexicon Match or None
    for suffix in _OBJECT_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            # a feminine past verb with its object (أكدتها) or a reporting noun with its owner (تأكيدها)
            for form in (stem if stem.endswith("ت") or _imperfect(stem) else None, stem if stem in g.nominal else None):
                if form and form in g.first_words:
                    found = g.lexicon.first([form], 0, "cue")
                    if found is not None:
                        return found
    return None


def _imperfect(word: str) -> bool:
    """An imperfect verb form, with or without a conjunction: "يصف", "وتتهم"."""
    core = word[1:] if word[:1] in ("و", "ف") and len(word) > 3 else word
    return core[:1] in ("ي", "ت") and len(core) >= 3


_RESPONSIBILITY = ("مسووليه", "مسوولي", "مسيوليه", "مسيولي")
_FROM_SOURCE = frozenset(("عنه", "عنها", "عنهم", "عنهما"))


def _bare(word: str) -> str:
    """A word without its conjunction, preposition and article: "والمسؤولية" -> "مسؤولية"."""
    for p in ("وال", "فال", "بال", "ال"):
        if word.startswith(p) and len(word) > len(p) + 2:
            return word[len(p):]
    if word.startswith("لل") and len(word) > 4:
        return word[2:]
    return word[1:] if word[:1] in ("و", "ف", "ب") and len(word) > 3 else word


def _not_a_statement(words: Words, word: str, after: int, end: int, g: ClaimGrammar) -> bool:
    """The cue at hand acts or means something else, by what follows it in its sentence:
    "تحمل" without "مسؤولية" after it carries; "نقل" without "عن" or "أن" is transport; "أعلنت
    إيران حالة الطوارئ", "البرلمان يقر قانونا" declare or pass, which is an act."""
    norms = words.norms
    test = _statement_test(word, g)
    if not test:
        return False
    if test == "responsibility":
        # "تحمل إيران أمريكا المسؤولية" holds responsible; "تحمل مسؤولية ..." right after it bears it
        return after < end and _bare(norms[after]).startswith(_RESPONSIBILITY) or not any(
            _bare(norms[k]).startswith(_RESPONSIBILITY) for k in range(after, min(end, after + 12)))
    if test == "sourced":
        return not any(norms[k] in g.complementizers or norms[k] in _FROM_SOURCE for k in range(after, min(end, after + 8)))
    for objects in test:
        for k in range(after, min(end, after + 4)):
            if norms[k] in g.complementizers:
                break
            if norms[k] in objects or _bare(norms[k]) in objects:
                return True
    return False


def _statement_test(word: str, g: ClaimGrammar) -> Any:
    """"responsibility" or "sourced" for a cue that says something only with a word after it, the
    object sets of the acts the cue may declare (a tuple, maybe empty): computed once per word form."""
    tests = g.statement_tests
    found = tests.get(word)
    if found is None:
        stems = (word, *(word[: -len(x)] for x in _OBJECT_SUFFIXES if word.endswith(x)))  # "يحملها", "حملته"
        if not g.responsibility.isdisjoint(stems):
            found = "responsibility"
        elif not g.sourced.isdisjoint(stems):
            found = "sourced"
        else:
            found = tuple(objects for cues, objects in g.acts if not cues.isdisjoint(stems))
        if len(tests) >= 1 << 14:  # a long-running process meets ever more word forms
            tests.clear()
        tests[word] = found
    return found


def _verb_first_statement(words: Words, after: int, end: int, g: ClaimGrammar,
                          names: list[tuple[int, int]] | None = None) -> bool:
    """A subject follows the cue, then a complementizer or a colon: "وتقول الوزارة إن ...".
    A subject that opens with "ب" or "ل" must hold one of the known ``names``: "تعلنه وزارة الآثار
    عن ..." is verb first, "يتهمها بتهريب أسلحة إلى ...", "يعلنه بلا مواربة:" are not."""
    speaker = _speaker_after(words, after, end, g)
    if not speaker:
        return False
    norms = words.norms
    if norms[speaker[0]][:1] in ("ب", "ل") and not any(x < speaker[1] and speaker[0] < y for x, y in names or ()):
        return False
    if any(norms[k] in _THAT for k in range(speaker[0] + 1, speaker[1])):  # "تقول إسرائيل إنها ..."
        return True
    return speaker[1] < end and (norms[speaker[1]] in g.complementizers or norms[speaker[1]] == ":")


_THAT = frozenset(normalize_str(w) for w in ("أن", "إن", "ان", "بأن", "فإن", "إنه", "أنه", "إنها", "أنها", "إنهم",
                                             "أنهم", "بأنه", "بأنها", "بأنهم"))


def _genitive_accuser(words: Words, after: int, end: int, names: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The known name right after a reporting noun when another phrase, the one blamed, follows it:
    "اتهام الرئيس الروسي فلاديمير بوتين المخابرات الأوكرانية بالتخطيط", "اتهام السلطات الإماراتية
    لطالب بريطاني" (not "اتهام الحوثيين بالمعاملة", where the name is the one blamed, nor "اتهام للسعودية")."""
    norms = words.norms
    if after >= end or norms[after][:1] == "ل":
        return None
    # the name may follow a title: "الرئيس الروسي | فلاديمير بوتين"
    spans = [(a, b) for a, b in names if after <= a < after + 3 and b < end
             and all(_is_word(words, x) for x in range(after, b))]
    if not spans:
        return None
    b = max(y for _x, y in spans)
    nxt = norms[b]
    if _is_word(words, b) and nxt[:1] != "ب" and nxt not in ("من", "في", "على", "عن", "إلى", "الي", "الى"):
        return (after, b)
    return None


def _speaker_from(words: Words, after: int, end: int, names: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The known name after "من" (or "من قبل") in the rest of the sentence: who warns in "تحذير من
    الأمم المتحدة", who calls in "دعوة للمدنيين ... من الجيش السوري". None without one."""
    norms = words.norms
    for k in range(after, end - 1):
        if norms[k] != "من":
            continue
        x = k + 2 if norms[k + 1] == "قبل" else k + 1
        for a, b in names:
            if a == x and b <= end:
                return (a, b)
    return None


_LAM_ACCORDING = frozenset(normalize_str(w) for w in ("وفقا", "طبقا", "استنادا", "نقلا"))
_NISBA_ENDINGS = ("ي", "ية", "يه", "يون", "يين", "يان", "يتين")


def _definite(word: str) -> bool:
    return word.startswith(("ال", "وال", "فال")) and len(word) > 3


def _trim_object(words: Words, speaker: tuple[int, int], names: list[tuple[int, int]],
                 transitive: bool) -> tuple[int, int]:
    """A speaker ends where the cue's object begins: "أعلن الحوثيون | توقف العمليات".

    In a construct chain the first definite word closes the name: an indefinite word after it
    starts a new phrase. After an accusing or denying cue, whose object is usually definite
    ("أدانت وزارة الخارجية | الهجوم"), so does a definite word other than an adjective of
    relation ("السورية", "الدولية"). A known name (an actor or an entity) is never cut.
    """
    a, b = speaker
    norms = words.norms
    quoted = False
    for k in range(a + 1, b):
        if norms[k - 1] in _QUOTES:
            quoted = not quoted
        if quoted or words.kinds[k] not in ("word", "tag") or any(x < k < y for x, y in names):
            continue
        word = norms[k]
        if word[:1] in "بل" and not _definite(word):  # "المتحدث باسم الجيش", "المرصد السوري لحقوق الإنسان"
            continue
        if not _definite(word) and any(x == k for x, _y in names):  # apposition: "الرئيس الروسي فلاديمير بوتين"
            continue
        name_ends = any(y == k and x >= a for x, y in names)  # "أعلنت إيران | حالة الطوارئ"
        if not (_definite(norms[k - 1]) or name_ends):
            continue
        if not _definite(word) or transitive and not word.endswith(_NISBA_ENDINGS):
            return (a, k)
    return speaker


def _colon_speaker(seg: int, k: int, names: list[tuple[int, int]], places: Callable[[], list[tuple[int, int]]],
                   g: ClaimGrammar, norms: list[str]) -> bool:
    """Whether "X:" at a line's start names who speaks, not what the line is about.

    "حماس: ..." and "الكرملين: ..." speak; "سوريا: ...", "الحرب في سوريا: ..." and "بالصور: ..." are
    topic labels: a phrase with a place in it speaks only when it opens with a known actor or name.
    A phrase that opens with an incident or an affair ("اختفاء جمال خاشقجي: ...", "الانتخابات
    التركية: ...") is the line's topic too. ``places`` gives the places' word ranges.
    """
    if any(norms[x] in g.colon_labels for x in range(seg, k)):
        return False
    first = norms[seg]
    if first in g.topics or (first[:1] in ("و", "ف") and first[1:] in g.topics):
        return False
    if any(a <= seg < b for a, b in names):  # opens with a name
        return True
    return not any(a < k and seg < b for a, b in places())  # holds no place


MAX_OUTLET_WORDS = 3


def _to_outlet(words: Words, seg: int, k: int, names: list[tuple[int, int]], g: ClaimGrammar) -> int | None:
    """In a headline's long "X لـY: ..." ("وزير الخارجية السعودي عادل الجبير لبي بي سي: ..."), where
    the speaker X ends: at the word joined to "ل" that opens the last few words (the outlet spoken
    to). None when there is no such word."""
    norms = words.norms
    for m in range(max(seg + 1, k - MAX_OUTLET_WORDS), k):
        if norms[m][:1] == "ل" and len(norms[m]) > 2 and norms[m] not in g.not_speakers:
            if any(a <= seg and m < b for a, b in names) or any(norms[x] in g.stops for x in range(m + 1, k)):
                return None  # "المجلس الأعلى للإعلام في مصر:": the ل-word is inside the name that opens the line
            return m if m - seg <= MAX_SPEAKER_WORDS else None
    return None


def _colon_phrase_start(words: Words, k: int, start: int) -> int | None:
    """Where the words before the colon at ``k`` begin: after the last punctuation mark before it
    that is neither a comma nor a colon nor holds a letter or digit ("- حماس:"), or at ``start``;
    None when another token (a comma, a number) stands between that point and the colon."""
    kinds, norms = words.kinds, words.norms
    j = k - 1
    while j >= start and kinds[j] in ("word", "tag"):
        j -= 1
    if j < start:
        return start
    if kinds[j] == "punct" and norms[j] not in (":", ",", "،") and not any(c.isalnum() for c in norms[j]):
        return j + 1
    return None


def find_claims(words: Words, sentences: list[tuple[int, int]],
                names: list[tuple[int, int]] | None = None,
                places: list[tuple[int, int]] | Callable[[], list[tuple[int, int]]] | None = None,
                ) -> list[dict[str, Any]]:
    """Claims in the given word ranges (one per sentence or line).

    ``names`` are word ranges of known names (actors, persons, organisations): a speaker is never
    cut inside one. ``places`` are word ranges of places, which tell a topic label from a speaker;
    or a function that gives them (few sentences ask: a colon's phrase, a relative clause).
    """
    g = grammar()
    names = names or []
    places_of = places if callable(places) else _Computed(lambda: places or [])
    norms = words.norms
    kinds = words.kinds
    out: list[dict[str, Any]] = []
    last_speaker: tuple[int, int] | None = None  # for a cue whose subject is not repeated
    last_sentence = -10
    last_relative: int | None = None  # the relative pronoun before the last claim's cue ("التي أكدتها")
    # the few words where a cue may stand, and the colons: the rest of the words need no visit
    hits, colons = _cue_starts(norms, g)
    marks = sorted(hits + colons) if colons else hits
    n_hits, n_marks = len(hits), len(marks)
    for number, (start, end) in enumerate(sentences):
        m = bisect_left(marks, start)
        if m == n_marks or marks[m] >= end:
            continue  # most sentences: no cue, no colon (the speaker just named is forgotten by sentence number)
        if number - last_sentence > 2:
            last_speaker = None
        i = start
        # a headline's "حماس: ..." — a short name, then a colon, at the start of a line or bullet
        colon = bisect_left(colons, start)
        for k in colons[colon : bisect_left(colons, end, colon)]:
            seg = _colon_phrase_start(words, k, start)
            if seg is None or k - seg < 1:
                continue
            stop = k if k - seg <= MAX_COLON_SPEAKER_WORDS else _to_outlet(words, seg, k, names, g)
            content = _content(words, k + 1, end, g) if stop else None
            if (content and norms[seg] not in g.not_speakers and norms[seg] not in g.stops
                    and not any(norms[x] in g.first_words for x in range(seg, stop))
                    and _colon_speaker(seg, stop, names, places_of, g, norms)):
                out.append(_claim(words, (seg, stop), (stop, k + 1), content, "assert", "colon"))
        h = bisect_left(hits, start)
        while True:
            while h < n_hits and hits[h] < i:  # the next word where a cue may stand
                h += 1
            if h == n_hits or hits[h] >= end:
                break
            i = hits[h]
            match = _cue_at(words, i, g) if kinds[i] in ("word", "tag") else None
            if match is None:
                i += 1
                continue
            if norms[i] in g.not_speakers:  # "فحسب" (only) is not "حسب" (according to)
                i += 1
                continue
            cue = (i, i + match.length)
            stance = match.entry.value
            after = cue[1]
            if match.entry.category == "according":
                trim = 0
                if after < end and _is_word(words, after):
                    reported = _cue_at(words, after, g)  # "وفقا لما ذكرته مصادر": the speaker follows the verb
                    if reported is not None and reported.entry.category == "cue":
                        after += reported.length
                    elif (norms[i] in _LAM_ACCORDING and match.length == 1 and norms[after].startswith("ل")
                          and len(norms[after]) > 3 and norms[after] not in g.not_speakers):
                        trim = 1  # "وفقا لمصادر محلية": the speaker is "مصادر محلية", without the attached "ل"
                speaker = _speaker_after(words, after, end, g, first_word_prefix=trim)
                if speaker:
                    before = (start, i) if i - start >= 3 else None
                    content = before or _content(words, speaker[1], end, g)
                    if content:
                        out.append(_claim(words, speaker, cue, content, stance, "according", speaker_trim=trim))
                i = speaker[1] if speaker else after
                continue
            # verb first when the cue opens its clause (sentence start, after punctuation, a
            # conjunction on the cue or a particle before it); else the speaker precedes it
            prev = norms[i - 1] if i > start else None
            clause_initial = (prev is None or words.kinds[i - 1] == "punct" or match.prefix in ("و", "ف")
                              or prev in g.clause_openers or (prev[:1] in "وف" and prev[1:] in g.clause_openers))
            word = norms[i][len(match.prefix):]
            complementizer = after < end and norms[after] in g.complementizers
            if word in g.naming and not clause_initial and not complementizer:
                i = after  # "أحد المحتجزين يدعى ساعر": is called, not claims
                continue
            if word in g.calls and _calls_to_protest(words, after, end, g):
                i = after  # "دعت نحو 20 منظمة غير حكومية للتظاهر": a protest called, nothing said
                continue
            if _not_a_statement(words, word, after, end, g):
                i = after  # "تحمل السلاح", "طائرة نقل", "أعلنت حالة الطوارئ"
                continue
            if word in g.appeals:
                appeal = _appeal(words, i, after, start, end, names, g)
                if appeal is not None:
                    out.append(_claim(words, appeal[0], cue, appeal[1], stance, "appeal"))
                    last_speaker, last_sentence, last_relative = appeal[0], number, None
                i = after
                continue
            if word not in g.nominal and word not in g.nominal_from and not _imperfect(word) and (
                    match.prefix.endswith(("ل", "ب")) or (prev is not None and prev in g.prepositions)):
                i = after  # "تهدف لكشف الغموض", "يطالب بكشف الحقيقة", "بشأن كشف غموض": a verbal noun, no one speaks
                continue
            speaker, content, pattern = None, None, ""
            object_pronoun = match.length == 1 and norms[i] not in g.first_words and not any(
                word.endswith(x) and word[: -len(x)] in g.nominal for x in _OBJECT_SUFFIXES) and not _imperfect(word)
            # "تأكيدها" is a noun; "يصفه" has its subject before it, as any imperfect verb in a headline
            if object_pronoun and not match.prefix:
                # "وهي أنباء أكدتها منظمة العفو": the pronoun is the object; the subject follows the verb
                speaker, pattern = _speaker_after(words, after, end, g), "verb-first"
                content = _content(words, speaker[1], end, g) if speaker else None
            elif after + 1 < end and norms[after] in g.resumptive:
                # "نشر تغريدة قال فيها: ...": the speaker is who published the text
                speaker, pattern = _resumptive_speaker(words, i, after, start, end, names, g), "resumptive"
                if speaker is None and last_speaker is not None:  # "وفي بيان لاحق قالت فيه إن"
                    speaker, pattern = last_speaker, "same-speaker"
                content = _content(words, after + 1 if speaker is None or speaker[0] < after else speaker[1], end, g)
            elif word in g.continuations or (word not in g.nominal and len(norms[i]) > len(word) + 1):
                pass  # a participle or a cue with a pronoun: the speaker is the one just named
            elif word in g.nominal_from:
                # "اتهامات للقوات ... بـ", "دعوة للمدنيين ... من الجيش السوري": the genitive is the
                # one blamed or called; the speaker is a known name after "من", or there is none
                speaker, pattern = _speaker_from(words, after, end, names), "reporting-noun"
                if speaker is None and (accuser := _genitive_accuser(words, after, end, names)) is not None:
                    speaker = accuser  # "اتهام الرئيس الروسي فلاديمير بوتين المخابرات الأوكرانية بالتخطيط"
                if speaker is None and not (match.prefix in ("و", "ف") and last_speaker is not None):
                    i = after  # unless "..., وتحذير من التخمة" goes on with the speaker just named
                    continue
                content = None if speaker is None else (after, speaker[0] - 1) if speaker[0] - 1 > after and norms[speaker[0] - 1] == "من" else None
                content = content or (_content(words, speaker[1], end, g) if speaker else None)
            elif word in g.nominal:  # تصريحات الخارجية الروسية
                speaker, pattern = _speaker_after(words, after, end, g), "reporting-noun"
                if speaker:  # "إعلان روسيا عدم وجود أدلة": a known name that opens the phrase ends the speaker
                    ends = [y for x, y in names if x == speaker[0] and y < speaker[1]]
                    speaker = (speaker[0], max(ends)) if ends else speaker
                content = _content(words, speaker[1], end, g) if speaker else None
            elif match.prefix in ("و", "ف") and after < end and norms[after] in g.complementizers and last_speaker:
                speaker, pattern = last_speaker, "same-speaker"  # "...، وأضاف أن": the speaker just named
                content = _content(words, after, end, g)
            elif (prev in g.relatives and norms[i] in g.first_words and not _verb_first_statement(words, after, end, g)
                  and (antecedent := _speaker_before(words, i - 1, start, g)) is not None
                  and any(x < antecedent[1] and antecedent[0] < y for x, y in names + places_of())):
                # "تيلرسون في أنقرة التي تطالب باستبعاد ...": the antecedent, a known name or place, speaks
                # (not "الذي يعتبره مدرب الفريق": a verb with an object pronoun has its own subject)
                speaker, pattern = antecedent, "relative"
                content = _content(words, after, end, g)
            elif ((match.prefix in ("و", "ف") or prev in ("و", "ف")) and _imperfect(word) and last_speaker and out
                  and out[-1]["cue"]["start"] >= words.starts[start] and not _verb_first_statement(words, after, end, g)):
                # "الولايات المتحدة تحمل إيران ... وتتوعد برد حاسم": a verb joined to the statement before, same subject
                speaker, pattern = last_speaker, "same-speaker"
                content = _content(words, after, end, g)
            elif (quoted := _quoted_subject(words, i, start)) is not None:
                # a headline's "«الخارجية» تدين القصف": the quoted name that opens it speaks
                speaker, pattern = quoted, "quoted-subject"
                content = _content(words, after, end, g)
            else:
                if (complementizer or not clause_initial) and not (
                        norms[i] not in g.first_words and _verb_first_statement(words, after, end, g, names)):
                    # (a verb with an object pronoun and its subject after it, "اكتشاف تعلنه وزارة الآثار
                    # عن ...", is verb first)
                    speaker, pattern = _speaker_before(words, i, start, g), "speaker-first"
                    if speaker and any(norms[k] in _FIGURATIVE for k in range(max(start, speaker[0] - 3), speaker[0])):
                        i = after  # "فحال المقاتلين في داعش يقول": what their state says, a figure of speech
                        continue
                    if (speaker and not complementizer and speaker[0] > start and norms[speaker[0] - 1] in g.prepositions
                            and after in map(_first, names)  # a name starts right after the cue
                            and not any(x < speaker[1] and speaker[0] < y for x, y in names)):
                        # "بقذائف من العيار الثقيل أعلنت كتائب القسام": a preposition's object before the
                        # cue, a known name after it: the name speaks
                        speaker = None
                    if speaker and _bare(norms[speaker[0]]).startswith(g.protests):
                        i = after  # "مظاهرات تطالب بمكافحة الفساد": a protest demands, nobody speaks
                        continue
                    content = _content(words, after, end, g) if speaker else None
                    if (speaker and content is None and after < end and _is_word(words, after)
                            and not any(_is_word(words, x) for x in range(after + 1, end))
                            and any(x < speaker[1] and speaker[0] < y for x, y in names)):
                        content = (after, after + 1)  # "و الأمم المتحدة تدين الحادث": a one-word object
                if speaker is None:
                    speaker, pattern = _speaker_after(words, after, end, g), "verb-first"
                    if speaker and not (speaker[1] < end and norms[speaker[1]] in g.complementizers and not (
                            stance == "accuse" and norms[speaker[1]][:1] == "ب")):  # "اتهمت الحكومة المعارضة | بأنها"
                        speaker = _trim_object(words, speaker, names, stance in ("accuse", "deny"))
                    content = _content(words, speaker[1], end, g) if speaker else None
                    if speaker and content is None and i - start >= 3 and (kinds[i - 1] == "punct" or prev in g.clause_openers):
                        # "...، قال مصدر", "... كما أفادت الشرطة": content before (not "... وتتهمه بـ")
                        content, pattern = (start, i), "cue-after-content"
            if speaker is None and match.length == 1 and norms[i] not in g.first_words and not _imperfect(word):
                # "أكدتها منظمة العفو الدولية": a verb with its object, speaker after it
                speaker, pattern = _speaker_after(words, after, end, g), "verb-first"
                content = _content(words, speaker[1], end, g) if speaker else None
            if speaker is None and word in g.continuations and last_relative is not None and out \
                    and out[-1]["cue"]["start"] >= words.starts[start] \
                    and (antecedent := _relative_antecedent(words, last_relative, start, names)) is not None:
                # "الأخبار من مصادرها السورية، والدولية التي أكدتها منظمة العفو، متحدثة عن": the participle
                # goes with the main clause, whose sources the relative clause's speaker confirmed
                speaker, pattern = antecedent, "participle-after-relative"
                content = _content(words, after, end, g)
            if speaker is None and last_speaker is not None and (clause_initial or word in g.continuations):
                # "وأضاف أن ...", "مؤكدا أن ...", "تأكيدها بأن": the speaker is the one just named
                speaker, pattern = last_speaker, "same-speaker"
                content = _content(words, after, end, g)
            if speaker and content:
                claim = _claim(words, speaker, cue, content, stance, pattern)
                if claim["stance"] == "assert" and i > start and norms[i - 1] in g.escalation and out and \
                        out[-1]["stance"] == "accuse" and out[-1]["cue"]["start"] >= words.starts[start]:
                    # "..., وحتى صرح وزير الدفاع بأن ...": "even" adds a statement to the accusation before it
                    claim["stance"], claim["stance_rule"] = "accuse", "escalation"
                out.append(claim)
                last_speaker, last_sentence = speaker, number
                last_relative = i - 1 if i > start and norms[i - 1] in g.relatives else None
                i = max(after, speaker[1] if speaker[0] >= after else after)
            else:
                i = after
    return out


_FIGURATIVE = frozenset(normalize_str(w) for w in ("حال", "فحال", "وحال", "لسان", "ولسان", "فلسان"))
_POSSESSIVE_SUFFIXES = ("ه", "ها", "هم")
_APPEAL_REACH = 8  # words between an appeal and its "بأن": whom it addresses ("أبناء المنطقة وعشائرهم")


def _appeal(words: Words, i: int, after: int, start: int, end: int, names: list[tuple[int, int]],
            g: ClaimGrammar) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(speaker, content) of an appeal: "ضعف داعش من خلال محاولاته استعطاف أبناء المنطقة بأن التحالف لن ...".

    The noun before the appeal has a pronoun ("محاولاته", "سعيها"), which stands for the last known
    name before it in the sentence: that one appeals. What follows "بأن"/"أن" is what it says. Without
    the pronoun, the name, or the complementizer, the appeal is no statement ("مناشدة المجتمع الدولي التدخل").
    """
    norms = words.norms
    if i - 1 < start or not norms[i - 1].endswith(_POSSESSIVE_SUFFIXES) or len(norms[i - 1]) < 4:
        return None
    that = next((k for k in range(after, min(end, after + _APPEAL_REACH)) if norms[k] in g.complementizers), None)
    if that is None or that + 1 >= end:
        return None
    named = [(x, y) for x, y in names if start <= x and y <= i - 1]
    if not named:
        return None
    content = _content(words, that + 1, end, g)
    return (max(named, key=lambda r: (r[1], r[0])), content) if content else None


def _relative_antecedent(words: Words, rel: int, start: int, names: list[tuple[int, int]]) -> tuple[int, int] | None:
    """A known name that ends right before a relative pronoun, with the adjectives joined to it.

    "من مصادرها السورية، والدولية التي": the Syrian and the international sources (a "، و" adjective
    between the name and the pronoun belongs to the name); None where no known name stands there.
    """
    norms, kinds = words.norms, words.kinds
    for x, y in sorted(names, key=lambda r: -r[1]):
        if y > rel or x < start:
            continue
        between = range(y, rel)
        if all(kinds[k] == "punct" and norms[k] in (",", "،") or norms[k][:1] == "و" and len(norms[k]) > 2
               for k in between) and sum(kinds[k] != "punct" for k in between) <= 1:
            return (x, rel)
        return None
    return None


def _claim(words: Words, speaker: tuple[int, int], cue: tuple[int, int], content: tuple[int, int], stance: str,
           pattern: str, speaker_trim: int = 0) -> dict[str, Any]:
    # drop a trailing comma or full stop from the content
    a, b = content
    g = grammar()
    while b > a and (words.kinds[b - 1] == "punct" or words.norms[b - 1] in g.first_words):  # "...، حسبما"
        b -= 1
    stance_rule = "cue"
    if stance == "assert" and _blames(words.norms[a:b], g.accusation):
        stance, stance_rule = "accuse", "content-blames"
    speaker_span = _span(words, *speaker)
    if speaker_trim:  # an attached clitic ("لمصادر") is not part of the speaker
        raw = words.text[speaker_span["start"]:speaker_span["end"]]
        skip = _clitic_chars(raw, speaker_trim)
        speaker_span = {"start": speaker_span["start"] + skip, "end": speaker_span["end"], "text": raw[skip:]}
    return {"speaker": speaker_span, "cue": _span(words, *cue), "content": _span(words, a, max(b, a + 1)),
            "stance": stance, "stance_rule": stance_rule, "pattern": pattern}


def _clitic_chars(raw: str, letters: int) -> int:
    """Characters of ``raw`` that hold its first ``letters`` letters (with any marks or tatweel after them)."""
    k = seen = 0
    while k < len(raw) and seen < letters:
        k += 1
        seen += 1
        while k < len(raw) and (raw[k] == "\u0640" or "\u064b" <= raw[k] <= "\u065f" or raw[k] == "\u0670"):
            k += 1
    return k


@lru_cache(maxsize=4)
def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        index.setdefault(phrase[0], []).append(phrase)
    return {w: tuple(ps) for w, ps in index.items()}


@lru_cache(maxsize=4)
def _first_word_forms(phrases: tuple[tuple[str, ...], ...]) -> frozenset[str]:
    """Every word that is, or whose form without "و"/"ف"/"ب" is, the first word of a phrase."""
    firsts = _by_first_word(phrases).keys()
    return frozenset(firsts) | frozenset(p + w for w in firsts for p in "وفب" if len(p + w) > 3)


# id(phrases) -> (phrases, _by_first_word(phrases), _first_word_forms(phrases)): a grammar's phrase
# set is one object, and keying on it spares hashing all its phrases at every test (lru_cache would)
_PHRASE_INDEXES: dict[int, tuple[Any, dict[str, tuple[tuple[str, ...], ...]], frozenset[str]]] = {}


def _phrase_index(phrases: tuple[tuple[str, ...], ...]) -> tuple[dict[str, tuple[tuple[str, ...], ...]], frozenset[str]]:
    """:func:`_by_first_word` and :func:`_first_word_forms` of a phrase set, built once per set."""
    found = _PHRASE_INDEXES.get(id(phrases))
    if found is None or found[0] is not phrases:
        if len(_PHRASE_INDEXES) >= 8:
            _PHRASE_INDEXES.clear()
        found = _PHRASE_INDEXES[id(phrases)] = (phrases, _by_first_word(phrases), _first_word_forms(phrases))
    return found[1], found[2]


def _blames(norms: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    """The content names wrongdoing (a massacre, banned weapons, protecting terrorists)."""
    index, forms = _phrase_index(phrases)
    if forms.isdisjoint(norms):  # no phrase can start here: one test in C
        return False
    # a phrase starts only at a word of ``forms``, as it is or without its "و"/"ف"/"ب"
    for k in compress(range(len(norms)), map(forms.__contains__, norms)):
        word = norms[k]
        for phrase in index.get(word, ()):
            if tuple(norms[k : k + len(phrase)]) == phrase:
                return True
        for phrase in index.get(_without_clitic(word), ()):
            if tuple(map(_without_clitic, norms[k : k + len(phrase)])) == phrase:
                return True
    return False


def _without_clitic(w: str) -> str:
    """A word without a leading "و", "ف" or "ب" (a word of three letters or fewer keeps it)."""
    return w[1:] if len(w) > 3 and w[0] in "وفب" else w


def sentence_ranges(doc, words: Words) -> list[tuple[int, int]]:  # noqa: ANN001
    """Word index ranges of the document's sentences."""
    ranges = _word_ranges(words.starts, doc.layer("sentences") or [], nonempty=True)
    return ranges or ([(0, len(words.norms))] if words.norms else [])


def _word_ranges(starts: list[int], anns: list[Any], nonempty: bool = False) -> list[tuple[int, int]]:
    """The word range of each annotation: (first word, first word after it), by bisect; with
    ``nonempty``, only the ranges that hold a word. In C where it is built (a hundred annotations
    per document)."""
    native = speedups()
    if native is not None and type(starts) is list:
        return native.claim_word_ranges(starts, anns, nonempty)
    ranges = [(bisect_left(starts, x.start), bisect_left(starts, x.end)) for x in anns]
    return [r for r in ranges if r[1] > r[0]] if nonempty else ranges


class _Computed:
    """A value computed when first asked for (a document's places: few sentences need them)."""

    __slots__ = ("_make", "_value")

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make, self._value = make, None

    def __call__(self) -> Any:
        if self._value is None:
            self._value = self._make()
        return self._value


_NAME_LABELS = frozenset(("PERS", "ORG"))
_PLACE_LABELS = frozenset(("LOC",))


def _with_label(anns: list[Any], labels: frozenset[str]) -> list[Any]:
    """The annotations whose label is one of ``labels``, in order (one pass in C, no loop in Python)."""
    return list(compress(anns, map(labels.__contains__, map(_label, anns))))


def _overlapping(anns: list[Any], start: int, end: int) -> list[Any]:
    """The annotations that share a character with [start, end), in order (in C where it is built:
    a speaker is tested against every name of the document)."""
    native = speedups()
    if native is not None:
        return native.overlapping(anns, start, end)
    return [x for x in anns if x.start < end and start < x.end]


def claims_component(doc) -> None:  # noqa: ANN001 - a pipeline component over a Document
    """Pipeline component: add the ``claims`` layer (after ``actors`` and ``entities``)."""
    words = words_of(doc)
    starts = words.starts
    entities = doc.layer("entities")
    named = list(doc.layer("actors")) + _with_label(entities, _NAME_LABELS)
    names = _word_ranges(starts, named, nonempty=True)
    places = _Computed(lambda: _word_ranges(starts, list(doc.layer("places")) + _with_label(entities, _PLACE_LABELS),
                                            nonempty=True))
    found = find_claims(words, sentence_ranges(doc, words), names, places)
    layer = []
    text = doc.text
    for claim in found:
        speaker, cue, content = claim["speaker"], claim["cue"], claim["content"]
        speaker_start, speaker_end = speaker["start"], speaker["end"]
        for ann in _overlapping(named, speaker_start, speaker_end):
            if ann.layer == "actors" and ann.data.get("actor_id"):
                claim["speaker_actor"] = ann.data["actor_id"]
                break
            claim.setdefault("speaker_entity", ann.label)
        start = min(speaker_start, cue["start"], content["start"])
        end = max(speaker_end, cue["end"], content["end"])
        layer.append(Annotation("claims", start, end, text[start:end], COMPONENT, VERSION, claim["stance"], claim))
    doc.set_layer("claims", layer)
