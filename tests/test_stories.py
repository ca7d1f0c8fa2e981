"""Stories across outlets (issue 7): grouping, incident merging, the side-by-side comparison, store and CLI.

The seed articles (two outlets on the ISIS pocket at Hajin, autumn 2018) must form one story whose
comparison shows what both report, what only one reports, where they disagree and how each frames
it. The 50 development paragraphs of ``../shared/data/events/dev.jsonl`` come from many conflicts;
each is labelled below by hand (read from its text) with the conflict or situation it is about, and
no story may hold two labels.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator

import pytest

import marsad
from marsad.document import Document, DocumentMeta
from marsad.io.demo import demo_paths
from marsad.pipeline import default_pipeline
from marsad.store import open_store
from marsad.stories import build_stories, compare_story, list_stories
from marsad.stories.cluster import NEAR_DUPLICATE, StoryIndex
from marsad.stories.incidents import merge_incidents
from marsad.stories.profile import document_profile

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV = SHARED / "data" / "events" / "dev.jsonl"
needs_dev = pytest.mark.skipif(not DEV.is_file(), reason=f"development data not found at {DEV}")

SEEDS = demo_paths()
FIRST, SECOND = sorted(p.stem for p in SEEDS)  # 000_... (Qasioun-style opinion piece), 003_... (DeirEzzor24)
HAJIN = 174506  # GeoNames id of Hajin (هجين), Deir ez-Zor

# The conflict or situation of each dev paragraph, read from its text (not from marsad's output).
CONFLICTS = {
    "armpro-test-MIS_2357-eurl_03-MIS_2357-eurl_03_002": "egypt-france",
    "armpro-test-MIS_1532-eurl_04-MIS_1532-eurl_04_003": "war-1973",
    "armpro-test-Qo98xevgWGfHQRupLaxYN8-Qo98xevgWGfHQRupLaxYN8_041": "police-academy",
    "armpro-test-MIS_1532-eurl_04-MIS_1532-eurl_04_002": "war-1973",
    "armpro-test-MIS_2120-curl_04-MIS_2120-curl_04_005": "israel-protests",
    "fignews-B03-6858": "gaza-war",
    "armpro-test-VER_655-eurl_02-VER_655-eurl_02_005": "syria-idlib",
    "armpro-test-damKSRjYA8gzPtEaMyEQRu-damKSRjYA8gzPtEaMyEQRu_003": "plane-crash",
    "armpro-dev-FAT_1174-eurl_06-FAT_1174-eurl_06_002": "syria-daraa",
    "fignews-B06-2286": "gaza-war",
    "fignews-B10-1736": "gaza-war",
    "armpro-dev-gsQctmLuiX2iNAXB8uKTH9-gsQctmLuiX2iNAXB8uKTH9_014": "iran-protests",
    "fignews-B03-1016": "gaza-war",
    "armpro-test-Z8YPWMpnW8je9ATn84axfn-Z8YPWMpnW8je9ATn84axfn_010": "religion",
    "armpro-test-MIS_2200-eurl_04-MIS_2200-eurl_04_023": "afghanistan-1989",
    "armpro-dev-fLUJCZHoxFC7HLBNKzyuKF-fLUJCZHoxFC7HLBNKzyuKF_001": "somalia",
    "armpro-dev-FAT_1172-eurl_04-FAT_1172-eurl_04_037": "beirut-blast",
    "fignews-B11-4987": "gaza-war",
    "fignews-B06-1677": "gaza-war",
    "fignews-B07-4187": "gaza-war",
    "fignews-B01-3797": "gaza-war",
    "armpro-test-MIS_633-eurl_01-MIS_633-eurl_01_002": "egypt-libya",
    "fignews-B05-7740": "gaza-war",
    "armpro-dev-MIS_568-curl_03-MIS_568-curl_03_003": "libya",
    "fignews-B03-40881": "gaza-war",
    "fignews-B03-36716": "gaza-war",
    "armpro-test-SDtJbwps39NMkXjLh6oPR6-SDtJbwps39NMkXjLh6oPR6_015": "ukraine",
    "armpro-dev-MIS_2907-eurl_02-MIS_2907-eurl_02_001": "iraq-militias",
    "armpro-dev-MIS_1454-eurl_04-MIS_1454-eurl_04_003": "egypt-spain",
    "armpro-test-MIS_1370-eurl_02-MIS_1370-eurl_02_012": "nuclear-test-1952",
    "armpro-test-3Xhjh92CQz5GmKQa3VWjEg-3Xhjh92CQz5GmKQa3VWjEg_058": "yemen",
    "fignews-B11-2660": "gaza-war",
    "armpro-dev-MIS_2265-eurl_03-MIS_2265-eurl_03_009": "western-sahara",
    "armpro-test-FAT_336-eurl_02-FAT_336-eurl_02_008": "saudi-trials",
    "armpro-test-5KN5F9wQ9KWq93WJJbP8jZ-5KN5F9wQ9KWq93WJJbP8jZ_003": "west-bank",
    "armpro-test-MIS_2077-eurl_03-MIS_2077-eurl_03_010": "vienna-attack",
    "armpro-dev-MIS_2077-eurl_03-MIS_2077-eurl_03_012": "vienna-attack",
    "armpro-dev-MIS_1532-eurl_01-MIS_1532-eurl_01_005": "jordan-1970",
    "armpro-dev-3Xhjh92CQz5GmKQa3VWjEg-3Xhjh92CQz5GmKQa3VWjEg_018": "yemen",
    "armpro-dev-iVyMSCq8WT9jQ2EcEJsnbY-iVyMSCq8WT9jQ2EcEJsnbY_001": "ukraine",
    "fignews-B15-6269": "gaza-war",
    "armpro-test-FAT_719-eurl_06-FAT_719-eurl_06_003": "afghanistan-kunduz",
    "armpro-test-3KJ3MwfWSbXpuwhVroRXfU-3KJ3MwfWSbXpuwhVroRXfU_022": "israel-essay",
    "armpro-dev-VYAjvh4W3NSaXiDQfgDjHx-VYAjvh4W3NSaXiDQfgDjHx_001": "iraq-baghdad",
    "armpro-test-MIS_2916-eurl_01-MIS_2916-eurl_01_010": "sahel",
    "armpro-test-MhwzN2acMANG77wXJbN8pE-MhwzN2acMANG77wXJbN8pE_009": "iraq-politics",
    "fignews-B01-1575": "gaza-war",
    "armpro-test-cZ4RBbxXSJDowW7CHi3wNR-cZ4RBbxXSJDowW7CHi3wNR_001": "yemen",
    "armpro-dev-MIS_928-eurl_05-MIS_928-eurl_05_010": "iraq-isis",
    "fignews-B11-3075": "gaza-war",
}
SEED_CONFLICT = "syria-hajin"


def conflict(doc_id: str) -> str:
    return SEED_CONFLICT if doc_id in (FIRST, SECOND) else CONFLICTS[doc_id]


# -- fixtures --------------------------------------------------------------------------------------
def _save_seeds(store: Any) -> None:
    signature = default_pipeline().signature
    for p in SEEDS:
        store.save(marsad.extract(p.read_text(encoding="utf-8"), id=p.stem), signature)


def _save_dev(store: Any) -> None:
    from marsad.io.readers import read_documents
    from marsad.runner import run

    report = run(read_documents([str(DEV)]), store=store)
    assert report.failed == 0


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stories") / "seeds.db"
    with open_store(path) as store:
        _save_seeds(store)
        build_stories(store)
    return path


@pytest.fixture(scope="module")
def comparison(seeds_db: Path) -> dict[str, Any]:
    with open_store(seeds_db) as store:
        (story,) = list_stories(store)
        return compare_story(store, story["id"])


@pytest.fixture(scope="module")
def dev_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not DEV.is_file():
        pytest.skip(f"development data not found at {DEV}")
    path = tmp_path_factory.mktemp("stories") / "dev.db"
    with open_store(path) as store:
        _save_dev(store)
    return path


def _copy(db: Path, tmp_path: Path) -> Path:
    target = tmp_path / db.name
    with sqlite3.connect(db) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def only(comparison: dict[str, Any], doc_id: str) -> dict[str, Any]:
    return next(o for o in comparison["only"] if o["document"] == doc_id)


def spans(obj: Any) -> Iterator[dict[str, Any]]:
    """Every evidence span (a dict with document, start, end and text), however deeply nested."""
    if isinstance(obj, dict):
        if {"document", "start", "end", "text"} <= obj.keys():
            yield obj
        for value in obj.values():
            yield from spans(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from spans(value)


# -- grouping ---------------------------------------------------------------------------------------
def test_seed_articles_form_one_story(seeds_db: Path) -> None:
    with open_store(seeds_db) as store:
        stories = list_stories(store)
    assert [sorted(s["documents"]) for s in stories] == [[FIRST, SECOND]]
    joined = stories[0]["members"][1]
    assert joined["score"] >= 0.35 and "shared place" in joined["reason"] and "shared actor" in joined["reason"]


@needs_dev
def test_dev_paragraphs_never_merge_two_conflicts(dev_db: Path, tmp_path: Path) -> None:
    assert len(CONFLICTS) == 50
    db = _copy(dev_db, tmp_path)
    with open_store(db) as store:
        _save_seeds(store)  # the seeds too: an ISIS-in-Iraq paragraph must not join the Hajin story
        build_stories(store)
        stories = list_stories(store)
    assert sum(len(s["documents"]) for s in stories) == 52
    for s in stories:
        labels = {conflict(d) for d in s["documents"]}
        assert len(labels) == 1, f"story {s['id']} mixes {labels}: {s['documents']}"
    gaza = [s for s in stories if any(conflict(d) == "gaza-war" for d in s["documents"])]
    assert not any(conflict(d) in ("ukraine", "yemen") for s in gaza for d in s["documents"])
    assert any(sorted(s["documents"]) == [FIRST, SECOND] for s in stories)


@needs_dev
def test_no_mixed_story_in_any_order(dev_db: Path) -> None:
    """The greedy pass depends on order; the guarantee must not."""
    with open_store(dev_db) as store:
        docs = list(store.iter_documents())
    docs += [marsad.extract(p.read_text(encoding="utf-8"), id=p.stem) for p in SEEDS]
    profiles = {d.id: document_profile(d) for d in docs}
    for seed in range(25):
        order = docs[:]
        random.Random(seed).shuffle(order)
        index, members = StoryIndex(), defaultdict(list)
        for d in order:
            members[index.add(profiles[d.id], d.id).story].append(d.id)
        for ids in members.values():
            assert len({conflict(i) for i in ids}) == 1, (seed, ids)
        assert any(sorted(ids) == [FIRST, SECOND] for ids in members.values()), seed


@needs_dev
def test_near_duplicates_join_their_original(dev_db: Path, tmp_path: Path) -> None:
    db = _copy(dev_db, tmp_path)
    with open_store(db) as store:
        build_stories(store)
        originals = [store.get(i) for i in ("armpro-dev-FAT_1172-eurl_04-FAT_1172-eurl_04_037",
                                            "fignews-B01-1575",
                                            "armpro-test-cZ4RBbxXSJDowW7CHi3wNR-cZ4RBbxXSJDowW7CHi3wNR_001")]
        signature = default_pipeline().signature
        for doc in originals:
            words = doc.text.split()
            edited = " ".join(words[: len(words) * 85 // 100])  # the last 15% of the words dropped
            edited = re.sub(r"\d+", lambda m: str(int(m.group()) + 2), edited)  # and the figures changed
            store.save(marsad.extract("عاجل | " + edited, id=doc.id + "-copy", published=doc.meta.published),
                       signature)
        report = build_stories(store)
        assert report.assigned == 3 and not report.new_stories
        by_doc = {d: s["id"] for s in list_stories(store) for d in s["documents"]}
    for doc in originals:
        assert by_doc[doc.id + "-copy"] == by_doc[doc.id]
    assert any("near-duplicate" in reason for _d, _s, reason in report.joined)
    assert NEAR_DUPLICATE <= 0.8


def test_build_is_incremental_and_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "inc.db"
    with open_store(db) as store:
        _save_seeds(store)
        first = build_stories(store)
        assert first.assigned == 2 and len(first.new_stories) == 1

    def snapshot() -> tuple:
        with sqlite3.connect(db) as conn:
            return tuple(conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                         for t in ("stories", "story_members", "story_terms"))

    before = snapshot()
    with open_store(db) as store:
        again = build_stories(store)
    assert again.assigned == 0 and again.new_stories == [] and snapshot() == before
    # a new document later: only it is read and assigned; the seeds keep their story
    with open_store(db) as store:
        store.save(marsad.extract("أعلنت الشرطة النمساوية اعتقال مشتبه به في هجوم فيينا.", id="vienna",
                                  published="2020-11-04"), default_pipeline().signature)
        third = build_stories(store)
        stories = list_stories(store)
    assert third.assigned == 1 and len(third.new_stories) == 1
    assert sorted(map(sorted, (s["documents"] for s in stories))) == [[FIRST, SECOND], ["vienna"]]
    after = snapshot()
    assert after[1][:2] == before[1]  # memberships already there are untouched


def test_build_is_transactional(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import marsad.stories.build as build

    db = tmp_path / "tx.db"
    with open_store(db) as store:
        _save_seeds(store)
    calls = {"n": 0}
    real = build.document_profile

    def failing(doc: Document) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk on fire")
        return real(doc)

    monkeypatch.setattr(build, "document_profile", failing)
    with open_store(db) as store, pytest.raises(RuntimeError):
        build_stories(store)
    with sqlite3.connect(db) as conn:
        assert [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("stories", "story_members", "story_terms")] == [0, 0, 0]


@needs_dev
def test_a_document_is_scored_against_candidate_stories_only(dev_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No quadratic blow-up: a new document meets the stories sharing a key with it, not every story."""
    with open_store(dev_db) as store:
        docs = list(store.iter_documents())
    index = StoryIndex()
    for d in docs:
        index.add(document_profile(d), d.id)
    scored: list[int] = []
    real = StoryIndex.score

    def counting(self: StoryIndex, *args: Any) -> Any:
        scored.append(1)
        return real(self, *args)

    monkeypatch.setattr(StoryIndex, "score", counting)
    seed = marsad.extract(SEEDS[0].read_text(encoding="utf-8"), id="seed")
    index.add(document_profile(seed), "seed")
    assert len(index.stories) >= 45
    assert 0 < len(scored) < len(index.stories) // 2


