"""Actors in text: names from the curated actor base, and generic phrases resolved by context.

The base (``data/knowledge/actors.toml``) gives each actor a stable id, an English name, ACLED's
category and Arabic aliases; they are matched with their clitics, longest first ("الجيش السوري"
before "الجيش"). Generic phrases name an actor only with the document: "الجيش" in a report about
Syria is Syria's military; "مسلحون مجهولون" is an unidentified armed group; "المدنيين" civilians.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from functools import cache, lru_cache
from operator import attrgetter, itemgetter
from typing import Any

from marsad.document import Annotation
from marsad.expressions.lexicon import Match, PhraseLexicon
from marsad.expressions.scan import scan_functions, words_of
from marsad.knowledge import knowledge_data, vocabulary_hits
from marsad.text.normalize import bare as _bare
from marsad.text.normalize import normalize_str

COMPONENT = "knowledge.actors"
VERSION = "1"

_GENERIC = {
    "state_forces": ("state-forces", "State forces of {country}", "State forces"),
    "armed_group": ("unidentified-armed-group", "Unidentified armed group ({country})", "Political militia"),
    "civilians": ("civilians", "Civilians ({country})", "Civilians"),
    "identity_militia": ("identity-militia", "Identity militia ({country})", "Identity militia"),
}
_PROTESTERS = ("متظاهر", "محتج")


@lru_cache(maxsize=4096)
def _names_protesters(word: str) -> bool:
    """Does the word name protesters ("المتظاهرين", "محتجون")? Cached per word form."""
    return any(w in word for w in _PROTESTERS)


@lru_cache(maxsize=1)
def actor_base() -> dict[str, dict[str, Any]]:
    """The curated actors by id (loaded once)."""
    return {a["id"]: a for a in knowledge_data("actors.toml")["actor"]}


@lru_cache(maxsize=1)
def lexicon() -> PhraseLexicon:
    data = knowledge_data("actors.toml")
    lex = PhraseLexicon()
    for actor in data["actor"]:
        for alias in actor["aliases"]:
            lex.add(alias, "actor", actor["id"])
    for kind, phrases in data["generic"].items():
        for phrase in phrases:
            lex.add(phrase, "generic", kind)
    for rule in data.get("contextual", []):
        lex.add(rule["phrase"], "contextual", rule)
    return lex


_CATEGORIES = ("actor", "generic", "contextual")
_CATEGORY_SET = frozenset(_CATEGORIES)  # for PhraseLexicon.first_of
_UNKNOWN = object()  # a window not seen yet (None: no phrase starts it)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Words that start a phrase of the lexicon; those that start one of two words or more; those
    that are a phrase on their own; every word the component looks up (found by the knowledge
    matchers' shared pass over the words). A document's words are tested against them with set
    operations, in C, and a word that starts no longer phrase needs no lexicon probe."""
    lex = lexicon()
    starts = frozenset(lex.category_map())
    every = starts | _ANAPHOR_SURFACES | _nisba_rules().starts
    return starts, lex.multi_surfaces(*_CATEGORIES), lex.single_surfaces(*_CATEGORIES), every


@lru_cache(maxsize=1)
def _phrase_reach() -> int:
    """Words in the lexicon's longest phrase: all that :meth:`PhraseLexicon.first_of` reads from a word on."""
    return lexicon().max_length(*_CATEGORIES)


# the phrase that starts a window of _phrase_reach() words (what lexicon().first_of finds at its
# first word), for words that start longer phrases: the same few windows recur in every document
_WINDOW_MATCHES: dict[tuple[str, ...], Match | None] = {}
_MAX_WINDOW_MATCHES = 100_000


def _window_match(window: tuple[str, ...]) -> Match | None:
    """``lexicon().first_of(window, 0, ...)``, cached per window: it reads no word past the window."""
    try:
        return _WINDOW_MATCHES[window]
    except KeyError:
        pass
    match = lexicon().first_of(window, 0, _CATEGORY_SET)
    if len(_WINDOW_MATCHES) >= _MAX_WINDOW_MATCHES:
        _WINDOW_MATCHES.clear()
    _WINDOW_MATCHES[window] = match
    return match


@lru_cache(maxsize=1)
def _phrase_starts() -> frozenset[str]:
    """The words the phrase loop of actors_component looks at: those that start a phrase of the
    lexicon or a nationality reading."""
    return _vocabulary()[0] | _nisba_rules().starts


