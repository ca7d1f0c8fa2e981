"""Which events to show: one filter object for the web app, its JSON API and the library.

:class:`EventQuery` is parsed from URL query parameters (:meth:`EventQuery.from_params`) with a
clear :class:`~marsad.errors.QueryError` for a bad value, turned back into the same parameters
(:meth:`EventQuery.to_params`, so a view can be shared and a download holds exactly what is
shown), and into portable SQL over the ``event_records`` table (:meth:`EventQuery.where`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, Mapping

from marsad.errors import QueryError

SORTS: dict[str, str] = {
    "date": "r.event_date",
    "type": "r.event_type",
    "sub_event_type": "r.sub_event_type",
    "actor1": "r.actor1",
    "location": "r.location",
    "country": "r.country_code",
    "fatalities": "r.fatalities",
    "source": "r.source",
    "review": "r.review_status",
    "document": "d.id",
    "stored": "r.doc_key",
}
REVIEW_FILTERS = ("all", "active", "unreviewed", "reviewed", "confirmed", "corrected", "rejected")
MAX_PER_PAGE = 500
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_MAX_VALUE = 200


def _one(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    if value is None:
        return None
    value = str(value).strip()
    if len(value) > _MAX_VALUE:
        raise QueryError(f"parameter {name!r} is longer than {_MAX_VALUE} characters")
    return value or None


def _many(params: Mapping[str, Any], name: str) -> tuple[str, ...]:
    """A repeatable parameter (``type=A&type=B``, or ``type=A,B``)."""
    getlist = getattr(params, "getlist", None)
    raw = getlist(name) if getlist else params.get(name)
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    out: list[str] = []
    for item in raw:
        for part in str(item).split(","):
            part = part.strip()
            if len(part) > _MAX_VALUE:
                raise QueryError(f"parameter {name!r} is longer than {_MAX_VALUE} characters")
            if part and part not in out:
                out.append(part)
    return tuple(out)


def _date(params: Mapping[str, Any], name: str) -> str | None:
    value = _one(params, name)
    if value is None:
        return None
    try:
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"parameter {name!r} must be a date as YYYY-MM-DD, not {value!r}") from None
    return value


def _int(params: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = _one(params, name)
    if value is None:
        return default
    try:
        n = int(value)
    except ValueError:
        raise QueryError(f"parameter {name!r} must be a whole number, not {value!r}") from None
    if not low <= n <= high:
        raise QueryError(f"parameter {name!r} must be between {low} and {high}, not {n}")
    return n


@dataclass(frozen=True)
class EventQuery:
    """Filters, order and page of an events view. Empty filters match everything."""

    date_from: str | None = None
    date_to: str | None = None
    event_type: tuple[str, ...] = ()
    sub_event_type: tuple[str, ...] = ()
    actor: str | None = None
    country: str | None = None
    admin1: str | None = None
    location: str | None = None
    source: str | None = None
    story: str | None = None
    document: str | None = None
    review: str = "active"
    sort: str = "date"
    order: str = "desc"
    page: int = 1
    per_page: int = 50

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> EventQuery:
        """Parse URL query parameters; unknown parameters are ignored, bad values raise QueryError."""
        from marsad.events.events import EVENT_TYPES

        types = _many(params, "event_type")
        for t in types:
            if t not in set(EVENT_TYPES.values()):
                raise QueryError(f"event_type {t!r} is not an ACLED event type; one of: "
                                 + ", ".join(sorted(set(EVENT_TYPES.values()))))
        subs = _many(params, "sub_event_type")
        for s in subs:
            if s not in EVENT_TYPES:
                raise QueryError(f"sub_event_type {s!r} is not an ACLED sub-event type")
        country = _one(params, "country")
        if country is not None and not _COUNTRY.match(country):
            raise QueryError(f"parameter 'country' must be an ISO 3166 alpha-2 code such as SY, not {country!r}")
        review = _one(params, "review") or "active"
        if review not in REVIEW_FILTERS:
            raise QueryError(f"parameter 'review' must be one of {', '.join(REVIEW_FILTERS)}, not {review!r}")
        sort = _one(params, "sort") or "date"
        if sort not in SORTS:
            raise QueryError(f"parameter 'sort' must be one of {', '.join(SORTS)}, not {sort!r}")
        order = _one(params, "order") or "desc"
        if order not in ("asc", "desc"):
            raise QueryError(f"parameter 'order' must be asc or desc, not {order!r}")
        q = cls(
            date_from=_date(params, "date_from"),
            date_to=_date(params, "date_to"),
            event_type=types,
            sub_event_type=subs,
            actor=_one(params, "actor"),
            country=country.upper() if country else None,
            admin1=_one(params, "admin1"),
            location=_one(params, "location"),
            source=_one(params, "source"),
            story=_one(params, "story"),
            document=_one(params, "document"),
            review=review,
            sort=sort,
            order=order,
            page=_int(params, "page", 1, 1, 1_000_000),
            per_page=_int(params, "per_page", 50, 1, MAX_PER_PAGE),
        )
        if q.date_from and q.date_to and q.date_from > q.date_to:
            raise QueryError(f"date_from {q.date_from} is after date_to {q.date_to}")
        return q

    def to_params(self, **overrides: Any) -> list[tuple[str, str]]:
        """The query as URL parameters (defaults left out), with some fields replaced."""
        q = replace(self, **overrides) if overrides else self
        default = EventQuery()
        out: list[tuple[str, str]] = []
        for f in fields(self):
            value = getattr(q, f.name)
            if value == getattr(default, f.name):
                continue
            if isinstance(value, tuple):
                out.extend((f.name, v) for v in value)
            elif value is not None:
                out.append((f.name, str(value)))
        return out

    def filters_only(self) -> EventQuery:
        """The same filters, first page, default order: what a map or timeline shows."""
        return replace(self, sort="date", order="desc", page=1, per_page=EventQuery.per_page)

    @property
    def is_filtered(self) -> bool:
        return bool(self.to_params(sort="date", order="desc", page=1, per_page=EventQuery.per_page))

    def where(self, actor_is_id: bool = False) -> tuple[str, list[Any]]:
        """SQL conditions over ``event_records r`` (joined with ``documents d`` when
        :attr:`needs_documents`), and their parameters. ``actor_is_id``: the store knows ``actor``
        as an actor id (see :meth:`marsad.store.records.EventRecords.where`)."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.date_from:
            clauses.append("r.event_date >= ?")
            params.append(self.date_from)
        if self.date_to:
            clauses.append("r.event_date <= ?")
            params.append(self.date_to + "\uffff")
        if self.event_type:
            clauses.append(f"r.event_type IN ({', '.join('?' * len(self.event_type))})")
            params.extend(self.event_type)
        if self.sub_event_type:
            clauses.append(f"r.sub_event_type IN ({', '.join('?' * len(self.sub_event_type))})")
            params.extend(self.sub_event_type)
        if self.actor:
            if actor_is_id:  # an actor id matches exactly (and by index) ...
                clauses.append("(r.actor1_id = ? OR r.actor2_id = ?)")
                params.extend([self.actor, self.actor])
            else:  # ... anything else is looked for in the actors' names
                like = "%" + self.actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                clauses.append("(r.actor1 LIKE ? ESCAPE '\\' OR r.actor2 LIKE ? ESCAPE '\\')")
                params.extend([like, like])
        if self.country:
            clauses.append("r.country_code = ?")
            params.append(self.country)
        if self.admin1:
            clauses.append("r.admin1 = ?")
            params.append(self.admin1)
        if self.location:
            clauses.append("r.location = ?")
            params.append(self.location)
        if self.source:
            clauses.append("r.source = ?")
            params.append(self.source)
        if self.story:
            clauses.append("r.doc_key IN (SELECT m.doc_key FROM story_members m JOIN stories s "
                           "ON s.story_key = m.story_key WHERE s.id = ?)")
            params.append(self.story)
        if self.document:
            clauses.append("(d.id = ? OR d.content_hash = ?)")
            params.extend([self.document, self.document])
        if self.review == "active":
            clauses.append("r.review_status <> 'rejected'")
        elif self.review == "reviewed":
            clauses.append("r.review_status <> 'unreviewed'")
        elif self.review != "all":
            clauses.append("r.review_status = ?")
            params.append(self.review)
        return (" AND ".join(clauses) or "1 = 1"), params

    @property
    def needs_documents(self) -> bool:
        """Whether the SQL must join ``documents d`` (only to filter or sort by document id)."""
        return bool(self.document) or self.sort == "document"

    def order_by(self) -> str:
        column = SORTS[self.sort]
        direction = "DESC" if self.order == "desc" else "ASC"
        tie = "d.id ASC, r.seq ASC" if self.needs_documents else "r.doc_key ASC, r.seq ASC"
        return f"{column} {direction} NULLS LAST, {tie}"  # unknown values last, either way


__all__ = ["EventQuery", "MAX_PER_PAGE", "REVIEW_FILTERS", "SORTS"]