# -- the seeds compared -------------------------------------------------------------------------------
def test_both_report_the_isis_pocket_at_hajin_sdf_fighting_and_the_coalition(comparison: dict[str, Any]) -> None:
    common = comparison["common"]
    places = {p["geonameid"]: p for p in common["places"]}
    assert HAJIN in places and sorted(places[HAJIN]["documents"]) == [FIRST, SECOND]
    assert {e["document"] for e in places[HAJIN]["evidence"]} == {FIRST, SECOND}
    assert all(e["text"].endswith("هجين") for e in places[HAJIN]["evidence"])
    actors = {a["actor_id"] for a in common["actors"]}
    assert {"is", "sy-sdf", "coalition-oir"} <= actors
    # the fighting for Hajin: an incident both outlets report, graded as confirmed by both
    hajin = [i for i in common["incidents"] if (i["place"] or {}).get("geonameid") == HAJIN]
    assert hajin and all(set(i["documents"]) == {FIRST, SECOND} for i in hajin)
    battle = next(i for i in hajin if i["event_type"] == "Battles")
    assert battle["support"]["grade"] == "confirmed by 2 sources"
    assert all("هجين" in s["evidence"]["text"] for s in battle["sources"])
    words = {t["key"] for t in common["terms"]}
    assert {"داعش", "هجين", "تحالف", "قسد"} <= words