# word -> (starts a longer phrase?, the one-word phrase it is, starts a nationality reading?): what
# the phrase loop of actors_component asks of a word, in one probe (bounded: lexicon words only)
_WORD_PLANS: dict[str, tuple[bool, Match | None, bool]] = {}


def _word_plan(word: str) -> tuple[bool, Match | None, bool]:
    """What the phrase loop asks of a word of the lexicon or of the nationality rules (cached)."""
    plan = _WORD_PLANS.get(word)
    if plan is None:
        starts, multis, singles, _every = _vocabulary()
        plan = _WORD_PLANS[word] = (
            word in starts and word in multis,
            _single_match(word) if word in starts and word in singles else None,
            word in _nisba_rules().starts,
        )
    return plan


@lru_cache(maxsize=4096)
def _single_match(word: str) -> Match | None:
    """The one-word phrase ``word`` is (what ``lexicon().first`` finds when no longer one fits)."""
    return lexicon().first([word], 0, *_CATEGORIES)


@lru_cache(maxsize=1024)
def _generic_data(kind: str, protesters: bool, country: str | None) -> dict[str, Any]:
    """The data of an annotation of a generic phrase (built once; callers copy it)."""
    ident, name, category = _GENERIC[kind]
    if protesters:
        ident, name, category = "protesters", "Protesters ({country})", "Protesters"
    return {"actor_id": f"{country.lower()}-{ident}" if country else ident,
            "name": name.format(country=country or "unknown country"), "category": category,
            "country": country, "wikidata": None, "generic": True}


@cache
def _actor_data(actor_id: str) -> dict[str, Any]:
    """The data of an annotation naming a known actor (built once per actor; callers copy it)."""
    actor = actor_base()[actor_id]
    return {"actor_id": actor["id"], "name": actor["name"], "category": actor["category"],
            "country": actor["country"] or None, "wikidata": actor.get("wikidata") or None}


def _document_country(doc) -> tuple[str | None, list]:  # noqa: ANN001
    """The country most of the document's places are in, if one stands out; and the places that
    are countries (for _countries_acting), found in the same pass over the places layer."""
    counts: dict[str, int] = {}
    countries = []
    for p in doc.layer("places"):
        if c := (data := p.data).get("country"):
            counts[c] = counts.get(c, 0) + 1
            if data.get("feature_code") == "PCLI":
                countries.append(p)
    return _most_counted(counts), countries


def _most_counted(counts: dict[str, int]) -> str | None:
    """The key counted most, if it stands out."""
    if len(counts) < 2:  # none, or one country
        return next(iter(counts), None)
    first, second = sorted(counts.values(), reverse=True)[:2]
    # the first country counted that many times (as Counter.most_common, which keeps insertion order)
    return next(c for c, k in counts.items() if k == first) if first > second else None


def _in_context(rule: dict[str, Any], country: str | None, named: set[str],
                named_countries: frozenset[str] = frozenset()) -> str | None:
    """The actor a context-dependent word names here, or None if the context does not say.

    The country is the document's; when its places name none, that of the state forces it names
    ("القوات السورية والمعارضة يتبادلون القصف": Syria's opposition).
    """
    by_country = rule.get("country", {})
    if country in by_country:
        return by_country[country]
    if country is None and len(hit := named_countries.intersection(by_country)) == 1:
        return by_country[next(iter(hit))]
    for actor_id in rule.get("mentioned", []):
        if actor_id in named:
            return actor_id
    return None


def _state_countries(found: list[tuple[int, int, Any, dict[str, Any] | None]]) -> frozenset[str]:
    """The countries whose state forces the phrases found name."""
    return frozenset(
        d["country"] for _i, _n, m, d0 in found
        if (d := d0 if d0 is not None else _actor_data(m.value) if m.category == "actor" else None) is not None
        and d.get("country") and d.get("category") == "State forces")


@lru_cache(maxsize=64)
def _not_after(phrase: str) -> frozenset[str]:
    """Words after which a context-dependent word is part of another name (its rule's ``not_after``),
    with their conjunctions."""
    rule = next((r for r in knowledge_data("actors.toml").get("contextual", []) if r["phrase"] == phrase), {})
    return frozenset(p + normalize_str(w) for w in rule.get("not_after", []) for p in ("", "و", "ف"))


