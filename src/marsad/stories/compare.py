"""A story's documents side by side: what they share, what only one reports, where they disagree, how they frame it.

Every item is keyed so that two outlets' wordings of one thing meet: actors by knowledge-base id,
places by GeoNames id, claims by speaker (actor id, else the speaker's normalised words), numbers
by what they count and their value, incidents by :mod:`marsad.stories.incidents`. An item named by
two or more documents is common; one named by a single document is that document's own. Every
item carries its evidence: document id, start, end and the exact words.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable, Iterable

from marsad.document import Document
from marsad.stories.framing import accusation, claim_speaker_key, framing_signals
from marsad.stories.incidents import merge_incidents, span
from marsad.stories.profile import bare, document_terms, idf, place_key
from marsad.text.normalize import normalize_str

COMMON_TERMS = 15
"""Shared words listed as common ground (the most distinctive by TF-IDF)."""
OWN_TERMS = 10
"""Words only one document uses, listed per document (the most distinctive by TF-IDF)."""

_PEOPLE_KINDS_EXCLUDED = ("date_part", "ordinal", "percent", "fraction")


def outlet_of(doc: Document) -> str:
    """Who published a document: its source, else (unknown outlet) the document itself."""
    return (doc.meta.source if doc.meta and doc.meta.source else None) or doc.id


def _text_key(text: str) -> str:
    return " ".join(bare(w) for w in normalize_str(text).split())


def _actors(doc: Document) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for a in doc.layer("actors"):
        key = a.data.get("actor_id") or "text:" + _text_key(a.text)
        item = out.setdefault(key, {"key": key, "actor_id": a.data.get("actor_id"),
                                    "name": a.data.get("name") or a.text, "category": a.data.get("category"),
                                    "evidence": []})
        item["evidence"].append(span(doc, a.start, a.end))
    return out


def _places(doc: Document) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for p in doc.layer("places"):
        d = p.data
        if d.get("name_origin") in ("context", "ner") and not d.get("geonameid"):
            continue  # unresolved guesses: too weak to say an outlet "reports" a place
        key = place_key(d) or (f"g{d['geonameid']}" if d.get("geonameid")
                               else "name:" + _text_key(d.get("name") or p.text))
        item = out.setdefault(key, {"key": key, "name": d.get("name") or p.text, "geonameid": d.get("geonameid"),
                                    "country": d.get("country"), "admin1": d.get("admin1"), "evidence": []})
        item["evidence"].append(span(doc, p.start, p.end))
    return out


def _claims(doc: Document) -> dict[str, dict[str, Any]]:
    """Claims grouped by speaker; a same-speaker continuation inside an earlier claim's content is dropped."""
    out: dict[str, dict[str, Any]] = {}
    for cl in sorted(doc.layer("claims"), key=lambda c: (c.data["content"]["start"], -c.data["content"]["end"])):
        c = cl.data
        key = claim_speaker_key(c)
        item = out.setdefault(key, {"key": key, "speaker": c["speaker"]["text"],
                                    "speaker_actor": c.get("speaker_actor"), "claims": []})
        content = c["content"]
        if any(x["content"]["start"] <= content["start"] and content["end"] <= x["content"]["end"]
               for x in item["claims"]):
            continue
        entry: dict[str, Any] = {
            "cue": c["cue"]["text"], "stance": c.get("stance"),
            "speaker": span(doc, c["speaker"]["start"], c["speaker"]["end"]),
            "content": span(doc, content["start"], content["end"]),
            "evidence": span(doc, cl.start, cl.end),
        }
        acc = accusation(doc, cl)
        if acc:
            entry["accusation"] = acc
        item["claims"].append(entry)
    return out


