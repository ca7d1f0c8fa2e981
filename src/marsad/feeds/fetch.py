"""A polite HTTP client for feeds and article pages, on the standard library alone.

Polite means: requests to one host are spaced by a minimum interval (measured from the end of
one response to the start of the next), a resource fetched before is asked for with its
validators (``If-None-Match``, ``If-Modified-Since``) so an unchanged feed costs a 304, the
User-Agent names marsad, and a failure is reported once and retried later by the caller's
backoff. Redirects are followed by hand (each hop paced and conditional on its own address, at
most ``max_redirects``), bodies are read against a deadline and a size limit (compressed bodies
too), and every failure is one :class:`FetchError` naming the address.
"""

from __future__ import annotations

import email.utils
import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message

from marsad import __version__
from marsad.errors import FileUnreadable, InputTooLarge
from marsad.feeds.urls import canonical_url, host_of

USER_AGENT = f"marsad/{__version__} (Arabic conflict news monitor; polls feeds politely)"
_CHUNK = 64 * 1024


class FetchError(FileUnreadable):
    """An address could not be fetched: network, timeout, HTTP error, redirect or size trouble.

    ``status`` is the HTTP status when there was one; ``retry_after`` the seconds a 429 or 503
    asked the client to wait.
    """

    def __init__(self, message: str, *, url: str, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message, origin=url)
        self.url = url
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said identifies the version of a resource we have."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class Response:
    """A fetched resource (``status`` 200), or a 304 saying our copy is current."""

    url: str  # the address asked for
    final_url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    charset: str | None = None
    validators: Validators = field(default_factory=Validators)
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand every 3xx back to :class:`Fetcher`, which paces and limits the hops itself."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class HostPacer:
    """At least ``interval`` seconds between the end of one request to a host and the next."""

    def __init__(self, interval: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._ready: dict[str, float] = {}

    def wait(self, host: str) -> None:
        delay = self._ready.get(host, 0.0) - self._clock()
        if delay > 0:
            self._sleep(delay)

    def done(self, host: str) -> None:
        self._ready[host] = self._clock() + self.interval


class Fetcher:
    """GET with politeness, redirects, a deadline and a size limit; see the module docstring."""

    def __init__(self, *, timeout: float = 20.0, host_interval: float = 1.0, max_bytes: int = 20_000_000,
                 max_redirects: int = 5, user_agent: str = USER_AGENT) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self.pacer = HostPacer(host_interval)
        self._opener = urllib.request.build_opener(_NoRedirect())
        self.requests = 0  # sent, for the round summary

    def fetch(self, url: str, validators: Callable[[str], Validators] | None = None,
              accept: str = "*/*") -> Response:
        """Fetch ``url`` (canonical), following redirects; raise :class:`FetchError` on failure.

        ``validators(address)`` gives the ETag / Last-Modified remembered for each address on
        the way, so a redirected resource is conditional on its own validators.
        """
        hops: list[str] = []
        current = url
        while True:
            known = validators(current) if validators else Validators()
            status, headers, body = self._request(current, known, accept)
            if status in (301, 302, 303, 307, 308):
                location = headers.get("Location")
                if not location:
                    raise FetchError(f"HTTP {status} redirect without a Location", url=current, status=status)
                try:
                    target = canonical_url(location, base=current)
                except ValueError as exc:
                    raise FetchError(f"redirected to an address marsad does not fetch ({exc})",
                                     url=current, status=status) from None
                hops.append(current)
                if len(hops) > self.max_redirects:
                    raise FetchError(f"more than {self.max_redirects} redirects (last to {target})", url=url,
                                     status=status)
                if target in hops:
                    raise FetchError(f"redirect loop (back to {target})", url=url, status=status)
                current = target
                continue
            if 300 <= status < 400 and status != 304:
                raise FetchError(f"HTTP {status} without a redirect marsad can follow", url=current, status=status)
            content_type = headers.get_content_type() if headers.get("Content-Type") else ""
            return Response(
                url=url, final_url=current, status=status, body=body, content_type=content_type,
                charset=headers.get_content_charset() if headers.get("Content-Type") else None,
                validators=Validators(headers.get("ETag") or (known.etag if status == 304 else None),
                                      headers.get("Last-Modified") or (known.last_modified if status == 304 else None)),
                redirects=hops,
            )

    def _request(self, url: str, known: Validators, accept: str) -> tuple[int, Message, bytes]:
        """One paced GET: (status, headers, body) for 2xx, 304 and 3xx; FetchError otherwise."""
        request = urllib.request.Request(url, headers={
            "User-Agent": self.user_agent,
            "Accept": accept,
            "Accept-Encoding": "gzip, deflate",
            "Accept-Language": "ar, *;q=0.5",
        })
        if known.etag:
            request.add_header("If-None-Match", known.etag)
        if known.last_modified:
            request.add_header("If-Modified-Since", known.last_modified)
        host = host_of(url)
        self.pacer.wait(host)
        deadline = time.monotonic() + self.timeout
        self.requests += 1
        try:
            try:
                response = self._opener.open(request, timeout=self.timeout)
            except urllib.error.HTTPError as exc:
                response = exc  # 3xx, 304, 4xx, 5xx: all carry headers and a body
            with response:
                status = int(response.status if response.status is not None else response.code)
                headers = response.headers
                if status == 304 or 300 <= status < 400:
                    return status, headers, b""
                if status >= 400:
                    raise FetchError(_status_message(status, getattr(response, "reason", "")), url=url,
                                     status=status, retry_after=_retry_after(headers.get("Retry-After")))
                body = self._read_body(response, headers, url, deadline)
                return status, headers, body
        except FetchError:
            raise
        except InputTooLarge:
            raise
        except urllib.error.URLError as exc:
            raise FetchError(self._network_message(exc.reason), url=url) from None
        except http.client.HTTPException as exc:
            raise FetchError(f"connection broken ({type(exc).__name__}: {exc})".replace(": )", ")"),
                             url=url) from None
        except OSError as exc:  # TimeoutError included
            raise FetchError(self._network_message(exc), url=url) from None
        finally:
            self.pacer.done(host)

    def _read_body(self, response: object, headers: Message, url: str, deadline: float) -> bytes:
        limit = self.max_bytes
        declared = headers.get("Content-Length")
        if declared and declared.strip().isdigit() and int(declared) > limit:
            raise InputTooLarge(f"response is {int(declared):,} bytes, over the limit of {limit:,} (--max-bytes)",
                                origin=url)
        encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            inflater = zlib.decompressobj()
        elif encoding == "identity":
            inflater = None
        else:
            raise FetchError(f"unsupported Content-Encoding {encoding!r}", url=url)
        parts: list[bytes] = []
        size = 0
        while True:
            if time.monotonic() > deadline:
                raise FetchError(f"timed out after {self.timeout:g}s (body still arriving)", url=url)
            chunk = response.read(_CHUNK)  # type: ignore[attr-defined]
            if not chunk:
                break
            if inflater is not None:
                try:
                    chunk = inflater.decompress(chunk, limit + 1 - size)
                except zlib.error as exc:
                    raise FetchError(f"corrupt {encoding} body ({exc})", url=url) from None
            parts.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InputTooLarge(f"response is over the limit of {limit:,} bytes (--max-bytes)", origin=url)
        if inflater is not None:
            parts.append(inflater.flush())
            if size + len(parts[-1]) > limit:
                raise InputTooLarge(f"response is over the limit of {limit:,} bytes (--max-bytes)", origin=url)
        return b"".join(parts)

    def _network_message(self, reason: object) -> str:
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return f"timed out after {self.timeout:g}s"
        return _network_message(reason)


def _status_message(status: int, reason: str) -> str:
    reason = reason or http.client.responses.get(status, "")
    prefix = "server error: " if status >= 500 else ""
    return f"{prefix}HTTP {status} {reason}".rstrip()


def _network_message(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "host not found"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"TLS certificate rejected ({reason.verify_message or reason})"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error ({reason})"
    if isinstance(reason, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(reason, OSError):
        return f"network error ({reason.strerror or reason})"
    return f"network error ({reason})"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number of seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())
