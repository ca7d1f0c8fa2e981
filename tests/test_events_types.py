"""Events (fifth session): classes of error found on the training headlines, each rule of
``data/events/events.toml`` / ``events.py`` added for them with a positive and a negative case.

Every sentence here is written for these tests in the style of Arabic news headlines.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

import marsad

PUBLISHED = "2018-11-05"


@cache
def _events(text: str) -> tuple[dict[str, Any], ...]:
    return tuple(a.data for a in marsad.extract(text, published=PUBLISHED).layer("events"))


def subtypes(text: str) -> list[str]:
    return [e["sub_event_type"] for e in _events(text)]


# ---- a warning or threat after a past cause still reports the incident that caused it (past_causes)

def test_a_warning_after_strikes_keeps_the_strikes():
    assert "Air/drone strike" in subtypes("روسيا تحذر تركيا بعد غارات جوية عنيفة على ريف إدلب")
    assert "Air/drone strike" in subtypes("منظمة دولية تحذر من مجاعة بسبب الغارات الجوية على مدينة تعز")
    # no past cause between them: the strikes warned of are no incident
    assert subtypes("روسيا تحذر تركيا من غارات جوية على ريف إدلب") == []


# ---- an agreement reached ("الوصول لاتفاق"), and a subject of several words before a ل-prefixed trigger

def test_an_agreement_reached_after_reaching_words():
    assert "Agreement" in subtypes("الوصول لاتفاق يقضي بخروج المسلحين من مدينة درعا")
    assert "Agreement" in subtypes("توصلت الأطراف المتحاربة لاتفاق في مدينة درعا")
    assert "Agreement" not in subtypes("وفد يسافر إلى جنيف لاتفاق جديد")  # a purpose


def test_a_repelled_attack_with_a_long_subject():
    assert "Armed clash" in subtypes("تصدت قوات الجيش العراقي لهجوم من تنظيم داعش على ثكنة عسكرية")
    assert subtypes("أرسلت قوات الجيش العراقي تعزيزات لهجوم على ثكنة عسكرية") == ["Change to group/activity"]


# ---- assaults: sexual ones, and attack verbs

def test_a_sexual_assault_is_sexual_violence():
    assert "Sexual violence" in subtypes("الشرطة تعتقل رجلا اعتدى على طفلة جنسيا في الدار البيضاء")
    assert "Sexual violence" in subtypes("قتلت امرأة زوجها أثناء اغتصابها في الخرطوم")
    assert "Sexual violence" not in subtypes("مسلحون يعتدون على صحفي في الخرطوم")


def test_attack_verbs():
    assert subtypes("مسلحون يعتدون على صحفي في الخرطوم") == ["Attack"]
    assert subtypes("مسلحون يطلقون الشعارات في الخرطوم") == []


# ---- the ship attacked, the weapon intercepted, the aircraft brought down

def test_an_attack_on_a_ship_is_fire_from_afar():
    assert subtypes("الهجوم على ناقلة النفط قبالة سواحل الحديدة") == ["Shelling/artillery/missile attack"]
    assert "Shelling/artillery/missile attack" not in subtypes("هجوم على حافلة قبالة سواحل الحديدة")


def test_the_target_of_an_intercepted_missile_is_no_second_event():
    assert subtypes("الدفاعات السعودية تعترض صاروخا من اليمن استهدف جازان") == ["Disrupted weapons use"]
    # an attack that is no "استهدف" of the weapon stays beside it
    found = subtypes("الدفاعات السعودية تعترض صاروخا فوق جازان وفي الشمال هاجم مسلحون قرية نائية وقتلوا 3 مدنيين")
    assert "Disrupted weapons use" in found and "Attack" in found


def test_bringing_down_an_aircraft_in_the_present_tense():
    assert subtypes("الدفاعات الجوية يسقط طائرة مسيرة فوق مدينة حماة") == ["Disrupted weapons use"]
    assert subtypes("يسقط المطر على مدينة حماة") == []


# ---- crowds: the police against unarmed crowds, bloody clashes with protesters, acts done in protest

def test_clashes_with_an_unarmed_crowd_are_a_riot():
    assert subtypes("اشتباكات بين الشرطة والدراويش في طهران") == ["Mob violence"]
    assert subtypes("اشتباكات بين الشرطة ومسلحين في طهران") == ["Armed clash"]


def test_bloody_clashes_with_protesters_are_force_against_them():
    assert subtypes("مواجهات دامية بين الشرطة ومتظاهرين في البصرة") == ["Excessive force against protesters"]
    assert subtypes("مواجهات بين الشرطة ومتظاهرين في البصرة") == ["Violent demonstration"]


def test_acts_in_protest_and_protesters_without_the_article():
    assert subtypes("التجار يغلقون محلاتهم احتجاجا على الضرائب في عمان") == ["Peaceful protest"]
    assert subtypes("رفض متظاهرين في تونس لقانون المالية") == ["Peaceful protest"]
    assert subtypes("التجار يغلقون محلاتهم في عمان") == []


# ---- halts, striving for control, a killing beside a release

def test_a_halt_of_operations():
    assert subtypes("الجيش يعلن وقفا مؤقتا للعمليات العسكرية في الجنوب") == ["Change to group/activity"]
    assert subtypes("الجيش يعلن وقفا للدراسة في الجنوب") == []


def test_control_striven_for_is_no_capture():
    assert subtypes("مدينة تتنافس الفصائل المسلحة على السيطرة عليها") == []
    assert subtypes("الفصائل المسلحة تسيطر على المدينة") == ["Non-state actor overtakes territory"]


def test_a_killing_named_in_a_release_story_is_an_event():
    assert "Attack" in subtypes("غضب بعد الإفراج عن شرطي قتل طفلا في الخليل")
    assert subtypes("غضب بعد الإفراج عن ناشطة في الرياض") == ["Other"]


@pytest.mark.parametrize("text", [
    "إسرائيل تهدد بغارات جوية على غزة",  # a threat: no incident (past_causes not involved)
    "الجيش يخطط لهجوم على المدينة بعد الانتخابات",  # the cause comes after the trigger
])
def test_plans_stay_no_events(text):
    assert subtypes(text) == []


# ---- a town destroyed on its people is a bombardment; the coalitions strike from the air (sixth session)

def test_a_town_destroyed_on_its_residents_is_a_bombardment():
    assert subtypes("دمرت الطائرات الحربية البلدة فوق رؤوس ساكنيها في ريف حماة") == ["Air/drone strike"]
    assert subtypes("دمر الجيش الحي فوق رؤوس سكانه في مدينة درعا") == ["Shelling/artillery/missile attack"]
    # the residents alone, with no destruction over them, are no event
    assert subtypes("ارتفع عدد سكانها إلى مليون نسمة في مدينة درعا") == []


def test_the_coalitions_bomb_from_the_air():
    assert subtypes("قصف التحالف الدولي مواقع لتنظيم داعش في ريف دير الزور") == ["Air/drone strike"]
    assert subtypes("التحالف العربي يقصف مواقع للحوثيين في صعدة") == ["Air/drone strike"]
    # an army's shelling stays shelling
    assert subtypes("قصف الجيش السوري مواقع لتنظيم داعش في ريف دير الزور") == ["Shelling/artillery/missile attack"]


# ---- seventh session: a list of incidents after a colon, and a build-up's sides

def _sides(e: dict[str, Any]) -> tuple[str | None, str | None]:
    return (e["actor1"] or {}).get("text"), (e["actor2"] or {}).get("text")


def test_a_list_of_strikes_after_a_colon_is_one_event_per_item():
    text = ("شنت الطائرات الروسية غارات على ريف إدلب: منها على مستشفى في معرة النعمان، ومنها على سوق شعبي في سراقب، "
            "وحتى الغارات التي استهدفت قوات النظام.")
    events = _events(text)
    assert [e["sub_event_type"] for e in events] == ["Air/drone strike"] * 3
    assert [e["fields"]["item"]["words"] for e in events] == [
        "منها على مستشفى في معرة النعمان", "ومنها على سوق شعبي في سراقب", "وحتى الغارات التي استهدفت قوات النظام"]
    # all are the trigger's actor's; each item's own side is the one hit, and its own place is where
    assert [_sides(e) for e in events] == [("الطائرات الروسية", None), ("الطائرات الروسية", None),
                                           ("الطائرات الروسية", "قوات النظام")]
    assert [e["location"]["text"] for e in events] == ["معرة النعمان", "سراقب", "معرة النعمان"]
    assert [e["fields"]["location"]["rule"] for e in events] == ["listed-item-place", "listed-item-place", "sentence-place"]
    for e in events:
        start, end = e["fields"]["item"]["start"], e["fields"]["item"]["end"]
        assert text[start:end] == e["fields"]["item"]["words"]


def test_a_colon_without_a_list_of_items_keeps_one_event():
    # no "منها ... ومنها": what follows the colon names the targets of one series of strikes
    assert subtypes("شنت الطائرات الروسية غارات على ريف إدلب: مستشفى في معرة النعمان وسوق شعبي في سراقب.") == \
        ["Air/drone strike"]
    # one item is no list
    assert subtypes("شنت الطائرات الروسية غارات على ريف إدلب: منها غارات على مستشفى في معرة النعمان.") == \
        ["Air/drone strike"]


def test_a_build_up_has_no_target_only_an_ally():
    [e] = _events("حشد الجيش السوري آلاف الجنود على خطوط التماس مع هيئة تحرير الشام في ريف إدلب.")
    assert e["sub_event_type"] == "Other" and _sides(e) == ("الجيش السوري", None)
    # the ally named with it is its second side, not the enemy it fights ("في قتال داعش")
    [e] = _events("حشد الجيش الأمريكي وحليفه على الأرض في قتال داعش قوات سوريا الديمقراطية مئات المقاتلين "
                  "قرب مواقع داعش في دير الزور.")
    assert _sides(e) == ("الجيش الأمريكي", "قوات سوريا الديمقراطية")
    assert e["fields"]["actor2"]["rule"] == "massing-ally"


def test_the_lead_sentence_places_a_story_without_a_headline():
    # Hajin is named three times, but the lead places the story in the east of Deir ez-Zor's countryside:
    # an incident whose sentence names no place falls back to the lead's place (as ACLED coders read a report)
    text = ("تقدمت قوات سوريا الديمقراطية في ريف دير الزور الشرقي خلال الأسبوع الماضي وسط مقاومة عنيفة. "
            "وسيطرت القوات على أطراف بلدة هجين بعد معارك. وقال قيادي إن بلدة هجين ستسقط قريبا، وإن سكان هجين نزحوا. "
            "وفي الأيام الأخيرة بدأت معركة جديدة ضد داعش.")
    last = _events(text)[-1]
    assert last["evidence"]["text"].startswith("وفي الأيام الأخيرة")
    assert last["location"]["text"] == "ريف دير الزور الشرقي"
    assert last["fields"]["location"]["rule"] == "document-focus"
    # a lead that names no specific place leaves the most named one
    text2 = "تقدمت القوات في المنطقة وسط مقاومة عنيفة. " + text.split(". ", 1)[1]
    assert _events(text2)[-1]["location"]["text"] == "هجين"
