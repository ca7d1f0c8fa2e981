"""Canonical article addresses, so one article reached by two links is fetched once.

Feeds decorate links with campaign parameters (``utm_source=rss``), fragments and sometimes
raw Arabic in the path where another feed percent-encodes it; :func:`canonical_url` folds all
of these into one ASCII address, which is also the address requested.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only say how a reader arrived, never which article it is.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
    "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "spm",
    "ref_src", "ref_url", "cmpid", "at_medium", "at_campaign",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")

_DEFAULT_PORTS = {"http": 80, "https": 443}
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = "/%:@!$'()*+,;-._~?"
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str, base: str | None = None) -> str:
    """The canonical http(s) form of ``url`` (resolved against ``base``); ValueError if it has none.

    Lower-case scheme and host (IDNA for non-ASCII hosts), no default port, no fragment, no
    tracking parameters, non-ASCII and unsafe characters percent-encoded with upper-case escapes,
    ``/`` for an empty path.
    """
    url = url.strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        shown = url if len(url) <= 80 else url[:77] + "..."
        raise ValueError(f"not an http:// or https:// address: {shown!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValueError(f"no host in {url!r}")
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValueError(f"invalid host name in {url!r}") from None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"invalid port in {url!r}") from None
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    if parts.username or parts.password:
        raise ValueError(f"addresses with a user name or password are not accepted: {url!r}")
    path = _upper_escapes(quote(parts.path or "/", safe=_PATH_SAFE))
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query = _upper_escapes(urlencode(pairs, safe=_QUERY_SAFE, quote_via=quote)) if pairs else ""
    return urlunsplit((scheme, netloc, path, query, ""))


def _upper_escapes(text: str) -> str:
    return _ESCAPE.sub(lambda m: m.group().upper(), text)


def host_of(url: str) -> str:
    """``host[:port]`` of a canonical address: the unit of politeness."""
    return urlsplit(url).netloc


def document_id(url: str) -> str:
    """A short, stable document id for an article address: ``host_`` + 12 hex digits of its hash."""
    host = urlsplit(url).hostname or "web"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]
    return f"{host}_{digest}"