def test_only_the_first_reports_amnesty_phosphorus_russian_claims_and_abductions(comparison: dict[str, Any]) -> None:
    own = only(comparison, FIRST)
    claims = {c["key"]: c for c in own["claims"]}
    amnesty = claims["amnesty"]
    assert amnesty["speaker"] == "منظمة العفو الدولية"
    assert any("الفوسفور" in c["content"]["text"] for c in amnesty["claims"])
    assert {"ru-mfa", "ru-mod", "ru-government"} <= claims.keys()
    assert "amnesty" in {a["actor_id"] for a in own["actors"]}
    (abduction,) = [i for i in own["incidents"] if i["sub_event_type"] == "Abduction/forced disappearance"]
    (source,) = abduction["sources"]
    assert (source["perpetrator"] or {}).get("actor_id") == "is"
    assert {"what": "kidnapped", "value": 100} in [{"what": f["what"], "value": f["value"]} for f in source["figures"]]
    assert "100 عائلة" in next(f for f in source["figures"] if f["what"] == "kidnapped")["evidence"]["text"]
    assert "kidnapped:100" in {n["key"] for n in own["numbers"]}
    # none of it in the second document's own list
    other = only(comparison, SECOND)
    assert "amnesty" not in {c["key"] for c in other["claims"]}


