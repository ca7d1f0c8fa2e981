"""Live feeds (``marsad watch``) against a real HTTP server on 127.0.0.1, no mocks of the HTTP layer.

The server serves an RSS 2.0 feed (with ETag) and an Atom feed (with Last-Modified, gzipped)
whose items point to article pages on the same server: one in UTF-8 declared by a meta tag,
one in Windows-1256 declared by the HTTP header, one behind a 301 and one behind a 302, the same
article at two addresses, an article page listed directly in FEEDS.txt (Windows-1256 by meta),
a broken feed, a feed that fails with 500 once, a feed slower than the timeout and a port
nobody listens on. The articles are short reports written for these tests.
"""

from __future__ import annotations

import gzip
import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from marsad.errors import ConfigError, InputTooLarge
from marsad.feeds.feedlist import parse_feed_list, read_feed_list
from marsad.feeds.fetch import Fetcher, FetchError
from marsad.feeds.parse import FeedError, parse_feed
from marsad.feeds.state import WatchState, backoff_delay
from marsad.feeds.urls import canonical_url
from marsad.feeds.watch import Watcher, WatchOptions
from marsad.store import open_store
from marsad.stories import list_stories

REPO = Path(__file__).resolve().parents[1]

# ----------------------------------------------------------------------------- the articles

ARTICLES: dict[str, tuple[str, list[str]]] = {
    "hajin": ("قصف مدفعي يستهدف بلدة هجين شرقي دير الزور", [
        "قتل خمسة مدنيين، بينهم طفلان، جراء قصف مدفعي استهدف بلدة هجين في ريف دير الزور الشرقي، صباح الأحد.",
        "وقال مراسل في المنطقة إن القذائف سقطت على منازل المدنيين وسط البلدة، ما أدى إلى دمار واسع في الأبنية.",
        "وتشهد المنطقة معارك بين قوات سوريا الديمقراطية وتنظيم الدولة الإسلامية منذ أسابيع.",
    ]),
    "hajin2": ("مقتل مدنيين بقصف على هجين", [
        ("أفاد ناشطون محليون بمقتل ستة مدنيين وإصابة آخرين بجروح، إثر قصف بالمدفعية الثقيلة طال الأحياء "
        "السكنية في بلدة هجين بريف دير الزور، يوم الأحد."),
        "وأضاف الناشطون أن القصف مصدره مواقع قوات سوريا الديمقراطية المتمركزة على أطراف البلدة.",
        "ويتحصن عناصر تنظيم الدولة في جيب هجين منذ عدة أشهر.",
    ]),
    "susa": ("اشتباكات عنيفة في بلدة السوسة", [
        ("اندلعت اشتباكات عنيفة بين قوات سوريا الديمقراطية وعناصر تنظيم الدولة الإسلامية في بلدة السوسة "
        "بريف البوكمال، مساء السبت."),
        "وأسفرت الاشتباكات عن مقتل ثمانية عناصر من الطرفين، بحسب مصادر محلية.",
        "وتحاول قوات سوريا الديمقراطية التقدم نحو البلدة بدعم من طيران التحالف الدولي.",
    ]),
    "shafa": ("غارات جوية على بلدة الشعفة", [
        "شنت طائرات التحالف الدولي غارات جوية على بلدة الشعفة في ريف دير الزور الشرقي، فجر الإثنين.",
        "وذكرت مصادر محلية أن الغارات أدت إلى مقتل ثلاثة مدنيين من عائلة واحدة وتدمير عدد من المنازل.",
        "ولم يصدر التحالف أي تعليق على الغارات حتى الآن.",
    ]),
    "raqqa": ("انفجار سيارة مفخخة في مدينة الرقة", [
        ("انفجرت سيارة مفخخة قرب دوار النعيم وسط مدينة الرقة، ظهر الثلاثاء، ما أدى إلى مقتل أربعة أشخاص "
        "وإصابة عشرة آخرين."),
        "وقالت قوى الأمن الداخلي في الرقة إن التفجير استهدف تجمعا للمدنيين قرب سوق شعبي.",
        "ولم تتبن أي جهة التفجير حتى ساعة إعداد هذا التقرير.",
    ]),
    "mine": ("انفجار لغم أرضي في ريف دير الزور", [
        "قتل طفلان بانفجار لغم أرضي من مخلفات الحرب في قرية الباغوز بريف دير الزور الشرقي، الأربعاء.",
        "وقال الدفاع المدني إن الطفلين كانا يرعيان الأغنام قرب أطراف القرية عندما انفجر اللغم.",
        "وتنتشر الألغام بكثافة في المناطق التي انسحب منها تنظيم الدولة.",
    ]),
    "displaced": ("نزوح عائلات من هجين", [
        "نزحت عشرات العائلات من بلدة هجين باتجاه مخيمات ريف الحسكة، هربا من القصف المتواصل على البلدة.",
        "وقالت إحدى النازحات إن القصف لم يتوقف منذ أيام، وإن العائلات خرجت دون أن تحمل شيئا من أمتعتها.",
        "وتعاني المخيمات من نقص حاد في الخيام والمواد الغذائية مع اقتراب فصل الشتاء.",
    ]),
}


