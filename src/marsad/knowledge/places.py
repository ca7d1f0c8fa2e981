"""Places in text: gazetteer names found with their clitics, then resolved to one GeoNames place.

Matching runs over the normalised words of a document (:mod:`marsad.expressions.scan`): a name
may carry proclitics (وبالرقة، لدير الزور، والباغوز), be written joined (ديرالزور) or spread over
several words (دير الزور); the longest name wins. Context cues find places the gazetteer lacks
(قرية X، بلدة X، مخيم X، ريف X): they are kept with ``geonameid: null`` and placed in the
governorate of the places around them. Resolution picks, among the places a name can refer to,
the one that fits the document's geography (its countries and governorates), then the most
populous; the ACLED geo-precision says how exact the result is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Any

from marsad._native import followed_positions, positions, speedups
from marsad.document import Annotation
from marsad.expressions.scan import Words, scan_functions, words_of
from marsad.knowledge import knowledge_data, load_gazetteer, vocabulary_hits
from marsad.knowledge.gazetteer import Gazetteer, Place
from marsad.text.normalize import normalize_str

COMPONENT = "knowledge.places"
VERSION = "1"

_CONJ = ("و", "ف")
_PRONOUN_ENDINGS = ("ها", "هم", "هن", "كم", "نا")
_CLITIC_CHAINS = ("", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل")
_PREP = ("ب", "ل")  # not ك: "كبير" is not "ك + بير"
_SEPARATORS = ("،", ",")  # between the items of a list of places
# cue kinds whose cue word is part of the name ("مخيم البريج", "ريف إدلب", "تل مسيطف")
_CUES_WITH_NAME = ("camp", "countryside", "feature")
_CUE_COUNTRY = {"kibbutz": "IL"}
# cues of places small enough that a gazetteer match abroad is likelier a namesake the gazetteer lacks
_SMALL_SETTLEMENT_CUES = ("village", "town")  # a cue that says the country of a place the gazetteer lacks
_QUOTE_MARKS = frozenset('"\'')  # every quote mark («»“” too) normalises to one of these

# A word's matching plan (see PlaceMatcher.plan): (n, {next n words: key}) pairs, longest first,
# then possibly (0, key or None) for the one-word name.
_Plan = tuple[tuple[int, Any], ...]


@dataclass(slots=True)
class PlaceMention:
    start: int  # word indices, end exclusive
    end: int
    key: str | None  # the gazetteer key matched, or None for a place found by a cue alone
    name_start: int  # where the name itself starts (after a cue word such as قرية)
    cue: str | None = None
    place: Place | None = None
    precision: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


class PlaceMatcher:
    """The gazetteer's names, indexed by first word (and joined spellings), for matching words."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        data = knowledge_data("places.toml")
        self.gazetteer = gazetteer
        self.not_places = frozenset(normalize_str(w) for w in data["not_places"]["words"]) | gazetteer.common_words()
        self.cues = {normalize_str(w): kind for kind, words in data["cues"].items() for w in words}
        self.outlets = frozenset(p + normalize_str(w) for w in data["outlets"]["words"] for p in _CLITIC_CHAINS)
        # nationality adjectives: after a cue they qualify it ("مدن إيرانية": Iranian cities)
        self.nisbas = frozenset(normalize_str(w) for forms in knowledge_data("nationalities.toml").values()
                                for w in forms)
        homographs, verbs = data["adjective_homographs"], data["verb_homographs"]
        self.after_definite = frozenset(normalize_str(w) for w in homographs["after_definite"])
        self.after_feminine = frozenset(normalize_str(w) for w in homographs["after_feminine"])
        self.feminine_endings = tuple(normalize_str(w) for w in homographs["feminine_endings"])
        self.verbs = frozenset(normalize_str(w) for w in verbs["words"])
        self.subject_endings = tuple(normalize_str(w) for w in verbs["subject_endings"])
        self.not_subjects = frozenset(normalize_str(w) for w in verbs["not_subjects"])
        duals = data.get("dual_homographs", {})
        dual_words = [normalize_str(w) for w in duals.get("words", [])]
        self.dual_nouns = frozenset(p + w for w in dual_words for p in _CLITIC_CHAINS) | frozenset(
            p + "ل" + w[2:] for w in dual_words if w.startswith("ال") for p in ("ل", "ول", "فل"))  # للقريتين
        self.dual_endings = tuple(normalize_str(w) for w in duals.get("adjective_endings", []))
        self._homographs = self.after_definite | self.after_feminine | self.verbs | self.dual_nouns
        self.not_place_phrases: dict[str, list[tuple[str, ...]]] = {}
        for phrase in data["not_place_phrases"]["phrases"]:
            parts = tuple(normalize_str(phrase).split())
            self.not_place_phrases.setdefault(parts[0], []).append(parts)
        self.first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.generated: set[str] = set()  # keys known only as transliterations: matched with a cue only
        for key, origin in gazetteer.keys_with_origin():
            if not any("\u0621" <= c <= "\u064a" for c in key):
                continue  # Arabic text: romanised names do not occur in it
            if origin == "transliterated":
                self.generated.add(key)
            parts = tuple(key.split())
            self.first.setdefault(parts[0], []).append((parts[1:], key))
            if len(parts) > 1:  # ديرالزور: the same name written joined
                self.first.setdefault("".join(parts), []).append(((), key))
        for entries in self.first.values():
            entries.sort(key=lambda e: -len(e[0]))
        self._entries_cache: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {}
        # Every form a name's first word can take with clitics, and the cue words (a word outside
        # them starts nothing), then every other word find() or _blocked() looks up: a document's
        # words outside this vocabulary play no part, and one pass finds the others.
        surfaces = set(self.cues)
        for first in self.first:
            for prefix in _CLITIC_CHAINS:
                surfaces.add(prefix + first)
            if first.startswith("ال"):
                for prefix in ("لل", "ولل", "فلل"):
                    surfaces.add(prefix + first[2:])
        surfaces.update(c + w for w in self.cues for c in _CONJ)
        self._phrase_words = frozenset(p + w for w in self.not_place_phrases for p in _CLITIC_CHAINS)
        surfaces.update(self._phrase_words, self.outlets, self._homographs)
        # the words of _blocked, in one set: a document's few are found with one intersection
        self._blocking = self._phrase_words | self.outlets | self._homographs
        self.vocabulary = frozenset(surfaces)
        self._plans: dict[str, _Plan] = {}
        self._starts: dict[str, tuple[_Plan, str | None, frozenset[str] | None] | None] = {}
        # the words of _starts that can start a mention, each with the words that must follow it
        # (None: any); _starters reads a document's with one intersection in C
        self._nexts: dict[str, frozenset[str] | None] = {}
        # (gazetteer key, geonameid) -> the data of a place annotation (see places_component)
        self.place_data: dict[tuple[str | None, int], dict[str, Any]] = {}
        self._could_be: dict[str, bool] = {}
        self._phrases_at: dict[str, tuple[tuple[str, ...], ...]] = {}

    def entries(self, word: str) -> tuple[tuple[tuple[str, ...], str], ...]:
        """Gazetteer names that can start at this word (through any of its clitic forms), longest
        first; cached per word form, since words recur."""
        found = self._entries_cache.get(word)
        if found is None:
            collected = [e for form in self._forms(word) for e in self.first.get(form, ())]
            collected.sort(key=lambda e: -len(e[0]))
            found = tuple(collected)
            if len(self._entries_cache) < 200_000:
                self._entries_cache[word] = found
        return found

    def _forms(self, word: str) -> list[str]:
        """The word without its proclitics: والرقه → الرقه, لديرالزور → ديرالزور, للرقه → الرقه."""
        forms = [word]
        i = 0
        if len(word) > 3 and word[0] in _CONJ:
            i = 1
            forms.append(word[1:])
        if len(word) - i > 3 and word[i] in _PREP:
            if word.startswith("ل", i) and word.startswith("ل", i + 1):  # لل = ل + ال
                forms.append("ال" + word[i + 2 :])
            forms.append(word[i + 1 :])
        # The article is never stripped: "السورية" is the adjective, not "سورية" the country.
        return forms

    def plan(self, word: str) -> _Plan:
        """How to match the names that start at this word: (n, {next n words: key}) longest first,
        then (0, key) for the one-word name (None if that word is never a place on its own).

        One dictionary probe per name length replaces a scan of every entry ("عين" starts a hundred
        names); the first entry of each length wins, as in :meth:`entries`' order. Cached per word.
        """
        plan = self._plans.get(word)
        if plan is None:
            tables: dict[int, dict[tuple[str, ...], str]] = {}
            single: list[tuple[int, str | None]] = []
            for rest, key in self.entries(word):
                if not rest:  # entries are longest first: shorter ones are never reached
                    single.append((0, None if key in self.not_places else key))
                    break
                tables.setdefault(len(rest), {}).setdefault(rest, key)
            plan = tuple(tables.items()) + tuple(single)
            if len(self._plans) < 200_000:
                self._plans[word] = plan
        return plan

    def match_at(self, words: Words, i: int) -> tuple[int, str] | None:
        """(end, key) of the longest gazetteer name starting at word ``i``, or None."""
        native = speedups()
        plan, norms = self.plan(words.norms[i]), words.norms
        return self._match(plan, norms, i) if native is None else native.plan_match(plan, norms, i)

    @staticmethod
    def _match(plan: _Plan, norms: list[str], i: int) -> tuple[int, str] | None:
        """:meth:`match_at` with the word's plan at hand (in C, ``plan_match``, where the module is built)."""
        for n, table in plan:
            if not n:
                return None if table is None else (i + 1, table)
            key = table.get(tuple(norms[i + 1 : i + 1 + n]))
            if key is not None:
                return i + 1 + n, key
        return None

    def _start(self, word: str) -> tuple[_Plan, str | None, frozenset[str] | None] | None:
        """(plan, cue, next words) of a word that can start a mention, or None if find() can skip
        it: it is no cue and every name it starts is a transliteration or not a place alone.

        ``next words``: for a word that only starts longer names ("علي" of "علي الغربي"), the words
        that can follow it in one; elsewhere it starts nothing. None if the word alone can match.
        Cached per word form.
        """
        try:
            return self._starts[word]
        except KeyError:
            pass
        cue = self.cues.get(word) or self.cues.get(word[1:] if word[:1] in _CONJ else "")
        plan = self.plan(word)
        useful = cue is not None or any(
            key not in self.generated for n, table in plan for key in (table.values() if n else (table,))
            if key is not None)
        found = None
        if useful:
            nexts = None
            if cue is None and not any(n == 0 for n, _table in plan):
                nexts = frozenset(rest[0] for _n, table in plan for rest in table)
            found = (plan, cue, nexts)
            self._nexts[word] = nexts
        self._starts[word] = found  # bounded by _starters
        return found

    def _tag_key(self, tag: str) -> str | None:
        """The gazetteer key a hashtag spells (#غزة, #قطاع_غزة), if it spells one."""
        parts = tuple(normalize_str(tag.lstrip("#")).replace("_", " ").split())
        if not parts:
            return None
        for rest, key in self.entries(parts[0]):
            if rest == parts[1:] and key not in self.generated:
                return key
        return None

    def _could_be_name(self, word: str) -> bool:
        """An unknown word that may be a place name: Arabic, not a common word, no preposition.
        (Cached per word form: list items are tested again and again.)"""
        known = self._could_be.get(word)
        if known is None:
            bare = word[1:] if word[:1] in _CONJ and len(word) > 3 else word
            known = (len(bare) >= 3 and all("\u0621" <= c <= "\u064a" for c in bare)
                     and bare not in self.not_places and word not in self.not_places
                     and not bare.startswith(("لل", "بال", "كال")) and bare not in self.cues)
            if len(self._could_be) < 200_000:
                self._could_be[word] = known
        return known

    def _blocked(self, norms: list[str], distinct: set[str], positions: Sequence[int],
                 special: set[str] | None = None) -> set[int]:
        """Word indices that are no place though a place name may match there: the words of a name
        that is not a place ("قوات سورية الديمقراطية", "تظاهرة سلمية") and an outlet's name after its
        word ("صحيفة الشروق"). ``positions``: the words to look at (every word that could start one);
        ``special``: the words of ``distinct`` in ``_blocking``, if the caller has them."""
        blocked: set[int] = set()
        if special is None:
            special = distinct.intersection(self._blocking)
        if not special:
            return blocked
        phrase_words = special.intersection(self._phrase_words)
        outlets = special.intersection(self.outlets)
        homographs = special.intersection(self._homographs)
        if homographs or phrase_words:  # the few words of either, picked out in C
            for j in scan_functions()[0](norms, positions, homographs | phrase_words):
                word = norms[j]
                if word in homographs and self._homograph_not_place(norms, j):
                    blocked.add(j)
                if word in phrase_words:
                    for parts in self._phrases_starting(word):
                        if tuple(norms[j + 1 : j + len(parts)]) == parts[1:]:
                            blocked.update(range(j, j + len(parts)))
        if outlets:  # the words right after an outlet word, or after it and an opening quote
            preceding = scan_functions()[1]  # the few positions whose word before is one, found in C
            blocked.update(k + 1 for k in preceding(norms, positions, outlets, 1))
            blocked.update(q + 1 for q in preceding(norms, positions, _QUOTE_MARKS, 1)
                           if q >= 1 and norms[q - 1] in outlets)
        return blocked

    def _phrases_starting(self, word: str) -> tuple[tuple[str, ...], ...]:
        """The names that are no place which can start at this word, through any of its clitic
        forms (cached per word form)."""
        found = self._phrases_at.get(word)
        if found is None:
            collected: list[tuple[str, ...]] = []
            for form in self._forms(word):  # a loop: a comprehension would make ``self`` a cell at every call
                collected.extend(self.not_place_phrases.get(form, ()))
            found = tuple(collected)
            if len(self._phrases_at) < 100_000:
                self._phrases_at[word] = found
        return found

    def _homograph_not_place(self, norms: list[str], j: int) -> bool:
        """A country name that is here the adjective, or a place name that is here the verb, read
        from the word before it: "القنصلية السعودية", "طائرات سورية", "غارات جوية تدمر"; a place
        name that is here a dual noun, read from the adjective after it: "والقريتين الجنوبيتين"."""
        word = norms[j]
        if word in self.dual_nouns:
            after = norms[j + 1] if j + 1 < len(norms) else ""
            return after.startswith("ال") and after.endswith(self.dual_endings)
        if j == 0:
            return False
        before = norms[j - 1]
        if word in self.after_definite and before.startswith("ال") and len(before) > 3:
            return True
        if word in self.after_feminine and not before.startswith("ال") and before.endswith(self.feminine_endings):
            return True
        return (word in self.verbs and before.endswith(self.subject_endings) and before not in self.not_subjects
                and before not in self.cues)

    def not_place_spans(self, words: Words, doc: Any = None) -> list[tuple[int, int]]:
        """Character spans of the words of names that hold a place name but are no place
        ("قوات سورية الديمقراطية", "تظاهرة سلمية", an outlet's "صحيفة الشروق"): other layers must
        not make places of them."""
        norms = words.norms
        _hits, distinct = self._vocabulary_hits(norms, doc)
        return [words.span(j, j + 1) for j in sorted(self._blocked(norms, distinct, range(len(norms))))]

    def _vocabulary_hits(self, norms: list[str], doc: Any) -> tuple[list[int], set[str]]:
        """The indices of the words in :attr:`vocabulary`, and those words (with a document, the
        pass its knowledge matchers share: see :func:`marsad.knowledge.vocabulary_hits`)."""
        if doc is not None:
            return vocabulary_hits(doc, norms, self.vocabulary)
        hits = positions(norms, self.vocabulary)
        return hits, set(map(norms.__getitem__, hits))

    def _starters(self, distinct: set[str]) -> set[str]:
        """The words of ``distinct`` (the document's words in :attr:`vocabulary`) that can start a
        mention; the words that must follow each are in ``_nexts``. Set operations in C; only word
        forms never seen before are tested in Python (a word of the vocabulary that is no clitic
        form of a name's first word, nor a cue, starts nothing: _start says None)."""
        if len(self._starts) >= 200_000:  # bounded caches (a document adds at most its own words)
            self._starts.clear()
            self._nexts.clear()
        for word in distinct.difference(self._starts):
            self._start(word)
        return self._nexts.keys() & distinct

    def find(self, words: Words, doc: Any = None) -> list[PlaceMention]:
        """The place mentions in ``words`` (of ``doc``, whose cached views it then shares)."""
        out: list[PlaceMention] = []
        norms, kinds = words.norms, words.kinds
        n = len(norms)
        # Only the few words that can start a mention, or a name that is not a place, are looked
        # at one by one: they are found with one pass over the document.
        every, distinct = self._vocabulary_hits(norms, doc)
        starters = self._starters(distinct)
        special = distinct.intersection(self._blocking)  # the few words _blocked looks at
        phrase_words = special.intersection(self._phrase_words)
        select = scan_functions()[0]
        hits = select(norms, every, starters | phrase_words)
        blocked = self._blocked(norms, distinct, hits, special)
        # a word that only starts longer names is a candidate only before a word that continues one
        candidates = followed_positions(norms, select(norms, hits, starters) if phrase_words else hits, self._nexts)
        tags = words.tag_positions()  # found once per document (words_of knows when there are none)
        if tags:
            candidates = sorted(set(candidates).union(tags))
        starts = self._starts
        native = speedups()
        plan_match = self._match if native is None else native.plan_match
        i = 0
        for j in candidates:
            if j < i:
                continue
            i = j
            if kinds[i] == "tag" and i not in blocked:  # "#قطاع_غزة": the whole hashtag as a name
                key = self._tag_key(words.text[words.starts[i] : words.ends[i]])
                if key is not None:  # the name is the hashtag without its "#"
                    out.append(PlaceMention(i, i + 1, key, i, extra={"skip_chars": 1}))
                continue
            if kinds[i] != "word" or i in blocked:
                continue
            # a word here is one of the starters, whose start _starters has just looked up
            plan, cue, _nexts = starts.get(norms[i]) or self._start(norms[i])  # type: ignore[misc]
            if cue is None:  # most words: a name starting here, or nothing
                found = plan_match(plan, norms, i)
                if found is not None and found[1] not in self.generated:
                    out.append(PlaceMention(i, found[0], found[1], i))
                    i = found[0]
                    continue
                i += 1
                continue
            here = plan_match(self.plan(norms[i]), norms, i)  # match_at, with the function at hand
            if here is not None and here[0] > i + 1:  # a name that begins with the cue word: ريف إدلب
                out.append(PlaceMention(i, here[0], here[1], i))
                i = here[0]
                continue
            if (cue is not None and cue not in _CUES_WITH_NAME and i + 3 < n and norms[i + 1] in _QUOTE_MARKS
                    and kinds[i + 2] == "word" and norms[i + 3] in _QUOTE_MARKS):
                # a quoted name after the cue: "قاعدتي «كيسوفيم»", "قرية \"الحمرا\""
                found = plan_match(self.plan(norms[i + 2]), norms, i + 2)
                if found is not None and found[0] == i + 3:
                    out.append(PlaceMention(i + 2, i + 3, found[1], i + 2, cue=cue))
                    i += 4
                    continue
                if self._could_be_name(norms[i + 2]):
                    out.append(PlaceMention(i + 2, i + 3, None, i + 2, cue=cue))
                    i += 4
                    continue
            if cue is not None and i + 1 < n and norms[i + 1] in self.nisbas:
                i += 2  # "مدن إيرانية", "بلدات سورية": a nationality qualifies the cue, no name follows
                continue
            if cue is not None and i + 1 < n and kinds[i + 1] == "word":
                keep_cue = cue in _CUES_WITH_NAME  # "مخيم البريج", "ريف إدلب", "تل مسيطف"
                found = plan_match(self.plan(norms[i + 1]), norms, i + 1)
                if found is not None:
                    out.append(PlaceMention(i if keep_cue else i + 1, found[0], found[1], i + 1, cue=cue))
                    i = found[0]
                    continue
                if self._could_be_name(norms[i + 1]):  # a place the gazetteer lacks: "قرية X"
                    out.append(PlaceMention(i if keep_cue else i + 1, i + 2, None, i + 1, cue=cue))
                    i += 2
                    continue
            found = plan_match(self.plan(norms[i]), norms, i)
            if found is not None and found[1] not in self.generated:
                out.append(PlaceMention(i, found[0], found[1], i))
                i = found[0]
                continue
            i += 1
        return self._enumerations(words, out)

    def _enumerations(self, words: Words, found: list[PlaceMention]) -> list[PlaceMention]:
        """Unknown one-word items listed with known places are places too.

        "هجين، والشعفة، والسوسة، والباغوز": the gazetteer knows Hajin and As Susah, so al-Shafa and
        al-Baghuz, listed beside them, are places (kept with geonameid null, in their governorate).
        """
        norms, kinds = words.norms, words.kinds
        n = len(norms)

        # most known places stand alone: the walk below would stop at once on both sides. A list
        # can go on from word s when a comma or an و-word is beside it. One pass finds those and
        # the words of the mentions (most are one word long).
        known: dict[int, PlaceMention] = {}
        taken: set[int] = set()
        for m in found:
            s = m.start
            taken.add(s)
            if m.end != s + 1:
                taken.update(range(s + 1, m.end))
            elif m.key is not None and (
                    (s + 2 < n and ((w := norms[s + 1]) in _SEPARATORS or w[:1] == "و"))
                    or (s >= 2 and ((w := norms[s - 1]) in _SEPARATORS or w[:1] == "و"))):
                known[s] = m
        if not known:
            return found  # in text order already: find() appends each mention after the last
        native = speedups()
        if native is not None:
            listed = native.list_items(norms, kinds, list(known), taken, self._could_be, self._could_be_name,
                                       _SEPARATORS, _PRONOUN_ENDINGS)
        else:
            listed = self._list_items(norms, kinds, list(known), taken)
        if not listed:
            return found
        added = [PlaceMention(item, item + 1, None, item, cue="list", extra={"listed_with": known[start].key})
                 for item, start in listed]
        return sorted(found + added, key=_by_start)

    def _list_items(self, norms: list[str], kinds: list[str], anchors: list[int], taken: set[int],
                    ) -> list[tuple[int, int]]:
        """The unknown one-word items listed with the known places at ``anchors`` (word indices),
        as (item, anchor) in the order found: the walk after each anchor, then before it, over
        commas and و-words (each item found is added to ``taken``). In C where the module is built."""
        n = len(norms)
        could_be = self._could_be  # _could_be_name's cache, read here first: list items recur
        listed: list[tuple[int, int]] = []
        for start in anchors:
            for step in (1, -1):  # items after the anchor, then before it
                k = start
                while True:
                    item = k + 2 * step  # "X، Y": a comma, then the item
                    if not 0 <= item < n:
                        break
                    joined = norms[k + step] not in _SEPARATORS
                    if joined:  # "السوسة والباغوز": و joins the last item
                        item = k + step
                        if norms[item][:1] != "و":
                            break
                    if item in taken:
                        k = item
                        continue
                    if kinds[item] != "word":
                        break
                    word = norms[item]
                    name = could_be.get(word)
                    if not (self._could_be_name(word) if name is None else name):
                        break
                    if item + 1 < n and kinds[item + 1] == "word":
                        break  # "X، وY Z": Y starts a clause, not a list item
                    if word.endswith(_PRONOUN_ENDINGS):
                        break  # "ديرالزور وأريافها": "and its countryside", not a name
                    listed.append((item, start))
                    taken.add(item)
                    k = item
                    if joined:
                        break
        return listed