def test_only_the_second_reports_the_ambush_the_mines_and_jaysh_al_thuwar(comparison: dict[str, Any]) -> None:
    own = only(comparison, SECOND)
    ambush = [i for i in own["incidents"] if any((s["trigger"] or {}).get("text") == "كمين" for s in i["sources"])]
    assert len(ambush) == 1
    assert ambush[0]["fatalities"] == {"low": 20, "best": 20, "high": 20}
    assert ambush[0]["support"]["grade"] == "single source"
    killed = next(f for f in ambush[0]["sources"][0]["figures"] if f["what"] == "killed")
    assert killed["approx"] and "العشرون" in killed["evidence"]["text"]  # "more than twenty"
    mines = [i for i in own["incidents"] if any("الألغام" in s["evidence"]["text"] for s in i["sources"])]
    assert mines and all(set(i["documents"]) == {SECOND} for i in mines)
    assert "sy-jaysh-al-thuwar" in {a["actor_id"] for a in own["actors"]}
    assert "الغام" in {t["key"] for t in own["terms"]}
    assert not any(any((s["trigger"] or {}).get("text") == "كمين" for s in i["sources"])
                   for i in only(comparison, FIRST)["incidents"] + comparison["common"]["incidents"])


def test_both_name_the_sdf_as_taking_hajin(comparison: dict[str, Any]) -> None:
    hajin = [i for i in comparison["common"]["incidents"] if (i["place"] or {}).get("geonameid") == HAJIN]
    assert any(all((s["perpetrator"] or {}).get("actor_id") == "sy-sdf" for s in i["sources"]) for i in hajin)


