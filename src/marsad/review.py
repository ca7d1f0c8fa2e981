"""Analysts' reviews of event records: confirm, correct or reject, never overwriting the machine.

A review is stored beside the machine's record (table ``reviews``) with its reviewer and time;
the latest review of an event applies. :func:`apply_review` turns the machine's ACLED row (see
:mod:`marsad.exports`) into the reviewed one and says so in marsad's own columns, so every export
shows which values an analyst set and what the machine had said.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from marsad.errors import ReviewError

ACTIONS = ("confirm", "correct", "reject")
# Review states an event can be in; "active" (a filter, not a state) means anything not rejected.
STATUSES = ("unreviewed", "confirmed", "corrected", "rejected")

# The fields an analyst can correct, as columns of the ACLED row, with what each must hold.
REVIEWABLE_FIELDS: dict[str, str] = {
    "event_type": "one of ACLED's event types",
    "sub_event_type": "one of ACLED's sub-event types",
    "event_date": "a date, YYYY-MM-DD",
    "actor1": "an actor's name",
    "actor2": "an actor's name (empty: none)",
    "location": "a place name",
    "latitude": "a latitude, -90 to 90",
    "longitude": "a longitude, -180 to 180",
    "geo_precision": "ACLED precision: 1 exact, 2 near, 3 region",
    "country": "an ISO 3166 alpha-2 country code (SY, IQ, ...)",
    "admin1": "a first-level region name",
    "fatalities": "a whole number, 0 or more",
}
# Review columns appended to every exported row.
REVIEW_COLUMNS: tuple[str, ...] = (
    "marsad_review_status", "marsad_reviewer", "marsad_reviewed_at", "marsad_review_note",
    "marsad_corrected_fields", "marsad_machine_values",
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_TEXT = 300


@dataclass(frozen=True)
class Review:
    """One analyst's decision about one event: what they did, what they changed, who and when."""

    action: str
    changes: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    reviewer: str = ""
    created_at: str = ""

    @property
    def status(self) -> str:
        if self.action == "reject":
            return "rejected"
        return "corrected" if self.changes else "confirmed"


def _text(name: str, value: Any, *, allow_empty: bool = False) -> str | None:
    if value is None:
        value = ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ReviewError(f"{name} must be text, not {type(value).__name__}")
    text = " ".join(str(value).split())
    if not text:
        if allow_empty:
            return None
        raise ReviewError(f"{name} cannot be empty")
    if len(text) > _MAX_TEXT:
        raise ReviewError(f"{name} is longer than {_MAX_TEXT} characters")
    return text


def _number(name: str, value: Any, low: float, high: float) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ReviewError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(x) or not low <= x <= high:
        raise ReviewError(f"{name} must be between {low:g} and {high:g}, not {value!r}")
    return x


def _coerce(name: str, value: Any) -> Any:
    """The value of a corrected field in the type its column holds; :class:`ReviewError` if it cannot be."""
    from marsad.events.events import EVENT_TYPES

    if name == "event_type":
        text = _text(name, value)
        if text not in set(EVENT_TYPES.values()):
            raise ReviewError(f"event_type {text!r} is not an ACLED event type; one of: "
                              + ", ".join(sorted(set(EVENT_TYPES.values()))))
        return text
    if name == "sub_event_type":
        text = _text(name, value)
        if text not in EVENT_TYPES:
            raise ReviewError(f"sub_event_type {text!r} is not an ACLED sub-event type")
        return text
    if name == "event_date":
        text = _text(name, value)
        assert text is not None
        try:
            if not _DATE.match(text):
                raise ValueError
            date.fromisoformat(text)
        except ValueError:
            raise ReviewError(f"event_date must be a date as YYYY-MM-DD, not {value!r}") from None
        return text
    if name in ("actor2", "admin1"):
        return _text(name, value, allow_empty=True)
    if name in ("actor1", "location"):
        return _text(name, value)
    if name == "latitude":
        return _number(name, value, -90, 90)
    if name == "longitude":
        return _number(name, value, -180, 180)
    if name == "geo_precision":
        x = _number(name, value, 1, 3)
        if x != int(x):
            raise ReviewError(f"geo_precision must be 1, 2 or 3, not {value!r}")
        return int(x)
    if name == "country":
        text = (_text(name, value) or "").upper()
        from marsad.exports import ISO_NUMERIC

        if text not in ISO_NUMERIC:
            raise ReviewError(f"country must be an ISO 3166 alpha-2 code such as SY or IQ, not {value!r}")
        return text
    if name == "fatalities":
        if isinstance(value, bool):
            raise ReviewError("fatalities must be a whole number")
        try:
            n = int(str(value).strip())
        except (TypeError, ValueError):
            raise ReviewError(f"fatalities must be a whole number, not {value!r}") from None
        if n < 0 or n > 1_000_000:
            raise ReviewError(f"fatalities must be between 0 and 1000000, not {value!r}")
        return n
    raise ReviewError(f"{name!r} cannot be reviewed; fields that can: {', '.join(REVIEWABLE_FIELDS)}")