_by_start = attrgetter("start")


@lru_cache(maxsize=1)
def matcher() -> PlaceMatcher:
    """The matcher over the shipped (and user's) gazetteer, built once."""
    return PlaceMatcher(load_gazetteer())


_FEATURE_PRECISION = {"PCLI": 3, "ADM1": 3, "RGN": 2}


@lru_cache(maxsize=65_536)
def _key_info(gazetteer: Gazetteer, key: str) -> tuple[list[Place], str | None, str | None]:
    """The places a name can be, and the country and governorate all of them agree on (None where
    they do not): Idlib the city and Idlib the governorate agree on SY.12; a country name is the
    country. The same for every document, so computed once per name."""
    found = gazetteer.lookup(key)
    agreed = found[:1] if found and found[0].feature_code == "PCLI" else found
    countries = {p.country for p in agreed}
    admin1s = {p.admin1 for p in agreed}
    return (found, agreed[0].country if len(countries) == 1 else None,
            agreed[0].admin1 if len(admin1s) == 1 else None)


def resolve(mentions: list[PlaceMention], gazetteer: Gazetteer) -> None:
    """Choose one place per mention from the document's geography, then population.

    The choice depends on the document, the name, the cue and the place a listed item was listed
    with only: it is made once per such group and given to every mention of the group (and, where
    the document's geography cannot change it, once per name and cue: see _fixed_choice)."""
    if not mentions:
        return
    # The document's geography: the countries and governorates each mention's candidates agree on,
    # counted in plain dicts (in the order a Counter of them would hold, at less cost)
    infos: dict[str, tuple[list[Place], str | None, str | None]] = {}
    countries: dict[str, int] = {}
    admin1s: dict[str, int] = {}
    for m in mentions:
        key = m.key
        if key:
            info = infos.get(key)
            if info is None:
                info = infos[key] = _key_info(gazetteer, key)
            if (country := info[1]) is not None:
                countries[country] = countries.get(country, 0) + 1
            if (admin1 := info[2]) is not None:
                admin1s[admin1] = admin1s.get(admin1, 0) + 1
    uses: dict[str, int] | None = None  # how often each name is used: only a small settlement's cue asks
    decided: dict[tuple[str | None, str | None, Any], tuple[Place | None, int, int, Any, Any]] = {}
    for m in mentions:
        key, cue = m.key, m.cue
        listed_with = None if key else m.extra.get("listed_with")  # only _enumerations' items have one
        group = (key, cue, listed_with)
        choice = decided.get(group)
        if choice is None:
            choice = _fixed_choice(gazetteer, key, cue) if key else None
            if choice is None:
                if uses is None and key and cue in _SMALL_SETTLEMENT_CUES:
                    uses = {}
                    for other in mentions:
                        if other.key:
                            uses[other.key] = uses.get(other.key, 0) + 1
                choice = _choose(key, cue, listed_with, infos, countries, admin1s, uses)
            decided[group] = choice
        m.place = choice[0]
        m.precision = choice[1]
        if choice[0] is None:
            m.extra["admin1"], m.extra["country"] = choice[3], choice[4]


