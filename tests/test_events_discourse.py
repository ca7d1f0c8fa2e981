"""Events: rules that read beyond the trigger's clause (issue 6, golden tests on the seeds).

Each rule of ``data/events/events.toml`` and ``events.py`` added for the seeds' gold is tested here on
sentences written for these tests in the style of Arabic news, never on the seeds' own sentences:
one event for each place a capture lists, a capture of "the areas" taking back the places just
taken, the headline's place as the document's place, an anaphoric actor named by its antecedent,
a side in a time clause that is no party, a dating or role phrase that is no incident, the killed
and wounded together that are no count, and a quotation that ends before the writer's words.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

import marsad

PUBLISHED = "2018-11-05"


@cache
def extract(text: str):
    return marsad.extract(text, published=PUBLISHED)


def events(text: str) -> list[dict[str, Any]]:
    return [a.data for a in extract(text).layer("events")]


def of_type(text: str, sub: str) -> list[dict[str, Any]]:
    return [e for e in events(text) if e["sub_event_type"] == sub]


def side(e: dict[str, Any], name: str) -> str | None:
    return (e[name] or {}).get("text")


# ---- a capture takes each place it lists (settlement_nouns, the list rules)

@pytest.mark.parametrize("text, places", [
    # joined by "و" and settlement nouns
    ("سيطرت قوات النظام على قرية كفرنبودة وقرية الهبيط وبلدة قلعة المضيق في ريف حماة الشمالي.",
     ["كفرنبودة", "الهبيط", "قلعة المضيق"]),
    # a short description that ends in a colon introduces the list
    ("سيطرت قوات النظام على مدينة الميادين، والبلدتين المجاورتين لها: العشارة والقورية.",
     ["الميادين", "العشارة", "والقورية"]),
], ids=["conjunctions", "colon"])
def test_a_capture_is_one_event_for_each_place_it_lists(text, places):
    found = of_type(text, "Government regains territory")
    assert sorted(e["location"]["text"] for e in found) == sorted(places)
    assert all(side(e, "actor1") == "قوات النظام" and e["trigger"]["text"] == "سيطرت" for e in found)


def test_a_place_after_another_word_is_no_member_of_the_list():
    # "في ريف حماة" says where the villages are: not a third village taken
    found = of_type("سيطرت فصائل المعارضة على بلدة مورك وبلدة اللطامنة في ريف حماة.", "Non-state actor overtakes territory")
    assert sorted(e["location"]["text"] for e in found) == ["اللطامنة", "مورك"]


def test_a_place_in_another_province_is_no_member_of_the_list():
    # the list of villages taken lies in one province: a word the gazetteer places elsewhere is read out of it
    text = "سيطرت فصائل المعارضة على مدينة خان شيخون، والبلدات المحيطة بها: مورك واللطامنة."
    assert [e["location"]["text"] for e in of_type(text, "Non-state actor overtakes territory")] == ["خان شيخون"]


def test_a_single_place_is_one_capture():
    found = of_type("سيطرت قوات النظام على بلدة مورك في ريف حماة الشمالي.", "Government regains territory")
    assert [e["location"]["text"] for e in found] == ["مورك"]


def test_a_capture_without_a_place_takes_back_the_places_just_taken():
    text = "سيطرت فصائل المعارضة على بلدة مورك وبلدة اللطامنة في ريف حماة. واستعادت قوات النظام لاحقاً البلدتين."
    back = of_type(text, "Government regains territory")
    assert sorted(e["location"]["text"] for e in back) == ["اللطامنة", "مورك"]
    assert all(e["fields"]["location"]["rule"] == "previous-capture" for e in back)
    # ... from the side that had taken them
    assert all(side(e, "actor1") == "قوات النظام" and side(e, "actor2") == "فصائل المعارضة" for e in back)
    assert len(of_type(text, "Non-state actor overtakes territory")) == 2


def test_a_capture_far_from_the_last_one_does_not_take_its_places():
    text = ("سيطرت فصائل المعارضة على بلدة مورك في ريف حماة. وقالت مصادر محلية إن الأهالي عادوا إلى منازلهم. "
            "وأكد ناشطون أن الحياة عادت إلى طبيعتها. واستعادت قوات النظام السيطرة على المنطقة.")
    back = of_type(text, "Government regains territory")
    assert back and all(e["fields"]["location"]["rule"] != "previous-capture" for e in back)


# ---- the document's place: its headline's, else its most named

def test_an_event_without_a_place_is_placed_at_the_headline_place():
    text = "تصعيد في درعا\nقصفت قوات النظام بلدة نوى بالمدفعية. ودارت اشتباكات عنيفة في نوى وطفس. وأعلنت الفصائل إسقاط طائرة استطلاع."
    [e] = of_type(text, "Disrupted weapons use")
    assert e["location"]["text"] == "درعا" and e["fields"]["location"]["rule"] == "document-focus"
    # the events that name their place keep it
    assert of_type(text, "Shelling/artillery/missile attack")[0]["location"]["text"] == "نوى"


def test_without_a_headline_the_most_named_place_is_the_focus():
    text = "قصفت قوات النظام بلدة نوى بالمدفعية في درعا. ودارت اشتباكات عنيفة في نوى. وأعلنت الفصائل إسقاط طائرة استطلاع."
    [e] = of_type(text, "Disrupted weapons use")
    assert e["location"]["text"] == "نوى" and e["fields"]["location"]["rule"] == "document-focus"


# ---- actors

def test_an_anaphoric_actor_is_named_by_its_antecedent():
    text = "تقدمت قوات سوريا الديمقراطية في ريف الرقة الشمالي. وسيطرت القوات على قرية الكالطة."
    [e] = of_type(text, "Non-state actor overtakes territory")
    assert e["actor1"]["actor_id"] == "sy-sdf"
    assert e["actor1"]["text"] == "قوات سوريا الديمقراطية"
    assert e["actor1"]["mention"]["text"] == "القوات"
    doc = extract(text)
    for span in (e["actor1"], e["actor1"]["mention"]):
        assert doc.text[span["start"]:span["end"]] == span["text"]


@pytest.mark.parametrize("opener", ["بعد أن", "عندما"])
def test_a_side_in_a_time_clause_is_no_party(opener):
    # subordinators: the Turkish army stopped its operations; it did not lose the town
    text = f"سيطرت هيئة تحرير الشام على بلدة مورك {opener} أوقف الجيش التركي عملياته."
    [e] = of_type(text, "Non-state actor overtakes territory")
    assert side(e, "actor1") == "هيئة تحرير الشام" and e["actor2"] is None
    [stop] = of_type(text, "Change to group/activity")
    assert side(stop, "actor1") == "الجيش التركي" and stop["actor2"] is None


def test_a_side_in_the_same_clause_is_still_the_other_side():
    text = "سيطرت هيئة تحرير الشام على بلدة مورك وأوقف الجيش التركي عملياته."
    [e] = of_type(text, "Non-state actor overtakes territory")
    assert side(e, "actor2") == "الجيش التركي"


# ---- no incident

def test_a_battle_that_dates_an_attack_is_no_event_of_its_own():
    # time_frames: "في بداية المعركة" says when the attack came
    text = "قالت مصادر محلية إن هجوم المسلحين في بداية المعركة على مخيم للنازحين أسفر عن مقتل 5 مدنيين."
    assert [e["trigger"]["text"] for e in events(text)] == ["هجوم"]


def test_a_battle_reported_on_its_own_is_still_an_event():
    assert of_type("دارت معركة عنيفة في بلدة مورك بين الجيش والفصائل.", "Armed clash")


@pytest.mark.parametrize("ally", ["وحليفها", "وحليفتها"])
def test_an_ally_in_fighting_names_a_role(ally):
    # allies: "حليفها في قتال الأكراد" is who it fights beside, not a fight reported
    text = f"وصلت تعزيزات تركيا {ally} في قتال الأكراد الجيش الوطني السوري إلى منبج."
    assert not of_type(text, "Armed clash")
    assert of_type("اندلع قتال عنيف بين الجيش الوطني السوري والأكراد في منبج.", "Armed clash")


# ---- fatalities

def test_the_killed_and_wounded_together_are_no_count_of_the_dead():
    # not_victims: "جريح" after "قتيل" ("بين قتيل وجريح") makes a total without a split (the guideline: null)
    [e] = of_type("وقعت اشتباكات عنيفة بين الجيش والمسلحين في مدينة درعا سقط فيها العشرات بين قتيل وجريح.", "Armed clash")
    assert e["fatalities"] is None
    assert side(e, "actor2") == "والمسلحين"


def test_one_named_victim_is_still_one_dead():
    [e] = events("أعلنت الشرطة مقتل ضابط في هجوم مسلح على حاجز في مدينة العريش.")
    assert e["fatalities"] == 1


# ---- attribution

def test_an_event_after_a_closing_quotation_mark_is_the_writers():
    text = "يقول أحد السكان ” لم نعد نشعر بالأمان في المدينة أبدا ” حينما اعتقلت قوات الأمن عشرات الشبان في درعا."
    [e] = of_type(text, "Arrests")
    assert e["attributed"] is False
    [claim] = extract(text).layer("claims")
    assert claim.data["content"]["text"] == "لم نعد نشعر بالأمان في المدينة أبدا"


def test_an_event_in_the_content_is_still_attributed():
    [e] = of_type("يقول أحد السكان إن قوات الأمن اعتقلت عشرات الشبان في درعا.", "Arrests")
    assert e["attributed"] is True


@pytest.mark.parametrize("text, dead", [
    ("سقط قتلى وجرحى في قصف جوي على موقع عسكري شرق البلاد.", None),  # killed and wounded, no split
    ("أعلنت الشرطة مقتل شخص في هجوم مسلح على حاجز في مدينة العريش.", 1),  # one person
])
def test_a_killing_word_before_the_wounded_or_a_person(text, dead):
    assert [e["fatalities"] for e in events(text)] == [dead]