def _numbers(doc: Document) -> dict[str, dict[str, Any]]:
    """Counts of people (killed, wounded, kidnapped, fighters ...), keyed by what and how many."""
    out: dict[str, dict[str, Any]] = {}
    for n in doc.layer("numbers"):
        d = n.data
        if not d.get("what") or not isinstance(d.get("value"), int) or d.get("kind") in _PEOPLE_KINDS_EXCLUDED:
            continue
        key = f"{d['what']}:{d['value']}"
        item = out.setdefault(key, {"key": key, "what": d["what"], "value": d["value"], "approx": bool(d.get("approx")),
                                    "evidence": []})
        item["evidence"].append(span(doc, n.start, n.end))
    return out


def _terms(doc: Document) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for term, s, e in document_terms(doc):
        item = out.setdefault(term, {"key": term, "count": 0, "evidence": []})
        item["count"] += 1
        if len(item["evidence"]) < 3:
            item["evidence"].append(span(doc, s, e))
    return out


def _split(per_doc: list[dict[str, dict[str, Any]]],
           docs: list[Document]) -> tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]:
    """(items in two or more documents, items in exactly one, per document), in first-seen order."""
    where: dict[str, list[int]] = {}
    for i, items in enumerate(per_doc):
        for key in items:
            where.setdefault(key, []).append(i)
    common, own = [], [[] for _ in docs]
    for key, idxs in where.items():
        if len(idxs) > 1:
            first = dict(per_doc[idxs[0]][key])
            first["documents"] = [docs[i].id for i in idxs]
            first["evidence"] = [ev for i in idxs for ev in _evidence(per_doc[i][key])]
            common.append(first)
        else:
            own[idxs[0]].append({**per_doc[idxs[0]][key], "documents": [docs[idxs[0]].id]})
    return common, own


def _evidence(item: dict[str, Any]) -> list[dict[str, Any]]:
    if "evidence" in item:
        return item["evidence"]
    return [c["evidence"] for c in item.get("claims", [])]


def _ranked_terms(items: Iterable[dict[str, Any]], top: int) -> list[dict[str, Any]]:
    ranked = sorted(items, key=lambda t: (-t["_score"], t["key"]))[:top]
    return [{k: v for k, v in t.items() if k != "_score"} for t in ranked]


