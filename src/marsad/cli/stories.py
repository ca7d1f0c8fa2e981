"""Commands over stories: ``stories`` (list them) and ``story ID`` (compare a story's documents).

Both first bring the store's stories up to date: documents stored since the last run are assigned
(incremental, idempotent, one transaction), so the listing is never stale and nothing has to be
run in between.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer

from marsad.cli.app import EXIT_OK, app, db_option, err, open_store_or_fail, run_guarded


class StoriesFormat(str, Enum):
    table = "table"
    json = "json"


FORMAT_HELP = "table: a readable table; json: the full result as JSON on standard output."
_CLIP = 70


def _update(store: Any) -> None:
    """Assign the documents stored since the last run, saying so on standard error when any were."""
    from marsad.stories import build_stories

    report = build_stories(store)
    if report.assigned:
        err(report.summary())


def _json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=1) + "\n")


@app.command()
def stories(
    db: Optional[str] = db_option("SQLite store to read (stories are updated in it)."),
    output_format: StoriesFormat = typer.Option(StoriesFormat.table, "--format", "-f", help=FORMAT_HELP),
) -> None:
    """List the stories: documents about the same situation, grouped across outlets."""
    from marsad.stories import list_stories

    def body() -> int:
        store = open_store_or_fail(db)
        try:
            _update(store)
            rows = list_stories(store)
            if output_format is StoriesFormat.json:
                _json(rows)
            else:
                _render_listing(rows, store.location)
            return EXIT_OK
        finally:
            store.close()

    raise typer.Exit(run_guarded(body))


@app.command()
def story(
    ref: str = typer.Argument(..., help="Story id (or a unique prefix), or the id or hash of one of its documents.",
                              show_default=False),
    db: Optional[str] = db_option("SQLite store to read (stories are updated in it)."),
    output_format: StoriesFormat = typer.Option(StoriesFormat.table, "--format", "-f", help=FORMAT_HELP),
) -> None:
    """Compare a story's documents: what each reports that the others do not, where they disagree, how they frame it."""
    from marsad.stories import compare_story

    def body() -> int:
        store = open_store_or_fail(db)
        try:
            _update(store)
            result = compare_story(store, ref)
            if output_format is StoriesFormat.json:
                _json(result)
            else:
                _render_story(result)
            return EXIT_OK
        finally:
            store.close()

    raise typer.Exit(run_guarded(body))


# -- rendering ---------------------------------------------------------------------------------
def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _clip(text: str, n: int = _CLIP) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _ev(e: dict[str, Any], with_doc: bool = False) -> str:
    where = f"{e['document']} " if with_doc else ""
    return f"{where}{e['start']}:{e['end']} «{_clip(e['text'], 50)}»"


def _render_listing(rows: list[dict[str, Any]], location: str) -> None:
    from rich.table import Table

    console = _console()
    if not rows:
        console.print(f"no stories in {location}: add documents with `marsad ingest FILES --db {location}`")
        return
    table = Table("story", "documents", "published", "about", "members", title=f"{len(rows)} stories in {location}")
    for s in rows:
        about = "، ".join(s["about"]["terms"][:5])
        span = " – ".join(dict.fromkeys(x for x in (s["first_published"], s["last_published"]) if x)) or ""
        members = ", ".join(m["id"] + (f" ({m['source']})" if m["source"] else "") for m in s["members"][:4])
        if len(s["members"]) > 4:
            members += f", … {len(s['members']) - 4} more"
        table.add_row(s["id"], str(len(s["documents"])), span, about, members)
    console.print(table)


def _incident_line(i: dict[str, Any]) -> str:
    where = (i["place"] or {}).get("name") or "?"
    toll = i["fatalities"]
    killed = f"; killed {toll['low']}/{toll['best']}/{toll['high']} (low/best/high)" if toll else ""
    return f"{i['id']} {i['sub_event_type']} at {where}{killed}"


def _item_text(kind: str, item: dict[str, Any]) -> str:
    if kind == "incidents":
        return _incident_line(item)
    if kind == "claims":
        contents = "; ".join(_clip(c["content"]["text"], 60) for c in item["claims"][:2])
        return f"{item['speaker']}: {contents}"
    if kind == "numbers":
        return f"{'~' if item['approx'] else ''}{item['value']} {item['what']}"
    if kind == "terms":
        return item["key"]
    return item.get("name") or item.get("key") or ""