def actors_component(doc) -> None:  # noqa: ANN001 - a pipeline component over a Document
    """Pipeline component: add the ``actors`` layer (after ``places``, whose countries it uses)."""
    words = words_of(doc)
    lex = lexicon()
    norms, kinds = words.norms, words.kinds
    country, country_places = _document_country(doc)
    text = doc.text
    layer = []
    # One pass finds the phrases; context-dependent words are resolved after it, since "التنظيم"
    # is ISIS only if ISIS is named somewhere in the document.
    vocabulary = _vocabulary()[3]
    nis = _nisba_rules()
    every, forms = vocabulary_hits(doc, norms, vocabulary)
    anaphor_hits = forms.intersection(_ANAPHOR_SURFACES)
    select = scan_functions()[0]
    # the words that start a phrase or a nationality reading (a bare head, for _anaphors, is read
    # after the phrases)
    positions = select(norms, every, _phrase_starts())
    pairs = lex.phrase_pairs()
    reach, window_matches = _phrase_reach(), _WINDOW_MATCHES
    n = len(norms)
    word_starts, word_ends = words.starts, words.ends
    # (first word, words, lexicon entry or None, data of a phrase read with a nationality adjective)
    found: list[tuple[int, int, Any, dict[str, Any] | None]] = []
    # the known actors named by a head noun ("قوات سوريا الديمقراطية"), in text order: what a bare
    # "القوات" later refers back to (_anaphors)
    heads: list[tuple[int, str, Any]] = []
    # context-dependent words, (index in layer, first word, words, entry): resolved once all the
    # phrases are found, since "التنظيم" is ISIS only if ISIS is named somewhere in the document;
    # each holds its place in the layer (None) meanwhile
    pending: list[tuple[int, int, int, Any]] = []
    done = 0
    word_plans = _WORD_PLANS
    for i in positions:  # each a word of _phrase_starts()
        word = norms[i]
        if i < done or kinds[i] not in ("word", "tag"):
            continue
        multi, match, nisba = word_plans.get(word) or _word_plan(word)
        if multi and i + 1 < n and (word, norms[i + 1]) in pairs:
            window = tuple(norms[i : i + reach])
            match = window_matches.get(window, _UNKNOWN)
            if match is _UNKNOWN:
                match = _window_match(window)
        # else no longer phrase can start here: the word's own phrase, if it is one
        if match is not None:
            entry, length = match.entry, match.length
            category = entry.category
            if category == "generic" and i + length < n:
                read = nis.extend(norms, kinds, i, i + length, entry.value)
                if read is not None:
                    length, data = read
                    found.append((i, length, entry, data))
                    done = i + length
                    _annotate_reading(layer, heads, words, i, length, data, country)
                    continue
            found.append((i, length, entry, None))
            done = i + length
            if category == "contextual":
                pending.append((len(layer), i, length, entry))
                layer.append(None)
                continue
            start_char, end_char = word_starts[i], word_ends[i + length - 1]
            if category == "actor":
                ann = Annotation("actors", start_char, end_char, text[start_char:end_char], COMPONENT, VERSION,
                                 None, _actor_data(entry.value).copy())
                layer.append(ann)
                if (h := _bare_form(word)) in _ANAPHOR_HEADS:
                    heads.append((start_char, h, ann))
            else:
                kind = entry.value
                data = _generic_data(kind, kind == "civilians" and _names_protesters(word), country)
                layer.append(Annotation("actors", start_char, end_char, text[start_char:end_char], COMPONENT,
                                        VERSION, None, data.copy()))
        elif nisba:
            read_all = nis.read(norms, kinds, i)
            if read_all:
                for a, b, data in read_all:
                    found.append((a, b - a, None, data))
                    _annotate_reading(layer, heads, words, a, b - a, data, country)
                done = read_all[-1][1]
    if pending:
        _resolve_in_context(layer, heads, words, found, pending, country)
    # The phrases were found in text order, one after the other; the countries that act and the
    # anaphors, found apart, are each inserted after every annotation whose span does not follow
    # its own: the order a stable sort of the whole layer gives (_anaphors needs it), at less cost.
    for ann in _countries_acting(doc, words, layer, country_places):
        insort(layer, ann, key=_span_key)
    anaphors = _anaphors(doc, words, layer, select(norms, every, anaphor_hits) if anaphor_hits else [], heads)
    for ann in anaphors:
        insort(layer, ann, key=_span_key)
    doc.set_layer("actors", layer)


