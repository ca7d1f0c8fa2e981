"""Actors (issue 4, first part): the curated base, generic phrases and context-dependent words."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

import marsad
from marsad.io.demo import demo_paths

SEEDS = {p.stem: p.read_text(encoding="utf-8") for p in demo_paths()}
SEED_000, SEED_003 = "000_0f9739a393283256", "003_eb6b299938bd81e9"
CATEGORIES = {"State forces", "Rebel group", "Political militia", "Identity militia", "Rioters", "Protesters",
              "Civilians", "External/Other forces"}


def actors(text: str) -> list[dict]:
    return marsad.extract(text).to_contract()["actors"]


def ids(text: str) -> set[str]:
    return {a["actor_id"] for a in actors(text)}


def test_the_seed_actors_are_found_with_their_ids():
    found = ids(SEEDS[SEED_000]) | ids(SEEDS[SEED_003])
    for actor_id in ("sy-sdf", "is", "coalition-oir", "sy-jaysh-al-thuwar", "us-government", "ru-mfa",
                     "ru-mod", "amnesty", "sy-fsa", "sy-sources", "media-deirezzor24"):
        assert actor_id in found, actor_id


@pytest.mark.parametrize("text, span, actor_id", [
    ("تقدمت قوات سوريا الديمقراطية نحو هجين", "قوات سوريا الديمقراطية", "sy-sdf"),
    ("وقسد تسيطر على المنطقة", "وقسد", "sy-sdf"),
    ("أعلن تنظيم الدولة الإسلامية مسؤوليته", "تنظيم الدولة الإسلامية", "is"),
    ("قالت منظمة العفو الدولية إن الضربات قتلت مدنيين", "منظمة العفو الدولية", "amnesty"),
    ("وأكدت وزارة الدفاع الروسية ذلك", "وزارة الدفاع الروسية", "ru-mod"),
    ("قصف الطيران الحربي الإسرائيلي غزة", "الطيران الحربي الإسرائيلي", "il-military"),
    ("أطلقت جماعة الحوثي صاروخا", "جماعة الحوثي", "ye-houthis"),
])
def test_named_actors(text, span, actor_id):
    found = {a["text"]: a for a in actors(text)}
    assert found[span]["actor_id"] == actor_id
    assert found[span]["category"] in CATEGORIES


def test_the_longest_name_wins():
    found = actors("قصف الجيش السوري مواقع المعارضة")
    assert [(a["text"], a["actor_id"]) for a in found] == [("الجيش السوري", "sy-military")]


def test_generic_phrases_take_the_document_country():
    found = {a["text"]: a for a in actors("قصف الجيش بلدة هجين في ريف دير الزور وقتل خمسة من المدنيين")}
    assert found["الجيش"]["actor_id"] == "sy-state-forces"
    assert found["الجيش"]["category"] == "State forces"
    assert found["المدنيين"]["category"] == "Civilians"
    assert actors("قتل مسلحون مجهولون رجلا")[0]["actor_id"] == "unidentified-armed-group"


def test_context_dependent_words():
    assert ids("قصف التحالف مواقع في هجين بريف دير الزور") == {"coalition-oir"}
    assert ids("قصف التحالف مواقع في صعدة باليمن") == {"sa-coalition"}
    assert "is" in ids("هاجم داعش القرية، وقال التنظيم إن") and len(actors("هاجم داعش القرية، وقال التنظيم إن")) == 2
    assert ids("قال التنظيم في بيان") == set()  # which organisation? the text does not say


def test_spans_are_exact():
    for text in SEEDS.values():
        for a in actors(text):
            assert text[a["start"] : a["end"]] == a["text"]
            assert a["by"] == "knowledge.actors@1"


def test_the_actor_base_is_well_formed():
    with (resources.files("marsad") / "data" / "knowledge" / "actors.toml").open("rb") as fh:
        data = tomllib.load(fh)
    seen_ids = set()
    for actor in data["actor"]:
        assert actor["id"] not in seen_ids
        seen_ids.add(actor["id"])
        assert actor["category"] in CATEGORIES, actor["id"]
        assert actor["aliases"] and actor["name"]
    for rule in data["contextual"]:
        for target in list(rule.get("country", {}).values()) + rule.get("mentioned", []):
            assert target in seen_ids


# ---- a bare head noun refers back to the actor last named with it (sentences written for these tests)

def test_bare_head_noun_refers_to_the_last_actor_named_with_it():
    doc = marsad.extract("تقدمت قوات سوريا الديمقراطية نحو البلدة. وبعد يومين حررت القوات قرية الشعفة.")
    anaphors = [a for a in doc.layer("actors") if a.data.get("rule") == "anaphora"]
    assert [(a.text, a.data["actor_id"], a.data["anaphor_of"]["text"]) for a in anaphors] == [
        ("القوات", "sy-sdf", "قوات سوريا الديمقراطية")]
    assert doc.text[anaphors[0].start:anaphors[0].end] == "القوات"


@pytest.mark.parametrize("text", [
    "تقدمت قوات سوريا الديمقراطية نحو البلدة. ثم دخلت القوات التركية المدينة.",  # another force, named
    "دخلت القوات قرية الشعفة.",  # nothing named before
])
def test_no_antecedent_no_anaphor(text):
    assert not [a for a in marsad.extract(text).layer("actors") if a.data.get("rule") == "anaphora"]


# ---- generic phrases of state forces, gunmen and civilians (sentences written for these tests)

@pytest.mark.parametrize("text, span, kind", [
    ("تقدمت قوات الحرس الجمهوري في دوما بريف دمشق", "قوات الحرس الجمهوري", "sy-state-forces"),
    ("تصدت الدفاعات الجوية لصواريخ فوق حمص", "الدفاعات الجوية", "sy-state-forces"),
    ("هاجم مسلحون قيادة شرطة درعا", "قيادة شرطة", "sy-state-forces"),
    ("اشتبكت قوات الرد السريع مع مسلحين في بغداد", "قوات الرد السريع", "iq-state-forces"),
    ("اعتدى ملثمون على طلاب في بغداد", "ملثمون", "iq-unidentified-armed-group"),
    ("فرقت الشرطة متظاهرين في البصرة", "متظاهرين", "iq-protesters"),
    ("اعتقلت القوات مواطنين في البصرة", "مواطنين", "iq-civilians"),
])
def test_generic_phrases_of_guards_gunmen_and_civilians(text, span, kind):
    found = {a["text"]: a for a in actors(text)}
    assert found[span]["actor_id"] == kind
