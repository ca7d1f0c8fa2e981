"""Pipeline component ``knowledge.candidates``: names the knowledge base lacks, kept as candidates.

A place the gazetteer does not have and an organisation the actor base does not know still matter
(a new village, a new faction). When the NER model finds one (a ``LOC`` or ``ORG`` entity over
no known place or actor), it is added to the ``places`` layer as an unresolved place, placed in
the document's governorate or country with a matching precision, or to the ``actors`` layer with
no id and ``in_kb: false``. Each keeps the entity's confidence and says it came from NER.
"""

from __future__ import annotations

from collections import Counter
from operator import attrgetter

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


def _document_region(places: list) -> tuple[str | None, str | None]:
    """(admin1 code, country) most named by the document's resolved places (found only when a
    candidate is added: most documents add none)."""
    resolved = [p.data for p in places if p.data.get("geonameid")]
    admin1s = Counter(d.get("admin1_code") for d in resolved if d.get("admin1_code"))
    countries = Counter(d.get("country") for d in resolved if d.get("country"))
    admin1 = admin1s.most_common(1)[0][0] if admin1s else None
    country = admin1.split(".")[0] if admin1 else countries.most_common(1)[0][0] if countries else None
    return admin1, country


def candidates_component(doc) -> None:  # noqa: ANN001 - a pipeline component over a Document
    from marsad.document import Annotation
    from marsad.knowledge.places import matcher, words_of

    entities = [e for e in doc.layer("entities") if e.data.get("how") != "kb"]
    if not entities:
        return
    places = list(doc.layer("places"))
    actors = list(doc.layer("actors"))
    place_spans = [(p.start, p.end) for p in places]
    not_places: list[tuple[int, int]] | None = None  # "تظاهرة سلمية": no place (found when first needed)
    actor_spans = [(a.start, a.end) for a in actors]
    where: tuple[str | None, str | None] | None = None  # the document's governorate and country, when first needed
    for e in entities:
        confidence = e.data.get("confidence", 0.0)
        if e.label == "LOC" and confidence >= MIN_PLACE_CONFIDENCE and not _overlaps(place_spans, e.start, e.end):
            if not_places is None:
                not_places = matcher().not_place_spans(words_of(doc), doc)
            if _overlaps(not_places, e.start, e.end):
                continue
            admin1, country = where = where or _document_region(doc.layer("places"))
            row = matcher().gazetteer.get_admin1(admin1) if admin1 else None
            data = {"name": e.text, "country": country, "admin1": row.name if row else None, "admin1_code": admin1,
                    "geonameid": None, "lat": row.lat if row else None, "lon": row.lon if row else None,
                    "precision": 2 if row else 3, "feature_code": None, "name_origin": "ner",
                    "confidence": confidence}
            places.append(Annotation("places", e.start, e.end, e.text, COMPONENT, VERSION, None, data))
            place_spans.append((e.start, e.end))
        elif e.label == "ORG" and not _overlaps(actor_spans, e.start, e.end) and not _overlaps(place_spans, e.start, e.end):
            admin1, country = where = where or _document_region(doc.layer("places"))
            data = {"actor_id": None, "name": e.text, "category": None, "country": country, "wikidata": None,
                    "in_kb": False, "confidence": confidence}
            actors.append(Annotation("actors", e.start, e.end, e.text, COMPONENT, VERSION, None, data))
            actor_spans.append((e.start, e.end))
    places.sort(key=_span_of)
    actors.sort(key=_span_of)
    doc.set_layer("places", places)
    doc.set_layer("actors", actors)