def _annotate_reading(layer: list, heads: list[tuple[int, str, Any]], words: Any, i: int, length: int,
                      data: dict[str, Any], country: str | None) -> None:
    """Add the annotation of a phrase read with a nationality adjective (``data`` from _NisbaRules)."""
    start_char, end_char = words.starts[i], words.ends[i + length - 1]
    if data.get("country") is None and data.get("generic"):  # no adjective said whose
        data = {**_generic_data(data["kind"], False, country), "rule": "nisba"}
    ann = Annotation("actors", start_char, end_char, words.text[start_char:end_char], COMPONENT, VERSION,
                     None, {k: v for k, v in data.items() if k != "kind"})
    layer.append(ann)
    if not data.get("generic") and data.get("actor_id") and (h := _bare_form(words.norms[i])) in _ANAPHOR_HEADS:
        heads.append((start_char, h, ann))


def _resolve_in_context(layer: list, heads: list[tuple[int, str, Any]], words: Any,
                        found: list[tuple[int, int, Any, dict[str, Any] | None]],
                        pending: list[tuple[int, int, int, Any]], country: str | None) -> None:
    """Put in their places in ``layer`` (None until now) the annotations of the context-dependent
    words, now that every phrase of the document is found; drop those the context does not resolve."""
    norms = words.norms
    # the known actors named, and the countries whose state forces are (only where the places
    # name no country)
    named = {m.value for _i, _n, m, _d in found if m is not None and m.category == "actor"} | \
        {d["actor_id"] for _i, _n, _m, d in found if d is not None and not d.get("generic")}
    named_countries = _state_countries(found) if country is None else frozenset()
    added_heads = False
    for index, i, length, entry in pending:
        if i > 0 and norms[i - 1] in _not_after(entry.value.get("phrase", "")):
            continue
        actor_id = _in_context(entry.value, country, named, named_countries)
        if actor_id is None:
            if not (kind := entry.value.get("generic")):
                continue
            data = _generic_data(kind, kind == "civilians" and _names_protesters(norms[i]), country)
        else:
            data = _actor_data(actor_id)
        start_char, end_char = words.starts[i], words.ends[i + length - 1]
        ann = layer[index] = Annotation("actors", start_char, end_char, words.text[start_char:end_char], COMPONENT,
                                        VERSION, None, data.copy())
        if actor_id is not None and (h := _bare_form(norms[i])) in _ANAPHOR_HEADS:
            heads.append((start_char, h, ann))
            added_heads = True
    if added_heads:
        heads.sort(key=_first)  # back in text order (no two start at one word)
    layer[:] = [a for a in layer if a is not None]


_first = itemgetter(0)


_span_key = attrgetter("start", "end")
_start_of = attrgetter("start")
_NO_CATEGORIES: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def _not_acting() -> frozenset[str]:
    return frozenset(normalize_str(w) for w in knowledge_data("actors.toml")["countries"]["not_acting"])


def _countries_acting(doc, words, named: list, countries: list) -> list:
    """A country that opens a sentence as the subject of a verb acts as a state: "إيران تقصف البوكمال",
    "السعودية تعترض صاروخا", "الأردن يعلن مقتل 3 مسلحين" (an imperfect verb, ت or ي, right after it).

    Elsewhere a country is where something happened, or a side the events read from the places
    layer; it is no actor of this layer.
    """
    if not countries:  # the places that are countries (see _document_country)
        return []
    openings: set[int] | None = None  # sentence starts, read only for a country a verb follows
    norms, kinds, text = words.norms, words.kinds, doc.text
    out = []
    for p in countries:
        e = bisect_left(words.starts, p.end)
        if e >= len(norms) or kinds[e] != "word" or len(norms[e]) < 4 or norms[e][0] not in "تي" \
                or norms[e] in _not_acting():
            continue
        if openings is None:
            openings = {s.start for s in doc.layer("sentences")} | {0}
        k = bisect_left(words.starts, p.start)
        if p.start not in openings and not (k > 0 and kinds[k - 1] == "punct" and text[words.starts[k - 1]] in ".\n"):
            continue
        if any(a.start < p.end and p.start < a.end for a in named):
            continue
        data = {**_generic_data("state_forces", False, p.data["country"]), "rule": "country-subject"}
        out.append(Annotation("actors", p.start, p.end, p.text, COMPONENT, VERSION, None, data))
    return out


