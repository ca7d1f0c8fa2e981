"""Claims: the rules added for the training headlines (fifth session), each with a sentence that
has the claim and one that has not.

The sentences are written for these tests in the style of Arabic news headlines and reports.
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


def claims(text: str) -> list[dict[str, Any]]:
    return [a.data for a in extract(text).layer("claims")]


def speakers(text: str) -> list[tuple[str, str]]:
    """(speaker, cue) of each claim."""
    return [(c["speaker"]["text"], c["cue"]["text"]) for c in claims(text)]


def test_spans_are_text() -> None:
    for text in [x[0] for x in HAS] + NONE:
        doc = extract(text)
        for ann in doc.layer("claims"):
            c = ann.data
            for name in ("speaker", "cue", "content"):
                span = c[name]
                assert span["text"] == doc.text[span["start"]:span["end"]], (text, name)
            assert not (c["content"]["start"] < c["speaker"]["end"] and c["speaker"]["start"] < c["content"]["end"])


HAS = [
    # (text, speaker, cue): the claim that must be found
    # a headline's "X لـY: ...": X speaks to the outlet Y
    ("وزير الدفاع العراقي خالد العبيدي للجزيرة: القوات ستدخل المدينة قريبا",
     "وزير الدفاع العراقي خالد العبيدي", "للجزيرة:"),
    # reporting nouns whose genitive is the one blamed: the speaker comes after "من"
    ("تحذير من الأمم المتحدة بشأن تدهور الوضع الإنساني في المدينة", "الأمم المتحدة", "تحذير"),
    ("دعوة للسكان في الأحياء الشرقية من الجيش السوري لمغادرة منازلهم", "الجيش السوري", "دعوة"),
    # "حمّل ... المسؤولية": holds responsible
    ("إيران تحمل واشنطن مسؤولية الهجوم على السفارة", "إيران", "تحمل"),
    ("حملت الحكومة العراقية التنظيم مسؤولية التفجير في بغداد", "الحكومة العراقية", "حملت"),
    # "نقل" with its source after it
    ("نقلت وكالة رويترز عن مصدر أمني أن الهجوم وقع ليلا", "وكالة رويترز", "نقلت"),
    # a relative clause: the antecedent, a known name or place, speaks
    ("وصل الوزير إلى أنقرة التي تطالب بتسليم المطلوبين", "أنقرة", "تطالب"),
    # a verb joined to a statement in the same sentence has its subject
    ("الولايات المتحدة تحمل إيران مسؤولية الهجوم وتتوعد برد قاس", "الولايات المتحدة", "وتتوعد"),
    # a one-word object after a known name's cue
    ("قصف على مدينة تعز و الأمم المتحدة تدين الهجوم", "الأمم المتحدة", "تدين"),
    # an imperfect verb with an object pronoun, then "بأن"
    ("اتهام للحكومة باعتقال صحفي بارز والإعلام الرسمي يصفه بأنه جاسوس أجنبي", "والإعلام الرسمي", "يصفه"),
    # a prepositional phrase before the cue is no speaker: the subject follows the verb
    ("وفي دمشق قال مصدر عسكري إن الطريق الدولي فتح من جديد.", "مصدر عسكري", "قال"),
    ("وفي موسكو أصدرت الخارجية الروسية بيانا قالت فيه إن الهجوم مرفوض.", "الخارجية الروسية", "قالت"),
    # content before a cue after "كما"
    ("قتل ثلاثة أشخاص في انفجار سيارة مفخخة وسط المدينة كما أفادت الشرطة المحلية.", "الشرطة المحلية", "أفادت"),
    # "بأنه" ends the speaker
    ("صرح المتحدث باسم الجيش بأنه لن ينسحب من المنطقة", "المتحدث باسم الجيش", "صرح"),
    # a reporting noun: a known name after it ends the speaker, the rest is the content
    ("اجتماع طارئ بعد القصف و إعلان روسيا عدم وجود أدلة على الهجوم", "روسيا", "إعلان"),
    # orders
    ("الرئيس العراقي يأمر بإطلاق سراح المعتقلين", "الرئيس العراقي", "يأمر"),
]


@pytest.mark.parametrize(("text", "speaker", "cue"), HAS, ids=[x[2] + "-" + str(k) for k, x in enumerate(HAS)])
def test_claim_found(text: str, speaker: str, cue: str) -> None:
    assert (speaker, cue) in speakers(text), speakers(text)


NONE = [
    # headline topics before a colon: an incident or an affair, not a speaker
    "اغتيال الصحفي: الشرطة تعتقل ثلاثة مشتبه بهم",
    "الانتخابات العراقية: إغلاق مراكز الاقتراع في بغداد",
    # reporting nouns whose genitive is the one blamed, with no one after "من"
    "اتهامات للجيش باستخدام أسلحة محرمة في الحرب",
    "اتهام الحوثيين بقصف الأحياء السكنية",
    "تم اتهام الميليشيات بتعذيب المعتقلين",
    # "حمل" without "مسؤولية": carries; "تحمل مسؤولية" right after: bears
    "الجنود يحملون السلاح في شوارع المدينة",
    "على الجميع تحمل مسؤولية هذا الوضع",
    # "نقل" without a source: transport
    "تحطم طائرة نقل عسكرية قرب المطار",
    # declaring a state, passing a law: acts, not statements
    "أعلنت الحكومة حالة الطوارئ في البلاد",
    "البرلمان يقر قانونا جديدا للانتخابات",
    # a verbal noun after ل, ب or a preposition
    "زيارة تهدف لكشف ملابسات الحادث",
    "آمال كبيرة بشأن كشف مصير المفقودين",
    # a protest demands, nobody speaks
    "مظاهرات تطالب برحيل الحكومة في العاصمة",
    # a noun in taa marbuta is no verb with a pronoun; an imperfect verb with a pronoun and no "بأن"
    "وتذكرة السفر غالية جدا",
    "المباراة التي لن يذكره أحد",
]


@pytest.mark.parametrize("text", NONE)
def test_no_claim(text: str) -> None:
    assert speakers(text) == []


def test_colon_label_still_speaks() -> None:
    # a name before the colon still speaks
    assert speakers("الحكومة العراقية: الوضع الأمني تحت السيطرة") == [("الحكومة العراقية", ":")]


def test_outlet_inside_a_name() -> None:
    # a "ل" word inside the name that opens the line is no outlet
    found = speakers("المجلس الأعلى للإعلام في مصر: المسلسل لا يسيء لأحد")
    assert ("المجلس الأعلى", "للإعلام في مصر:") not in found


def test_accusation_with_its_speaker_as_genitive() -> None:
    # "اتهام X Y بـ": X, a known name followed by the one blamed, accuses
    found = speakers("جاء ذلك بعد يوم من اتهام الرئيس الروسي فلاديمير بوتين المخابرات الأوكرانية بالتخطيط للهجوم.")
    assert any("فلاديمير بوتين" in s and cue == "اتهام" for s, cue in found), found


def test_relative_with_its_own_subject() -> None:
    # "التي تقول إسرائيل إنها": the relative clause has its own subject, who speaks
    found = speakers("تجاوزت العملية التي تقول إسرائيل إنها تستهدف المسلحين حدود المدينة.")
    assert ("إسرائيل", "تقول") in found, found
    # an object pronoun: "الذي يعتبره المدرب": the coach speaks, not the player
    found = speakers("تعاقد النادي مع اللاعب الذي يعتبره المدرب أفضل مهاجم في الدوري.")
    assert all(s != "اللاعب" for s, _cue in found), found


def test_joined_verb_with_its_own_subject() -> None:
    # "وتقول المعارضة إن": a joined verb with its own subject and "إن" is verb first
    found = speakers("الحكومة تدين الهجوم وتقول المعارضة إن القصف مستمر")
    assert ("المعارضة", "وتقول") in found, found


def test_no_speaker_after_a_preposition_phrase() -> None:
    # "... وتتهمه بالتقصير": no content before the cue and "بالتقصير" is no speaker
    found = speakers("النيابة تحبس المسؤول على ذمة التحقيق وتتهمه بالتقصير")
    assert all(not s.startswith("بال") for s, _cue in found), found