def _item_evidence(kind: str, item: dict[str, Any]) -> str:
    if kind == "incidents":
        return "\n".join(_ev(s["evidence"], True) for s in item["sources"])
    if kind == "claims":
        return "\n".join(_ev(c["evidence"], True) for c in item["claims"][:2])
    first: dict[str, dict[str, Any]] = {}
    for e in item["evidence"]:  # one example per document
        first.setdefault(e["document"], e)
    return "\n".join(_ev(e, True) for e in list(first.values())[:4])


def _render_story(result: dict[str, Any]) -> None:
    from rich.table import Table

    console = _console()
    docs = Table("document", "outlet", "title", "published", title=f"story {result['id']}")
    for d in result["documents"]:
        docs.add_row(d["document"], d["outlet"], _clip(d["title"] or "", 40), d["published"] or "")
    console.print(docs)

    kinds = ("incidents", "claims", "numbers", "actors", "places")
    common = Table("kind", "what", "documents", "evidence", title="reported by several", show_lines=True)
    for kind in kinds:
        for item in result["common"][kind]:
            docs_of = item["documents"] if kind != "incidents" else sorted(set(item["documents"]))
            common.add_row(kind[:-1], _item_text(kind, item), ", ".join(docs_of), _item_evidence(kind, item))
    if result["common"]["terms"]:
        common.add_row("words", "، ".join(t["key"] for t in result["common"]["terms"]), "", "")
    console.print(common)

    for own in result["only"]:
        table = Table("kind", "what", "evidence", title=f"only in {own['document']} ({own['outlet']})", show_lines=True)
        for kind in kinds:
            for item in own[kind]:
                table.add_row(kind[:-1], _item_text(kind, item), _item_evidence(kind, item))
        if own["terms"]:
            table.add_row("words", "، ".join(t["key"] for t in own["terms"]), "")
        console.print(table)

    incidents = [i for i in result["common"]["incidents"]] + [i for o in result["only"] for i in o["incidents"]]
    table = Table("incident", "sources: perpetrator, place, killed", "support", title="incidents", show_lines=True)
    for i in sorted(incidents, key=lambda i: int(i["id"][1:])):
        per = "\n".join(
            f"{s['outlet']}: {(s['perpetrator'] or {}).get('name') or '?'}, {(s['place'] or {}).get('name') or '?'}, "
            f"{s['fatalities'] if s['fatalities'] is not None else '-'}" for s in i["sources"])
        table.add_row(_incident_line(i), per, f"{i['support']['grade']}\n{_clip(i['support']['reason'], 90)}")
    console.print(table)

    if result["disagreements"]:
        table = Table("kind", "what", "evidence", title="disagreements", show_lines=True)
        for d in result["disagreements"]:
            if d["kind"] == "accusation_omitted":
                accused = ", ".join(a["name"] for a in d["accused"]) or "?"
                what = (f"{d['speaker']} accuses {accused} ({_clip(d['why'], 60)}); "
                        f"reported by {d['outlet']}, omitted by {', '.join(d['omitted_by'])}")
                table.add_row(d["kind"], what, _ev(d["evidence"], True))
            else:
                values = "; ".join(f"{v['outlet']}: {v.get('value', v.get('perpetrator'))}" for v in d["values"])
                table.add_row(d["kind"], f"{d['incident']} {d['sub_event_type']} at {d['place'] or '?'}: {values}",
                              "\n".join(_ev(v["evidence"], True) for v in d["values"]))
        console.print(table)

    table = Table("document", "scare quotes", "loaded terms", "relies on", title="framing", show_lines=True)
    for f in result["framing"]:
        quotes = "\n".join(f"«{q['text']}»" for q in f["scare_quotes"]) or "-"
        counts: dict[str, int] = {}
        for t in f["loaded_terms"]:
            counts[f"{t['lemma']} ({t['category']})"] = counts.get(f"{t['lemma']} ({t['category']})", 0) + 1
        loaded = "\n".join(f"{k} ×{v}" for k, v in counts.items()) or "-"
        relies = "\n".join(f"{a['speaker']} ×{a['claims']}" for a in f["attributions"]) or "-"
        table.add_row(f"{f['document']}\n({f['outlet']})", quotes, loaded, relies)
    console.print(table)
