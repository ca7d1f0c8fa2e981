"""One incident, many reports: events from different documents of a story merged, each source kept.

Two events (from two documents) are taken for one incident when they have the same ACLED event type
and a compatible sub-type, name the same place (same GeoNames id, or the same governorate when one
of them is imprecise), have overlapping dates, and compatible actors: in a battle the sides one
report names must be among the sides the other names; in other events the targets must agree where
both name one (the perpetrator may differ: that is a contested incident, not two incidents). The
best-matching pairs are merged first, an incident holds at most one event per document, and every
event of an incident is compatible with every other (no chains of "almost the same").

Each incident lists every source with that source's values, the fatalities as UCDP does (low = the
smallest reported figure, high = the largest, best = the figure most sources give, else the lower
median), and a support grade in the spirit of Airwars: "single source", "confirmed by N sources"
(N independent outlets agree) or "contested" (sources disagree on the perpetrator or the toll),
with the reason.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from marsad.document import Document

INCIDENT_DATE_SLACK_DAYS = 2
"""Reports of one incident dated this many days apart still overlap (a report's date is often the day after)."""

# Sub-types an outlet may use for what another calls by its general name.
_GENERAL = {
    "Battles": "Armed clash",
    "Violence against civilians": "Attack",
    "Strategic developments": "Other",
    "Protests": "Peaceful protest",
}
_INTERCHANGEABLE = (frozenset(("Air/drone strike", "Shelling/artillery/missile attack")),)


@dataclass
class Mention:
    """One event of one document, with what the incident needs from it."""

    doc: Document
    outlet: str
    index: int  # the event's position in the document's events layer
    data: dict[str, Any]
    start: int
    end: int

    @property
    def document(self) -> str:
        return self.doc.id


def span(doc: Document, start: int, end: int) -> dict[str, Any]:
    """An evidence span: which document, where, and the exact words."""
    return {"document": doc.id, "start": start, "end": end, "text": doc.text[start:end]}


def actor_id(actor: dict[str, Any] | None) -> str | None:
    if not actor:
        return None
    if actor.get("actor_id"):
        return str(actor["actor_id"])
    from marsad.stories.profile import bare
    from marsad.text.normalize import normalize_str

    return "text:" + bare(normalize_str(actor.get("name") or actor.get("text") or ""))


def _sub_types_compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["event_type"] != b["event_type"]:
        return False
    sa, sb = a["sub_event_type"], b["sub_event_type"]
    if sa == sb or _GENERAL.get(a["event_type"]) in (sa, sb):
        return True
    return any(sa in group and sb in group for group in _INTERCHANGEABLE)


def _place_match(a: dict[str, Any], b: dict[str, Any]) -> str | None:
    """"same", "near" (same governorate, one imprecise), "unknown" (one has no place) or None (different)."""
    la, lb = a.get("location"), b.get("location")
    if not la or not lb:
        return "unknown"
    ga, gb = la.get("geonameid"), lb.get("geonameid")
    if ga and ga == gb:
        return "same"
    if not ga and not gb and la.get("name") and la.get("name") == lb.get("name"):
        return "same"
    imprecise = any(not x.get("geonameid") or (x.get("precision") or 1) >= 2 for x in (la, lb))
    same_admin1 = la.get("admin1") and la.get("admin1") == lb.get("admin1") and la.get("country") == lb.get("country")
    if imprecise and same_admin1:
        return "near"
    return None


def _date_range(value: Any) -> tuple[date, date] | None:
    """The days a date value covers: a day (with slack), an ISO week, a month or a year."""
    if not value:
        return None
    s = str(value)
    try:
        if len(s) >= 10:
            d = date.fromisoformat(s[:10])
            slack = timedelta(days=INCIDENT_DATE_SLACK_DAYS)
            return d - slack, d + slack
        if "-W" in s:
            year, week = s.split("-W")
            monday = date.fromisocalendar(int(year), int(week[:2]), 1)
            return monday, monday + timedelta(days=6)
        if len(s) == 7:
            first = date.fromisoformat(s + "-01")
            nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
            return first, nxt - timedelta(days=1)
        if len(s) == 4:
            return date(int(s), 1, 1), date(int(s), 12, 31)
    except ValueError:
        return None
    return None


def _dates_overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    ra, rb = _date_range(a.get("date")), _date_range(b.get("date"))
    if ra is None or rb is None:
        return True
    return ra[0] <= rb[1] and rb[0] <= ra[1]


def _actors_compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    a1, a2 = actor_id(a.get("actor1")), actor_id(a.get("actor2"))
    b1, b2 = actor_id(b.get("actor1")), actor_id(b.get("actor2"))
    if a["event_type"] == "Battles":  # sides, not roles: one report's sides must be among the other's
        sa, sb = {x for x in (a1, a2) if x}, {x for x in (b1, b2) if x}
        return sa <= sb or sb <= sa
    if a2 and b2 and a2 != b2:
        return False  # different targets: different incidents
    if a1 and b1 and a1 != b1:
        return bool(a2 and b2)  # same target, different perpetrators: one contested incident
    return True


def compatible(a: Mention, b: Mention) -> int | None:
    """How well two events match as one incident (higher is better), or None if they cannot be one."""
    if a.doc is b.doc:
        return None
    x, y = a.data, b.data
    if not _sub_types_compatible(x, y) or not _dates_overlap(x, y) or not _actors_compatible(x, y):
        return None
    place = _place_match(x, y)
    if place is None:
        return None
    shared = {actor_id(x.get(k)) for k in ("actor1", "actor2")} & {actor_id(y.get(k)) for k in ("actor1", "actor2")}
    shared.discard(None)
    if place == "unknown" and not (x["sub_event_type"] == y["sub_event_type"] and shared):
        return None  # no place on one side: only the same kind of event between the same actors
    score = 2 * (x["sub_event_type"] == y["sub_event_type"]) + {"same": 2, "near": 1, "unknown": 0}[place] + len(shared)
    if x.get("date") and x.get("date") == y.get("date"):
        score += 1
    return score


def mentions_of(doc: Document, outlet: str) -> list[Mention]:
    return [Mention(doc, outlet, i, a.data, a.start, a.end) for i, a in enumerate(doc.layer("events")) if a.data]


def group(mentions: list[Mention]) -> list[list[Mention]]:
    """Mentions grouped into incidents: best pairs first, one mention per document, all pairwise compatible."""
    pairs = []
    for i in range(len(mentions)):
        for j in range(i + 1, len(mentions)):
            s = compatible(mentions[i], mentions[j])
            if s is not None:
                pairs.append((-s, i, j))
    pairs.sort()
    owner = list(range(len(mentions)))  # mention -> group id
    groups: dict[int, list[int]] = {i: [i] for i in range(len(mentions))}
    for _s, i, j in pairs:
        gi, gj = owner[i], owner[j]
        if gi == gj:
            continue
        a, b = groups[gi], groups[gj]
        if {mentions[k].doc.id for k in a} & {mentions[k].doc.id for k in b}:
            continue
        if any(compatible(mentions[p], mentions[q]) is None for p in a for q in b):
            continue
        a.extend(b)
        for k in b:
            owner[k] = gi
        del groups[gj]
    return [sorted((mentions[k] for k in g), key=lambda m: (m.doc.id, m.start)) for _gid, g in sorted(groups.items())]


def _person(doc: Document, actor: dict[str, Any] | None) -> dict[str, Any] | None:
    if not actor:
        return None
    out = {"actor_id": actor.get("actor_id"), "name": actor.get("name") or actor.get("text"),
           "category": actor.get("category")}
    if actor.get("start") is not None and actor.get("end") is not None:
        out["evidence"] = span(doc, int(actor["start"]), int(actor["end"]))
    return out


def _place(doc: Document, loc: dict[str, Any] | None) -> dict[str, Any] | None:
    if not loc:
        return None
    out = {k: loc.get(k) for k in ("name", "geonameid", "country", "admin1", "lat", "lon", "precision")}
    if loc.get("start") is not None and loc.get("end") is not None:
        out["evidence"] = span(doc, int(loc["start"]), int(loc["end"]))
    return out


def _figures(m: Mention) -> list[dict[str, Any]]:
    """Counts of people in the event's sentence (killed, wounded, kidnapped ...), with their words."""
    out = []
    for n in m.doc.layer("numbers"):
        if m.start <= n.start and n.end <= m.end and n.data.get("what") and isinstance(n.data.get("value"), int) \
                and n.data.get("kind") not in ("date_part", "ordinal", "percent", "fraction"):
            out.append({"what": n.data["what"], "value": n.data["value"], "approx": bool(n.data.get("approx")),
                        "evidence": span(m.doc, n.start, n.end)})
    return out


def source_of(m: Mention) -> dict[str, Any]:
    """What one document says about the incident, every value with its words."""
    e, doc = m.data, m.doc
    trigger = e.get("trigger") or {}
    out: dict[str, Any] = {
        "document": doc.id,
        "outlet": m.outlet,
        "event_type": e["event_type"],
        "sub_event_type": e["sub_event_type"],
        "evidence": span(doc, m.start, m.end),
        "trigger": span(doc, trigger["start"], trigger["end"]) if trigger.get("end") else None,
        "perpetrator": _person(doc, e.get("actor1")),
        "target": _person(doc, e.get("actor2")),
        "place": _place(doc, e.get("location")),
        "date": e.get("date"),
        "fatalities": e.get("fatalities"),
        "figures": _figures(m),
        "attributed": bool(e.get("attributed")),
        "claim_speaker": (span(doc, e["claim_speaker"]["start"], e["claim_speaker"]["end"])
                          if e.get("claim_speaker") else None),
        "confidence": e.get("confidence"),
    }
    return out


def fatality_range(values: list[int]) -> dict[str, int] | None:
    """UCDP-style low / best / high over the figures sources give (best: the commonest, else the lower median)."""
    if not values:
        return None
    counts = Counter(values).most_common()
    top = [v for v, n in counts if n == counts[0][1]]
    best = top[0] if len(top) == 1 else statistics.median_low(values)
    return {"low": min(values), "best": best, "high": max(values)}


def support(sources: list[dict[str, Any]]) -> dict[str, Any]:
    """The Airwars-style grade of an incident and why."""
    outlets = sorted({s["outlet"] for s in sources})
    problems = []
    perps: dict[str, list[str]] = {}
    for s in sources:
        p = s["perpetrator"]
        if p:
            perps.setdefault(p.get("actor_id") or p["name"], []).append(s["outlet"])
    if len(perps) > 1:
        problems.append("perpetrator: " + "; ".join(f"{k} ({', '.join(v)})" for k, v in perps.items()))
    tolls: dict[int, list[str]] = {}
    for s in sources:
        if s["fatalities"] is not None:
            tolls.setdefault(int(s["fatalities"]), []).append(s["outlet"])
    if len(tolls) > 1:
        problems.append("fatalities: " + "; ".join(f"{k} ({', '.join(v)})" for k, v in sorted(tolls.items())))
    relayed = [s for s in sources if s["attributed"]]
    note = ""
    if relayed and len(relayed) == len(sources):
        speakers = sorted({s["claim_speaker"]["text"] for s in relayed if s["claim_speaker"]})
        note = "; every source relays a claim" + (f" ({', '.join(speakers)})" if speakers else "")
    if problems:
        return {"grade": "contested", "sources": len(outlets),
                "reason": "sources disagree on " + " and ".join(problems) + note}
    if len(outlets) == 1:
        docs = len({s["document"] for s in sources})
        reason = f"reported only by {outlets[0]}" + (f" ({docs} documents)" if docs > 1 else "")
        return {"grade": "single source", "sources": 1, "reason": reason + note}
    return {"grade": f"confirmed by {len(outlets)} sources", "sources": len(outlets),
            "reason": f"{len(outlets)} independent outlets report it ({', '.join(outlets)}) and none contradicts "
                      f"another on perpetrator or fatalities" + note}


def _most_precise_place(sources: list[dict[str, Any]]) -> dict[str, Any] | None:
    places = [s["place"] for s in sources if s["place"]]
    if not places:
        return None
    best = min(places, key=lambda p: (p.get("geonameid") is None, p.get("precision") or 3))
    return {k: best.get(k) for k in ("name", "geonameid", "country", "admin1", "precision")}


def merge_incidents(docs: list[Document], outlets: list[str] | None = None) -> list[dict[str, Any]]:
    """Every incident the documents report, merged across documents, in document then text order."""
    outlets = outlets or [d.meta.source or d.id for d in docs]
    mentions = [m for doc, outlet in zip(docs, outlets, strict=True) for m in mentions_of(doc, outlet)]
    order = {d.id: i for i, d in enumerate(docs)}
    groups = group(mentions)
    groups.sort(key=lambda g: min((order[m.doc.id], m.start) for m in g))
    incidents = []
    for n, g in enumerate(groups, 1):
        sources = [source_of(m) for m in sorted(g, key=lambda m: order[m.doc.id])]
        subs = Counter(s["sub_event_type"] for s in sources).most_common()
        specific = [s for s, _c in subs if s != _GENERAL.get(sources[0]["event_type"])]
        dates = sorted({s["date"] for s in sources if s["date"]}, key=lambda d: (-len(d), d))
        incidents.append({
            "id": f"i{n}",
            "event_type": sources[0]["event_type"],
            "sub_event_type": specific[0] if specific else subs[0][0],
            "place": _most_precise_place(sources),
            "date": dates[0] if dates else None,
            "documents": [s["document"] for s in sources],
            "outlets": sorted({s["outlet"] for s in sources}),
            "fatalities": fatality_range([int(s["fatalities"]) for s in sources if s["fatalities"] is not None]),
            "support": support(sources),
            "sources": sources,
        })
    return incidents