_NO_COUNTS: Counter[str] = Counter()


@lru_cache(maxsize=65_536)
def _fixed_choice(gazetteer: Gazetteer, key: str, cue: str | None) -> tuple[Place, int, int, None, None] | None:
    """What :func:`_choose` gives a name with this cue in every document, or None where the document
    decides: a name of one place, or of places in one governorate (which the geography then favours
    or not alike), with no cue that tests the geography of the other mentions."""
    found = _key_info(gazetteer, key)[0]
    if not found or cue in _SMALL_SETTLEMENT_CUES or len({(p.country, p.admin1) for p in found}) > 1:
        return None
    place = found[0] if len(found) == 1 else _best_place(found, cue, _NO_COUNTS, _NO_COUNTS)
    return place, _FEATURE_PRECISION.get(place.feature_code or "", 1), len(found), None, None


def _choose(key: str | None, cue: str | None, listed_with: str | None,
            infos: dict[str, tuple[list[Place], str | None, str | None]],
            countries: Mapping[str, int], admin1s: Mapping[str, int], uses: Mapping[str, int] | None,
            ) -> tuple[Place | None, int, int, str | None, str | None]:
    """What :func:`resolve` gives the mentions of one name with one cue (and, for a listed item,
    one anchor): (place, precision, candidates) for a name the gazetteer knows here, else
    (None, precision, 0, admin1, country). The counts are dicts or Counters alike."""
    found = infos[key][0] if key else []
    around_countries, around_admin1s = countries, admin1s
    if found and cue in _SMALL_SETTLEMENT_CUES:
        # the geography of the other mentions: if none of them is in a country this name can be
        # in, the village is one the gazetteer lacks ("قرية الحمرا في ريف حماة": its only
        # Hamra is in Jordan), placed by its neighbours
        own = infos[key]  # type: ignore[index]
        around_countries, around_admin1s = dict(countries), dict(admin1s)
        for counter, value in ((around_countries, own[1]), (around_admin1s, own[2])):
            if value is not None:
                counter[value] = counter.get(value, 0) - uses[key]  # type: ignore[index]
        around_countries, around_admin1s = _positive(around_countries), _positive(around_admin1s)
        if around_countries and not any(around_countries.get(p.country or "", 0) for p in found):
            found = []
        else:
            around_countries, around_admin1s = countries, admin1s
    if found:
        # one candidate needs no scoring
        place = found[0] if len(found) == 1 else _best_place(found, cue, countries, admin1s)
        return place, _FEATURE_PRECISION.get(place.feature_code or "", 1), len(found), None, None
    # not in the gazetteer: in the governorate of the places listed with it, or of the document
    anchor = infos[listed_with][0] if listed_with and listed_with in infos else None
    if anchor:
        best = _best_place(anchor, cue, countries, admin1s)
        admin1, country = best.admin1, best.country
    elif cue in _CUE_COUNTRY:  # "كيبوتس X": the country, not the neighbours' governorate
        admin1, country = None, _CUE_COUNTRY[cue]
    else:
        admin1 = _most_common(around_admin1s) if around_admin1s else None
        # the governorate decides the country; else the country the document names most
        country = (admin1.split(".")[0] if admin1
                   else _most_common(around_countries) if around_countries else None)
    return None, 2 if admin1 else 3, 0, admin1, country


