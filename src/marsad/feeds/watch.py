"""The watch loop: poll feeds and pages, fetch new articles, process and store them, update stories.

A round polls every address of FEEDS.txt that is not backing off (conditionally: a 304 costs
nothing), queues the articles of each feed that were never seen, fetches the queued articles
(hosts interleaved, each host paced), drops those whose text was seen before (under another
address, or already in the store), runs the pipeline over the rest through
:func:`marsad.runner.run`, and assigns the new documents to stories
(:func:`marsad.stories.build_stories`), so stories and incidents grow as articles arrive.

Nothing one address does stops the others: every failure is one line naming the address, the
address backs off exponentially (feeds forever, articles until ``max_attempts``), and the round
goes on. All that must survive a restart is in :class:`~marsad.feeds.state.WatchState`.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from marsad.document import Document
from marsad.errors import EmptyInput, InputError, MarsadError, StoreError
from marsad.feeds.feedlist import FeedEntry
from marsad.feeds.fetch import USER_AGENT, Fetcher, FetchError, Response, Validators
from marsad.feeds.parse import looks_like_feed, parse_feed
from marsad.feeds.state import WaitingArticle, WatchState, text_key
from marsad.feeds.urls import document_id, host_of

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True)
class WatchOptions:
    """How politely and how persistently to poll (the CLI's options)."""

    host_interval: float = 1.0  # seconds between requests to one host
    timeout: float = 20.0  # seconds for one request, connection to last byte
    backoff: float = 60.0  # first wait after a failure; doubles with each further failure
    max_backoff: float = 3600.0
    max_attempts: int = 5  # fetches of one article page before giving up on it
    max_bytes: int = 20_000_000
    max_redirects: int = 5
    batch_size: int = 20  # articles stored per pipeline run within a round
    user_agent: str = USER_AGENT


@dataclass
class RoundReport:
    """What one round did; :meth:`summary` is the line printed after it."""

    number: int = 0
    polled: int = 0  # FEEDS.txt addresses requested
    not_modified: int = 0  # of those, unchanged (304, or a page with the same text)
    waiting: int = 0  # FEEDS.txt addresses skipped: backing off after a failure
    new_articles: int = 0  # article addresses found in feeds for the first time
    fetched: int = 0  # article pages fetched
    stored: int = 0
    duplicates: int = 0  # texts seen before (another address, or already in the store)
    deferred: int = 0  # articles not tried this round because their host failed in it
    errors: int = 0
    requests: int = 0
    stories: Any = None  # the BuildReport of the round
    seconds: float = 0.0
    stored_ids: list[str] = field(default_factory=list)

    def summary(self) -> str:
        polled = f"polled {self.polled} feeds and pages"
        notes = [f"{self.not_modified} not modified"] if self.not_modified else []
        if self.waiting:
            notes.append(f"{self.waiting} backing off")
        if notes:
            polled += f" ({', '.join(notes)})"
        articles = [f"{self.new_articles} new articles", f"{self.fetched} fetched", f"{self.stored} stored"]
        if self.duplicates:
            articles.append(f"{self.duplicates} duplicate{'s' if self.duplicates != 1 else ''}")
        if self.deferred:
            articles.append(f"{self.deferred} left for a later round (host failing)")
        parts = [polled, ", ".join(articles), f"{self.errors} error{'s' if self.errors != 1 else ''}"]
        if self.stories is not None and self.stories.assigned:
            parts.append(self.stories.summary())
        return f"watch round {self.number}: " + "; ".join(parts) + f" ({self.seconds:.1f}s)"


@dataclass
class _Candidate:
    """A fetched article that may be stored: its document and where it came from."""

    doc: Document
    url: str  # the address queued (or the FEEDS.txt page)
    final_url: str
    key: str  # text key
    page_entry: bool = False


class Watcher:
    """Polls a feed list into a store; one :meth:`poll_round` at a time (see the module docstring)."""

    def __init__(self, entries: list[FeedEntry], store: Any, state: WatchState, options: WatchOptions | None = None,
                 *, on_line: Callable[[str], None] | None = None, pipeline: Any = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.entries = entries
        self.store = store
        self.state = state
        self.options = options or WatchOptions()
        self.fetcher = Fetcher(timeout=self.options.timeout, host_interval=self.options.host_interval,
                               max_bytes=self.options.max_bytes, max_redirects=self.options.max_redirects,
                               user_agent=self.options.user_agent)
        self.on_line = on_line or (lambda line: None)
        self._pipeline = pipeline
        self.clock = clock  # wall-clock seconds, for backoff (kept in the state across restarts)
        self._unsaved_validators: dict[str, Response] = {}  # FEEDS.txt pages fetched, not yet stored
        self.rounds = 0
        self.totals = RoundReport()

    @property
    def pipeline(self) -> Any:
        if self._pipeline is None:
            from marsad.pipeline import default_pipeline

            self._pipeline = default_pipeline()
        return self._pipeline

    # -- one round --------------------------------------------------------------------------
    def poll_round(self) -> RoundReport:
        """Poll, fetch, store and update stories once; Ctrl-C leaves the state consistent."""
        started = time.monotonic()
        requests_before = self.fetcher.requests
        self.rounds += 1
        report = RoundReport(number=self.rounds)
        batch: list[_Candidate] = []
        for entry in self.entries:
            page = self._poll_entry(entry, report)
            if page is not None:
                self._consider(page, batch, report)
        failing_hosts: set[str] = set()
        for article in _interleave_hosts(self.state.waiting_articles(now=self.clock())):
            if host_of(article.url) in failing_hosts:  # down or overloaded: spare it (and us) the rest
                report.deferred += 1
                continue
            candidate = self._fetch_article(article, report, failing_hosts)
            if candidate is not None:
                self._consider(candidate, batch, report)
            if len(batch) >= self.options.batch_size:
                self._store(batch, report)
                batch = []
        self._store(batch, report)
        self._update_stories(report)
        report.requests = self.fetcher.requests - requests_before
        report.seconds = time.monotonic() - started
        self._add_to_totals(report)
        return report

    def _error(self, report: RoundReport, error: MarsadError, what_next: str) -> None:
        report.errors += 1
        self.on_line(f"{error.one_line()}; {what_next}")

    def _poll_entry(self, entry: FeedEntry, report: RoundReport) -> _Candidate | None:
        """Poll one FEEDS.txt address: queue a feed's new items, or return a page's article."""
        if self.state.retry_at(entry.url) > self.clock():
            report.waiting += 1
            return None
        report.polled += 1
        accept = PAGE_ACCEPT if entry.kind == "page" else FEED_ACCEPT
        try:
            response = self.fetcher.fetch(entry.url, self.state.validators, accept=accept)
            if response.not_modified:
                report.not_modified += 1
                self._polled(entry.url, response)
                return None
            is_feed = entry.kind == "feed" or (entry.kind == "auto" and looks_like_feed(response.body,
                                                                                         response.content_type))
            if not is_feed:
                return self._page_entry(entry, response, report)
            feed = parse_feed(response.body, response.final_url)
        except InputError as exc:
            retry_after = exc.retry_after if isinstance(exc, FetchError) else None
            delay = self.state.failed(entry.url, exc.one_line(), base=self.options.backoff,
                                      cap=self.options.max_backoff, retry_after=retry_after, now=self.clock())
            self._error(report, exc, f"next try in {_duration(delay)}")
            return None
        source = entry.source or feed.title or host_of(response.final_url)
        with self.state.transaction():  # the validators and the items they cover, together
            report.new_articles += self.state.add_articles(entry.url, feed.items, source, now=self.clock())
            self._polled(entry.url, response)
        return None

    def _polled(self, url: str, response: Response) -> None:
        """A successful poll of ``url``: its validators belong to the address that gave them."""
        with self.state.transaction():
            if response.final_url == url:
                self.state.polled(url, response.validators, now=self.clock())
            else:
                self.state.polled(url, Validators(), now=self.clock())
                self.state.polled(response.final_url, response.validators, now=self.clock())

    def _page_entry(self, entry: FeedEntry, response: Response, report: RoundReport) -> _Candidate | None:
        """A FEEDS.txt line that is an article page: a candidate when its text changed."""
        fields = {"source": entry.source}
        doc = self._read_page(response, fields)  # InputError: handled by the caller, with backoff
        key = text_key(doc.text)
        if self.state.last_text(entry.url) == key:
            report.not_modified += 1
            self._polled(entry.url, response)
            return None
        # the validators are saved with the text, once stored: a 304 must never hide an unstored page
        self._unsaved_validators[entry.url] = response
        return _Candidate(doc, entry.url, response.final_url, key, page_entry=True)

    def _fetch_article(self, article: WaitingArticle, report: RoundReport,
                       failing_hosts: set[str]) -> _Candidate | None:
        """Fetch a queued article page; failures back off (network) or give up (unreadable page).

        A failure of the host itself (no answer, a 5xx, a 429) adds it to ``failing_hosts``.
        """
        report.fetched += 1
        try:
            response = self.fetcher.fetch(article.url, accept=PAGE_ACCEPT)
            if response.final_url != article.url and self.state.known_article(response.final_url) in (
                    "stored", "duplicate"):
                self.state.article_done(article.url, response.final_url, "duplicate", now=self.clock())
                report.duplicates += 1
                return None
            fields = {"title": article.title, "source": article.source, "published": article.published,
                      "published_raw": article.published_raw}
            doc = self._read_page(response, fields)
        except FetchError as exc:
            if exc.status is None or exc.status >= 500 or exc.status == 429:
                failing_hosts.add(host_of(article.url))
            delay = self.state.article_failed(article.url, exc.one_line(), base=self.options.backoff,
                                              cap=self.options.max_backoff, max_attempts=self.options.max_attempts,
                                              retry_after=exc.retry_after, now=self.clock())
            if delay is None:
                self._error(report, exc, f"giving up after {self.options.max_attempts} attempts")
            else:
                self._error(report, exc, f"next try in {_duration(delay)}")
            return None
        except InputError as exc:  # the page is there but holds no readable article: retrying will not help
            self.state.article_done(article.url, article.url, "failed", error=exc.one_line(), now=self.clock())
            self._error(report, exc, "skipped")
            return None
        return _Candidate(doc, article.url, response.final_url, text_key(doc.text))

    def _read_page(self, response: Response, fields: dict[str, Any]) -> Document:
        """The article of a fetched page: decoded by the HTTP charset (else detected), text by trafilatura."""
        from marsad.io.readers import read_html

        url = response.final_url
        doc_id = document_id(url)

        def read(encoding: str | None) -> Document:
            try:
                return read_html(response.body, url, doc_id, encoding=encoding)
            except InputError:
                raise
            except Exception as exc:  # noqa: BLE001 - the HTML extractor's own failure must not stop the watch
                raise InputError(f"cannot extract the article ({type(exc).__name__}: {exc})", origin=url) from None

        try:
            doc = read(response.charset)
        except InputError as declared_error:
            if not response.charset or isinstance(declared_error, EmptyInput):
                raise
            try:
                doc = read(None)  # the header lied: detect instead
            except InputError:
                raise declared_error from None
            self.on_line(f"warning {url}: the page is not {response.charset} as its HTTP header says; "
                         f"read as {doc.meta.encoding}")
        meta = doc.meta
        meta.url = url
        meta.origin = url
        meta.title = fields.get("title") or meta.title
        meta.source = fields.get("source") or meta.source or host_of(url)
        if fields.get("published"):
            meta.published = fields["published"]
        elif fields.get("published_raw") and meta.published is None:
            meta.published_raw = fields["published_raw"]
        return doc

    # -- deduplication and storing --------------------------------------------------------------
    def _consider(self, candidate: _Candidate, batch: list[_Candidate], report: RoundReport) -> None:
        """Queue a candidate for the pipeline unless its text is already known."""
        doc = candidate.doc
        first = self.state.seen_text(candidate.key)
        in_batch = any(c.key == candidate.key for c in batch)
        in_store = first is None and not in_batch and self.store.is_current(doc.content_hash, self.pipeline.signature)
        if first is None and not in_batch and not in_store:
            batch.append(candidate)
            return
        report.duplicates += 1
        with self.state.transaction():
            self._finish(candidate, "duplicate")
            if in_store:
                self.state.remember_text(candidate.key, doc.content_hash, candidate.final_url, now=self.clock())

    def _finish(self, candidate: _Candidate, status: str) -> None:
        doc = candidate.doc
        if candidate.page_entry:
            self.state.set_last_text(candidate.url, candidate.key)
            response = self._unsaved_validators.pop(candidate.url, None)
            if response is not None:
                self._polled(candidate.url, response)
        else:
            self.state.article_done(candidate.url, candidate.final_url, status, content_hash=doc.content_hash,
                                    doc_id=doc.id, now=self.clock())

    def _store(self, batch: list[_Candidate], report: RoundReport) -> None:
        """Run the pipeline over the batch and store it; mark the articles done once committed."""
        if not batch:
            return
        from marsad.runner import run

        processed: set[str] = set()
        errors: list[MarsadError] = []

        def on_error(error: MarsadError) -> None:
            errors.append(error)
            self._error(report, error, "skipped")

        try:
            result = run((c.doc for c in batch), pipeline=self.pipeline, store=self.store,
                         on_document=lambda doc: processed.add(doc.content_hash), on_error=on_error,
                         on_warning=self.on_line)
        except (MarsadError, *self.store.database_errors) as exc:
            error = exc if isinstance(exc, MarsadError) else StoreError(
                f"cannot store {len(batch)} articles: {exc}", origin=self.store.location)
            self._error(report, error, "the articles are fetched again next round")
            return
        if result.interrupted:
            raise KeyboardInterrupt  # the articles stay queued; the store kept what it committed
        with self.state.transaction():
            for candidate in batch:
                if candidate.doc.content_hash in processed:
                    self._finish(candidate, "stored")
                    self.state.remember_text(candidate.key, candidate.doc.content_hash, candidate.final_url,
                                             now=self.clock())
                    report.stored += 1
                    report.stored_ids.append(candidate.doc.id)
                elif not candidate.page_entry:  # a pipeline failure (a bug): do not loop on it
                    self.state.article_done(candidate.url, candidate.final_url, "failed",
                                            error="the pipeline failed on this article", now=self.clock())

    def _update_stories(self, report: RoundReport) -> None:
        from marsad.stories import build_stories

        try:
            report.stories = build_stories(self.store)
        except MarsadError as exc:  # a locked store: the next round assigns them
            self._error(report, exc, "stories are updated next round")

    def _add_to_totals(self, report: RoundReport) -> None:
        totals = self.totals
        totals.number = report.number
        for name in ("polled", "not_modified", "waiting", "new_articles", "fetched", "stored", "duplicates",
                     "deferred", "errors", "requests"):
            setattr(totals, name, getattr(totals, name) + getattr(report, name))
        totals.seconds += report.seconds

    # -- the loop ---------------------------------------------------------------------------
    def watch(self, *, interval: float, once: bool = False, rounds: int | None = None,
              sleep: Callable[[float], None] = time.sleep) -> RoundReport:
        """Poll rounds ``interval`` seconds apart (start to start) until interrupted (or ``once``).

        Each round's summary goes to ``on_line``. KeyboardInterrupt (Ctrl-C, or SIGTERM in the
        CLI) propagates after the state's transaction in flight is rolled back.
        """
        while True:
            started = time.monotonic()
            report = self.poll_round()
            self.on_line(report.summary())
            if once or (rounds is not None and self.rounds >= rounds):
                return report
            remaining = interval - (time.monotonic() - started)
            if remaining > 0:
                sleep(remaining)


def _interleave_hosts(articles: list[WaitingArticle]) -> list[WaitingArticle]:
    """One article per host in turn, so a slow or strict host does not hold up the others."""
    by_host: OrderedDict[str, list[WaitingArticle]] = OrderedDict()
    for article in articles:
        by_host.setdefault(host_of(article.url), []).append(article)
    out: list[WaitingArticle] = []
    queues = [list(reversed(q)) for q in by_host.values()]
    while queues:
        for queue in queues:
            out.append(queue.pop())
        queues = [q for q in queues if q]
    return out


def _duration(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.1f}s".replace(".0s", "s")
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