# ---- nationality adjectives (nisba): "القوات السورية", "غارات إسرائيلية", "مقتل 7 فلسطينيين"

_POLICE_WORDS = frozenset(normalize_str(w) for w in ("شرطة", "أمن", "أمني", "الأمنية", "مديرية", "استخبارات", "مخابرات"))
_PREPOSITIONS = frozenset("بلك")  # the letters of a preposition among a nisba's clitics
_BROKEN_PLURALS = frozenset(normalize_str(w) for w in ("روس", "أتراك", "أفغان"))


def _definite(norm: str) -> bool:
    """Does the (normalised) word carry the article: "القوات", "للقوات", "والسورية"?"""
    if len(norm) > 4 and norm[0] in "وف":
        norm = norm[1:]
    return norm.startswith(("ال", "لل")) or (norm[:1] in "بك" and norm[1:3] == "ال")


def _plural(bare: str) -> bool:
    """A nisba naming people in the plural or dual ("فلسطينيين", "روسيين", "أتراك")."""
    return bare.endswith(("يين", "يون")) or bare in _BROKEN_PLURALS


@lru_cache(maxsize=65_536)
def _bare_plural(word: str) -> bool:
    """The word, without its clitics, ends as a plural nisba ("للفلسطينيين"); cached per word form."""
    return _bare(word).endswith(("يين", "يون"))


