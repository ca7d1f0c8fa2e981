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
    # (and "المعارضة", with Syria's army named, is Syria's armed opposition)
    assert [(a["text"], a["actor_id"]) for a in found] == [("الجيش السوري", "sy-military"),
                                                           ("المعارضة", "sy-opposition")]


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
    ("دمرت الغارات حي الوعر في حمص فوق رؤوس سكانه", "سكانه", "sy-civilians"),
    ("نزح سكان المخيم من درعا", "سكان", "sy-civilians"),
])
def test_generic_phrases_of_guards_gunmen_and_civilians(text, span, kind):
    found = {a["text"]: a for a in actors(text)}
    assert found[span]["actor_id"] == kind


# ---- nationality adjectives: forces, strikes, people (sentences written for these tests)

def own(text: str) -> list[dict]:
    """The actors this component finds (not the candidates the entities add)."""
    return [a for a in actors(text) if a["by"] == "knowledge.actors@1"]


@pytest.mark.parametrize("text, span, actor_id", [
    # a force noun + the adjective: the country's military, the known actor where the base has one
    ("القوات السورية تعلن السيطرة على البلدة", "القوات السورية", "sy-military"),
    ("انفجار في موقع تابع للقوات اليمنية", "للقوات اليمنية", "ye-military"),
    ("دخلت قوات روسية إلى البلدة", "قوات روسية", "ru-military"),
    ("إصابة أربعة جنود إسرائيليين قرب الحدود", "جنود إسرائيليين", "il-military"),
    ("مقتل ضابط وجندي إسرائيليين في عملية دهس", "ضابط وجندي إسرائيليين", "il-military"),
    ("قتل 8 جنود أتراك في اشتباكات", "جنود أتراك", "tr-military"),
    ("اعترضت قوات الدفاعات السعودية صاروخا", "قوات الدفاعات السعودية", "sa-military"),
    ("قصفت طائرات سورية البلدة", "طائرات سورية", "sy-military"),
    # police and security: the country's state forces
    ("الأمن السعودي يسقط طائرة صغيرة", "الأمن السعودي", "sa-state-forces"),
    ("اعتقلت الشرطة المصرية الناشط", "الشرطة المصرية", "eg-state-forces"),
    ("اختطاف 14 من قوات الأمن الإيرانية", "قوات الأمن الإيرانية", "ir-state-forces"),
    # no known military: the country's state forces
    ("أعلنت القوات الليبية السيطرة على المدينة", "القوات الليبية", "ly-state-forces"),
])
def test_a_force_noun_with_a_nationality_is_that_countrys_force(text, span, actor_id):
    found = {a["text"]: a for a in actors(text)}
    assert found[span]["actor_id"] == actor_id
    assert found[span]["category"] in CATEGORIES


@pytest.mark.parametrize("text, span, actor_id", [
    ("غارات إسرائيلية على قطاع غزة", "إسرائيلية", "il-military"),
    ("قتل مدنيون في ضربات جوية أمريكية", "أمريكية", "us-government"),
    ("قصف إيراني للبوكمال", "إيراني", "ir-state-forces"),
    ("سقوط فلسطيني نتيجة القصف الإسرائيلي على غزة", "الإسرائيلي", "il-military"),
    ("صواريخ روسية تضرب المدينة", "روسية", "ru-military"),
])
def test_a_strike_with_a_nationality_names_that_countrys_forces(text, span, actor_id):
    found = {a["text"]: a for a in actors(text)}
    assert found[span]["actor_id"] == actor_id


def test_adjectives_joined_by_and_name_each_country():
    found = [(a["text"], a["actor_id"]) for a in own("طائرات سورية وروسية تشن غارات على البلدة")]
    assert found == [("طائرات سورية", "sy-military"), ("وروسية", "ru-military")]
    found = [(a["text"], a["actor_id"]) for a in own("غارة شنتها طائرات روسية و سورية")]
    assert found == [("طائرات روسية", "ru-military"), ("سورية", "sy-military")]


@pytest.mark.parametrize("text", [
    "افتتحت القنصلية السعودية في المدينة",  # no force, no strike: no actor
    "وصل وفد روسي إلى دمشق",
    "ناقش البرلمان الأردني القانون",
    "النسبة الأكبر منهم سوريون",  # a predicate, not a side
    "قصفت القوات مواقع في الرقة",  # "القوات" alone names nobody here
])
def test_other_nouns_with_a_nationality_name_no_actor(text):
    assert own(text) == []


def test_definiteness_must_agree():
    # "قوات سوريا الديمقراطية" is a name, not Syrian forces; an indefinite noun takes no definite adjective
    assert ids("تقدمت قوات سورية الديمقراطية نحو البلدة") == {"sy-sdf"}
    assert own("هبطت طائرات السعودية في المطار") == []  # construct: the airline's planes