def page(name: str, *, meta_charset: str | None = "utf-8", chrome: str = "") -> str:
    title, paragraphs = ARTICLES[name]
    head = f'<meta charset="{meta_charset}">' if meta_charset else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="ar" dir="rtl"><head>{head}<title>{title}</title></head><body>'
            f'<nav><a href="/">الرئيسية</a> | <a href="/news">أخبار</a>{chrome}</nav>'
            f"<article><h1>{title}</h1>{body}</article><footer>جميع الحقوق محفوظة {chrome}</footer></body></html>")


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>عنب بلدي</title><link>{base}/</link>
<item><title>قصف مدفعي يستهدف بلدة هجين</title><link>{base}/articles/hajin.html</link>
  <pubDate>Mon, 05 Nov 2018 09:30:00 +0300</pubDate></item>
<item><title>مقتل مدنيين بقصف على هجين</title><link>/articles/hajin-1256.html</link>
  <pubDate>Sun, 04 Nov 2018 22:10:00 +0300</pubDate></item>
<item><title>اشتباكات في السوسة</title><link>{base}/go/susa</link><pubDate>Sat, 03 Nov 2018 20:00:00 +0300</pubDate></item>
<item><title>غارات على الشعفة</title><link>{base}/articles/shafa.html?utm_source=rss&amp;utm_medium=feed#comments</link>
  <pubDate>Mon, 05 Nov 2018 06:00:00 +0300</pubDate></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>دير الزور 24</title><id>urn:test:atom</id>
<updated>2018-11-06T10:00:00+03:00</updated>
<entry><title>انفجار في الرقة</title><id>urn:test:raqqa</id><link rel="alternate" href="{base}/articles/raqqa.html"/>
  <published>2018-11-06T13:15:00+03:00</published><updated>2018-11-06T14:00:00+03:00</updated></entry>
<entry><title>غارات على الشعفة (نسخة)</title><id>urn:test:shafa</id><link href="{base}/short/shafa"/>
  <updated>2018-11-05T09:00:00+03:00</updated></entry>
</feed>"""

FLAKY = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>شبكة محلية</title>
<item><title>لغم في الباغوز</title><link>{base}/articles/mine.html</link><pubDate>Wed, 07 Nov 2018 11:00:00 +0300</pubDate></item>
</channel></rss>"""

BROKEN = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>خلاصة معطوبة</title>
<item><title>عنوان بلا نهاية<link>{base}/articles/nowhere.html</link></item>
</rss>"""

# ----------------------------------------------------------------------------- the server

Route = Callable[["Hit"], tuple[int, dict[str, str], bytes]]


@dataclass
class Hit:
    """A request as the server saw it."""

    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival
    n: int  # how many times this path was asked, this one included
    status: int = 0


@dataclass
class Site:
    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self, since: int = 0) -> list[str]:
        return [h.path for h in self.hits[since:]]

    def of(self, path: str, since: int = 0) -> list[Hit]:
        return [h for h in self.hits[since:] if h.path == path]


class Handler(BaseHTTPRequestHandler):
    server: Any

    def do_GET(self) -> None:
        site: Site = self.server.site
        path = self.path.split("?", 1)[0]
        with site.lock:
            site.counts[path] += 1
            hit = Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic(), site.counts[path])
            site.hits.append(hit)
        route = site.routes.get(path)
        status, headers, body = route(hit) if route else (404, {"Content-Type": "text/plain"}, b"not found")
        hit.status = status
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (the timeout test)
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module", autouse=True)
def no_proxy_for_loopback() -> Iterator[None]:
    """A proxy set in the environment must not receive the requests meant for the local server."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("no_proxy", "NO_PROXY"):
            patch.setenv(name, ",".join(filter(None, [os.environ.get(name), "127.0.0.1", "localhost"])))
        yield


