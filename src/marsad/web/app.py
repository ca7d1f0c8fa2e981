"""The analyst's web app: map, timeline, events table, reader, stories and review, over one store.

A thin front end: every page and API answer comes from the library (:class:`marsad.store.Store`,
:class:`marsad.query.EventQuery`, :mod:`marsad.stories`, :mod:`marsad.review`). Pages are drawn on
the server (the map is SVG) and work without JavaScript; the one script adds tooltips and map
zoom. Article text is untrusted: templates escape everything, the Content-Security-Policy allows
no inline script and no other origin, and writes refuse cross-site requests.
"""

from __future__ import annotations

import csv
import hmac
import io
import ipaddress
import json
import threading
from collections import OrderedDict
from contextlib import asynccontextmanager
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any, AsyncIterator
from urllib.parse import urlencode

from fastapi import Body, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

import marsad
from marsad.errors import ConfigError, DocumentNotFound, MarsadError, QueryError, ReviewError
from marsad.query import EventQuery

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
TOKEN_COOKIE = "marsad_token"
_WEB = files("marsad") / "web"


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to serve other machines without an access token."""
    if not is_loopback(host) and not token:
        raise ConfigError(f"binding to {host} makes the app reachable from other machines: give an access token "
                          "(--token or MARSAD_TOKEN)")
    if token is not None and len(token) < 12:
        raise ConfigError("the access token must be at least 12 characters")


class ReviewIn(BaseModel):
    """An analyst's decision about one event."""

    action: str = Field(description="confirm, correct or reject")
    reviewer: str = Field(description="who reviews (name or initials)")
    values: dict[str, Any] = Field(default_factory=dict,
                                   description="corrected fields (action correct): event_type, sub_event_type, "
                                               "event_date, actor1, actor2, location, latitude, longitude, "
                                               "geo_precision, country, admin1, fatalities")
    note: str | None = Field(default=None, description="why (kept with the review)")


# -- query parameters, declared once so OpenAPI documents them ------------------------------------------
def _event_params(
    request: Request,
    date_from: str | None = Query(None, description="first day, YYYY-MM-DD"),
    date_to: str | None = Query(None, description="last day, YYYY-MM-DD"),
    event_type: list[str] | None = Query(None, description="ACLED event type (repeatable)"),
    sub_event_type: list[str] | None = Query(None, description="ACLED sub-event type (repeatable)"),
    actor: str | None = Query(None, description="actor id, or part of an actor's name"),
    country: str | None = Query(None, description="ISO 3166 alpha-2 code"),
    admin1: str | None = Query(None, description="first-level region"),
    location: str | None = Query(None, description="place name, exactly as listed"),
    source: str | None = Query(None, description="outlet"),
    story: str | None = Query(None, description="story id"),
    document: str | None = Query(None, description="document id or content hash"),
    review: str | None = Query(None, description="active (default: all but rejected), all, unreviewed, reviewed, "
                                                 "confirmed, corrected, rejected"),
    sort: str | None = Query(None, description="date, type, sub_event_type, actor1, location, country, fatalities, "
                                               "source, review, document"),
    order: str | None = Query(None, description="asc or desc"),
    page: str | None = Query(None, description="page number, from 1"),
    per_page: str | None = Query(None, description="events per page, 1 to 500"),
) -> EventQuery:
    return EventQuery.from_params(request.query_params)


