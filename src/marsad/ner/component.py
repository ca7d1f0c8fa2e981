"""Pipeline component ``ner.entities``: names of persons, organisations, places and others.

The CRF tags each sentence's tokens; names it found are then propagated to their other mentions in
the document (:func:`marsad.ner.model.propagate`). Each entity keeps its label, a confidence (the
model's marginal probability; for a propagated mention, that of the mention it was copied from)
and how it was found. Later components use them: places the gazetteer lacks and organisations the
actor base lacks come from here.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import lru_cache, partial
from operator import attrgetter

from marsad._native import speedups
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


def _token_bounds(spans: list[tuple[int, int, str]], start: int, end: int) -> tuple[int, int]:
    """The indices ``[lo, hi)`` of the tokens inside ``[start, end)`` (as :meth:`Tokens.in_span`).

    Tokens are disjoint and in order, so their ends increase too: the tokens that start inside the
    range are a run found by two bisections, and only the run's last token can reach past ``end``.
    """
    lo = bisect_left(spans, (start, -1, ""))
    hi = bisect_left(spans, (end, -1, ""), lo)
    if hi > lo and spans[hi - 1][1] > end:
        hi -= 1
    return lo, hi


def _sentence_bounds(spans: list[tuple[int, int, str]], ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """:func:`_token_bounds` of each ``(start, end)`` of ``ranges``."""
    native = speedups()
    if native is not None:  # the bisections, in C
        return native.ner_token_bounds(spans, ranges)
    return [_token_bounds(spans, start, end) for start, end in ranges]


def _token_texts(text: str, spans: list[tuple[int, int, str]], bounds: list[tuple[int, int]]) -> list[list[str]]:
    """The tokens' texts, one list per ``[lo, hi)`` range of token indices."""
    native = speedups()
    if native is not None:  # the loop below, in C
        return native.ner_token_texts(text, spans, bounds)
    return [[text[s:e] for s, e, _k in spans[lo:hi]] for lo, hi in bounds]


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
    """The value of the first span in ``spans`` that overlaps ``[start, end)``, else None."""
    for s, e, value in spans:
        if s < end and start < e:
            return value
    return None


def _overlap_finder(spans: list[tuple[int, int, object]]) -> Callable[[int, int], object | None]:
    """``_overlapping`` over ``spans``: a scan in C where the module is built (quicker than bisecting
    in Python at a document's size), else a :class:`_Spans`."""
    native = speedups()
    if native is not None:
        return partial(native.ner_first_overlapping, spans)
    return _Spans(spans).first_overlapping


def _free_known(taken: list[tuple[int, int, object]], known: list[tuple]) -> list[int]:
    """Which known names (``known``: (start, end, ...) spans) become entities of their own, in order.

    The longest first (then by start, then by index), each one that overlaps no span before it:
    neither one of ``taken`` (the entities so far) nor a known name taken earlier.
    """
    native = speedups()
    if native is not None:  # the loop below, in C: one call instead of one scan call per name
        return native.ner_free_known(taken, known)
    taken = list(taken)
    chosen = []
    for _length, start, k in sorted([(s - e, s, k) for k, (s, e, *_rest) in enumerate(known)]):
        end = known[k][1]
        if _overlapping(taken, start, end) is None:
            chosen.append(k)
            taken.append((start, end, known[k]))  # (a value that is not None: the entity made of it)
    return chosen