def _best_place(found: list[Place], cue: str | None, countries: Mapping[str, int], admin1s: Mapping[str, int],
                ) -> Place:
    """``max(found, key=lambda p: _score(p, cue, countries, admin1s))`` (the first of the best), in
    a loop: the lambda would make cells of _choose's locals at every call, and add a call per place."""
    best, best_score = found[0], _score(found[0], cue, countries, admin1s)
    for k in range(1, len(found)):
        score = _score(found[k], cue, countries, admin1s)
        if score > best_score:
            best, best_score = found[k], score
    return best


def _positive(counts: Mapping[str, int]) -> dict[str, int]:
    """The counts above zero, in their order (as ``+counter`` keeps them)."""
    return {k: v for k, v in counts.items() if v > 0}


def _most_common(counts: Mapping[str, int]) -> str:
    """The key counted most, the first of them if several (as ``Counter.most_common(1)``)."""
    return max(counts, key=counts.__getitem__)


def _score(p: Place, cue: str | None, countries: Mapping[str, int], admin1s: Mapping[str, int]) -> tuple:
    cue_fits = cue is None or (p.feature_class == "P") == (cue in ("village", "town", "city", "camp", "kibbutz"))
    return (
        p.origin != "transliterated",
        countries.get(p.country or "", 0) > 0 or not countries,  # get: a Counter's missing key calls __missing__
        admin1s.get(p.admin1 or "", 0),
        cue_fits,
        p.feature_class == "P" or p.feature_code == "PCLI",
        p.population,
        -p.geonameid,
    )