def test_the_omitted_accusation_is_a_disagreement(comparison: dict[str, Any]) -> None:
    omitted = [d for d in comparison["disagreements"] if d["kind"] == "accusation_omitted"]
    amnesty = [d for d in omitted if d["speaker_actor"] == "amnesty"]
    assert amnesty and amnesty[0]["document"] == FIRST and amnesty[0]["omitted_by"] == [SECOND]
    assert "coalition-oir" in {a["actor_id"] for a in amnesty[0]["accused"]}
    assert "المحرمة" in amnesty[0]["why"]


def test_framing_scare_quotes_loaded_terms_and_attributions(comparison: dict[str, Any]) -> None:
    framing = {f["document"]: f for f in comparison["framing"]}
    first, second = framing[FIRST], framing[SECOND]
    quoted = {q["text"] for q in first["scare_quotes"]}
    assert {"حرر", "التحرير"} <= quoted
    assert next(q for q in first["scare_quotes"] if q["text"] == "حرر")["loaded"] == ["تحرير"]
    assert not second["scare_quotes"]
    # names in quotation marks are names, not scare quotes
    assert "جيش الثوار" in {q["text"] for q in second["quoted_names"]}
    first_terms = {t["lemma"] for t in first["loaded_terms"]}
    assert {"إرهابي", "تحرير", "مجزرة"} <= first_terms
    assert not first_terms & {t["lemma"] for t in second["loaded_terms"]} - {"قتيل", "مقاتلين"}
    speakers = {a["speaker"] for a in first["attributions"]}
    assert {"منظمة العفو الدولية", "الخارجية الروسية", "وزير الدفاع الروسي"} <= speakers
    contrast = {(c["signal"], c["what"]): c for c in comparison["framing_contrast"]}
    assert contrast[("scare quote", "حرر")]["used_by"] == [FIRST]
    assert contrast[("loaded term", "إرهابي")]["not_used_by"] == [SECOND]


