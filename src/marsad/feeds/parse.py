"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds to a list of items, with expat and nothing else.

A feed is untrusted input: a document type declaration (and so any entity declaration) is
refused outright, which rules out entity expansion and external entities without a
dependency. Item dates are read as RFC 822 (RSS) or ISO 8601 (Atom, Dublin Core); a date
that is neither is kept as written (``published_raw``) rather than guessed.
"""

from __future__ import annotations

import email.utils
import html
import html.entities
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urljoin
from xml.parsers import expat

from marsad.errors import InputError
from marsad.feeds.urls import canonical_url

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "application/x-rss+xml",
})
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_HTML_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)
_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})


class FeedError(InputError):
    """A response that should be a feed and is not one marsad can read."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed: where the article is, and what the feed says about it."""

    url: str  # canonical
    title: str | None = None
    published: date | None = None
    published_raw: str | None = None


@dataclass(slots=True)
class Feed:
    title: str | None
    format: str  # rss, rdf or atom
    items: list[FeedItem] = field(default_factory=list)
    skipped: int = 0  # entries without a usable http(s) link


def looks_like_feed(body: bytes, content_type: str) -> bool:
    """Whether a response is a feed (by its media type, else by its first element)."""
    if content_type in FEED_TYPES:
        return True
    if content_type in ("text/html", "application/xhtml+xml"):
        return False
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if _FEED_ROOT.search(head):
        return True
    return head.startswith(b"<?xml") and b"<html" not in head.lower()


def _xml_tree(data: bytes, url: str) -> ET.Element:
    """Parse XML into ElementTree elements, refusing any DOCTYPE (and so any ENTITY)."""

    def refuse(*_: object) -> None:
        raise FeedError("not a feed marsad reads: the XML declares a DOCTYPE (refused: entity expansion)", origin=url)

    def qualified(name: str) -> str:
        return "{" + name if "}" in name else name

    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.buffer_text = True
    parser.StartElementHandler = lambda name, attrs: builder.start(
        qualified(name), {qualified(k): v for k, v in attrs.items()})
    parser.EndElementHandler = lambda name: builder.end(qualified(name))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
        return builder.close()
    except expat.ExpatError as exc:
        raise FeedError(f"not a feed marsad reads: malformed XML ({expat.ErrorString(exc.code)} at line "
                        f"{exc.lineno}, column {exc.offset + 1})", origin=url) from None
    except (LookupError, ValueError) as exc:  # an unknown or multi-byte declared encoding
        raise FeedError(f"not a feed marsad reads: {exc}", origin=url) from None


def _numeric_entities(data: bytes) -> bytes:
    """HTML's named entities (``&nbsp;``, ``&hellip;``), which many feeds use but XML does not
    define, as numeric references; in an ASCII-compatible encoding only (UTF-16 never matches)."""

    def numeric(match: re.Match[bytes]) -> bytes:
        name = match.group(1)
        if name in _XML_ENTITIES:
            return match.group()
        codepoint = html.entities.name2codepoint.get(name.decode("ascii"))
        return b"&#%d;" % codepoint if codepoint is not None else match.group()

    return _NAMED_ENTITY.sub(numeric, data) if b"&" in data else data


def parse_feed(data: bytes, url: str) -> Feed:
    """The items of an RSS or Atom feed fetched from ``url`` (relative links resolve against it)."""
    if not data.strip():
        raise FeedError("not a feed marsad reads: empty response", origin=url)
    if _HTML_START.match(data[:1024]):
        raise FeedError("not a feed marsad reads: the address serves an HTML page (kind=page in FEEDS.txt "
                        "if it is an article)", origin=url)
    root = _xml_tree(_numeric_entities(data), url)
    base = _base(root, url)
    if root.tag == "rss" or root.tag.endswith("}rss"):
        channel = root.find("channel")
        if channel is None:
            raise FeedError("not a feed marsad reads: <rss> without a <channel>", origin=url)
        feed = Feed(_text(channel.find("title")), "rss")
        for item in channel.iter("item"):
            _add(feed, _rss_link(item), base, _text(item.find("title")),
                 _text(item.find("pubDate")) or _text(item.find(f"{DC}date")))
    elif root.tag == f"{RDF}RDF":
        channel = root.find(f"{RSS1}channel")
        feed = Feed(_text(channel.find(f"{RSS1}title")) if channel is not None else None, "rdf")
        for item in root.iter(f"{RSS1}item"):
            _add(feed, _text(item.find(f"{RSS1}link")), base, _text(item.find(f"{RSS1}title")),
                 _text(item.find(f"{DC}date")))
    elif root.tag == f"{ATOM}feed":
        feed = Feed(_text(root.find(f"{ATOM}title"), markup=True), "atom")
        for entry in root.iter(f"{ATOM}entry"):
            _add(feed, _atom_link(entry), _base(entry, base), _text(entry.find(f"{ATOM}title"), markup=True),
                 _text(entry.find(f"{ATOM}published")) or _text(entry.find(f"{ATOM}updated")))
    else:
        name = root.tag.rpartition("}")[2]
        raise FeedError(f"not a feed marsad reads: the document is <{name}>, not RSS or Atom", origin=url)
    return feed


def _add(feed: Feed, link: str | None, base: str, title: str | None, when: str | None) -> None:
    try:
        address = canonical_url(link, base=base) if link else None
    except ValueError:
        address = None
    if address is None:
        feed.skipped += 1
        return
    published = parse_date(when)
    feed.items.append(FeedItem(address, title, published, when if when and published is None else None))


def _base(element: ET.Element, inherited: str) -> str:
    own = element.get(XML_BASE)
    if not own:
        return inherited
    return urljoin(inherited, own.strip())


def _text(element: ET.Element | None, *, markup: bool = False) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext())
    if markup and element.get("type") in ("html", "text/html"):
        text = html.unescape(_TAG.sub(" ", text))
    text = " ".join(text.split())
    return text or None


def _rss_link(item: ET.Element) -> str | None:
    link = _text(item.find("link"))
    if link:
        return link
    guid = item.find("guid")
    if guid is not None and guid.get("isPermaLink", "true").lower() != "false":
        return _text(guid)
    return None


def _atom_link(entry: ET.Element) -> str | None:
    links = entry.findall(f"{ATOM}link")
    alternates = [link for link in links if link.get("rel", "alternate") == "alternate" and link.get("href")]
    alternates.sort(key=lambda link: link.get("type", "text/html") not in ("text/html", "application/xhtml+xml"))
    if alternates:
        return alternates[0].get("href")
    entry_id = _text(entry.find(f"{ATOM}id"))
    return entry_id if entry_id and entry_id.startswith(("http://", "https://")) else None


def parse_date(value: str | None) -> date | None:
    """The calendar date of an RFC 822 or ISO 8601 date-time, in its own time zone; None if neither."""
    if not value:
        return None
    value = value.strip()
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when is not None:
            return when.date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
