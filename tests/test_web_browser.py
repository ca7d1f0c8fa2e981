"""End to end in a real browser: Debian's headless Chromium driven by Playwright.

The seeds (and a few dated reports, and one malicious document) are loaded into a fresh store;
``marsad serve``'s app runs on a free loopback port; the tests use the pages as an analyst
would. Every page is saved as a screenshot under ``artifacts/screenshots/`` (or
``$MARSAD_ARTIFACTS``). Without Chromium these tests skip, except where ``MARSAD_REQUIRE_BROWSER``
is set (CI sets it): there a missing browser fails the run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

import marsad
from marsad.io.demo import demo_paths
from marsad.pipeline import default_pipeline
from marsad.store import open_store

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]
SECOND = "003_eb6b299938bd81e9"
SHOTS = Path(os.environ.get("MARSAD_ARTIFACTS") or Path(__file__).resolve().parents[1] / "artifacts") / "screenshots"
# Dated reports, so the timeline has days to show (written for these tests).
DATED = [
    ("dated-1", "2018-11-05", "Outlet A", "قتل 5 مدنيين في قصف جوي للتحالف على بلدة هجين في ريف دير الزور الشرقي."),
    ("dated-2", "2018-11-06", "Outlet B", "اندلعت اشتباكات عنيفة بين قوات سوريا الديمقراطية وتنظيم داعش في بلدة السوسة."),
    ("dated-3", "2018-11-09", "Outlet A", "انفجر لغم أرضي في بلدة الباغوز ما أدى إلى مقتل 3 مدنيين."),
]
EVIL = ("قتل 5 مدنيين في قصف على بلدة هجين. <script>window.__pwned = 1</script> "
        "<img src=x onerror=\"window.__pwned = 2\"> <a href=\"javascript:window.__pwned = 3\">اضغط هنا</a> "
        "<svg onload=\"window.__pwned = 4\"></svg>")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from marsad.web.app import create_app

    db = tmp_path_factory.mktemp("web") / "browser.db"
    signature = default_pipeline().signature
    with open_store(db) as store:
        for p in demo_paths():
            store.save(marsad.extract(p.read_text(encoding="utf-8"), id=p.stem), signature)
        for doc_id, day, source, text in DATED:
            store.save(marsad.extract(text, id=doc_id, published=day, source=source), signature)
        store.save(marsad.extract(EVIL, id="evil", source="Evil Outlet", published="2018-11-07"), signature)
    port = _free_port()
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning", access_log=False)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the web app did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM:
        if os.environ.get("MARSAD_REQUIRE_BROWSER"):
            pytest.fail("Chromium is not installed (apt-get install chromium); MARSAD_REQUIRE_BROWSER is set")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)  # type: ignore[attr-defined]
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()


def shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_map_shows_hajin_and_deir_ez_zor_and_filters_by_type(page, server: str) -> None:
    page.goto(server + "/")
    hajin = page.locator('a.marker[data-location="Hajīn"]')
    assert hajin.count() >= 1
    assert page.locator('a.marker[data-location*="Deir ez-Zor"]').count() >= 1
    assert page.locator("#map path.country[data-country=SY]").count() == 1  # borders drawn
    assert "Hajīn" in (hajin.first.get_attribute("aria-label") or "")
    assert page.locator("#timeline a.bar").count() >= 3  # 5, 6 and 9 November at least
    assert not page.errors, page.errors
    shot(page, "01-map")

    total = int(page.locator("#event-count").inner_text())
    page.get_by_role("checkbox", name="Violence against civilians").check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**event_type=Violence+against+civilians**")
    types = {m.get_attribute("data-event-type") for m in page.locator("a.marker").all()}
    assert types == {"Violence against civilians"}
    assert 0 < int(page.locator("#event-count").inner_text()) < total
    shot(page, "02-map-filtered")

    # the filtered view is a URL: opening it fresh shows the same thing
    url = page.url
    page.goto(url)
    assert {m.get_attribute("data-event-type") for m in page.locator("a.marker").all()} == {
        "Violence against civilians"}
    # a timeline bar narrows the dates
    page.goto(server + "/")
    page.locator('#timeline a.bar[data-start="2018-11-06"]').click()
    page.wait_for_url("**date_from=2018-11-06**")
    assert page.locator("#event-count").inner_text() == "1"


def test_table_sorts_pages_and_downloads_what_it_shows(page, server: str) -> None:
    page.goto(server + "/events?event_type=Battles")
    rows = page.locator("#events tbody tr")
    assert rows.count() >= 3
    assert all("Battles" in r.inner_text() for r in rows.all())
    page.get_by_role("link", name="Killed").click()
    page.wait_for_url("**sort=fatalities**")
    first = page.locator("#events tbody tr").first
    assert first.locator("td.num").inner_text().startswith("20")  # the ambush
    shot(page, "03-events-table")
    with page.expect_download() as info:
        page.locator("#download-csv").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    rows_csv = list(csv.DictReader(io.StringIO(text)))
    assert rows_csv and {r["event_type"] for r in rows_csv} == {"Battles"}
    assert len(rows_csv) == int(page.locator("#event-count").inner_text())
    assert rows_csv[0]["fatalities"] == "20"  # same order as the table
    page.goto(server + "/events?per_page=5")
    page.get_by_role("link", name="next →").click()
    page.wait_for_url("**page=2**")
    assert page.locator("#events tbody tr").count() >= 1


def test_reader_highlights_the_ambush_and_its_fatality_figure(page, server: str) -> None:
    page.goto(f"{server}/documents/{SECOND}")
    text = page.locator("#doc-text")
    assert text.get_attribute("dir") == "rtl"
    ambush = page.locator("mark.hl-trigger", has_text="كمين")
    assert ambush.count() == 1
    ambush.hover()
    tip = page.locator("#tip")
    tip.wait_for(state="visible")
    assert "Armed clash" in tip.inner_text() and "20" in tip.inner_text()
    assert "events.events@" in tip.inner_text()  # the component that produced it
    figure = page.locator("mark.hl-number", has_text="العشرون")
    assert figure.count() == 1
    figure.focus()  # keyboard users get the same
    tip.wait_for(state="visible")
    assert "20" in tip.inner_text() and "killed" in tip.inner_text()
    place = page.locator("mark.hl-place", has_text="هجين").first
    place.hover()
    assert "174506" in tip.inner_text()  # the GeoNames entry behind it
    shot(page, "04-reader")
    # layers can be switched off
    page.locator('input[data-layer="place"]').uncheck()
    assert "off-place" in (text.get_attribute("class") or "")
    assert not page.errors, page.errors


def test_story_comparison_links_into_the_reader(page, server: str) -> None:
    page.goto(server + "/stories")
    page.locator("#stories tbody a").first.click()
    page.wait_for_url("**/stories/st-**")
    assert page.get_by_role("heading", name="What the outlets agree on").count() == 1
    columns = page.locator(".side-by-side .column")
    assert columns.count() >= 2
    assert page.get_by_text("confirmed by 2 sources").count() >= 1
    shot(page, "05-story")
    page.locator("a.evidence").first.click()
    page.wait_for_url("**/documents/**focus=**")
    assert page.locator("mark#focus").count() == 1
    assert page.locator("mark#focus").is_visible()


def test_correcting_an_event_shows_in_the_csv_export(page, server: str) -> None:
    page.goto(f"{server}/documents/{SECOND}")
    page.locator("mark.hl-trigger", has_text="كمين").hover()
    link = page.locator("#tip a", has_text="review this event")
    href = link.get_attribute("href")
    page.goto(server + href)
    assert page.locator("#review-status").inner_text() == "unreviewed"
    assert page.locator("#f-fatalities").input_value() == "20"
    page.locator("#f-fatalities").fill("25")
    page.locator("#f-reviewer").fill("Lina")
    page.locator("#f-note").fill("AFP counts 25")
    page.locator("#save-correction").click()
    page.wait_for_url("**saved=1**")
    assert page.locator("#review-status").inner_text() == "corrected"
    assert "fatalities → 25" in page.locator(".history").inner_text()
    shot(page, "06-review")

    page.goto(server + f"/events?document={SECOND}&review=corrected")
    assert page.locator("#events tbody tr").count() == 1
    with page.expect_download() as info:
        page.locator("#download-csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["fatalities"] == "25" and row["marsad_review_status"] == "corrected"
    assert row["marsad_reviewer"] == "Lina" and row["marsad_review_note"] == "AFP counts 25"
    assert json.loads(row["marsad_machine_values"]) == {"fatalities": 20}


def test_a_malicious_document_runs_no_script(page, server: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(server + "/documents/evil")
    assert page.evaluate("window.__pwned") is None
    text = page.locator("#doc-text")
    assert "<script>window.__pwned" in text.inner_text()  # shown as the words it is
    assert text.locator("script, img, svg, a").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert page.evaluate("document.scripts.length") == 1
    # hovering and focusing everything still runs nothing
    for mark in text.locator("mark").all()[:10]:
        mark.hover()
    assert page.evaluate("window.__pwned") is None
    assert not dialogs and not violations, (dialogs, violations)
    # the same document in the table and the map
    page.goto(server + "/events?source=Evil+Outlet")
    assert page.evaluate("window.__pwned") is None
    shot(page, "07-malicious-document")
