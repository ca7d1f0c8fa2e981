"""Pipeline component ``ner.entities``: names of persons, organisations, places and others.

The CRF tags each sentence's tokens; names it found are then propagated to their other mentions in
the document (:func:`marsad.ner.model.propagate`). Each entity keeps its label, a confidence (the
model's marginal probability; for a propagated mention, that of the mention it was copied from)
and how it was found. Later components use them: places the gazetteer lacks and organisations the
actor base lacks come from here.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache

from marsad.ner.features import analyse

COMPONENT = "ner.entities"


def _version() -> str:
    """The component's version carries the shipped model's, so retraining re-extracts stored documents.

    (A digest of the model's small metadata file, which changes with every retraining: its scores,
    data hash and settings.)
    """
    import hashlib

    from marsad.ner.model import META_FILE, shipped_model_dir

    try:
        digest = hashlib.sha256((shipped_model_dir() / META_FILE).read_bytes()).hexdigest()[:8]
    except OSError:
        digest = "nomodel"
    return f"1+{digest}"


VERSION = _version()

_CLITICS = ("و", "ف", "ب", "ل", "ك")



@lru_cache(maxsize=1 << 16)  # names recur: each word form is read once
def _trim_clitics(word: str, model) -> int:
    """How many leading characters of a name's first token are clitics (``وكريم`` -> 1, ``وليد`` -> 0).

    A conjunction or preposition goes, the article stays with the name (``والباغوز`` -> ``الباغوز``);
    in ``للولايات`` the article has lost its alef, so only a conjunction before it could go.
    """
    info = analyse(word)
    parts = [p for p in info.prefixes.split("+") if p]
    norm = info.norm
    if "ال" in parts:
        pre = "".join(p for p in parts if p != "ال")  # the conjunction and preposition letters
        if norm[len(pre):].startswith("ال"):
            return len(pre)
        return max(0, len(pre) - 1)  # لل: keep the ل that carries the article
    if len(norm) >= 4 and norm[0] in _CLITICS and norm[1:] and (model.known(norm[1:]) or norm[1:] in _known_names()):
        return 1
    return 0


@lru_cache(maxsize=1)
def _known_names() -> frozenset[str]:
    from marsad.ner.model import default_model

    lex = default_model().extractor.lexicons
    return frozenset().union(*(v for k, v in lex.items() if not k.endswith(":rest")))


def _token_range(spans: list[tuple[int, int, str]], start: int, end: int) -> list[int]:
    """Indices of the tokens inside ``[start, end)`` (as :meth:`Tokens.in_span`, without token objects).

    Tokens are disjoint and in order, so their ends increase too: the tokens that start inside the
    range are a run found by two bisections, and only the run's last token can reach past ``end``.
    """
    lo = bisect_left(spans, (start, -1, ""))
    hi = bisect_left(spans, (end, -1, ""), lo)
    if hi > lo and spans[hi - 1][1] > end:
        hi -= 1
    return list(range(lo, hi))


class _Spans:
    """Spans in layer order, answering "the first one that overlaps [start, end)" without a full scan.

    The running maximum of the ends says where overlaps can begin; spans sorted by start say
    where they stop. (A layer is sorted by start; unsorted input falls back to the plain scan.)
    """

    def __init__(self, spans: list[tuple[int, int, object]]) -> None:
        self.spans = spans
        self.starts = [s for s, _e, _v in spans]
        self.sorted = all(a <= b for a, b in zip(self.starts, self.starts[1:]))
        self.reach: list[int] = []
        furthest = -1
        for _s, e, _v in spans:
            furthest = max(furthest, e)
            self.reach.append(furthest)

    def first_overlapping(self, start: int, end: int) -> object | None:
        if not self.sorted:
            return _overlapping(self.spans, start, end)
        spans = self.spans
        for i in range(bisect_right(self.reach, start), bisect_left(self.starts, end)):
            s, e, value = spans[i]
            if s < end and start < e:
                return value
        return None


def _overlapping(spans: list[tuple[int, int, object]], start: int, end: int) -> object | None:
    for s, e, value in spans:
        if s < end and start < e:
            return value
    return None


def _holds(outer, inner) -> bool:
    """``outer`` covers ``inner`` and is longer."""
    return outer.start <= inner.start and inner.end <= outer.end and outer.end - outer.start > inner.end - inner.start


def entities_component(doc) -> None:
    """Pipeline component: add the ``entities`` layer (after ``places`` and ``actors``).

    The knowledge base has the last word on what a name is: a name the CRF tags PERS that the
    actor base knows as a group ("داعش") is an ORG; known actors and gazetteer places the CRF
    missed are added (``how: "kb"``), so ``entities`` lists every named mention.
    """
    from marsad.document import Annotation
    from marsad.ner.model import default_model, iob_spans, propagate

    model = default_model()
    spans = doc.tokens.spans
    text = doc.text
    groups = [_token_range(spans, s.start, s.end) for s in doc.layer("sentences")] or [list(range(len(spans)))]
    groups = [g for g in groups if g]
    words = [[text[spans[i][0] : spans[i][1]] for i in g] for g in groups]
    scored = model.tag_sentences_scored(words)
    ruled = [model.apply_rules(w, t) for w, (t, _m) in zip(words, scored)]
    final = propagate(words, ruled, window=None, common=model.common_words)
    # a rule's confidence: how often the spans it added were right on the NER dev split
    rule_confidence = (model.meta.get("rules_on_dev") or {}).get("precision") or 0.5
    by_rule = {(si, a, b, label) for si, t in enumerate(ruled) for a, b, label in iob_spans(t)}
    confidence: dict[tuple[str, ...], float] = {}
    own: set[tuple[int, int, int, str]] = set()
    for si, (sentence_tags, marginals) in enumerate(scored):
        for a, b, label in iob_spans(sentence_tags):
            own.add((si, a, b, label))
            key = tuple(analyse(w).norm for w in words[si][a:b])
            c = min(marginals[a:b])
            for k in (key, key[-1:]):
                confidence[k] = max(confidence.get(k, 0.0), c)
    actors = [(a.start, a.end, a) for a in doc.layer("actors") if not a.data.get("generic") and a.data.get("actor_id")]
    places = [(p.start, p.end, p) for p in doc.layer("places")
              if p.data.get("geonameid") or p.data.get("name_origin") in ("curated", "geonames")]
    place_index, actor_index = _Spans(places), _Spans(actors)
    model_name = f"{model.meta.get('name')}@{model.version}"
    layer = []
    for si, sentence_tags in enumerate(final):
        for a, b, label in iob_spans(sentence_tags):
            first, last = spans[groups[si][a]], spans[groups[si][b - 1]]
            start = first[0] + _trim_clitics(words[si][a], model)
            end = last[1]
            if start >= end:
                continue
            if (si, a, b, label) in own:
                how, conf = "crf", min(scored[si][1][a:b])
            elif (si, a, b, label) in by_rule:
                how, conf = "rule", rule_confidence
            else:
                key = tuple(analyse(w).norm for w in words[si][a:b])
                how, conf = "propagated", confidence.get(key, 0.5)
            data = {"label": label, "confidence": round(conf, 3), "how": how, "model": model_name}
            # a gazetteer place first: a country acting ("سورية", "روسيا") is still a place name;
            # but a known name that holds the place name is that name ("ديرالزور24", an outlet)
            place = place_index.first_overlapping(start, end)
            actor = actor_index.first_overlapping(start, end)
            if place is not None and actor is not None and _holds(actor, place):  # type: ignore[arg-type]
                place = None
            elif place is not None:
                actor = None
            if place is not None and label != "LOC":
                data["model_label"], data["label"], label = label, "LOC", "LOC"
            elif actor is not None:
                data["kb"] = actor.data["actor_id"]  # type: ignore[attr-defined]
                if label != "ORG":
                    data["model_label"], data["label"], label = label, "ORG", "ORG"
            layer.append(Annotation("entities", start, end, text[start:end], COMPONENT, VERSION, label, data))
    taken = [(e.start, e.end, e) for e in layer]
    known = [(s, e, ann, "LOC") for s, e, ann in places] + [(s, e, ann, "ORG") for s, e, ann in actors]
    for start, end, ann, label in sorted(known, key=lambda k: (k[0] - k[1], k[0])):  # longest first
        if _overlapping(taken, start, end) is None:
            data = {"label": label, "confidence": 1.0, "how": "kb"}
            if label == "ORG":
                data["kb"] = ann.data["actor_id"]  # type: ignore[attr-defined]
            entity = Annotation("entities", start, end, text[start:end], COMPONENT, VERSION, label, data)
            layer.append(entity)
            taken.append((start, end, entity))
    layer.sort(key=lambda e: (e.start, e.end))
    doc.set_layer("entities", layer)