class _NisbaRules:
    """The nouns read with a nationality adjective (``[nisba]`` of actors.toml) and the adjectives."""

    def __init__(self) -> None:
        data = knowledge_data("actors.toml")
        rules = data["nisba"]
        self.lex = lex = PhraseLexicon()
        for kind, phrases in rules["heads"].items():
            for phrase in phrases:  # people are named indefinite: "الصحفي السعودي جمال خاشقجي" is a person
                lex.add(phrase, "head", kind, article=kind != "civilians")
        for category in ("attacks", "modifiers", "identities", "victims"):
            for phrase in rules[category]:
                lex.add(phrase, category, category)
        for code, forms in knowledge_data("nationalities.toml").items():
            for form in forms:
                lex.add(form, "nisba", code)
        self.starts = frozenset(w for w, cats in lex.category_map().items()
                                if not cats.isdisjoint(("head", "attacks", "nisba")))
        self.categories = lex.category_map()
        # the words an adjective can be: most heads have none after them, which a set test tells
        self.nisba_words = lex.surfaces("nisba")
        self.adjective_reach = 2 * lex.max_length("modifiers") + 1  # _skip_modifiers skips two phrases
        # the country's military: the known actor named "الجيش" or "القوات" + the adjective
        nisbas = {normalize_str(w): code for code, forms in knowledge_data("nationalities.toml").items()
                  for w in forms}
        self.military: dict[str, str] = {}
        for actor in data["actor"]:
            if actor.get("role") == "source":
                continue
            for alias in actor["aliases"]:
                parts = normalize_str(alias).split()
                if len(parts) == 2 and parts[0] in ("الجيش", "القوات") and (code := nisbas.get(_bare(parts[1]))):
                    self.military.setdefault(code, actor["id"])

    def _nisba(self, norms: list[str], kinds: list[str], j: int) -> str | None:
        if j >= len(norms) or kinds[j] != "word":
            return None
        m = self.lex.first(norms, j, "nisba")
        return m.entry.value if m is not None and m.length == 1 else None

    def _is(self, norms: list[str], j: int, category: str) -> int:
        """Words of a phrase of ``category`` at ``j`` (0 if none)."""
        if j >= len(norms):
            return 0
        m = self.lex.first(norms, j, category)
        return m.length if m is not None else 0

    def _adjectives(self, norms: list[str], kinds: list[str], j: int, definite: bool,
                    category: str = "nisba") -> list[tuple[int, str]]:
        """The agreeing adjectives from ``j`` on, and those joined to them by و ("سورية وروسية",
        "روسية و سورية"): [(index, value)]. Identity adjectives: the first only."""
        out: list[tuple[int, str]] = []
        n = len(norms)
        while j < n and kinds[j] == "word" and _definite(norms[j]) == definite:
            m = self.lex.first(norms, j, category)
            if m is None or m.length != 1 or out and not m.prefix.startswith("و") and norms[j - 1] != "و":
                break
            out.append((j, m.entry.value))
            if category != "nisba":
                break
            j += 2 if j + 1 < n and norms[j + 1] == "و" else 1
        return out

    def _skip_modifiers(self, norms: list[str], j: int) -> int:
        for _ in range(2):
            k = self._is(norms, j, "modifiers")
            if not k:
                break
            j += k
        return j

    def _side(self, kind: str, code: str, police: bool = False) -> dict[str, Any]:
        if kind == "military" and not police and code in self.military:
            return {**_actor_data(self.military[code]), "rule": "nisba"}
        kind = "state_forces" if kind in ("military", "police") else kind
        return {**_generic_data(kind, False, code), "rule": "nisba"}

    def extend(self, norms: list[str], kinds: list[str], i: int, e: int, kind: str) -> tuple[int, dict] | None:
        """A generic phrase (``norms[i:e]``) followed by a nationality (or, for an armed group, an
        identity) adjective: its words with the adjective's, and the side it names."""
        definite = _definite(norms[e - 1])
        if kind == "armed_group" and (ident := self._adjectives(norms, kinds, e, definite, "identities")):
            last = ident[-1][0]
            code = self._nisba(norms, kinds, last + 1)
            end = last + 2 if code and _definite(norms[last + 1]) == definite else last + 1
            data = {**_generic_data("identity_militia", False, code if end == last + 2 else None), "rule": "nisba",
                    "kind": "identity_militia"}
            return end - i, data
        if e >= len(norms) or norms[e] not in self.nisba_words:
            return None  # no adjective right after the phrase (what _adjectives would find)
        adjectives = self._adjectives(norms, kinds, e, definite)
        if not adjectives:
            return None
        j, code = adjectives[0]
        if kind == "state_forces":
            police = any(_bare(w) in _POLICE_WORDS or w in _POLICE_WORDS for w in norms[i:e])
            return j + 1 - i, self._side("military", code, police)
        protesters = kind == "civilians" and _names_protesters(norms[i])
        # protesters keep their own span: "متظاهرون" is also the word that reports the protest
        return (e if protesters else j + 1) - i, {**_generic_data(kind, protesters, code), "rule": "nisba"}

    def read(self, norms: list[str], kinds: list[str], i: int) -> list[tuple[int, int, dict]]:
        """What a head, attack noun or lone adjective at ``i`` names: [(first word, end, data)].

        (Loops, not comprehensions, over the adjectives: a comprehension that reads the locals
        would make them cells at every call, and most calls return at once.)"""
        lex, n = self.lex, len(norms)
        cats = self.categories.get(norms[i], _NO_CATEGORIES)
        m = lex.first(norms, i, "head") if "head" in cats else None
        if m is not None:
            kind, e = m.entry.value, i + m.length
            while e < n and norms[e].startswith("و") and (h := lex.first(norms, e, "head")) is not None \
                    and h.prefix.startswith("و"):  # "ضابط وجندي إسرائيليين"
                e += h.length
            if kind != "identity_militia" and self.nisba_words.isdisjoint(norms[e : e + self.adjective_reach]):
                return []  # no adjective within reach (what _adjectives would find after the modifiers)
            definite = _definite(norms[e - 1])
            if kind == "identity_militia":
                ident = self._adjectives(norms, kinds, e, definite, "identities")
                if not ident:
                    return []
                last = ident[-1][0]
                code = self._nisba(norms, kinds, last + 1)
                if code and _definite(norms[last + 1]) == definite:
                    return [(i, last + 2, {**_generic_data(kind, False, code), "rule": "nisba", "kind": kind})]
                data = {**_generic_data(kind, False, None), "rule": "nisba", "kind": kind}
                data["country"] = None
                return [(i, last + 1, data)]
            adjectives = self._adjectives(norms, kinds, self._skip_modifiers(norms, e), definite)
            if not adjectives:
                return []
            (j, code), rest = adjectives[0], adjectives[1:]
            out = [(i, j + 1, self._side(kind, code, kind == "police"))]
            for k, c in rest:
                out.append((k, k + 1, self._side(kind, c, kind == "police")))
            return out
        m = lex.first(norms, i, "attacks") if "attacks" in cats else None
        if m is not None:
            e = i + m.length
            if self.nisba_words.isdisjoint(norms[e : e + self.adjective_reach]):
                return []
            definite = _definite(norms[e - 1])
            out = []
            for k, c in self._adjectives(norms, kinds, self._skip_modifiers(norms, e), definite):
                if not _plural(_bare(norms[k])):
                    out.append((k, k + 1, self._side("military", c)))
            return out
        # a lone adjective: the people of that country, where it cannot be another noun's adjective
        # or the predicate of a clause ("منهم سوريون"): after a killing or arrest word, a number or
        # a count; a plural one also after a preposition ("للفلسطينيين") or opening the sentence
        prev_kind = kinds[i - 1] if i > 0 else None
        ok = prev_kind == "number" or (prev_kind == "word" and "victims" in self.categories.get(norms[i - 1], _NO_CATEGORIES)
                                       and self._is(norms, i - 1, "victims") == 1)
        plural = not ok and _bare_plural(norms[i])
        if not (ok or plural):
            return []  # most adjectives: no test below can pass
        code = self._nisba(norms, kinds, i)
        if code is None:
            return []
        if plural:
            m = lex.first(norms, i, "nisba")
            ok = prev_kind != "word" or m is not None and not _PREPOSITIONS.isdisjoint(m.prefix.removesuffix("ال"))
        return [(i, i + 1, {**_generic_data("civilians", False, code), "rule": "nisba"})] if ok else []


