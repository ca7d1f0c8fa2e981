"""Actors in text: names from the curated actor base, and generic phrases resolved by context.

The base (``data/knowledge/actors.toml``) gives each actor a stable id, an English name, ACLED's
category and Arabic aliases; they are matched with their clitics, longest first ("الجيش السوري"
before "الجيش"). Generic phrases name an actor only with the document: "الجيش" in a report about
Syria is Syria's military; "مسلحون مجهولون" is an unidentified armed group; "المدنيين" civilians.
"""

from __future__ import annotations

from collections import Counter
from functools import cache, lru_cache
from typing import Any

from bisect import bisect_left, bisect_right

from marsad.expressions.lexicon import Match, PhraseLexicon
from marsad.expressions.scan import words_of
from marsad.knowledge import knowledge_data, share_vocabulary, word_forms, word_positions
from marsad.text.normalize import bare as _bare
from marsad.text.normalize import normalize_str

COMPONENT = "knowledge.actors"
VERSION = "1"

_GENERIC = {
    "state_forces": ("state-forces", "State forces of {country}", "State forces"),
    "armed_group": ("unidentified-armed-group", "Unidentified armed group ({country})", "Political militia"),
    "civilians": ("civilians", "Civilians ({country})", "Civilians"),
}
_PROTESTERS = ("متظاهر", "محتج")


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


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Words that start a phrase of the lexicon; those that start one of two words or more; those
    that are a phrase on their own. A document's words are tested against them with set
    operations, in C, and a word that starts no longer phrase needs no lexicon probe."""
    lex = lexicon()
    starts = frozenset(lex.category_map())
    share_vocabulary(starts | _ANAPHOR_SURFACES)  # the places matcher's pass over the words finds them
    return starts, lex.multi_surfaces(*_CATEGORIES), lex.single_surfaces(*_CATEGORIES)


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


def _document_country(doc) -> str | None:  # noqa: ANN001
    """The country most of the document's places are in, if one stands out."""
    countries = Counter([c for p in doc.layer("places") if (c := p.data.get("country"))])
    if not countries:
        return None
    (top, n), *rest = countries.most_common(2) + [(None, 0)]
    return top if n > rest[0][1] else None


def _in_context(rule: dict[str, Any], country: str | None, named: set[str]) -> str | None:
    """The actor a context-dependent word names here, or None if the context does not say."""
    by_country = rule.get("country", {})
    if country in by_country:
        return by_country[country]
    for actor_id in rule.get("mentioned", []):
        if actor_id in named:
            return actor_id
    return None


def actors_component(doc) -> None:  # noqa: ANN001 - a pipeline component over a Document
    """Pipeline component: add the ``actors`` layer (after ``places``, whose countries it uses)."""
    from marsad.document import Annotation

    words = words_of(doc)
    lex = lexicon()
    norms, kinds = words.norms, words.kinds
    country = _document_country(doc)
    text = doc.text
    layer = []
    # One pass finds the phrases; context-dependent words are resolved after it, since "التنظيم"
    # is ISIS only if ISIS is named somewhere in the document.
    starts, multis, singles = _vocabulary()
    forms = word_forms(doc, norms)
    hits = forms.intersection(starts)
    anaphor_hits = forms.intersection(_ANAPHOR_SURFACES)
    positions = word_positions(doc, norms, hits | anaphor_hits)
    n = len(norms)
    found = []
    done = 0
    for i in positions:
        word = norms[i]
        if i < done or word not in hits or kinds[i] not in ("word", "tag"):
            continue
        if word in multis and i + 1 < n and lex.has_pair(word, norms[i + 1]):
            match = lex.first(norms, i, *_CATEGORIES)
        else:  # no longer phrase can start here: the word's own phrase, if it is one
            match = _single_match(word) if word in singles else None
        if match is not None:
            found.append((i, match))
            done = i + match.length
    named = {m.entry.value for _i, m in found if m.entry.category == "actor"}
    word_starts, word_ends = words.starts, words.ends
    for i, match in found:
        start_char, end_char = word_starts[i], word_ends[i + match.length - 1]
        entry = match.entry
        actor_id = entry.value if entry.category == "actor" else None
        if entry.category == "contextual":
            actor_id = _in_context(entry.value, country, named)
            if actor_id is None:
                continue
        if actor_id is not None:
            data = _actor_data(actor_id).copy()
        else:
            kind = entry.value
            data = _generic_data(kind, kind == "civilians" and any(w in norms[i] for w in _PROTESTERS),
                                 country).copy()
        layer.append(Annotation("actors", start_char, end_char, text[start_char:end_char], COMPONENT, VERSION,
                                None, data))
    layer.extend(_anaphors(doc, words, layer, [i for i in positions if norms[i] in anaphor_hits]))
    doc.set_layer("actors", sorted(layer, key=lambda a: (a.start, a.end)))