def machine_value(row: dict[str, Any], name: str) -> Any:
    """A reviewable field's value in a machine ACLED row (country as its alpha-2 code)."""
    if name == "country":
        return row.get("marsad_country_code")
    return row.get(name)


def make_review(row: dict[str, Any], action: str, values: dict[str, Any] | None = None, *,
                reviewer: str, note: str | None = None) -> Review:
    """Validate an analyst's edit of the machine row ``row`` into a :class:`Review`.

    ``values`` holds the fields as the analyst left them; only those that differ from the machine's
    are kept as changes (re-submitting the machine's own value is a confirmation, not a correction).
    """
    if action not in ACTIONS:
        raise ReviewError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    reviewer_name = _text("reviewer", reviewer)
    assert reviewer_name is not None
    note_text = _text("note", note, allow_empty=True) if note is not None else None
    if note_text and len(note_text) > _MAX_TEXT:
        raise ReviewError(f"note is longer than {_MAX_TEXT} characters")
    changes: dict[str, Any] = {}
    if action == "correct":
        for name, raw in (values or {}).items():
            if name not in REVIEWABLE_FIELDS:
                raise ReviewError(f"{name!r} cannot be reviewed; fields that can: {', '.join(REVIEWABLE_FIELDS)}")
            value = _coerce(name, raw)
            old = machine_value(row, name)
            if isinstance(value, float) and isinstance(old, (int, float)) and abs(value - old) < 1e-9:
                continue
            if value != old and not (value is None and old in ("", None)):
                changes[name] = value
        if "sub_event_type" in changes or "event_type" in changes:
            from marsad.events.events import EVENT_TYPES

            sub = changes.get("sub_event_type", row.get("sub_event_type"))
            kind = changes.get("event_type", row.get("event_type"))
            if sub in EVENT_TYPES and EVENT_TYPES[sub] != kind:
                if "event_type" in changes and "sub_event_type" in changes:
                    raise ReviewError(f"sub_event_type {sub!r} belongs to {EVENT_TYPES[sub]!r}, not {kind!r}")
                if "sub_event_type" in changes:
                    changes["event_type"] = EVENT_TYPES[sub]
                else:
                    raise ReviewError(f"event_type {kind!r} needs a sub-event type of its own: the machine's "
                                      f"{sub!r} belongs to {EVENT_TYPES[sub]!r}")
        if ("latitude" in changes) != ("longitude" in changes) and (
                row.get("latitude") is None or row.get("longitude") is None):
            raise ReviewError("give both latitude and longitude: the machine had no coordinates")
    return Review(action=action, changes=changes, note=note_text, reviewer=reviewer_name)


def apply_review(row: dict[str, Any], review: Review | None) -> dict[str, Any]:
    """The ACLED row as reviewed: corrected values in place, and the review columns filled.

    Without a review the row is returned with status ``unreviewed``; the machine row is not changed.
    """
    out = dict(row)
    out.pop("marsad_country_code", None)
    if review is None:
        out.update({"marsad_review_status": "unreviewed", "marsad_reviewer": None, "marsad_reviewed_at": None,
                    "marsad_review_note": None, "marsad_corrected_fields": None, "marsad_machine_values": None})
        return out
    from marsad.exports import ISO_NUMERIC, country_name, disorder_type

    for name, value in review.changes.items():
        if name == "country":
            out["country"] = country_name(value)
            out["iso"] = ISO_NUMERIC.get(value)
        else:
            out[name] = value
    if "event_date" in review.changes:
        out["year"] = int(review.changes["event_date"][:4])
        out["time_precision"] = 1
    if "event_type" in review.changes or "sub_event_type" in review.changes:
        out["disorder_type"] = disorder_type(out.get("event_type"), out.get("sub_event_type"))
    if "actor1" in review.changes:
        out["marsad_actor1_id"] = None
    if "actor2" in review.changes:
        out["marsad_actor2_id"] = None
    if "location" in review.changes and "latitude" not in review.changes:
        out["marsad_geonameid"] = None
    machine = {name: machine_value(row, name) for name in review.changes}
    out.update({
        "marsad_review_status": review.status,
        "marsad_reviewer": review.reviewer,
        "marsad_reviewed_at": review.created_at or None,
        "marsad_review_note": review.note,
        "marsad_corrected_fields": ";".join(review.changes) or None,
        "marsad_machine_values": json.dumps(machine, ensure_ascii=False, sort_keys=True) if machine else None,
    })
    return out


__all__ = ["ACTIONS", "REVIEWABLE_FIELDS", "REVIEW_COLUMNS", "STATUSES", "Review", "apply_review", "machine_value",
           "make_review"]