def create_app(db: str | Path | None = None, *, token: str | None = None) -> FastAPI:
    """The web app over the store at ``db`` (created if missing; stories brought up to date)."""
    from marsad.stories import build_stories

    store = marsad.open_store(db)
    lock = threading.RLock()  # one connection, one request at a time on it
    with lock:
        build_stories(store)
        store.analyze()
        store.event_facets()  # warm: the first page should not pay for a scan of every record
    templates = Jinja2Templates(directory=str(_WEB / "templates"))
    templates.env.globals.update(type_colours=_type_colours(), kind_names=_kind_names())
    templates.env.filters["qs"] = lambda pairs: urlencode(pairs)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        with lock:
            store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="marsad",
        version=marsad.__version__,
        summary="Structured, sourced, geocoded conflict events from Arabic news",
        description="The JSON API of a marsad store: events (filtered as on the map and table), their reviews, "
                    "annotated documents and stories. Every event carries the words it was read from.",
        docs_url=None, redoc_url=None,
    )
    app.state.store = store
    app.state.lock = lock
    app.mount("/static", StaticFiles(directory=str(_WEB / "static")), name="static")

    def problem(request: Request, status: int, message: str, code: str) -> Response:
        if request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message,
                                                                  "code": code}, status_code=status)

    @app.exception_handler(MarsadError)
    async def _marsad_error(request: Request, exc: MarsadError) -> Response:
        status = 404 if isinstance(exc, DocumentNotFound) else 400
        return problem(request, status, exc.message, exc.code)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x not in ("body", "query", "path"))
        return problem(request, 400, f"{where or 'request'}: {first.get('msg', 'invalid')}", "E301")

    @app.middleware("http")
    async def _guard(request: Request, call_next: Any) -> Response:
        if token is not None:
            given = request.cookies.get(TOKEN_COOKIE) or ""
            auth = request.headers.get("authorization", "")
            if auth.lower().startswith("bearer "):
                given = auth[7:].strip()
            in_url = request.query_params.get("token")
            if in_url is not None and hmac.compare_digest(in_url.encode(), token.encode()):
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                resp: Response = RedirectResponse(request.url.path + ("?" + urlencode(rest) if rest else ""), 303)
                resp.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
                return _secure(resp)
            if not hmac.compare_digest(given.encode(), token.encode()):
                return _secure(PlainTextResponse("an access token is needed: open the address marsad serve printed, "
                                                 "or send 'Authorization: Bearer TOKEN'", status_code=401))
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            site = request.headers.get("sec-fetch-site")
            origin = request.headers.get("origin")
            own = f"{request.url.scheme}://{request.headers.get('host', '')}"
            # browsers say where a request comes from (Sec-Fetch-Site, else Origin); other clients do not
            cross = site not in ("same-origin", "none") if site else bool(origin) and origin != own
            if cross:
                return _secure(PlainTextResponse("cross-site requests cannot change the store", status_code=403))
        return _secure(await call_next(request))

    # -- shared reads --------------------------------------------------------------------------------
    def facets() -> dict[str, Any]:
        with lock:
            return store.event_facets()

    def page_context(request: Request, q: EventQuery, **extra: Any) -> dict[str, Any]:
        return {"q": q, "facets": facets(), "path": request.url.path, "filters": q.to_params(sort="date", order="desc",
                                                                                              page=1, per_page=50),
                **extra}

    # -- pages ---------------------------------------------------------------------------------------
    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request) -> Response:
        q = EventQuery.from_params(request.query_params)
        from marsad.web.geo import PRECISION_NAMES, map_svg_data

        with lock:
            overview = store.event_overview(q)
        return templates.TemplateResponse(request, "map.html", page_context(
            request, q, map=map_svg_data(overview["markers"]), unlocated=overview["unlocated"],
            total=overview["events"], timeline=timeline_bars(overview["days"], q), undated=overview["undated"],
            precision_names=PRECISION_NAMES))

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_page(request: Request) -> Response:
        q = EventQuery.from_params(request.query_params)
        with lock:
            rows, total = store.query_events(q)
        pages = max(1, -(-total // q.per_page))
        return templates.TemplateResponse(request, "events.html", page_context(
            request, q, rows=rows, total=total, pages=pages))

    @app.get("/events/{document}/{n}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(request: Request, document: str, n: int) -> Response:
        from marsad.events.events import EVENT_TYPES
        from marsad.review import REVIEWABLE_FIELDS

        with lock:
            detail = store.event_detail(document, _seq(n))
        return event_view(request, detail, saved=request.query_params.get("saved"))

    def event_view(request: Request, detail: dict[str, Any], *, saved: Any = None, error: str | None = None,
                   submitted: dict[str, Any] | None = None, status: int = 200) -> Response:
        from marsad.events.events import EVENT_TYPES
        from marsad.review import REVIEWABLE_FIELDS

        if submitted:  # a refused edit is shown again as the analyst typed it, with the reason
            detail = {**detail, "current": {**detail["current"], **submitted}}
        return templates.TemplateResponse(request, "event.html", {
            "e": detail, "fields": REVIEWABLE_FIELDS, "sub_types": EVENT_TYPES,
            "event_types": sorted(set(EVENT_TYPES.values())), "saved": saved, "error": error,
            "reviewer": (submitted or {}).get("reviewer", ""), "note": (submitted or {}).get("note", "")},
            status_code=status)

    @app.post("/events/{document}/{n}", include_in_schema=False)
    async def event_form(request: Request, document: str, n: int) -> Response:
        from marsad.review import REVIEWABLE_FIELDS, make_review

        form = await request.form()
        action = str(form.get("action") or "")
        values = {name: str(form.get(name) or "") for name in REVIEWABLE_FIELDS if name in form}
        with lock:
            detail = store.event_detail(document, _seq(n))
            machine = detail["machine"]
            # a field left as the machine had it (or blank where it had nothing) is no correction
            values = {k: v for k, v in values.items() if not (v.strip() == "" and machine_blank(machine, k))}
            try:
                review = make_review(machine, action, values, reviewer=str(form.get("reviewer") or ""),
                                     note=str(form.get("note") or "") or None)
            except ReviewError as exc:
                typed = {**values, "reviewer": str(form.get("reviewer") or ""), "note": str(form.get("note") or "")}
                return event_view(request, detail, error=exc.message, submitted=typed, status=400)
            store.add_review(document, _seq(n), review)
        return RedirectResponse(f"/events/{detail['document_id']}/{n}?saved=1", status_code=303)

    @app.get("/documents/{ref}", response_class=HTMLResponse, include_in_schema=False)
    def reader_page(request: Request, ref: str) -> Response:
        from marsad.web.reader import focus, highlights, render_text

        with lock:
            doc = store.get(ref)
        marks = highlights(doc)
        counts: dict[str, int] = {}
        for h in marks:
            counts[h.kind] = counts.get(h.kind, 0) + 1
        linked = focus(doc.text, request.query_params.get("focus"))
        body = render_text(doc.text, marks + ([linked] if linked else []))
        return templates.TemplateResponse(request, "reader.html", {
            "doc": doc, "body": body, "marks": marks, "counts": counts, "focused": linked})

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request) -> Response:
        from marsad.stories import list_stories

        with lock:
            build_stories(store)
            rows = list_stories(store)
        return templates.TemplateResponse(request, "stories.html", {"stories": rows})

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> Response:
        from marsad.stories import compare_story

        with lock:
            build_stories(store)
            result = compare_story(store, story_id)
        return templates.TemplateResponse(request, "story.html", {"s": result})

    # -- JSON API --------------------------------------------------------------------------------------
    @app.get("/api/events", tags=["events"], summary="Events matching the filters, one page")
    def api_events(request: Request, q: EventQuery = _depends(_event_params)) -> dict[str, Any]:
        with lock:
            rows, total = store.query_events(q)
        return {"total": total, "page": q.page, "per_page": q.per_page, "filters": dict(q.to_params()),
                "events": rows}

    @app.get("/api/events.csv", tags=["exports"], summary="Matching events (all pages) as ACLED-style CSV",
             response_class=Response)
    def api_csv(request: Request, q: EventQuery = _depends(_event_params)) -> Response:
        from marsad.exports import ACLED_COLUMNS
        from marsad.review import REVIEW_COLUMNS

        with lock:
            rows = list(store.export_rows(q))
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=[*ACLED_COLUMNS, *REVIEW_COLUMNS], restval="", extrasaction="ignore",
                                lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="marsad-events.csv"'})

    @app.get("/api/events.geojson", tags=["exports"], summary="Matching located events as GeoJSON")
    def api_geojson(request: Request, q: EventQuery = _depends(_event_params)) -> Response:
        with lock:
            rows = list(store.export_rows(q))
        from marsad.exports import features_from_rows

        body = features_from_rows(rows)
        return Response(json.dumps(body, ensure_ascii=False), media_type="application/geo+json",
                        headers={"Content-Disposition": 'attachment; filename="marsad-events.geojson"'})

    @app.get("/api/events.jsonl", tags=["exports"], summary="Matching events as JSON lines")
    def api_jsonl(request: Request, q: EventQuery = _depends(_event_params)) -> Response:
        with lock:
            rows = list(store.export_rows(q))
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        return Response(body, media_type="application/x-ndjson; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="marsad-events.jsonl"'})

    @app.get("/api/markers", tags=["events"], summary="Located events grouped by place and type")
    def api_markers(request: Request, q: EventQuery = _depends(_event_params)) -> dict[str, Any]:
        with lock:
            markers = store.event_markers(q)
            unlocated = store.event_summary(q)["unlocated"]
        return {"markers": markers, "unlocated": unlocated}

    @app.get("/api/timeline", tags=["events"], summary="Events per day and type")
    def api_timeline(request: Request, q: EventQuery = _depends(_event_params)) -> dict[str, Any]:
        with lock:
            days = store.event_timeline(q)
            undated = store.event_summary(q)["undated"]
        return {"days": days, "undated": undated}

    @app.get("/api/facets", tags=["events"], summary="The values the filters offer")
    def api_facets() -> dict[str, Any]:
        return facets()

    @app.get("/api/events/{document}/{n}", tags=["review"], summary="One event: machine values, reviewed values, "
                                                                   "review history")
    def api_event(document: str, n: int) -> dict[str, Any]:
        with lock:
            return store.event_detail(document, _seq(n))

    @app.post("/api/events/{document}/{n}/review", tags=["review"], summary="Confirm, correct or reject an event")
    def api_review(document: str, n: int, body: ReviewIn = Body(...)) -> dict[str, Any]:
        from marsad.review import make_review

        with lock:
            detail = store.event_detail(document, _seq(n))
            review = make_review(detail["machine"], body.action, body.values, reviewer=body.reviewer, note=body.note)
            store.add_review(document, _seq(n), review)
            return store.event_detail(document, _seq(n))

    @app.get("/api/documents/{ref}", tags=["documents"], summary="A document with its annotations")
    def api_document(ref: str) -> dict[str, Any]:
        with lock:
            doc = store.get(ref)
        return doc.to_contract()

    @app.get("/api/stories", tags=["stories"], summary="Stories: documents about one situation across outlets")
    def api_stories() -> list[dict[str, Any]]:
        from marsad.stories import list_stories

        with lock:
            build_stories(store)
            return list_stories(store)

    @app.get("/api/stories/{story_id}", tags=["stories"], summary="A story's side-by-side comparison")
    def api_story(story_id: str) -> dict[str, Any]:
        from marsad.stories import compare_story

        with lock:
            build_stories(store)
            return compare_story(store, story_id)

    return app


def _depends(fn: Any) -> Any:
    from fastapi import Depends

    return Depends(fn)


def _seq(n: int) -> int:
    if n < 1:
        raise QueryError(f"events are numbered from 1, not {n}")
    return n - 1


def machine_blank(machine: dict[str, Any], name: str) -> bool:
    from marsad.review import machine_value

    return machine_value(machine, name) in (None, "")


def _secure(resp: Response) -> Response:
    for k, v in SECURITY_HEADERS.items():
        resp.headers.setdefault(k, v)
    return resp


def _type_colours() -> dict[str, str]:
    from marsad.web.geo import TYPE_COLOURS

    return TYPE_COLOURS


def _kind_names() -> dict[str, str]:
    from marsad.web.reader import KIND_NAMES

    return KIND_NAMES


def timeline_bars(days: list[dict[str, Any]], q: EventQuery) -> dict[str, Any]:
    """Bars per day (per week beyond 92 days), stacked by type, each linking to its dates."""
    dated = [d for d in days if len(d["day"]) == 10]
    imprecise = sum(d["events"] for d in days if len(d["day"]) != 10)
    if not dated:
        return {"bars": [], "imprecise": imprecise, "unit": "day", "max": 0, "width": 960, "height": 120}
    first = date.fromisoformat(dated[0]["day"])
    last = date.fromisoformat(dated[-1]["day"])
    weekly = (last - first).days > 92
    buckets: OrderedDict[date, dict[str, int]] = OrderedDict()

    def bucket_of(d: date) -> date:
        return d - timedelta(days=d.weekday()) if weekly else d

    cur, step = bucket_of(first), timedelta(days=7 if weekly else 1)
    while cur <= bucket_of(last):
        buckets[cur] = {}
        cur += step
    for d in dated:
        b = buckets[bucket_of(date.fromisoformat(d["day"]))]
        b[d["event_type"]] = b.get(d["event_type"], 0) + d["events"]
    top = max(sum(b.values()) for b in buckets.values()) or 1
    width, height = 960, 120
    slot = min(width / len(buckets), 48.0)  # a few days are bars, not walls
    bars = []
    for i, (start, types) in enumerate(buckets.items()):
        end = start + (timedelta(days=6) if weekly else timedelta(0))
        y = height
        stack = []
        for kind, n in sorted(types.items()):
            h = n / top * (height - 10)
            y -= h
            stack.append({"event_type": kind, "events": n, "y": round(y, 1), "h": round(h, 1)})
        bars.append({"start": start.isoformat(), "end": end.isoformat(), "x": round(i * slot, 1),
                     "w": round(max(1.0, slot - 1), 1), "events": sum(types.values()), "stack": stack,
                     "link": q.to_params(date_from=start.isoformat(), date_to=end.isoformat(), page=1)})
    return {"bars": bars, "imprecise": imprecise, "unit": "week" if weekly else "day", "max": top,
            "width": width, "height": height}


__all__ = ["CSP", "check_bind", "create_app", "is_loopback", "timeline_bars"]

