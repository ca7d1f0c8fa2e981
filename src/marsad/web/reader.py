"""The reader: a document's text with every extracted value highlighted, rendered inert.

Annotations overlap (a place inside an actor's name, both inside an event's evidence), so the
markup is built by walking span boundaries with a stack: a span that ends inside another is
closed and the inner ones reopened, each piece carrying the annotation's id. Every piece of
text goes through :func:`markupsafe.escape`; the article is untrusted input and nothing in it
can become markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from marsad.document import Document

# Layers the reader shows, in the order their highlights nest (outermost first).
KINDS = ("focus", "event", "claim", "speaker", "actor", "place", "person", "date", "number", "trigger")
KIND_NAMES = {
    "event": "event", "claim": "claim", "speaker": "claim speaker", "actor": "actor", "place": "place",
    "person": "person", "date": "date", "number": "number", "trigger": "event trigger",
}
_RANK = {k: i for i, k in enumerate(KINDS)}


@dataclass
class Highlight:
    id: str
    kind: str
    start: int
    end: int
    text: str
    summary: str
    details: list[tuple[str, str]] = field(default_factory=list)
    component: str = ""
    link: str | None = None


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.5g}"
    return str(value)


def _actor_name(actor: Any) -> str:
    if not actor:
        return "—"
    return f"{actor.get('name') or actor.get('text')} ({actor.get('category') or 'uncategorised'})"


def highlights(doc: Document) -> list[Highlight]:
    """Every highlight of the document, from its places, actors, numbers, dates, claims and events."""
    out: list[Highlight] = []

    def add(kind: str, ann: Any, summary: str, details: list[tuple[str, Any]], start: int | None = None,
            end: int | None = None, link: str | None = None) -> Highlight:
        s = ann.start if start is None else start
        e = ann.end if end is None else end
        h = Highlight(f"h{len(out) + 1}", kind, s, e, doc.text[s:e], summary,
                      [(k, _fmt(v)) for k, v in details], f"{ann.component}@{ann.version}", link)
        out.append(h)
        return h

    for ann in doc.layer("places"):
        d = ann.data
        where = ", ".join(x for x in (d.get("admin1"), d.get("country")) if x)
        add("place", ann, f"{d.get('name') or ann.text}" + (f" ({where})" if where else ""), [
            ("GeoNames", f"{d.get('geonameid')} ({d.get('feature_code') or '?'})" if d.get("geonameid") else None),
            ("coordinates", f"{d['lat']:.4f}, {d['lon']:.4f}" if d.get("lat") is not None else None),
            ("country", d.get("country")), ("admin1", d.get("admin1")),
            ("precision", d.get("precision")), ("candidates", d.get("candidates")),
            ("name from", d.get("name_origin")),
        ])
    for ann in doc.layer("actors"):
        d = ann.data
        add("actor", ann, _actor_name(d), [
            ("actor id", d.get("actor_id")), ("category", d.get("category")), ("country", d.get("country")),
            ("Wikidata", d.get("wikidata")),
        ])
    for ann in doc.layer("entities"):
        if ann.label == "PERS":
            add("person", ann, f"person: {ann.text}", [("how", ann.data.get("how")),
                                                        ("confidence", ann.data.get("confidence"))])
    for ann in doc.layer("dates"):
        d = ann.data
        add("date", ann, f"date: {_fmt(d.get('value'))}", [("value", d.get("value")), ("precision", d.get("precision")),
                                                           ("kind", d.get("kind"))])
    for ann in doc.layer("numbers"):
        d = ann.data
        approx = "about " if d.get("approx") else ""
        high = f"–{d['high']}" if d.get("high") else ""
        what = f" {d['what']}" if d.get("what") else ""
        add("number", ann, f"number: {approx}{_fmt(d.get('value'))}{high}{what}", [
            ("value", d.get("value")), ("approximate", d.get("approx")), ("up to", d.get("high")),
            ("counts", d.get("what")), ("kind", d.get("kind")),
        ])
    for ann in doc.layer("claims"):
        d = ann.data
        speaker = d.get("speaker") or {}
        content = d.get("content") or {}
        summary = f"claim ({d.get('stance') or ann.label}) by {speaker.get('text') or 'an unnamed source'}"
        info = [("stance", d.get("stance")), ("speaker", speaker.get("text")), ("speaker actor", d.get("speaker_actor")),
                ("cue", (d.get("cue") or {}).get("text")), ("pattern", d.get("pattern")),
                ("stance rule", d.get("stance_rule"))]
        if content.get("start") is not None:
            add("claim", ann, summary, info, content["start"], content["end"])
        if speaker.get("start") is not None:
            add("speaker", ann, f"speaker of a claim ({d.get('stance') or ann.label})", info,
                speaker["start"], speaker["end"])
    for n, ann in enumerate(doc.layer("events"), start=1):
        d = ann.data
        place = d.get("location") or {}
        evidence = d.get("evidence") or {}
        fields = d.get("fields") or {}
        dead = d.get("fatalities")
        summary = f"event {n}: {d.get('event_type')} / {d.get('sub_event_type')}" + (
            f", {dead} killed" if dead else "")
        info = [
            ("event", f"{doc.id}-{n}"), ("type", d.get("event_type")), ("sub-event type", d.get("sub_event_type")),
            ("actor 1", _actor_name(d.get("actor1"))), ("actor 2", _actor_name(d.get("actor2"))),
            ("location", f"{place.get('name') or place.get('text')} (precision {place.get('precision')})"
             if place else None),
            ("date", d.get("date")), ("fatalities", dead),
            ("fatalities from", (fields.get("fatalities") or {}).get("words")),
            ("attributed to", (d.get("claim_speaker") or {}).get("text") if d.get("attributed") else None),
            ("confidence", d.get("confidence")),
            ("type rule", (fields.get("type") or {}).get("rule")),
        ]
        link = f"/events/{doc.id}/{n}"
        s = evidence.get("start", ann.start)
        e = evidence.get("end", ann.end)
        add("event", ann, summary, info, s, e, link)
        trigger = d.get("trigger") or {}
        if trigger.get("start") is not None:
            add("trigger", ann, f"trigger of event {n}: {d.get('sub_event_type')}", info, trigger["start"],
                trigger["end"], link)
    kept = [h for h in out if 0 <= h.start < h.end <= len(doc.text)]
    return sorted(kept, key=lambda h: (h.start, -(h.end - h.start), _RANK.get(h.kind, 99)))


def focus(text: str, param: str | None) -> Highlight | None:
    """The passage ``START-END`` (character offsets) that a link asked to show, if it is one."""
    if not param:
        return None
    try:
        a, b = (int(x) for x in param.split("-", 1))
    except ValueError:
        from marsad.errors import QueryError

        raise QueryError(f"parameter 'focus' must be START-END character offsets, not {param!r}") from None
    if not 0 <= a < b <= len(text):
        from marsad.errors import QueryError

        raise QueryError(f"focus {param} is outside the document (0-{len(text)})")
    return Highlight("focus", "focus", a, b, text[a:b], "the passage linked to")


def render_text(text: str, spans: list[Highlight]) -> Markup:
    """The text as HTML with a ``<mark>`` per highlight (split where highlights cross), all text escaped."""
    opens: dict[int, list[Highlight]] = {}
    closes: set[int] = set()
    for h in spans:
        opens.setdefault(h.start, []).append(h)
        closes.add(h.end)
    for group in opens.values():  # outer (longer, then by kind) first
        group.sort(key=lambda h: (-(h.end - h.start), _RANK.get(h.kind, 99)))
    points = sorted(set(opens) | closes | {0, len(text)})
    out: list[str] = []
    stack: list[Highlight] = []
    seen: set[str] = set()

    def open_tag(h: Highlight) -> str:
        first = h.id not in seen
        seen.add(h.id)
        if h.kind == "focus":  # the passage a link pointed at
            return '<mark class="hl-focus" id="focus" tabindex="-1">' if first else '<mark class="hl-focus">'
        attrs = (f' class="hl hl-{h.kind}" data-hl="{h.id}" data-kind="{h.kind}" aria-describedby="{h.id}"'
                 f' title="{escape(h.summary)}"')
        if first:
            attrs += ' tabindex="0"'
        return f"<mark{attrs}>"

    for i, pos in enumerate(points):
        # close what ends here; reopen what was closed only to get at it
        ending = [h for h in stack if h.end == pos]
        if ending:
            depth = min(stack.index(h) for h in ending)
            reopen = [h for h in stack[depth:] if h.end != pos]
            out.append("</mark>" * (len(stack) - depth))
            del stack[depth:]
            for h in reopen:
                out.append(open_tag(h))
                stack.append(h)
        for h in opens.get(pos, []):
            out.append(open_tag(h))
            stack.append(h)
        if i + 1 < len(points):
            out.append(str(escape(text[pos:points[i + 1]])))
    out.append("</mark>" * len(stack))
    return Markup("".join(out))


__all__ = ["KINDS", "KIND_NAMES", "Highlight", "focus", "highlights", "render_text"]