def _span_confidences(scored: list[tuple[list[str], list[float]]], norms: list[list[str]],
                      scored_spans: list[list[tuple[int, int, str]]],
                      ) -> tuple[dict[tuple[int, int, int, str], float], dict[tuple[str, ...], float]]:
    """(each span the CRF found, ``(sentence, start, end, label)`` -> its confidence: the least marginal
    of its tokens; each name, and its last word alone, -> the best confidence it was found with)."""
    native = speedups()
    if native is not None:  # the loop below, in C
        return native.ner_span_confidences(scored, norms, scored_spans)
    confidence: dict[tuple[str, ...], float] = {}
    own: dict[tuple[int, int, int, str], float] = {}
    for si, sentence_spans in enumerate(scored_spans):
        if not sentence_spans:
            continue
        marginals, sentence_norms = scored[si][1], norms[si]
        for a, b, label in sentence_spans:
            key = tuple(sentence_norms[a:b])
            c = own[(si, a, b, label)] = min(marginals[a:b])
            confidence[key] = max(confidence.get(key, 0.0), c)
            last = key[-1:]
            confidence[last] = max(confidence.get(last, 0.0), c)
    return own, confidence


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
    from marsad.ner.model import default_model, iob_spans, propagate_norms

    model = default_model()
    spans = doc.tokens.spans
    text = doc.text
    sentences = [(s.start, s.end) for s in doc.layer("sentences")]
    bounds = _sentence_bounds(spans, sentences) if sentences else [(0, len(spans))]
    bounds = [(lo, hi) for lo, hi in bounds if hi > lo]
    words = _token_texts(text, spans, bounds)
    tagged = model.tag_document(words)
    scored, norms = tagged.tagged, tagged.norms
    native = speedups()
    spans_of = iob_spans if native is None else native.iob_spans  # called per sentence: no wrapper
    scored_tags = [t for t, _m in scored]
    scored_spans = list(map(spans_of, scored_tags))
    ruled = model.apply_rules_document(tagged, scored_tags)
    changed = [si for si, (r, t) in enumerate(zip(ruled, scored_tags)) if r is not t]  # by the rules
    ruled_spans = list(scored_spans)
    for si in changed:
        ruled_spans[si] = spans_of(ruled[si])
    final = propagate_norms(norms, ruled, window=None, common=model.common_words, found=ruled_spans)
    # a rule's confidence: how often the spans it added were right on the NER dev split
    rule_confidence = (model.meta.get("rules_on_dev") or {}).get("precision") or 0.5
    # (in a sentence the rules left alone, every span is the CRF's own)
    by_rule = {(si, a, b, label) for si in changed for a, b, label in ruled_spans[si]}
    own, confidence = _span_confidences(scored, norms, scored_spans)
    actors = [(a.start, a.end, a) for a in doc.layer("actors") if not a.data.get("generic") and a.data.get("actor_id")]
    places = [(p.start, p.end, p) for p in doc.layer("places")
              if p.data.get("geonameid") or p.data.get("name_origin") in ("curated", "geonames")]
    place_of, actor_of = _overlap_finder(places), _overlap_finder(actors)
    model_name = f"{model.meta.get('name')}@{model.version}"
    layer = []
    for si, sentence_tags in enumerate(final):
        # (a sentence where no name spread keeps its list: its spans are known)
        sentence_spans = ruled_spans[si] if sentence_tags is ruled[si] else spans_of(sentence_tags)
        if not sentence_spans:
            continue
        lo, sentence_words = bounds[si][0], words[si]
        for a, b, label in sentence_spans:
            start = spans[lo + a][0] + _trim_clitics(sentence_words[a], model)
            end = spans[lo + b - 1][1]
            if start >= end:
                continue
            span = (si, a, b, label)
            if span in own:
                how, conf = "crf", own[span]
            elif span in by_rule:
                how, conf = "rule", rule_confidence
            else:
                how, conf = "propagated", confidence.get(tuple(norms[si][a:b]), 0.5)
            data = {"label": label, "confidence": round(conf, 3), "how": how, "model": model_name}
            # a gazetteer place first: a country acting ("سورية", "روسيا") is still a place name;
            # but a known name that holds the place name is that name ("ديرالزور24", an outlet)
            place = place_of(start, end)
            actor = actor_of(start, end)
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
    for k in _free_known(taken, known):
        start, end, ann, label = known[k]
        data = {"label": label, "confidence": 1.0, "how": "kb"}
        if label == "ORG":
            data["kb"] = ann.data["actor_id"]  # type: ignore[attr-defined]
        layer.append(Annotation("entities", start, end, text[start:end], COMPONENT, VERSION, label, data))
    layer.sort(key=attrgetter("start", "end"))
    doc.set_layer("entities", layer)