def test_every_item_carries_exact_evidence(comparison: dict[str, Any]) -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS}
    found = list(spans(comparison))
    assert len(found) > 100
    for e in found:
        assert texts[e["document"]][e["start"]:e["end"]] == e["text"]
    for section in [comparison["common"], *comparison["only"]]:
        for kind in ("actors", "places", "numbers", "terms"):
            assert all(item["evidence"] for item in section[kind]), kind
        assert all(c["content"] and c["evidence"] for g in section["claims"] for c in g["claims"])
        assert all(s["evidence"] for i in section["incidents"] for s in i["sources"])


# -- incidents on made-up reports (every rule, independent of extraction) ----------------------------
def _report(doc_id: str, source: str, *events: dict[str, Any]) -> Document:
    text = "تقرير " + doc_id
    doc = Document(text, id=doc_id, meta=DocumentMeta(source=source))
    for e in events:
        doc.add("events", 0, len(text), component="test", version="1", label=e["sub_event_type"], data=e)
    return doc


def _event(sub: str = "Air/drone strike", kind: str = "Explosions/Remote violence", *, by: str | None = "il-military",
           on: str | None = "ps-civilians", gid: int | None = 281133, admin1: str = "Gaza", precision: int = 1,
           killed: int | None = None, day: str | None = "2023-10-31") -> dict[str, Any]:
    def actor(x: str | None) -> dict[str, Any] | None:
        return {"actor_id": x, "name": x, "category": None, "text": x} if x else None

    return {"event_type": kind, "sub_event_type": sub, "actor1": actor(by), "actor2": actor(on),
            "location": {"name": f"place {gid}", "geonameid": gid, "country": "PS", "admin1": admin1,
                         "precision": precision},
            "date": day, "fatalities": killed, "attributed": False, "claim_speaker": None}


def test_incident_confirmed_by_three_outlets_with_ucdp_range() -> None:
    docs = [_report("a", "outlet-a", _event(killed=12)), _report("b", "outlet-b", _event(killed=12, day="2023-11-01")),
            _report("c", "outlet-c", _event(sub="Shelling/artillery/missile attack"))]
    (incident,) = merge_incidents(docs)
    assert incident["documents"] == ["a", "b", "c"]
    assert incident["support"]["grade"] == "confirmed by 3 sources"
    assert incident["fatalities"] == {"low": 12, "best": 12, "high": 12}
    assert [s["fatalities"] for s in incident["sources"]] == [12, 12, None]


def test_incident_with_different_tolls_is_contested() -> None:
    docs = [_report("a", "x", _event(killed=10)), _report("b", "y", _event(killed=12)),
            _report("c", "z", _event(killed=12))]
    (incident,) = merge_incidents(docs)
    assert incident["fatalities"] == {"low": 10, "best": 12, "high": 12}
    assert incident["support"]["grade"] == "contested" and "fatalities" in incident["support"]["reason"]


def test_incident_with_different_perpetrators_is_contested() -> None:
    docs = [_report("a", "x", _event(by="il-military", killed=5)), _report("b", "y", _event(by="ps-pij", killed=5))]
    (incident,) = merge_incidents(docs)
    assert incident["support"]["grade"] == "contested"
    assert "perpetrator" in incident["support"]["reason"] and "ps-pij" in incident["support"]["reason"]