@pytest.mark.parametrize("text, span, actor_id, category", [
    ("مسلح فلسطيني يقتل إسرائيليين", "مسلح فلسطيني", "ps-unidentified-armed-group", "Political militia"),
    ("مسلح فلسطيني يقتل إسرائيليين", "إسرائيليين", "il-civilians", "Civilians"),
    ("مقتل 7 فلسطينيين في احتجاجات", "فلسطينيين", "ps-civilians", "Civilians"),
    ("آلاف الفلسطينيين يتظاهرون على الحدود", "الفلسطينيين", "ps-civilians", "Civilians"),
    ("إضراب عام للفلسطينيين في الضفة", "للفلسطينيين", "ps-civilians", "Civilians"),
    ("مقتل روسيين في ضربات جوية", "روسيين", "ru-civilians", "Civilians"),
    ("اتهام باعتقال مواطن قطري", "مواطن قطري", "qa-civilians", "Civilians"),
    ("تعرضت فتاة للاعتداء على يد شاب عراقي", "شاب عراقي", "iq-civilians", "Civilians"),
    ("قتل أطفال يمنيين في الغارة", "أطفال يمنيين", "ye-civilians", "Civilians"),
    ("متظاهرون إيرانيون يهاجمون مبنى", "متظاهرون", "ir-protesters", "Protesters"),
])
def test_people_named_by_a_nationality(text, span, actor_id, category):
    found = {a["text"]: a for a in actors(text)}
    assert found[span]["actor_id"] == actor_id and found[span]["category"] == category


def test_a_person_named_with_the_article_is_not_read_as_nationals():
    # "الصحفي السعودي جمال خاشقجي": an apposition to a name, left to the entities
    assert own("اختفاء الصحفي السعودي جمال خاشقجي") == []


@pytest.mark.parametrize("text, span, actor_id", [
    ("قامت جماعة سنية بخطف عدد من الجنود في بلوشستان بإيران", "جماعة سنية", "ir-identity-militia"),
    ("قصف جماعة كردية إيرانية شمالي العراق", "جماعة كردية إيرانية", "ir-identity-militia"),
    ("اشتباكات بين الفصائل الكردية في الحسكة", "الفصائل الكردية", "sy-identity-militia"),
])
def test_a_group_with_an_identity_adjective_is_an_identity_militia(text, span, actor_id):
    found = {a["text"]: a for a in actors(text)}
    assert found[span]["actor_id"] == actor_id and found[span]["category"] == "Identity militia"


def test_a_group_without_an_identity_is_no_identity_militia():
    assert own("قامت جماعة بخطف عدد من الجنود") == []


# ---- groups and coalitions added to the base, and the Syrian opposition in context

@pytest.mark.parametrize("text, span, actor_id", [
    ("تصدى الجيش المصري لهجوم من ولاية سيناء", "ولاية سيناء", "is-sinai"),
    ("تصدى الجيش المصري لهجوم من ولاية سيناء", "الجيش المصري", "eg-military"),
    ("التحالف السعودي الإماراتي شن غارة جوية", "التحالف السعودي الإماراتي", "sa-coalition"),
    ("غارة تقتل رئيس الذراع السياسي للحركة الحوثية", "للحركة الحوثية", "ye-houthis"),
])
def test_added_groups(text, span, actor_id):
    found = {a["text"]: a for a in actors(text)}
    assert found[span]["actor_id"] == actor_id


def test_the_opposition_is_syrias_where_syria_is_the_context():
    assert ids("استعاد الجيش السيطرة على آخر مناطق المعارضة قرب دمشق") >= {"sy-opposition"}
    # no place, but Syria's forces named: still Syria's opposition
    found = {a["text"]: a["actor_id"] for a in own("القوات السورية و المعارضة يتبادلون القصف")}
    assert found == {"القوات السورية": "sy-military", "المعارضة": "sy-opposition"}
    # elsewhere an opposition may be a political one: no actor
    assert "sy-opposition" not in ids("انتقدت المعارضة الحكومة في القاهرة")


def test_the_oppositions_gunmen_are_an_armed_group_anywhere():
    found = {a["text"]: a["actor_id"] for a in own("استردت القوات السورية أراضي من مسلحي المعارضة في درعا")}
    assert found["مسلحي المعارضة"] == "sy-opposition"
    found = {a["text"]: a["actor_id"] for a in own("انسحب مسلحو المعارضة من البلدة")}
    assert found["مسلحو المعارضة"] == "unidentified-armed-group"


def test_the_opposition_after_a_noun_of_fighters_is_left_to_the_group_name():
    assert "sy-opposition" not in ids("مقاتلو المعارضة ينسحبون من أحياء حلب الشرقية")


# ---- a country opening a sentence as the subject of a verb acts as a state

@pytest.mark.parametrize("text, span, actor_id", [
    ("إيران تقصف البوكمال في سوريا", "إيران", "ir-state-forces"),
    ("السعودية تعترض صاروخا باليستيا فوق الرياض", "السعودية", "sa-state-forces"),
    ("قصفت الطائرات البلدة. الأردن يعلن مقتل 3 مسلحين", "الأردن", "jo-state-forces"),
])
def test_a_country_as_the_subject_of_a_verb_is_an_actor(text, span, actor_id):
    found = {a["text"]: a for a in actors(text)}
    assert found[span]["actor_id"] == actor_id and found[span]["category"] == "State forces"


@pytest.mark.parametrize("text", [
    "قتل خمسة في اشتباكات في إيران",  # where it happened
    "إيران: مقتل خمسة في اشتباكات",  # a label, no verb
    "سوريا تشهد اشتباكات عنيفة",  # what befalls a place
    "قالت الوزارة إن إيران تقصف البلدة",  # not opening the sentence
])
def test_a_country_elsewhere_is_no_actor(text):
    assert not [a for a in own(text) if a["text"] in ("إيران", "سوريا")]