def places_component(doc) -> None:  # noqa: ANN001 - a pipeline component over a Document
    """Pipeline component: add the ``places`` layer."""
    words = words_of(doc)
    m = matcher()
    mentions = m.find(words, doc)
    resolve(mentions, m.gazetteer)
    text = doc.text
    layer = []
    word_starts, word_ends, place_data = words.starts, words.ends, m.place_data
    for mention in mentions:
        start, end = word_starts[mention.start], word_ends[mention.end - 1]
        if "skip_chars" in mention.extra:  # a hashtag: the name without its "#"
            start += mention.extra.pop("skip_chars")
        p = mention.place
        if p is not None:
            # the same for every mention of this name resolved to this place: built once, copied
            template = place_data.get((mention.key, p.geonameid))
            if template is None:
                template = {
                    "name": p.name, "country": p.country, "admin1": p.admin1_name, "admin1_code": p.admin1,
                    "geonameid": p.geonameid if p.geonameid > 0 else None,
                    "lat": p.lat, "lon": p.lon, "precision": mention.precision,
                    "feature_code": p.feature_code, "name_origin": p.origin,
                    "candidates": len(_key_info(m.gazetteer, mention.key)[0]),  # how many places the name can be
                }
                if len(m.place_data) < 100_000:
                    m.place_data[(mention.key, p.geonameid)] = template
            data: dict[str, Any] = template.copy()
        else:
            admin1 = mention.extra.get("admin1")
            row = m.gazetteer.get_admin1(admin1) if admin1 else None
            data = {
                "name": words.text[words.starts[mention.name_start] : end], "country": mention.extra.get("country"),
                "admin1": row.name if row else None, "admin1_code": admin1, "geonameid": None,
                "lat": row.lat if row else None, "lon": row.lon if row else None,
                "precision": mention.precision, "feature_code": None, "name_origin": "context",
            }
        if mention.cue:
            data["cue"] = mention.cue
        layer.append(Annotation("places", start, end, text[start:end], COMPONENT, VERSION, None, data))
    doc.set_layer("places", layer)
