"""The web app's library side and HTTP behaviour, without a browser (see test_web_browser.py for that).

Event records and reviews in a real SQLite store; filters; exports with reviewed values; the
OpenAPI document; safety (escaping, CSP, tokens, cross-site writes); 400s for bad parameters.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import marsad
from marsad.errors import QueryError, ReviewError
from marsad.io.demo import demo_paths
from marsad.query import EventQuery
from marsad.review import apply_review, make_review
from marsad.store import open_store
from marsad.web.app import CSP, check_bind, create_app, is_loopback
from marsad.web.reader import Highlight, render_text

SECOND = "003_eb6b299938bd81e9"  # the article with the ambush
MALICIOUS = ("قتل 5 مدنيين في قصف على بلدة هجين. <script>window.__pwned = 1</script> "
             "<img src=x onerror=\"window.__pwned = 2\"> <a href=\"javascript:window.__pwned = 3\">اضغط</a>")


@pytest.fixture(scope="module")
def seed_docs() -> list[marsad.Document]:
    return [marsad.extract(p.read_text(encoding="utf-8"), id=p.stem) for p in demo_paths()]


@pytest.fixture()
def store_path(tmp_path: Path, seed_docs: list[marsad.Document]) -> Path:
    from marsad.pipeline import default_pipeline

    path = tmp_path / "web.db"
    signature = default_pipeline().signature
    with open_store(path) as store:
        for doc in seed_docs:
            store.save(doc, signature)
        store.save(marsad.extract(MALICIOUS, id="evil", source="Evil Outlet", published="2018-11-05"), signature)
    return path


@pytest.fixture()
def client(store_path: Path) -> TestClient:
    with TestClient(create_app(store_path)) as c:
        yield c


def ambush_number(store_path: Path) -> int:
    """The 1-based number of the ambush event (an armed clash with fatalities) in the second seed."""
    with open_store(store_path) as store:
        doc = store.get(SECOND)
    return next(n for n, a in enumerate(doc.layer("events"), 1) if "كمين" in a.data["trigger"]["text"])


# -- store: records and reviews -----------------------------------------------------------------------
def test_every_event_gets_a_record(store_path: Path) -> None:
    with open_store(store_path) as store:
        events = sum(len(d.layer("events")) for d in store.iter_documents())
        rows, total = store.query_events(EventQuery(review="all", per_page=500))
    assert total == events == len(rows) > 0
    assert {r["document_id"] for r in rows} == {"000_0f9739a393283256", SECOND, "evil"}
    assert all(r["review_status"] == "unreviewed" for r in rows)


def test_filters_select_what_they_say(store_path: Path) -> None:
    with open_store(store_path) as store:
        battles, n_battles = store.query_events(EventQuery(event_type=("Battles",), per_page=500))
        assert n_battles and all(r["event_type"] == "Battles" for r in battles)
        hajin, _ = store.query_events(EventQuery(location="Hajīn", per_page=500))
        assert hajin and all(r["location"] == "Hajīn" for r in hajin)
        isis, _ = store.query_events(EventQuery(actor="is", per_page=500))
        assert isis and all("Islamic State" in (r["actor1"] or "") + (r["actor2"] or "") for r in isis)
        dated, _ = store.query_events(EventQuery(date_from="2018-11-01", date_to="2018-11-30", per_page=500))
        assert {r["document_id"] for r in dated} == {"evil"}
        outlet, _ = store.query_events(EventQuery(source="Evil Outlet"))
        assert {r["document_id"] for r in outlet} == {"evil"}
        most, _ = store.query_events(EventQuery(sort="fatalities", order="desc", per_page=1))
        assert most[0]["fatalities"] == 20  # the ambush: "more than twenty fighters"
        page2, total = store.query_events(EventQuery(per_page=3, page=2, sort="document", order="asc"))
        page1, _ = store.query_events(EventQuery(per_page=3, page=1, sort="document", order="asc"))
        assert len(page2) == 3 and not {r["event_id"] for r in page1} & {r["event_id"] for r in page2}


def test_a_review_is_kept_beside_the_machine_and_survives_re_extraction(store_path: Path,
                                                                        seed_docs: list[marsad.Document]) -> None:
    n = ambush_number(store_path)
    with open_store(store_path) as store:
        detail = store.event_detail(SECOND, n - 1)
        assert detail["machine"]["fatalities"] == 20 and detail["reviews"] == []
        review = make_review(detail["machine"], "correct", {"fatalities": "25", "actor1": "Islamic State (ISIS)"},
                             reviewer="Lina", note="AFP counts 25")
        assert review.changes == {"fatalities": 25}  # the unchanged actor is not a correction
        store.add_review(SECOND, n - 1, review)
        after = store.event_detail(SECOND, n - 1)
        assert after["machine"]["fatalities"] == 20  # never overwritten
        assert after["reviewed"]["fatalities"] == 25
        assert after["reviewed"]["marsad_review_status"] == "corrected"
        assert after["reviewed"]["marsad_reviewer"] == "Lina"
        assert json.loads(after["reviewed"]["marsad_machine_values"]) == {"fatalities": 20}
        # re-extracting the document (same events) keeps the review applied
        from marsad.pipeline import default_pipeline

        store.save(seed_docs[1], default_pipeline().signature)
        again = store.event_detail(SECOND, n - 1)
        assert again["reviewed"]["fatalities"] == 25 and len(again["reviews"]) == 1
        # a later review replaces the earlier one; both stay in the history
        store.add_review(SECOND, n - 1, make_review(again["machine"], "reject", reviewer="Omar"))
        final = store.event_detail(SECOND, n - 1)
        assert final["reviewed"]["marsad_review_status"] == "rejected"
        assert [r["applied"] for r in final["reviews"]] == [False, True]
        active, _ = store.query_events(EventQuery(document=SECOND, per_page=500))
        rejected, _ = store.query_events(EventQuery(document=SECOND, review="rejected"))
    assert f"{SECOND}-{n}" not in {r["event_id"] for r in active}
    assert [r["event_id"] for r in rejected] == [f"{SECOND}-{n}"]


@pytest.mark.parametrize("values, message", [
    ({"fatalities": "-1"}, "between 0"),
    ({"fatalities": "twenty"}, "whole number"),
    ({"event_date": "2018-13-40"}, "YYYY-MM-DD"),
    ({"latitude": "95"}, "between -90"),
    ({"country": "Syria"}, "alpha-2"),
    ({"event_type": "Massacre"}, "not an ACLED event type"),
    ({"event_type": "Protests"}, "needs a sub-event type"),
    ({"colour": "red"}, "cannot be reviewed"),
    ({"actor1": "   "}, "cannot be empty"),
])
def test_bad_corrections_are_refused_with_a_reason(values: dict[str, str], message: str) -> None:
    machine = {"event_type": "Battles", "sub_event_type": "Armed clash", "fatalities": 3, "latitude": 34.7,
               "longitude": 40.8, "actor1": "X"}
    with pytest.raises(ReviewError, match=message):
        make_review(machine, "correct", values, reviewer="Lina")


def test_a_sub_event_type_correction_brings_its_event_type() -> None:
    machine = {"event_type": "Battles", "sub_event_type": "Armed clash"}
    review = make_review(machine, "correct", {"sub_event_type": "Air/drone strike"}, reviewer="Lina")
    row = apply_review(machine, review)
    assert row["event_type"] == "Explosions/Remote violence" and row["disorder_type"] == "Political violence"
    with pytest.raises(ReviewError, match="reviewer"):
        make_review(machine, "confirm", reviewer="")


def test_an_old_store_is_migrated_and_its_records_filled(tmp_path: Path, seed_docs: list[marsad.Document],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from old_stores import make_old_store

    from marsad.pipeline import default_pipeline
    from marsad.store.schema import LATEST_VERSION

    path = tmp_path / "old.db"  # a version-2 store, as an older marsad left it: no event tables
    make_old_store(path, seed_docs[1:], 2, default_pipeline().signature, monkeypatch)
    with open_store(path) as store:
        assert store.schema_version() == LATEST_VERSION
        _, total = store.query_events(EventQuery(review="all"))
    assert total == len(seed_docs[1].layer("events"))


def test_query_parameters_are_checked() -> None:
    assert EventQuery.from_params({}) == EventQuery()
    q = EventQuery.from_params({"event_type": "Battles,Riots", "country": "sy", "page": "2"})
    assert q.event_type == ("Battles", "Riots") and q.country == "SY" and q.page == 2
    assert EventQuery.from_params(dict(q.to_params())) == EventQuery(event_type=("Riots",), country="SY", page=2) \
        or EventQuery.from_params({"event_type": "Battles,Riots", "country": "SY", "page": "2"}) == q
    for bad, message in [({"date_from": "yesterday"}, "YYYY-MM-DD"), ({"page": "0"}, "between 1"),
                         ({"per_page": "100000"}, "between 1 and 500"), ({"sort": "colour"}, "sort"),
                         ({"event_type": "Massacres"}, "event type"), ({"country": "Syria"}, "alpha-2"),
                         ({"date_from": "2018-12-01", "date_to": "2018-11-01"}, "after"),
                         ({"review": "maybe"}, "review")]:
        with pytest.raises(QueryError, match=message):
            EventQuery.from_params(bad)


# -- HTTP -------------------------------------------------------------------------------------------------
def test_pages_answer_and_carry_the_security_headers(client: TestClient) -> None:
    for url in ["/", "/events", "/events?sort=fatalities&order=asc", f"/documents/{SECOND}", "/stories",
                f"/events/{SECOND}/1", "/api/events", "/api/facets", "/api/markers", "/api/timeline", "/openapi.json"]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.text[:300])
        assert r.headers["content-security-policy"] == CSP
        assert r.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP


@pytest.mark.parametrize("url, words", [
    ("/?date_from=yesterday", "YYYY-MM-DD"),
    ("/events?page=zero", "whole number"),
    ("/api/events?per_page=100000", "between 1 and 500"),
    ("/api/events?sort=colour", "sort"),
    ("/api/events?event_type=Massacres", "event type"),
    ("/api/events.csv?country=Syria", "alpha-2"),
    ("/documents/000_0f9739a393283256?focus=9-x", "focus"),
    ("/events/000_0f9739a393283256/0", "numbered from 1"),
    ("/events/000_0f9739a393283256/abc", "n"),
])
def test_bad_parameters_get_a_400_with_a_clear_message(client: TestClient, url: str, words: str) -> None:
    r = client.get(url)
    assert r.status_code == 400, r.text[:300]
    assert words in r.text
    api = client.get(url, headers={"accept": "application/json"})
    assert api.status_code == 400 and words in api.json()["error"]["message"]


def test_unknown_things_are_404(client: TestClient) -> None:
    assert client.get("/documents/no-such-document").status_code == 404
    assert client.get("/stories/st-nothing").status_code == 404
    assert client.get("/events/000_0f9739a393283256/999").status_code == 404
    assert client.get("/api/events/no-such/1").json()["error"]["code"] == "E201"


def test_openapi_describes_the_json_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in ["/api/events", "/api/events.csv", "/api/events.geojson", "/api/events.jsonl", "/api/markers",
                 "/api/timeline", "/api/facets", "/api/events/{document}/{n}", "/api/events/{document}/{n}/review",
                 "/api/documents/{ref}", "/api/stories", "/api/stories/{story_id}"]:
        assert path in paths, path
    params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert {"date_from", "date_to", "event_type", "actor", "country", "admin1", "source", "story", "review", "sort",
            "page", "per_page"} <= params
    assert not any(p.startswith("/events") or p == "/" for p in paths)  # pages are not the API


def test_review_through_the_api_shows_in_every_export(client: TestClient, store_path: Path) -> None:
    n = ambush_number(store_path)
    r = client.post(f"/api/events/{SECOND}/{n}/review",
                    json={"action": "correct", "reviewer": "Lina", "values": {"fatalities": 25}, "note": "AFP: 25"})
    assert r.status_code == 200, r.text
    assert r.json()["reviewed"]["fatalities"] == 25
    bad = client.post(f"/api/events/{SECOND}/{n}/review", json={"action": "correct", "reviewer": "Lina",
                                                                "values": {"fatalities": -3}})
    assert bad.status_code == 400 and "fatalities" in bad.json()["error"]["message"]
    missing = client.post(f"/api/events/{SECOND}/{n}/review", json={"action": "correct"})
    assert missing.status_code == 400 and "reviewer" in missing.json()["error"]["message"]

    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/events.csv?document={SECOND}").text)))
    row = next(r for r in rows if r["event_id_cnty"] == f"{SECOND}-{n}")
    assert row["fatalities"] == "25" and row["marsad_review_status"] == "corrected"
    assert row["marsad_reviewer"] == "Lina" and json.loads(row["marsad_machine_values"]) == {"fatalities": 20}
    lines = [json.loads(x) for x in client.get(f"/api/events.jsonl?document={SECOND}").text.splitlines()]
    assert next(x for x in lines if x["event_id_cnty"] == f"{SECOND}-{n}")["fatalities"] == 25
    geo = client.get(f"/api/events.geojson?document={SECOND}").json()
    assert next(f for f in geo["features"] if f["id"] == f"{SECOND}-{n}")["properties"]["fatalities"] == 25
    # the filtered download holds exactly the filtered events
    battles = list(csv.DictReader(io.StringIO(client.get("/api/events.csv?event_type=Battles").text)))
    assert battles and {r["event_type"] for r in battles} == {"Battles"}
    assert len(battles) == client.get("/api/events?event_type=Battles").json()["total"]


def test_the_review_form_saves_and_redirects(client: TestClient, store_path: Path) -> None:
    n = ambush_number(store_path)
    page = client.get(f"/events/{SECOND}/{n}")
    assert 'name="fatalities"' in page.text and 'value="20"' in page.text
    r = client.post(f"/events/{SECOND}/{n}", data={"action": "correct", "fatalities": "22", "reviewer": "Omar",
                                                    "event_type": "Battles", "sub_event_type": "Armed clash",
                                                    "event_date": "", "note": ""}, follow_redirects=False)
    assert r.status_code == 303, r.text[:400]
    shown = client.get(r.headers["location"])
    assert "corrected" in shown.text and "Omar" in shown.text and "fatalities → 22" in shown.text
    refused = client.post(f"/events/{SECOND}/{n}", data={"action": "correct", "fatalities": "many", "reviewer": "Omar",
                                                          "note": "typo"})
    assert refused.status_code == 400
    assert "Not saved: fatalities must be a whole number" in refused.text
    assert 'value="many"' in refused.text and 'value="typo"' in refused.text  # what was typed stays
    with open_store(store_path) as store:
        assert len(store.event_detail(SECOND, n - 1)["reviews"]) == 1


def test_cross_site_writes_are_refused(client: TestClient, store_path: Path) -> None:
    n = ambush_number(store_path)
    r = client.post(f"/events/{SECOND}/{n}", data={"action": "reject", "reviewer": "mallory"},
                    headers={"origin": "https://evil.example", "sec-fetch-site": "cross-site"})
    assert r.status_code == 403
    with open_store(store_path) as store:
        assert store.event_detail(SECOND, n - 1)["reviews"] == []


def test_article_text_is_rendered_inert(client: TestClient) -> None:
    html = client.get("/documents/evil").text
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned = " in html and "&lt;/script&gt;" in html  # shown, as text
    assert 'href="javascript:' not in html
    assert html.count("<script") == 1  # marsad's own, from /static


def test_render_text_nests_crossing_highlights_and_escapes() -> None:
    text = "<b>abcdef</b>"
    spans = [Highlight("h1", "actor", 3, 7, text[3:7], "x"), Highlight("h2", "place", 5, 9, text[5:9], "y")]
    html = str(render_text(text, spans))
    assert html.startswith("&lt;b&gt;")
    assert html.count("<mark") == html.count("</mark>") == 3  # h2 is split where h1 closes
    assert html.count('data-hl="h2"') == 2 and html.count('tabindex="0"') == 2
    stripped = html
    for tag in ("</mark>",):
        stripped = stripped.replace(tag, "")
    import re

    assert re.sub(r"<mark[^>]*>", "", stripped) == "&lt;b&gt;abcdef&lt;/b&gt;"


def test_access_token(store_path: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    from marsad.errors import ConfigError

    with pytest.raises(ConfigError, match="access token"):
        check_bind("0.0.0.0", None)
    with pytest.raises(ConfigError, match="12 characters"):
        check_bind("0.0.0.0", "short")
    check_bind("0.0.0.0", "a-long-enough-token")
    token = "a-long-enough-token"
    with TestClient(create_app(store_path, token=token)) as c:
        assert c.get("/api/events").status_code == 401
        assert c.get("/api/events", headers={"authorization": "Bearer wrong-token-xyz"}).status_code == 401
        assert c.get("/api/events", headers={"authorization": f"Bearer {token}"}).status_code == 200
        r = c.get(f"/events?token={token}&event_type=Battles", follow_redirects=False)
        assert r.status_code == 303 and "token" not in r.headers["location"]
        assert "event_type=Battles" in r.headers["location"]
        assert c.get("/events").status_code == 200  # the cookie now carries it


@pytest.mark.slow
def test_cli_export_uses_reviews(store_path: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    n = ambush_number(store_path)
    with open_store(store_path) as store:
        machine = store.event_detail(SECOND, n - 1)["machine"]
        store.add_review(SECOND, n - 1, make_review(machine, "correct", {"fatalities": 30}, reviewer="Lina"))
        other = store.event_detail(SECOND, 0)["machine"]
        store.add_review(SECOND, 0, make_review(other, "reject", reviewer="Lina"))
    out = subprocess.run([sys.executable, "-m", "marsad", "export", "--db", str(store_path), "-f", "acled-csv"],
                         capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout.decode("utf-8"))))
    ids = {r["event_id_cnty"]: r for r in rows}
    assert ids[f"{SECOND}-{n}"]["fatalities"] == "30" and ids[f"{SECOND}-{n}"]["marsad_review_status"] == "corrected"
    assert f"{SECOND}-1" not in ids  # rejected
    everything = subprocess.run([sys.executable, "-m", "marsad", "export", "--db", str(store_path), "-f", "acled-csv",
                                 "--review", "all"], capture_output=True, timeout=120)
    assert f"{SECOND}-1," in everything.stdout.decode("utf-8")
    bad = subprocess.run([sys.executable, "-m", "marsad", "export", "--db", str(store_path), "-f", "acled-csv",
                          "--review", "maybe"], capture_output=True, timeout=120)
    assert bad.returncode == 2 and b"E301" in bad.stderr and b"Traceback" not in bad.stderr


# -- no input makes a 500 -----------------------------------------------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PARAMS = ["date_from", "date_to", "event_type", "sub_event_type", "actor", "country", "admin1", "location", "source",
           "story", "document", "review", "sort", "order", "page", "per_page", "focus", "token"]
_VALUES = st.one_of(st.text(max_size=30), st.sampled_from(["", "0", "-1", "2018-02-30", "Battles", "SY", "desc", "x" * 300,
                                                           "%", "_", "'; DROP TABLE event_records; --", "\x00"]))


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory: pytest.TempPathFactory, seed_docs: list[marsad.Document]) -> TestClient:
    from marsad.pipeline import default_pipeline

    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    with open_store(path) as store:
        for doc in seed_docs:
            store.save(doc, default_pipeline().signature)
    with TestClient(create_app(path)) as c:
        yield c


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["/", "/events", "/api/events", "/api/events.csv", "/api/markers", "/api/timeline",
                             f"/documents/{SECOND}", "/events/" + SECOND + "/1"]),
       params=st.dictionaries(st.sampled_from(_PARAMS), _VALUES, max_size=5))
def test_no_query_string_makes_a_server_error(fuzz_client: TestClient, path: str, params: dict[str, str]) -> None:
    r = fuzz_client.get(path, params=params)
    assert r.status_code in (200, 400, 404), (path, params, r.status_code, r.text[:300])
    if r.status_code == 400:
        assert "Traceback" not in r.text
    with open_store(fuzz_client.app.state.store.location) as store:  # nothing was dropped
        assert store.count() == 2


def test_the_map_overview_counts_what_the_summary_counts(store_path: Path) -> None:
    with open_store(store_path) as store:
        for q in (EventQuery(), EventQuery(event_type=("Battles",)), EventQuery(review="all"),
                  EventQuery(date_from="2018-11-01"), EventQuery(source="nobody")):
            overview = store.event_overview(q)
            summary = store.event_summary(q)
            assert (overview["events"], overview["unlocated"], overview["undated"]) == (
                summary["events"], summary["unlocated"], summary["undated"]), q