@pytest.fixture()
def make_site() -> Iterator[Callable[[], Site]]:
    servers: list[ThreadingHTTPServer] = []

    def start() -> Site:
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        site = Site(base=f"http://127.0.0.1:{server.server_address[1]}")
        server.site = site  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return site

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def html(text: str, charset: str | None = None, encoding: str = "utf-8") -> Route:
    content_type = f"text/html; charset={charset}" if charset else "text/html"
    return lambda hit: (200, {"Content-Type": content_type}, text.encode(encoding))


def with_etag(body: bytes, content_type: str, etag: str) -> Route:
    def route(hit: Hit) -> tuple[int, dict[str, str], bytes]:
        if hit.headers.get("if-none-match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"Content-Type": content_type, "ETag": etag}, body
    return route


def with_last_modified_gzip(body: bytes, content_type: str, stamp: str) -> Route:
    def route(hit: Hit) -> tuple[int, dict[str, str], bytes]:
        if hit.headers.get("if-modified-since") == stamp:
            return 304, {"Last-Modified": stamp}, b""
        headers = {"Content-Type": content_type, "Last-Modified": stamp}
        if "gzip" in hit.headers.get("accept-encoding", ""):
            return 200, {**headers, "Content-Encoding": "gzip"}, gzip.compress(body)
        return 200, headers, body
    return route


def redirect(status: int, target: str) -> Route:
    return lambda hit: (status, {"Location": target}, b"")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_news(site: Site, *, slow: float = 1.0) -> None:
    """The whole fixture site: feeds, pages, redirects and the misbehaving addresses."""
    base = site.base
    stamp = formatdate(1541491200, usegmt=True)
    mirror_chrome = ' | <a href="/about">من نحن</a> | <a href="/contact">اتصل بنا</a>'

    def slow_route(hit: Hit) -> tuple[int, dict[str, str], bytes]:
        time.sleep(slow)
        return 200, {"Content-Type": "application/rss+xml"}, RSS.format(base=base).encode()

    def flaky(hit: Hit) -> tuple[int, dict[str, str], bytes]:
        if hit.n == 1:
            return 500, {"Content-Type": "text/plain"}, b"internal error"
        return 200, {"Content-Type": "application/rss+xml; charset=utf-8"}, FLAKY.format(base=base).encode()

    site.routes.update({
        "/rss.xml": with_etag(RSS.format(base=base).encode(), "application/rss+xml; charset=utf-8", '"rss-v1"'),
        "/atom.xml": with_last_modified_gzip(ATOM.format(base=base).encode(), "application/atom+xml", stamp),
        "/broken.xml": lambda hit: (200, {"Content-Type": "application/rss+xml"}, BROKEN.format(base=base).encode()),
        "/flaky.xml": flaky,
        "/slow.xml": slow_route,
        "/articles/hajin.html": html(page("hajin")),  # UTF-8, declared by <meta charset>
        "/articles/hajin-1256.html": html(page("hajin2", meta_charset=None), "windows-1256", "cp1256"),
        "/go/susa": redirect(301, "/articles/susa.html"),
        "/articles/susa.html": html(page("susa")),
        "/articles/shafa.html": html(page("shafa")),
        "/short/shafa": redirect(302, f"{base}/mirror/shafa.html"),
        "/mirror/shafa.html": html(page("shafa", chrome=mirror_chrome)),  # same article, other page chrome
        "/articles/raqqa.html": html(page("raqqa")),
        # the header says UTF-8, the bytes are Windows-1256 (the meta tag is right): detected, with a warning
        "/articles/mine.html": html(page("mine", meta_charset="windows-1256"), "utf-8", "cp1256"),
        "/pages/displaced.html": html(page("displaced", meta_charset="windows-1256"), None, "cp1256"),
    })


def feeds_file(tmp_path: Path, site: Site, refused_port: int) -> Path:
    path = tmp_path / "FEEDS.txt"
    path.write_text(
        "# test feeds\n"
        f"{site.base}/rss.xml   source=Enab Baladi\n"
        f"{site.base}/atom.xml\n"
        "\n"
        f"{site.base}/broken.xml\n"
        f"{site.base}/flaky.xml  # fails once\n"
        f"{site.base}/slow.xml\n"
        f"http://127.0.0.1:{refused_port}/feed.xml\n"
        f"{site.base}/pages/displaced.html  kind=page source=الرقة تذبح بصمت\n",
        encoding="utf-8",
    )
    return path


HOST_INTERVAL = 0.1
TIMEOUT = 0.4
BACKOFF = 60.0


def options() -> WatchOptions:
    return WatchOptions(host_interval=HOST_INTERVAL, timeout=TIMEOUT, backoff=BACKOFF, max_backoff=3600)


# ----------------------------------------------------------------------------- the scenario

@dataclass
class Scenario:
    site: Site
    db: Path
    state_path: Path
    feeds: Path
    reports: list[Any]
    lines: list[list[str]]  # stderr lines per round
    marks: list[int]  # index into site.hits where each round started, then where round 3 ended
    docs: dict[str, Any]  # by final path


@dataclass
class Clock:
    now: float

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    """Three rounds: a first poll, an immediate second one, a third after the backoff expired."""
    tmp = tmp_path_factory.mktemp("watch")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site = Site(base=f"http://127.0.0.1:{server.server_address[1]}")
    server.site = site  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    serve_news(site)
    feeds = feeds_file(tmp, site, free_port())
    db, state_path = tmp / "news.db", tmp / "news.db.watch.sqlite"
    reports, lines, marks = [], [], []
    store = open_store(db)
    state = WatchState(state_path)
    try:
        current: list[str] = []
        # backoff is decided on this clock (real HTTP, real pacing): round 2 comes "at once", however
        # long round 1 took, and round 3 after the first backoff expired
        clock = Clock(time.time())
        watcher = Watcher(read_feed_list(feeds), store, state, options(), on_line=current.append, clock=clock)
        for number in range(3):
            clock.now += {0: 0, 1: BACKOFF / 10, 2: BACKOFF}[number]
            marks.append(len(site.hits))
            current.clear()
            reports.append(watcher.poll_round())
            lines.append(list(current))
        marks.append(len(site.hits))  # the end of round 3
        docs = {}
        for doc in store.iter_documents():
            docs[doc.meta.url.removeprefix(site.base)] = doc
    finally:
        state.close()
        store.close()
    yield Scenario(site, db, state_path, feeds, reports, lines, marks, docs)
    server.shutdown()
    server.server_close()


def test_articles_from_rss_and_atom_are_stored_with_their_arabic_text(scenario: Scenario) -> None:
    first = scenario.reports[0]
    assert first.errors == 4, scenario.lines[0]  # broken, flaky (500), slow (timeout), refused
    assert set(scenario.docs) == {
        "/articles/hajin.html", "/articles/hajin-1256.html", "/articles/susa.html", "/articles/shafa.html",
        "/articles/raqqa.html", "/pages/displaced.html", "/articles/mine.html",
    }
    for path, name in [("/articles/hajin.html", "hajin"), ("/articles/hajin-1256.html", "hajin2"),
                       ("/articles/susa.html", "susa"), ("/articles/raqqa.html", "raqqa"),
                       ("/pages/displaced.html", "displaced"), ("/articles/mine.html", "mine")]:
        text = scenario.docs[path].text
        for paragraph in ARTICLES[name][1]:
            assert paragraph in text, (path, text)
        assert "جميع الحقوق محفوظة" not in text  # the page chrome is not the article
    assert scenario.docs["/articles/hajin-1256.html"].meta.encoding == "windows-1256"
    assert scenario.docs["/pages/displaced.html"].meta.encoding == "windows-1256"
    assert scenario.docs["/articles/hajin.html"].meta.encoding == "utf-8"


def test_metadata_comes_from_the_feed_item_and_feeds_txt(scenario: Scenario) -> None:
    base = scenario.site.base
    hajin = scenario.docs["/articles/hajin.html"].meta
    assert hajin.source == "Enab Baladi"  # FEEDS.txt's source= beats the feed's title
    assert hajin.url == f"{base}/articles/hajin.html"
    assert hajin.published == date(2018, 11, 5)
    assert hajin.title == "قصف مدفعي يستهدف بلدة هجين"  # the feed item's title
    assert scenario.docs["/articles/hajin-1256.html"].meta.published == date(2018, 11, 4)  # its own time zone
    raqqa = scenario.docs["/articles/raqqa.html"].meta
    assert raqqa.source == "دير الزور 24"  # the Atom feed's title
    assert raqqa.published == date(2018, 11, 6)
    displaced = scenario.docs["/pages/displaced.html"].meta
    assert displaced.source == "الرقة تذبح بصمت"
    assert displaced.title == "نزوح عائلات من هجين"  # from the page itself
    doc_ids = [d.id for d in scenario.docs.values()]
    assert len(set(doc_ids)) == len(doc_ids) and all(i.startswith("127.0.0.1_") for i in doc_ids)


def test_redirects_are_followed_and_the_article_keeps_its_final_address(scenario: Scenario) -> None:
    paths = scenario.site.paths(scenario.marks[0])
    assert paths.index("/go/susa") < paths.index("/articles/susa.html")
    assert "/short/shafa" in paths and "/mirror/shafa.html" in paths
    assert scenario.docs["/articles/susa.html"].meta.url == f"{scenario.site.base}/articles/susa.html"


def test_the_same_article_at_two_addresses_is_stored_once(scenario: Scenario) -> None:
    shafa = [d for d in scenario.docs.values() if "الشعفة" in d.text]
    assert len(shafa) == 1
    assert shafa[0].meta.url.endswith("/articles/shafa.html")  # utm_* and the fragment are gone
    assert scenario.reports[0].duplicates == 1
    assert all("utm_" not in h.path for h in scenario.site.hits)


def test_pipeline_finds_the_events(scenario: Scenario) -> None:
    hajin = scenario.docs["/articles/hajin.html"]
    events = hajin.layer("events")
    assert events, "no event found in the Hajin report"
    assert any("Shelling" in (e.label or "") for e in events), [e.label for e in events]


def test_one_error_line_per_bad_feed_and_the_others_go_on(scenario: Scenario) -> None:
    base = scenario.site.base
    lines = scenario.lines[0]
    errors = [line for line in lines if line.startswith("error[")]
    assert len(errors) == 4, lines
    assert all("\n" not in line and "Traceback" not in line for line in lines)

    def line_for(fragment: str) -> str:
        found = [line for line in errors if fragment in line]
        assert len(found) == 1, (fragment, errors)
        return found[0]

    assert "malformed XML" in line_for(f"{base}/broken.xml")
    assert "HTTP 500" in line_for(f"{base}/flaky.xml")
    assert f"timed out after {TIMEOUT:g}s" in line_for(f"{base}/slow.xml")
    assert "connection refused" in line_for("/feed.xml")
    assert all("next try in" in line for line in errors)
    warnings = [line for line in scenario.lines[2] if line.startswith("warning")]
    assert len(warnings) == 1 and "/articles/mine.html" in warnings[0] and "utf-8" in warnings[0]


def test_failing_feeds_back_off(scenario: Scenario) -> None:
    site = scenario.site
    second, third = scenario.reports[1], scenario.reports[2]
    # round 2 came at once: the failing addresses were not asked again
    round2 = [h.path for h in site.hits[scenario.marks[1]:scenario.marks[2]]]
    assert not {"/flaky.xml", "/broken.xml", "/slow.xml"} & set(round2), round2
    assert second.waiting == 4 and second.errors == 0
    # round 3, after the backoff: the 500 feed works and its article is stored; the others fail again
    assert [h.status for h in site.hits[:scenario.marks[3]] if h.path == "/flaky.xml"] == [500, 200]
    assert third.stored == 1 and third.new_articles == 1
    assert third.errors == 3, scenario.lines[2]
    assert any("/broken.xml" in line and "next try in 2 min" in line for line in scenario.lines[2])


def test_conditional_requests_get_304(scenario: Scenario) -> None:
    site, mark = scenario.site, scenario.marks[1]
    rss = site.of("/rss.xml", mark)[0]
    assert rss.headers.get("if-none-match") == '"rss-v1"' and rss.status == 304
    atom = site.of("/atom.xml", mark)[0]
    assert atom.headers.get("if-modified-since") and atom.status == 304
    first = site.of("/rss.xml")[0]
    assert "if-none-match" not in first.headers
    assert first.headers["user-agent"].startswith("marsad/")
    second = scenario.reports[1]
    assert second.not_modified == 3  # rss, atom, and the page whose text did not change
    assert second.fetched == 0 and second.stored == 0 and second.new_articles == 0


def test_requests_to_one_host_are_spaced(scenario: Scenario) -> None:
    times = [h.at for h in scenario.site.hits[:scenario.marks[3]]]  # one watcher's requests
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(gaps) > 20
    assert min(gaps) >= HOST_INTERVAL, sorted(gaps)[:3]


def test_stories_are_built_after_each_round(scenario: Scenario) -> None:
    first = scenario.reports[0]
    assert first.stories is not None and first.stories.assigned == first.stored == 6
    assert scenario.reports[2].stories.assigned == 1
    with open_store(scenario.db) as store:
        stories = list_stories(store)
    members = [doc for story in stories for doc in story["documents"]]
    assert sorted(members) == sorted(d.id for d in scenario.docs.values())
    together = {scenario.docs["/articles/hajin.html"].id, scenario.docs["/articles/hajin-1256.html"].id}
    assert any(together <= set(story["documents"]) for story in stories), stories


def test_a_restart_fetches_and_stores_nothing_new(scenario: Scenario) -> None:
    site = scenario.site
    mark = len(site.hits)
    lines: list[str] = []
    with open_store(scenario.db) as store:
        before = store.count()
        state = WatchState(scenario.state_path)
        try:
            # 6 articles stored from feeds (+ /go/susa's final address); /short/shafa and its final address
            assert state.counts() == {"stored": 7, "duplicate": 2}
            report = Watcher(read_feed_list(scenario.feeds), store, state, options(),
                             on_line=lines.append).poll_round()
        finally:
            state.close()
        assert store.count() == before
    assert report.stored == 0 and report.fetched == 0 and report.new_articles == 0, lines
    asked = site.paths(mark)
    assert not [p for p in asked if p.startswith(("/articles/", "/go/", "/short/", "/mirror/"))], asked
    assert {h.status for h in site.of("/rss.xml", mark) + site.of("/atom.xml", mark)} == {304}


def test_a_second_watcher_on_the_same_state_is_refused(tmp_path: Path) -> None:
    state = WatchState(tmp_path / "s.sqlite")
    try:
        with pytest.raises(ConfigError, match="another marsad watch"):
            WatchState(tmp_path / "s.sqlite")
    finally:
        state.close()
    WatchState(tmp_path / "s.sqlite").close()  # free again


def test_a_failing_host_is_spared_and_its_articles_given_up(make_site: Callable[[], Site], tmp_path: Path) -> None:
    site = make_site()
    items = "".join(f"<item><title>{n}</title><link>/a{n}</link></item>" for n in (1, 2, 3))
    site.routes["/feed.xml"] = lambda hit: (200, {"Content-Type": "application/rss+xml"},
                                            f"<rss><channel><title>t</title>{items}</channel></rss>".encode())
    for n in (1, 2, 3):
        site.routes[f"/a{n}"] = lambda hit: (503, {"Content-Type": "text/plain"}, b"overloaded")
    feeds = tmp_path / "FEEDS.txt"
    feeds.write_text(f"{site.base}/feed.xml\n", encoding="utf-8")
    clock = Clock(time.time())
    lines: list[str] = []
    with open_store(":memory:") as store:
        state = WatchState(":memory:")
        try:
            watcher = Watcher(read_feed_list(feeds), store, state, WatchOptions(
                host_interval=0, timeout=2, backoff=10, max_attempts=2), on_line=lines.append, clock=clock)
            first = watcher.poll_round()
            assert (first.new_articles, first.fetched, first.deferred, first.errors) == (3, 1, 2, 1), lines
            assert [h.path for h in site.hits] == ["/feed.xml", "/a1"]  # one failure spares the host the rest
            assert "HTTP 503" in lines[0] and "next try in 10s" in lines[0]
            clock.now += 11
            second = watcher.poll_round()
            assert len(lines) == 2 and "giving up after 2 attempts" in lines[-1], lines
            assert "2 left for a later round (host failing)" in second.summary()
            assert second.fetched == 1 and state.counts() == {"failed": 1, "pending": 2}
        finally:
            state.close()


# ----------------------------------------------------------------------------- the pieces

def test_feed_list_lines() -> None:
    entries = parse_feed_list(
        "\ufeff# comment\n\nhttps://Example.org/feed.xml   source=Enab Baladi kind=feed\n"
        "http://example.org/a.html?utm_campaign=x#top kind=page # note\n", "FEEDS.txt")
    assert [(e.url, e.line, e.source, e.kind) for e in entries] == [
        ("https://example.org/feed.xml", 3, "Enab Baladi", "feed"),
        ("http://example.org/a.html", 4, None, "page"),
    ]


@pytest.mark.parametrize("text, line, message", [
    ("https://a.org/f.xml\nftp://a.org/f.xml\n", 2, "not an http:// or https:// address"),
    ("# only\nexample.org/feed\n", 2, "not an http:// or https:// address"),
    ("https://a.org/f.xml colour=red\n", 1, "unknown setting 'colour'"),
    ("https://a.org/f.xml kind=podcast\n", 1, "kind must be one of"),
    ("https://a.org/f.xml source=\n", 1, "has no value"),
    ("https://a.org/f.xml Enab\n", 1, "expected settings as key=value"),
    ("https://a.org/f.xml\n\nhttps://a.org/f.xml#x\n", 3, "listed twice (first on line 1)"),
    ("# nothing\n\n", None, "lists no feeds"),
])
def test_feed_list_errors_name_the_line(text: str, line: int | None, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_feed_list(text, "FEEDS.txt")
    one_line = caught.value.one_line()
    assert message in one_line and "\n" not in one_line
    assert f"FEEDS.txt:{line}: " in one_line if line else "FEEDS.txt: " in one_line


def test_canonical_urls() -> None:
    assert canonical_url("HTTP://News.Example.ORG:80/ar/خبر?id=7&utm_source=rss&fbclid=x#c") == \
        "http://news.example.org/ar/%D8%AE%D8%A8%D8%B1?id=7"
    assert canonical_url("https://news.example.org/ar/%d8%ae%d8%a8%d8%b1?id=7") == \
        "https://news.example.org/ar/%D8%AE%D8%A8%D8%B1?id=7"
    assert canonical_url("item.html", base="https://x.org/news/") == "https://x.org/news/item.html"
    with pytest.raises(ValueError):
        canonical_url("javascript:alert(1)")


def test_feeds_with_a_doctype_are_refused() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<rss><channel><title>&b;</title></channel></rss>")
    with pytest.raises(FeedError, match="DOCTYPE"):
        parse_feed(bomb, "http://x.org/feed")
    with pytest.raises(FeedError, match="serves an HTML page"):
        parse_feed(b"<html><body>not a feed</body></html>", "http://x.org/feed")


def test_rss_1_and_atom_details() -> None:
    rdf = ('<?xml version="1.0" encoding="windows-1256"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>خلاصة</title>'
           "</channel><item><title>خبر</title><link>http://x.org/1</link><dc:date>2018-11-05T09:00:00+03:00</dc:date>"
           "</item><item><title>بلا رابط</title></item></rdf:RDF>").encode("cp1256")
    feed = parse_feed(rdf, "http://x.org/rdf")
    assert feed.title == "خلاصة" and feed.skipped == 1
    assert [(i.url, i.title, i.published) for i in feed.items] == [("http://x.org/1", "خبر", date(2018, 11, 5))]
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://x.org/news/"><title>t</title>'
            b'<entry><title>e</title><link rel="self" href="/self"/><link rel="alternate" href="e.html"/>'
            b"<updated>16 \xd9\x86\xd9\x88\xd9\x81\xd9\x85\xd8\xa8\xd8\xb1</updated></entry></feed>")
    item = parse_feed(atom, "http://x.org/atom").items[0]
    assert item.url == "http://x.org/news/e.html" and item.published is None
    assert item.published_raw == "16 نوفمبر"  # kept as written, not guessed


def test_fetcher_limits(make_site: Callable[[], Site]) -> None:
    site = make_site()
    site.routes["/big"] = lambda hit: (200, {"Content-Type": "text/html"}, b"x" * 5000)
    site.routes["/bomb"] = lambda hit: (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                                        gzip.compress(b"x" * 200_000))
    site.routes["/loop"] = redirect(302, "/loop2")
    site.routes["/loop2"] = redirect(302, "/loop")
    site.routes["/gone"] = lambda hit: (503, {"Retry-After": "120"}, b"busy")
    fetcher = Fetcher(timeout=2, host_interval=0, max_bytes=1000)
    with pytest.raises(InputTooLarge, match="over the limit of 1,000"):
        fetcher.fetch(f"{site.base}/big")
    with pytest.raises(InputTooLarge):
        fetcher.fetch(f"{site.base}/bomb")  # decompressed size counts
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher.fetch(f"{site.base}/loop")
    with pytest.raises(FetchError, match="HTTP 503") as caught:
        fetcher.fetch(f"{site.base}/gone")
    assert caught.value.retry_after == 120
    assert backoff_delay(1, 60, 3600, caught.value.retry_after) == 120
    assert [backoff_delay(n, 60, 3600) for n in (1, 2, 3, 7, 8)] == [60, 120, 240, 3600, 3600]


# ----------------------------------------------------------------------------- the command

def marsad(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "marsad", *args], check=False, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_cli_watch_once_twice(make_site: Callable[[], Site], tmp_path: Path) -> None:
    site = make_site()
    serve_news(site)
    feeds = tmp_path / "FEEDS.txt"
    feeds.write_text(f"{site.base}/rss.xml source=Enab Baladi\n{site.base}/atom.xml\n", encoding="utf-8")
    args = ["watch", str(feeds), "--once", "--db", str(tmp_path / "cli.db"), "--host-interval", "0.05"]
    first = marsad(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    assert ("watch round 1: polled 2 feeds and pages; 6 new articles, 6 fetched, 5 stored, 1 duplicate; 0 errors; "
            "stories: 5 documents assigned") in first.stderr
    assert (tmp_path / "cli.db.watch.sqlite").is_file()
    second = marsad(*args, cwd=tmp_path)
    assert second.returncode == 0 and "Traceback" not in second.stderr, second.stderr
    assert ("watch round 1: polled 2 feeds and pages (2 not modified); 0 new articles, 0 fetched, 0 stored; "
            "0 errors (") in second.stderr
    stories = marsad("stories", "--db", str(tmp_path / "cli.db"), "--format", "json", cwd=tmp_path)
    assert stories.returncode == 0 and '"documents"' in stories.stdout


def test_cli_bad_feeds_file(tmp_path: Path) -> None:
    feeds = tmp_path / "FEEDS.txt"
    feeds.write_text("https://example.org/feed.xml\nnot a url\n", encoding="utf-8")
    result = marsad("watch", str(feeds), "--once", "--db", str(tmp_path / "x.db"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error[E300] ") and f"{feeds}:2: " in result.stderr
    assert not (tmp_path / "x.db").exists()  # nothing opened before the list is right
    missing = marsad("watch", str(tmp_path / "nope.txt"), "--once", cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "no such file" in missing.stderr


def test_cli_watch_loop_stops_cleanly_on_sigterm(make_site: Callable[[], Site], tmp_path: Path) -> None:
    site = make_site()
    serve_news(site)
    feeds = tmp_path / "FEEDS.txt"
    feeds.write_text(f"{site.base}/rss.xml\n", encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "watch", str(feeds), "--db", str(tmp_path / "loop.db"),
                             "--interval", "0.5", "--host-interval", "0.05"], cwd=tmp_path, env=env,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        seen = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            seen.append(line)
            if line.startswith("watch round 2:"):
                break
        assert any(line.startswith("watch round 2:") for line in seen), seen
        proc.send_signal(signal.SIGTERM)
        rest = proc.communicate(timeout=30)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, rest
    assert "Traceback" not in "".join(seen) + rest
    assert "interrupted after" in rest and "state saved in" in rest
    assert site.of("/rss.xml")[1].status == 304