def compare_documents(docs: list[Document], *, df: dict[str, int] | None = None,
                      n_documents: int | None = None) -> dict[str, Any]:
    """The comparison of a story's documents (see the module docstring for what it holds).

    ``df`` and ``n_documents`` weigh words by how rare they are in the whole store (else in these documents).
    """
    outlets = [outlet_of(d) for d in docs]
    incidents = merge_incidents(docs, outlets)
    terms = [_terms(d) for d in docs]
    if df is None:
        df = dict(Counter(t for ts in terms for t in ts))
        n_documents = len(docs)
    n = max(n_documents or 0, len(docs))

    def weight(term: str) -> float:
        return idf(df.get(term, 0), n)

    actors_c, actors_o = _split([_actors(d) for d in docs], docs)
    places_c, places_o = _split([_places(d) for d in docs], docs)
    claims_c, claims_o = _split([_claims(d) for d in docs], docs)
    numbers_c, numbers_o = _split([_numbers(d) for d in docs], docs)
    terms_c, terms_o = _split(terms, docs)
    for t in terms_c:
        t["count"] = sum(ts[t["key"]]["count"] for ts in terms if t["key"] in ts)
        t["_score"] = t["count"] * weight(t["key"])
    for own in terms_o:
        for t in own:
            t["_score"] = t["count"] * weight(t["key"])

    def incidents_in(pred: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        return [i for i in incidents if pred(i)]

    common = {
        "incidents": incidents_in(lambda i: len(set(i["documents"])) > 1),
        "actors": actors_c,
        "places": places_c,
        "claims": claims_c,
        "numbers": numbers_c,
        "terms": _ranked_terms(terms_c, COMMON_TERMS),
    }
    only = []
    for k, doc in enumerate(docs):
        only.append({
            "document": doc.id,
            "outlet": outlets[k],
            "incidents": incidents_in(lambda i, d=doc.id: set(i["documents"]) == {d}),
            "claims": claims_o[k],
            "numbers": numbers_o[k],
            "actors": actors_o[k],
            "places": places_o[k],
            "terms": _ranked_terms(terms_o[k], OWN_TERMS),
        })
    framing = [{"document": d.id, "outlet": outlets[k], **framing_signals(d)} for k, d in enumerate(docs)]
    return {
        "documents": [{"document": d.id, "outlet": outlets[k], "title": d.meta.title, "source": d.meta.source,
                       "published": d.meta.published.isoformat() if d.meta.published else None,
                       "content_hash": d.content_hash} for k, d in enumerate(docs)],
        "common": common,
        "only": only,
        "disagreements": _disagreements(docs, outlets, incidents, claims_o),
        "framing": framing,
        "framing_contrast": _framing_contrast(framing),
    }


def _disagreements(docs: list[Document], outlets: list[str], incidents: list[dict[str, Any]],
                   claims_only: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Different figures or perpetrators for one incident; accusations one outlet reports and the others omit."""
    out: list[dict[str, Any]] = []
    for inc in incidents:
        tolls = [s for s in inc["sources"] if s["fatalities"] is not None]
        if len({s["fatalities"] for s in tolls}) > 1:
            out.append({
                "kind": "fatalities", "incident": inc["id"], "sub_event_type": inc["sub_event_type"],
                "place": (inc["place"] or {}).get("name"),
                "values": [{"document": s["document"], "outlet": s["outlet"], "value": s["fatalities"],
                            "evidence": s["evidence"]} for s in tolls],
                "range": inc["fatalities"],
            })
        perps = [s for s in inc["sources"] if s["perpetrator"]]
        if len({s["perpetrator"].get("actor_id") or s["perpetrator"]["name"] for s in perps}) > 1:
            out.append({
                "kind": "perpetrator", "incident": inc["id"], "sub_event_type": inc["sub_event_type"],
                "place": (inc["place"] or {}).get("name"),
                "values": [{"document": s["document"], "outlet": s["outlet"], "perpetrator": s["perpetrator"]["name"],
                            "actor_id": s["perpetrator"].get("actor_id"),
                            "evidence": s["perpetrator"].get("evidence", s["evidence"])} for s in perps],
            })
    if len(docs) > 1:
        for k, own in enumerate(claims_only):
            for group in own:
                for claim in group["claims"]:
                    if "accusation" not in claim:
                        continue
                    out.append({
                        "kind": "accusation_omitted",
                        "document": docs[k].id, "outlet": outlets[k],
                        "speaker": group["speaker"], "speaker_actor": group["speaker_actor"],
                        "accused": claim["accusation"]["accused"], "why": claim["accusation"]["why"],
                        "omitted_by": [d.id for i, d in enumerate(docs) if i != k],
                        "evidence": claim["evidence"],
                    })
    return out


def _framing_contrast(framing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Loaded terms and scare-quoted words some outlets use and others do not."""
    if len(framing) < 2:
        return []
    uses: dict[tuple[str, str], dict[str, Any]] = {}
    for f in framing:
        for t in f["loaded_terms"]:
            item = uses.setdefault(("term", t["lemma"]), {"signal": "loaded term", "what": t["lemma"],
                                                          "category": t["category"], "used_by": [], "evidence": []})
            if f["document"] not in item["used_by"]:
                item["used_by"].append(f["document"])
            item["evidence"].append(t["evidence"])
        for q in f["scare_quotes"]:
            key = _text_key(q["text"])
            item = uses.setdefault(("quote", key), {"signal": "scare quote", "what": q["text"], "category": None,
                                                    "used_by": [], "evidence": []})
            if f["document"] not in item["used_by"]:
                item["used_by"].append(f["document"])
            item["evidence"].append(q["evidence"])
    docs = [f["document"] for f in framing]
    out = []
    for item in uses.values():
        if len(item["used_by"]) < len(docs):
            item["not_used_by"] = [d for d in docs if d not in item["used_by"]]
            out.append(item)
    return out
