"""Actors in text: names from the curated actor base, and generic phrases resolved by context.

The base (``data/knowledge/actors.toml``) gives each actor a stable id, an English name, ACLED's
category and Arabic aliases; they are matched with their clitics, longest first ("الجيش السوري"
before "الجيش"). Generic phrases name an actor only with the document: "الجيش" in a report about
Syria is Syria's military; "مسلحون مجهولون" is an unidentified armed group; "المدنيين" civilians.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

from bisect import bisect_left

from marsad.expressions.lexicon import PhraseLexicon
from marsad.expressions.scan import words_of
from marsad.knowledge import knowledge_data
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


def _document_country(doc) -> str | None:  # noqa: ANN001
    """The country most of the document's places are in, if one stands out."""
    countries = Counter(p.data.get("country") for p in doc.layer("places") if p.data.get("country"))
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
    lex, base = lexicon(), actor_base()
    norms, kinds = words.norms, words.kinds
    country = _document_country(doc)
    text = doc.text
    layer = []
    # One pass finds the phrases; context-dependent words are resolved after it, since "التنظيم"
    # is ISIS only if ISIS is named somewhere in the document.
    found = []
    done = 0
    for i in [i for i, word in enumerate(norms) if word in lex]:
        if i < done or kinds[i] not in ("word", "tag"):
            continue
        match = lex.first(norms, i, "actor", "generic", "contextual")
        if match is not None:
            found.append((i, match))
            done = i + match.length
    named = {m.entry.value for _i, m in found if m.entry.category == "actor"}
    for i, match in found:
        end = i + match.length
        start_char, end_char = words.span(i, end)
        actor_id = match.entry.value if match.entry.category == "actor" else None
        if match.entry.category == "contextual":
            actor_id = _in_context(match.entry.value, country, named)
            if actor_id is None:
                continue
        if actor_id is not None:
            actor = base[actor_id]
            data = {"actor_id": actor["id"], "name": actor["name"], "category": actor["category"],
                    "country": actor["country"] or None, "wikidata": actor.get("wikidata") or None}
        else:
            kind = match.entry.value
            ident, name, category = _GENERIC[kind]
            if kind == "civilians" and any(w in norms[i] for w in _PROTESTERS):
                ident, name, category = "protesters", "Protesters ({country})", "Protesters"
            data = {"actor_id": f"{country.lower()}-{ident}" if country else ident,
                    "name": name.format(country=country or "unknown country"), "category": category,
                    "country": country, "wikidata": None, "generic": True}
        layer.append(Annotation("actors", start_char, end_char, text[start_char:end_char], COMPONENT, VERSION,
                                None, data))
    layer.extend(_anaphors(doc, words, layer))
    doc.set_layer("actors", sorted(layer, key=lambda a: (a.start, a.end)))


# Definite head nouns that, bare, refer back to the last actor named with that head:
# "قوات سوريا الديمقراطية ... حررت القوات قرية هجين" -> the SDF.
_ANAPHOR_HEADS = frozenset(normalize_str(w) for w in ("قوات", "حركة", "جماعة", "ميليشيا", "مليشيا", "فصائل", "تنظيم", "كتائب"))
# the definite heads with the clitics they can carry, for one set lookup per word
_ANAPHOR_SURFACES = frozenset(p + "ال" + h for h in _ANAPHOR_HEADS for p in ("", "و", "ف", "ب", "ك", "وب", "فب", "وك"))\
    | frozenset(p + "لل" + h for h in _ANAPHOR_HEADS for p in ("", "و", "ف"))
_ANAPHOR_REACH = 600  # characters back in which the antecedent must be named


def _anaphors(doc, words, named: list) -> list:  # noqa: ANN001
    """Mentions of named actors by their bare head noun, each resolved to the nearest antecedent.

    Only a bare definite head ("القوات", "الحركة") is read, not one followed by another definite
    word ("القوات الخاصة", "القوات التركية"), which names something else.
    """
    from marsad.document import Annotation

    norms, kinds, text = words.norms, words.kinds, doc.text
    if not named:
        return []
    candidates = [i for i, w in enumerate(norms) if w in _ANAPHOR_SURFACES]
    if not candidates:
        return []
    heads = []
    for a in named:
        if not a.data.get("actor_id") or a.data.get("generic"):
            continue
        k = bisect_left(words.starts, a.start)
        if k < len(norms):
            heads.append((a.start, _bare(norms[k]), a))
    out = []
    for i in candidates:
        if kinds[i] != "word":
            continue
        head = _bare(norms[i])
        if i + 1 < len(norms) and kinds[i + 1] == "word" and norms[i + 1].startswith("ال"):
            continue
        start, end = words.starts[i], words.ends[i]
        if any(a.start <= start < a.end for a in named):
            continue
        antecedent = next((a for s, h, a in reversed(heads) if h == head and s < start and start - s <= _ANAPHOR_REACH),
                          None)
        if antecedent is None:
            continue
        data = {**antecedent.data, "anaphor_of": {"start": antecedent.start, "end": antecedent.end,
                                                  "text": antecedent.text}, "rule": "anaphora"}
        out.append(Annotation("actors", start, end, text[start:end], COMPONENT, VERSION, None, data))
    return out
