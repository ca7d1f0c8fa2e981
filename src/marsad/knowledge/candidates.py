"""Pipeline component ``knowledge.candidates``: names the knowledge base lacks, kept as candidates.

A place the gazetteer does not have and an organisation the actor base does not know still matter
(a new village, a new faction). When the NER model finds one (a ``LOC`` or ``ORG`` entity over
no known place or actor), it is added to the ``places`` layer as an unresolved place, placed in
the document's governorate or country with a matching precision, or to the ``actors`` layer with
no id and ``in_kb: false``. Each keeps the entity's confidence and says it came from NER.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from operator import attrgetter, itemgetter, le

from marsad._native import speedups
from marsad.document import Annotation

COMPONENT = "knowledge.candidates"
VERSION = "1"

# Below this NER confidence an unknown place is not added; organisations are added at any
# confidence, flagged as candidates. Measured on the event dev paragraphs (place F1): 0.5-0.7 gave
# 0.856, 0.8 gave 0.859, 0.9 and above 0.855: one mention apart. 0.6 keeps villages the tagger is
# less sure of ("أم الكراميل", 0.78), which is what the candidates are for.
MIN_PLACE_CONFIDENCE = 0.6
_span_of = attrgetter("start", "end")  # the layers' order


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    for s, e in spans:
        if s < end and start < e:
            return True
    return False


def _overlaps_function() -> Callable[[list[tuple[int, int]], int, int], bool]:
    """:func:`_overlaps`, in C where ``marsad._speedups`` is built (asked once per document: an
    entity is tested against every place and actor)."""
    native = speedups()
    return _overlaps if native is None else native.any_overlap


def _document_region(places: list) -> tuple[str | None, str | None]:
    """(admin1 code, country) most named by the document's resolved places (found only when a
    candidate is added: most documents add none). Ties go to the one named first."""
    admin1s: dict[str, int] = {}
    countries: dict[str, int] = {}
    for p in places:
        d = p.data
        if d.get("geonameid"):
            if code := d.get("admin1_code"):
                admin1s[code] = admin1s.get(code, 0) + 1
            if country := d.get("country"):
                countries[country] = countries.get(country, 0) + 1
    admin1 = _most_named(admin1s)
    country = admin1.split(".")[0] if admin1 else _most_named(countries)
    return admin1, country


def _most_named(counts: dict[str, int]) -> str | None:
    """The key with the highest count, the first met among equals (as Counter.most_common(1))."""
    return max(counts.items(), key=_count)[0] if counts else None


_count = itemgetter(1)


class _NotPlaces:
    """Whether a span holds a word of a name that is no place ("قوات سورية الديمقراطية", "صحيفة
    الشروق"): :meth:`PlaceMatcher.not_place_spans` asked only about the words around the span.

    A word is blocked by what starts at it or at most ``reach - 1`` words before it (a phrase of at
    most ``reach`` words, an outlet's word, a homograph's neighbour): the words from there to the
    span's end are the only ones to look at, not every word of the document.
    """

    def __init__(self, doc) -> None:  # noqa: ANN001 - a Document
        from marsad.knowledge.places import matcher, words_of

        self.matcher = m = matcher()
        self.words = words = words_of(doc)
        _hits, self.distinct = m._vocabulary_hits(words.norms, doc)
        self.reach = _phrase_reach(m)

    def overlaps(self, start: int, end: int) -> bool:
        words = self.words
        starts, ends = words.starts, words.ends
        first, stop = bisect_right(ends, start), bisect_left(starts, end)  # the words that overlap [start, end)
        if first >= stop:
            return False
        lo = max(0, first - self.reach + 1)
        norms = words.norms
        # the document's words of the matcher's vocabulary that the rules read from there (an
        # outlet's word up to two words before): the same answer, with sets of a few words
        near = self.distinct.intersection(norms[max(0, lo - 2) : stop])
        blocked = self.matcher._blocked(norms, near, range(lo, stop))
        return any(starts[j] < end and start < ends[j] for j in blocked)


def _phrase_reach(m) -> int:  # noqa: ANN001 - a PlaceMatcher
    """How many words a no-place name spans at most (the outlet and homograph rules block a word
    from the word or two before it)."""
    found = _REACH.get(id(m))
    if found is None or found[0] is not m:
        longest = max((len(parts) for phrases in m.not_place_phrases.values() for parts in phrases), default=1)
        found = _REACH[id(m)] = (m, max(longest, 3))
    return found[1]


_REACH: dict[int, tuple[object, int]] = {}


def _sorted_spans(spans: list[tuple[int, int]]) -> bool:
    """The spans are in the layers' order (sorting them by it would leave them as they are)."""
    return all(map(le, spans, spans[1:]))


def candidates_component(doc) -> None:  # noqa: ANN001 - a pipeline component over a Document
    entities = [e for e in doc.layer("entities") if e.data.get("how") != "kb"]
    if not entities:
        return
    places = list(doc.layer("places"))
    actors = list(doc.layer("actors"))
    place_spans = list(map(_span_of, places))
    not_places: _NotPlaces | None = None  # "تظاهرة سلمية": no place (made when first needed)
    actor_spans = list(map(_span_of, actors))
    places_in_order, actors_in_order = _sorted_spans(place_spans), _sorted_spans(actor_spans)
    n_places, n_actors = len(places), len(actors)
    where: tuple[str | None, str | None] | None = None  # the document's governorate and country, when first needed
    overlaps = _overlaps_function()
    for e in entities:
        confidence = e.data.get("confidence", 0.0)
        if e.label == "LOC" and confidence >= MIN_PLACE_CONFIDENCE and not overlaps(place_spans, e.start, e.end):
            if not_places is None:
                not_places = _NotPlaces(doc)
            if not_places.overlaps(e.start, e.end):
                continue
            admin1, country = where = where or _document_region(doc.layer("places"))
            row = not_places.matcher.gazetteer.get_admin1(admin1) if admin1 else None
            data = {"name": e.text, "country": country, "admin1": row.name if row else None, "admin1_code": admin1,
                    "geonameid": None, "lat": row.lat if row else None, "lon": row.lon if row else None,
                    "precision": 2 if row else 3, "feature_code": None, "name_origin": "ner",
                    "confidence": confidence}
            places.append(Annotation("places", e.start, e.end, e.text, COMPONENT, VERSION, None, data))
            place_spans.append((e.start, e.end))
        elif (e.label == "ORG" and not overlaps(actor_spans, e.start, e.end)
              and not overlaps(place_spans, e.start, e.end)):
            admin1, country = where = where or _document_region(doc.layer("places"))
            data = {"actor_id": None, "name": e.text, "category": None, "country": country, "wikidata": None,
                    "in_kb": False, "confidence": confidence}
            actors.append(Annotation("actors", e.start, e.end, e.text, COMPONENT, VERSION, None, data))
            actor_spans.append((e.start, e.end))
    # a layer that gained nothing and is in order stays as it is (sorting it would change nothing)
    if len(places) > n_places or not places_in_order:
        places.sort(key=_span_of)
        doc.set_layer("places", places)
    if len(actors) > n_actors or not actors_in_order:
        actors.sort(key=_span_of)
        doc.set_layer("actors", actors)