def test_reports_of_different_incidents_stay_apart() -> None:
    base = _report("a", "x", _event())
    assert len(merge_incidents([base, _report("b", "y", _event(on="ps-hamas"))])) == 2  # another target
    assert len(merge_incidents([base, _report("b", "y", _event(gid=281124, admin1="Khan Yunis"))])) == 2  # another town
    assert len(merge_incidents([base, _report("b", "y", _event(day="2023-11-12"))])) == 2  # twelve days later
    assert len(merge_incidents([base, _report("b", "y", _event("Attack", "Violence against civilians"))])) == 2
    # the same governorate, one report imprecise: one incident
    vague = _report("b", "y", _event(gid=None, precision=2))
    assert len(merge_incidents([base, vague])) == 1


def test_one_outlet_twice_is_a_single_source() -> None:
    (incident,) = merge_incidents([_report("a", "same", _event()), _report("b", "same", _event())])
    assert incident["support"]["grade"] == "single source" and "2 documents" in incident["support"]["reason"]


def test_battle_sides_must_be_compatible() -> None:
    clash = "Armed clash"
    a = _report("a", "x", _event(clash, "Battles", by="is", on="sy-sdf"))
    b = _report("b", "y", _event(clash, "Battles", by="sy-sdf", on=None))  # one side named: compatible
    c = _report("c", "z", _event(clash, "Battles", by="is", on="sy-jaysh-al-thuwar"))  # another enemy
    incidents = merge_incidents([a, b, c])
    assert sorted(map(len, (i["documents"] for i in incidents))) == [1, 2]
    assert next(i for i in incidents if len(i["documents"]) == 2)["documents"] == ["a", "b"]


# -- store and command line -----------------------------------------------------------------------------
def test_migration_adds_the_story_tables(tmp_path: Path) -> None:
    with open_store(tmp_path / "m.db") as store:
        assert store.schema_version() >= 2
    with sqlite3.connect(tmp_path / "m.db") as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"stories", "story_members", "story_terms"} <= tables


_BESIDE = Path(sys.executable).parent / "marsad"
_EXE = str(_BESIDE) if _BESIDE.is_file() else shutil.which("marsad")
MARSAD = [_EXE] if _EXE else [sys.executable, "-m", "marsad"]


def run_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env.update(PYTHONIOENCODING="utf-8", COLUMNS="200", NO_COLOR="1", TERM="dumb")
    proc = subprocess.run([*MARSAD, *map(str, args)], cwd=cwd, capture_output=True, timeout=180, env=env)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8"),
                                       proc.stderr.decode("utf-8"))


@pytest.mark.slow
def test_cli_stories_and_story_end_to_end(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    ingest = run_cli("ingest", *SEEDS, "--db", db, cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    listed = run_cli("stories", "--db", db, "--format", "json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr and "2 documents assigned" in listed.stderr
    stories = json.loads(listed.stdout)
    assert isinstance(stories, list) and len(stories) == 1
    assert sorted(stories[0]["documents"]) == [FIRST, SECOND] and stories[0]["id"]
    again = run_cli("stories", "--db", db, "--format", "json", cwd=tmp_path)
    assert again.returncode == 0 and json.loads(again.stdout) == stories and again.stderr == ""

    shown = run_cli("story", stories[0]["id"], "--db", db, "--format", "json", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    result = json.loads(shown.stdout)
    assert result["id"] == stories[0]["id"]
    assert [d["document"] for d in result["documents"]] == [FIRST, SECOND]
    assert HAJIN in {p["geonameid"] for p in result["common"]["places"]}
    assert "amnesty" in {c["key"] for c in only(result, FIRST)["claims"]}
    # by a member document's id too, and as a table
    table = run_cli("story", SECOND, "--db", db, cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert stories[0]["id"] in table.stdout and "only in" in table.stdout and "framing" in table.stdout
    listing = run_cli("stories", "--db", db, cwd=tmp_path)
    assert listing.returncode == 0 and stories[0]["id"] in listing.stdout

    missing = run_cli("story", "no-such-story", "--db", db, cwd=tmp_path)
    assert missing.returncode == 2 and missing.stdout == ""
    assert re.fullmatch(r"error\[E201\] .*no story with id 'no-such-story'.*\n", missing.stderr)