@lru_cache(maxsize=1)
def _nisba_rules() -> _NisbaRules:
    return _NisbaRules()


# Definite head nouns that, bare, refer back to the last actor named with that head:
# "قوات سوريا الديمقراطية ... حررت القوات قرية هجين" -> the SDF.
_ANAPHOR_HEADS = frozenset(normalize_str(w) for w in ("قوات", "حركة", "جماعة", "ميليشيا", "مليشيا", "فصائل", "تنظيم", "كتائب"))
# the definite heads with the clitics they can carry, for one set lookup per word
_ANAPHOR_SURFACES = frozenset(p + "ال" + h for h in _ANAPHOR_HEADS for p in ("", "و", "ف", "ب", "ك", "وب", "فب", "وك"))\
    | frozenset(p + "لل" + h for h in _ANAPHOR_HEADS for p in ("", "و", "ف"))
_ANAPHOR_REACH = 600  # characters back in which the antecedent must be named


def _anaphors(doc, words, named: list, candidates: list[int],  # noqa: ANN001
              heads: list[tuple[int, str, Any]]) -> list:
    """Mentions of named actors by their bare head noun, each resolved to the nearest antecedent.

    Only a bare definite head ("القوات", "الحركة") is read, not one followed by another definite
    word ("القوات الخاصة", "القوات التركية"), which names something else. ``candidates``: the
    positions of the words in ``_ANAPHOR_SURFACES``; ``heads``: (start, head noun, annotation) of
    the known actors of ``named`` whose first word is one of ``_ANAPHOR_HEADS``, in text order.
    """
    norms, kinds, text = words.norms, words.kinds, doc.text
    if not named or not candidates:
        return []
    out = []
    for i in candidates:
        if kinds[i] != "word":
            continue
        if i + 1 < len(norms) and kinds[i + 1] == "word" and norms[i + 1].startswith("ال"):
            continue
        start, end = words.starts[i], words.ends[i]
        # ``named`` is in text order and its spans do not overlap: the one that could hold a word
        # is the last to start at or before it
        k = bisect_right(named, start, key=_start_of) - 1
        if k >= 0 and start < named[k].end:
            continue
        head = _bare_form(norms[i])
        antecedent = None  # the last named with this head before the word, within reach (no generator to close)
        for s, h, a in reversed(heads):
            if h == head and s < start and start - s <= _ANAPHOR_REACH:
                antecedent = a
                break
        if antecedent is None:
            continue
        data = {**antecedent.data, "anaphor_of": {"start": antecedent.start, "end": antecedent.end,
                                                  "text": antecedent.text}, "rule": "anaphora"}
        out.append(Annotation("actors", start, end, text[start:end], COMPONENT, VERSION, None, data))
    return out


_bare_form = lru_cache(maxsize=8192)(_bare)  # words recur: reduce each form once
