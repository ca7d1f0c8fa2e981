"""Terminal rendering of documents with their annotations highlighted (rich)."""

from __future__ import annotations

from typing import Any, Iterable

from marsad.document import Document

# A style per layer; layers not listed get a default. Sentences alternate two shades.
LAYER_STYLES = {
    "entities": "bold magenta",
    "places": "bold green",
    "actors": "bold cyan",
    "numbers": "bold yellow",
    "dates": "bold blue",
    "events": "reverse red",
    "claims": "underline",
}
_SENTENCE_STYLES = ("", "on grey15")


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def document_text(doc: Document, layers: Iterable[str] | None = None) -> Any:
    """The document as rich Text: sentences shaded alternately, other layers styled."""
    from rich.text import Text

    wanted = set(layers) if layers else None
    text = Text(doc.text)
    if wanted is None or "sentences" in wanted:
        for i, s in enumerate(doc.sentences):
            style = _SENTENCE_STYLES[i % 2]
            if style:
                text.stylize(style, s.start, s.end)
    for name, anns in doc.layers.items():
        if name == "sentences" or (wanted is not None and name not in wanted):
            continue
        style = LAYER_STYLES.get(name, "bold")
        for a in anns:
            text.stylize(style, a.start, a.end)
    return text


def render_document(doc: Document, layers: Iterable[str] | None = None) -> None:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    console = _console()
    meta = doc.meta
    head = Table.grid(padding=(0, 2))
    head.add_row("id", doc.id)
    head.add_row("hash", doc.content_hash)
    for key in ("title", "source", "url", "published", "origin", "encoding"):
        value = getattr(meta, key)
        if value:
            head.add_row(key, str(value))
    counts = {name: len(anns) for name, anns in doc.layers.items()}
    counts["tokens"] = len(doc.tokens) if doc.tokens is not None else 0
    head.add_row("layers", ", ".join(f"{k} {v}" for k, v in counts.items()))
    console.print(head)
    console.print(Panel(document_text(doc, layers), title=f"{len(doc.text)} characters", expand=True))
    other = [(n, a) for n, anns in doc.layers.items() if n != "sentences" for a in anns
             if not layers or n in layers]
    for name, a in sorted(other, key=lambda item: (item[0], item[1].start)):
        shown = a.text
        if name == "events":  # the sentence is the evidence; the trigger says why
            shown = a.data["trigger"]["text"]
        elif name == "claims":
            shown = a.data["speaker"]["text"]
        line = Text(f"{name:<8} {a.start:>5}:{a.end:<5} ", style="dim")
        line.append(shown, style=LAYER_STYLES.get(name, "bold"))
        line.append(f"  →  {describe(name, a)}")
        console.print(line, soft_wrap=True)


def describe(layer: str, a: Any) -> str:
    """One line saying what an annotation found, for the terminal."""
    d = a.data
    if layer == "places":
        where = ", ".join(str(x) for x in (d.get("admin1"), d.get("country")) if x)
        gid = d.get("geonameid")
        return f"{d.get('name')} ({where}) geonameid={gid if gid is not None else '-'} precision={d.get('precision')}"
    if layer == "actors":
        return f"{d.get('name')} [{d.get('category')}]"
    if layer == "numbers":
        approx = " approx" if d.get("approx") else ""
        what = f" {d['what']}" if d.get("what") else ""
        return f"{d.get('value')}{approx}{what} ({d.get('kind')})"
    if layer == "dates":
        return f"{d.get('value') or '(needs a publication date)'} precision={d.get('precision')}"
    if layer == "entities":
        return f"{d.get('label')} ({d.get('how')}, confidence {d.get('confidence')})"
    if layer == "claims":
        content = d["content"]["text"]
        content = content if len(content) <= 60 else content[:57] + "..."
        return f"{d.get('stance')} «{d['cue']['text']}»: {content}"
    if layer == "events":
        who = " vs ".join(x.get("name") or x.get("text") for x in (d.get("actor1"), d.get("actor2")) if x)
        where = (d.get("location") or {}).get("name")
        parts = [d["event_type"] + " / " + d["sub_event_type"]]
        parts += [f"actors: {who}"] if who else []
        parts += [f"at {where}"] if where else []
        parts += [f"on {d['date']}"] if d.get("date") else []
        parts += [f"{d['fatalities']} killed"] if d.get("fatalities") is not None else []
        parts += ["attributed to " + d["claim_speaker"]["text"]] if d.get("claim_speaker") else []
        return "; ".join(parts)
    return a.label or ", ".join(f"{k}={v}" for k, v in d.items())


def render_listing(store: Any) -> None:
    from rich.table import Table

    console = _console()
    table = Table("id", "hash", "title", "published", "chars", "sentences", "tokens", title=f"{store.location}")
    rows = store.list_documents()
    for row in rows:
        table.add_row(row["id"], row["content_hash"][:12], (row["title"] or "")[:40], row["published"] or "",
                      str(row["chars"]), str(row["sentences"] or 0), str(row["tokens"] or 0))
    n = len(rows)
    if n:
        console.print(table)
    else:
        console.print(f"no documents in {store.location}: add some with `marsad ingest FILES --db {store.location}`")


def render_clitics(doc: Document, limit: int = 12) -> None:
    """A table of tokens whose primary analysis splits off clitics, with exact offsets."""
    from rich.table import Table

    if doc.tokens is None:
        return
    table = Table("token", "offsets", "analysis", "stem offsets", title=f"{doc.id}: clitic analysis (first {limit})")
    shown = 0
    for token in doc.tokens:
        if token.kind != "word":
            continue
        seg = token.analysis
        if seg.prefixes in ((), ("ال",)) and not seg.suffix:
            continue  # the bare article is everywhere; show the clitic chains
        parts = " + ".join(list(seg.prefixes) + [seg.stem] + ([seg.suffix] if seg.suffix else []))
        table.add_row(token.text, f"{token.start}:{token.end}", parts, f"{seg.stem_start}:{seg.stem_end}")
        shown += 1
        if shown >= limit:
            break
    _console().print(table)