# Definite head nouns that, bare, refer back to the last actor named with that head:
# "قوات سوريا الديمقراطية ... حررت القوات قرية هجين" -> the SDF.
_ANAPHOR_HEADS = frozenset(normalize_str(w) for w in ("قوات", "حركة", "جماعة", "ميليشيا", "مليشيا", "فصائل", "تنظيم", "كتائب"))
# the definite heads with the clitics they can carry, for one set lookup per word
_ANAPHOR_SURFACES = frozenset(p + "ال" + h for h in _ANAPHOR_HEADS for p in ("", "و", "ف", "ب", "ك", "وب", "فب", "وك"))\
    | frozenset(p + "لل" + h for h in _ANAPHOR_HEADS for p in ("", "و", "ف"))
_ANAPHOR_REACH = 600  # characters back in which the antecedent must be named


def _anaphors(doc, words, named: list, candidates: list[int]) -> list:  # noqa: ANN001
    """Mentions of named actors by their bare head noun, each resolved to the nearest antecedent.

    Only a bare definite head ("القوات", "الحركة") is read, not one followed by another definite
    word ("القوات الخاصة", "القوات التركية"), which names something else. ``candidates``: the
    positions of the words in ``_ANAPHOR_SURFACES``.
    """
    from marsad.document import Annotation

    norms, kinds, text = words.norms, words.kinds, doc.text
    if not named or not candidates:
        return []
    starts = None  # built only when a candidate gets that far
    out = []
    for i in candidates:
        if kinds[i] != "word":
            continue
        if i + 1 < len(norms) and kinds[i + 1] == "word" and norms[i + 1].startswith("ال"):
            continue
        start, end = words.starts[i], words.ends[i]
        if starts is None:
            # ``named`` is in text order and its spans do not overlap: the one that could hold a
            # word is the last to start at or before it. Heads: every candidate's bare form is
            # one of _ANAPHOR_HEADS, so only antecedents with such a head can match.
            starts = [a.start for a in named]
            heads = []
            for a in named:
                if not a.data.get("actor_id") or a.data.get("generic"):
                    continue
                k = bisect_left(words.starts, a.start)
                if k < len(norms) and (h := _bare_form(norms[k])) in _ANAPHOR_HEADS:
                    heads.append((a.start, h, a))
        k = bisect_right(starts, start) - 1
        if k >= 0 and start < named[k].end:
            continue
        head = _bare_form(norms[i])
        antecedent = next((a for s, h, a in reversed(heads) if h == head and s < start and start - s <= _ANAPHOR_REACH),
                          None)
        if antecedent is None:
            continue
        data = {**antecedent.data, "anaphor_of": {"start": antecedent.start, "end": antecedent.end,
                                                  "text": antecedent.text}, "rule": "anaphora"}
        out.append(Annotation("actors", start, end, text[start:end], COMPONENT, VERSION, None, data))
    return out


_bare_form = lru_cache(maxsize=8192)(_bare)  # words recur: reduce each form once
