"""Claims: each pattern of ``marsad.events.claims`` (verb first, speaker first, cue after the content,
"according to", a headline's colon, the same speaker continuing, a reporting noun, a cue with an object
pronoun), the stance each cue gives, and what is not a claim.

The sentences are written for these tests in the style of Arabic news.
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


def only_claim(text: str) -> dict[str, Any]:
    found = claims(text)
    assert len(found) == 1, f"expected one claim in {text!r}, got {[(c['speaker']['text'], c['cue']['text']) for c in found]}"
    return found[0]


def parts(c: dict[str, Any]) -> tuple[str, str, str, str, str]:
    return c["speaker"]["text"], c["cue"]["text"], c["content"]["text"], c["stance"], c["pattern"]


def assert_spans_are_text(doc) -> None:
    for ann in doc.layer("claims"):
        c = ann.data
        for name in ("speaker", "cue", "content"):
            span = c[name]
            assert span["text"] == doc.text[span["start"]:span["end"]], name
            assert span["text"].strip() == span["text"] and span["text"], name
            assert ann.start <= span["start"] <= span["end"] <= ann.end
        assert ann.text == doc.text[ann.start:ann.end]
        assert c["stance"] in ("assert", "deny", "accuse")
        assert ann.label == c["stance"]
        # the speaker is not part of what is said
        assert not (c["content"]["start"] < c["speaker"]["end"] and c["speaker"]["start"] < c["content"]["end"])


# --------------------------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------------------------

PATTERNS = [
    # (text, speaker, cue, content, stance, pattern)
    ("وقالت منظمة العفو الدولية إن قوات الأمن اعتقلت عشرات الناشطين في مدينة البصرة.",
     "منظمة العفو الدولية", "وقالت", "قوات الأمن اعتقلت عشرات الناشطين في مدينة البصرة", "assert", "verb-first"),
    ("قال مصدر عسكري إن الطريق الدولي أغلق بالكامل.",
     "مصدر عسكري", "قال", "الطريق الدولي أغلق بالكامل", "assert", "verb-first"),
    ("المسؤولون أكدوا أن الهجوم أسفر عن أضرار كبيرة في المطار.",
     "المسؤولون", "أكدوا", "الهجوم أسفر عن أضرار كبيرة في المطار", "assert", "speaker-first"),
    ("مصادر محلية ذكرت أن القوات سيطرت على البلدة.",
     "مصادر محلية", "ذكرت", "القوات سيطرت على البلدة", "assert", "speaker-first"),
    ("تم إسقاط طائرة مسيرة فوق القاعدة العسكرية، قال مصدر عسكري.",
     "مصدر عسكري", "قال", "تم إسقاط طائرة مسيرة فوق القاعدة العسكرية", "assert", "cue-after-content"),
    ("بحسب وكالة الأنباء الرسمية، اندلع الحريق في مستودع للوقود.",
     "وكالة الأنباء الرسمية", "بحسب", "اندلع الحريق في مستودع للوقود", "assert", "according"),
    ("قتل 5 مدنيين في غارة جوية على بلدة سراقب، بحسب المرصد السوري لحقوق الإنسان.",
     "المرصد السوري لحقوق الإنسان", "بحسب", "قتل 5 مدنيين في غارة جوية على بلدة سراقب", "assert", "according"),
    ("أغلق الطريق الدولي بالكامل، وفقا لـ مصادر محلية.",
     "مصادر محلية", "وفقا لـ", "أغلق الطريق الدولي بالكامل", "assert", "according"),
    ("أغلق الطريق الدولي بالكامل نقلا عن مصادر محلية.",
     "مصادر محلية", "نقلا عن", "أغلق الطريق الدولي بالكامل", "assert", "according"),
    ("حماس: الاحتلال يتحمل مسؤولية التصعيد في قطاع غزة",
     "حماس", ":", "الاحتلال يتحمل مسؤولية التصعيد في قطاع غزة", "assert", "colon"),
    ("الجيش العراقي: استعدنا السيطرة على كامل الحدود",
     "الجيش العراقي", ":", "استعدنا السيطرة على كامل الحدود", "assert", "colon"),
    ("وقال مصدر في الجيش إن الطريق أغلق بالكامل.",
     "مصدر في الجيش", "وقال", "الطريق أغلق بالكامل", "assert", "verb-first"),
    ('وقالت صحيفة "القدس العربي" إن الطريق أغلق بالكامل.',
     'صحيفة "القدس العربي"', "وقالت", "الطريق أغلق بالكامل", "assert", "verb-first"),
    ("وقالت صحيفة «الشرق الأوسط» إن الطريق أغلق بالكامل.",
     "صحيفة «الشرق الأوسط»", "وقالت", "الطريق أغلق بالكامل", "assert", "verb-first"),
    # stances
    ("نفى المتحدث باسم الجيش أن تكون قواته قد قصفت القرية.",
     "المتحدث باسم الجيش", "نفى", "تكون قواته قد قصفت القرية", "deny", "verb-first"),
    ("وتنفي الحكومة أن تكون قواتها قد قصفت القرية.",
     "الحكومة", "وتنفي", "تكون قواتها قد قصفت القرية", "deny", "verb-first"),
    ("المعارضة السورية تتهم الحكومة بأنها تعرقل المفاوضات.",
     "المعارضة السورية", "تتهم", "الحكومة بأنها تعرقل المفاوضات", "accuse", "speaker-first"),
    ("وتتهم منظمات حقوقية أن القوات الحكومية تعرقل دخول المساعدات.",
     "منظمات حقوقية", "وتتهم", "القوات الحكومية تعرقل دخول المساعدات", "accuse", "verb-first"),
]


@pytest.mark.parametrize(("text", "speaker", "cue", "content", "stance", "pattern"), PATTERNS,
                         ids=[f"{i}-{p[5]}-{p[4]}" for i, p in enumerate(PATTERNS)])
def test_claim_patterns(text, speaker, cue, content, stance, pattern):
    c = only_claim(text)
    assert parts(c) == (speaker, cue, content, stance, pattern)
    assert_spans_are_text(extract(text))


@pytest.mark.parametrize(("text", "cue"), [
    ("واتهمت وزارة الخارجية التركية في بيان أن القوات الكردية تقف وراء التفجير.", "واتهمت"),
    ("واتهم المرصد السوري لحقوق الإنسان قوات النظام بقصف بلدة سراقب.", "واتهم"),
    ("وأدانت وزارة الخارجية الأردنية، في بيان، الهجوم الذي استهدف السفارة.", "وأدانت"),
    ("وأدان الأمين العام للأمم المتحدة الهجوم على المدنيين.", "وأدان"),
], ids=["ittahamat-an", "ittaham-bi", "adanat", "adan"])
def test_accusing_and_condemning_cues_accuse(text, cue):
    c = only_claim(text)
    assert c["cue"]["text"] == cue
    assert c["stance"] == "accuse"


def test_denial_participle_denies():
    text = "وقال وزير الدفاع إن قواته لم تدخل المدينة، نافيا أن تكون قد قصفت أي منشأة مدنية."
    found = claims(text)
    assert [(c["cue"]["text"], c["stance"]) for c in found] == [("وقال", "assert"), ("نافيا", "deny")]
    assert found[1]["speaker"]["text"] == "وزير الدفاع"


def test_same_speaker_in_the_next_sentence():
    text = "وقال وزير الخارجية إن بلاده ترفض أي تدخل خارجي. وأضاف أن الحكومة ستعقد اجتماعا طارئا غدا."
    first, second = claims(text)
    assert parts(first)[:2] == ("وزير الخارجية", "وقال")
    assert parts(second) == ("وزير الخارجية", "وأضاف", "الحكومة ستعقد اجتماعا طارئا غدا", "assert", "same-speaker")
    assert second["speaker"]["start"] == first["speaker"]["start"]  # the very words that named the speaker


def test_same_speaker_with_a_participle():
    text = "وقال وزير الخارجية إن بلاده ترفض أي تدخل خارجي، مؤكدا أن الحكومة ستعقد اجتماعا طارئا غدا."
    found = claims(text)
    assert [parts(c)[:2] for c in found] == [("وزير الخارجية", "وقال"), ("وزير الخارجية", "مؤكدا")]
    assert found[1]["pattern"] == "same-speaker"
    assert found[1]["content"]["text"] == "الحكومة ستعقد اجتماعا طارئا غدا"


def test_a_reporting_noun_and_its_genitive_speaker():
    text = "وعادت تصريحات الخارجية الروسية لتؤكد رفض موسكو لأي عملية عسكرية في إدلب."
    first = claims(text)[0]
    assert parts(first)[:2] == ("الخارجية الروسية", "تصريحات")
    assert first["pattern"] == "reporting-noun"
    assert first["speaker_actor"] == "ru-mfa"
    assert "رفض موسكو لأي عملية عسكرية في إدلب" in first["content"]["text"]


def test_a_cue_with_an_object_pronoun():
    text = "وهي الأنباء التي أكدتها منظمة العفو الدولية، مشيرة إلى أن القصف طال مستشفى البلدة."
    first = claims(text)[0]
    assert parts(first)[:2] == ("منظمة العفو الدولية", "أكدتها")
    assert first["pattern"] == "verb-first"
    assert first["speaker_actor"] == "amnesty"
    assert_spans_are_text(extract(text))


def test_speaker_actor_is_set_for_known_actors():
    assert only_claim("وقالت منظمة العفو الدولية إن قوات الأمن اعتقلت عشرات الناشطين في مدينة البصرة.")["speaker_actor"] == "amnesty"
    assert only_claim("حماس: الاحتلال يتحمل مسؤولية التصعيد في قطاع غزة")["speaker_actor"] == "ps-hamas"
    assert only_claim("وقال المتحدث باسم الخارجية الروسية إن موسكو ترفض أي عملية عسكرية في إدلب.")["speaker_actor"] == "ru-mfa"


def test_no_speaker_actor_for_an_unknown_speaker():
    assert "speaker_actor" not in only_claim("قال مصدر عسكري إن الطريق الدولي أغلق بالكامل.")


def test_claims_in_the_contract():
    contract = extract("وقالت منظمة العفو الدولية إن قوات الأمن اعتقلت عشرات الناشطين في مدينة البصرة.").to_contract()
    [c] = contract["claims"]
    assert {"speaker", "cue", "content", "stance"} <= set(c)
    for name in ("speaker", "cue", "content"):
        assert set(c[name]) >= {"start", "end", "text"}


# --------------------------------------------------------------------------------------------
# Not claims
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "لم تقتصر الأضرار على المدينة فحسب بل امتدت إلى القرى المجاورة.",  # "فحسب" (only) is not "حسب"
    "وصلت المساعدات إلى المدينة فحسب، دون أن توزع على السكان.",
    "وقال مصدر.",  # a cue and a speaker, nothing said
    "قال إن الوضع مستقر.",  # a cue with no speaker named anywhere
    "وأضاف أن الحكومة ستعقد اجتماعا طارئا غدا.",  # a continuation with nobody before it
    "ارتفعت أسعار الخضار في الأسواق المحلية خلال الأسبوع الماضي.",
    "",
], ids=["fahasb", "fahasb-comma", "no-content", "no-speaker", "continuation-alone", "no-cue", "empty"])
def test_no_claim(text):
    assert claims(text) == []


def test_every_span_is_text_of_the_document():
    texts = [p[0] for p in PATTERNS] + [
        "وقال وزير الخارجية إن بلاده ترفض أي تدخل خارجي. وأضاف أن الحكومة ستعقد اجتماعا طارئا غدا.",
        "وعادت تصريحات الخارجية الروسية لتؤكد رفض موسكو لأي عملية عسكرية في إدلب.",
        "وقال وزير الدفاع إن قواته لم تدخل المدينة، نافيا أن تكون قد قصفت أي منشأة مدنية.",
    ]
    for text in texts:
        doc = extract(text)
        assert doc.layer("claims"), text
        assert_spans_are_text(doc)


def test_many_claims_in_a_long_text():
    paragraph = "وقال مصدر عسكري إن الطريق أغلق بالكامل. وأضاف أن القوات تتقدم نحو البلدة. "
    doc = marsad.extract(paragraph * 100, published=PUBLISHED)
    found = [c.data for c in doc.layer("claims")]
    assert len(found) == 200
    assert {c["speaker"]["text"] for c in found} == {"مصدر عسكري"}
    assert_spans_are_text(doc)


# --------------------------------------------------------------------------------------------
# Known gaps
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["وفقا لمصادر محلية، أغلق الطريق الدولي بالكامل.",
                                  "أغلق الطريق الدولي بالكامل، وفقاً لمصادر محلية."], ids=["before", "after-tanwin"])
def test_according_to_with_attached_lam(text):
    c = only_claim(text)
    assert c["speaker"]["text"] == "مصادر محلية"
    assert c["content"]["text"] == "أغلق الطريق الدولي بالكامل"


def test_according_to_then_fa_inna():
    c = only_claim("وبحسب وكالة الأنباء الرسمية فإن الحريق اندلع في مستودع للوقود.")
    assert c["speaker"]["text"] == "وكالة الأنباء الرسمية"
    assert c["content"]["text"] == "الحريق اندلع في مستودع للوقود"


def test_according_to_what_x_said():
    c = only_claim("وفقا لما ذكرته مصادر محلية، أغلق الطريق الدولي بالكامل.")
    assert c["speaker"]["text"] == "مصادر محلية"


@pytest.mark.parametrize(("text", "speaker"), [
    pytest.param("وأدانت وزارة الخارجية الهجوم الذي استهدف السفارة.", "وزارة الخارجية", id="adanat"),
    pytest.param("وتنفي الحكومة أي مسؤولية عن الحادث.", "الحكومة", id="tanfi"),
    pytest.param("واتهمت الحكومة السورية المعارضة بأنها تقف وراء التفجير.", "الحكومة السورية", id="ittahamat"),
    # a known name is never cut, though a definite word follows a definite one inside it
    pytest.param("واتهم المرصد السوري لحقوق الإنسان القوات الحكومية بقصف البلدة.", "المرصد السوري لحقوق الإنسان",
                 id="known-name"),
])
def test_the_speaker_stops_before_the_object(text, speaker):
    assert only_claim(text)["speaker"]["text"] == speaker


def test_accusation_with_ba():
    c = only_claim("واتهمت الحكومة المعارضة بالوقوف وراء التفجير.")
    assert (c["speaker"]["text"], c["stance"]) == ("الحكومة", "accuse")


def test_object_pronoun_cue_after_a_noun():
    c = only_claim("وهي أنباء أكدتها منظمة العفو الدولية في تقرير صدر اليوم.")
    assert c["speaker"]["text"] == "منظمة العفو الدولية"


def test_same_speaker_in_the_same_sentence():
    found = claims("قال مصدر عسكري إن الطريق أغلق، وأضاف أن القوات تتقدم نحو البلدة.")
    assert [c["speaker"]["text"] for c in found] == ["مصدر عسكري", "مصدر عسكري"]


def test_hasbama_afada():
    c = only_claim("تقدمت القوات نحو البلدة، حسبما أفاد ناشطون.")
    assert c["speaker"]["text"] == "ناشطون"
    assert c["content"]["text"] == "تقدمت القوات نحو البلدة"


# ---- headline labels, and a speaker that stops before its object (sentences written for these tests)

@pytest.mark.parametrize("text", [
    "سوريا: مقتل 5 مدنيين في قصف على ريف إدلب",
    "الحرب في اليمن: غارات على صنعاء",
    "بالصور: دمار واسع في البلدة بعد القصف",
])
def test_a_topic_label_before_a_colon_is_no_speaker(text):
    assert not [c for c in claims(text) if c["pattern"] == "colon"]


@pytest.mark.parametrize(("text", "speaker"), [
    ("حماس: الاحتلال يتحمل مسؤولية التصعيد", "حماس"),
    ("الجيش الإسرائيلي: قصفنا مواقع في جنوب لبنان", "الجيش الإسرائيلي"),
])
def test_a_known_actor_before_a_colon_speaks(text, speaker):
    assert only_claim(text)["speaker"]["text"] == speaker


@pytest.mark.parametrize(("text", "speaker"), [
    ("أعلن الحوثيون توقف العمليات العسكرية في البحر", "الحوثيون"),
    ("وقال المتحدث باسم الجيش عبر حسابه إن القوات تتقدم", "المتحدث باسم الجيش"),
    ("ونفى الرئيس الروسي فلاديمير بوتين الاتهامات الغربية", "الرئيس الروسي فلاديمير بوتين"),
    ("وأفادت وكالة \"سانا\" للأنباء بوقوع انفجار في المدينة", "وكالة \"سانا\""),
])
def test_a_verb_first_speaker_ends_where_the_object_begins(text, speaker):
    assert only_claim(text)["speaker"]["text"] == speaker


@pytest.mark.parametrize(("text", "speaker", "stance"), [
    ("طالبت منظمة العفو الدولية بالإفراج عن المعتقلين", "منظمة العفو الدولية", "assert"),
    ("الرئيس يحذر من تصعيد خطير في الجنوب", "الرئيس", "assert"),
    ("ونددت الخارجية الفرنسية بالقصف الذي استهدف المستشفى", "الخارجية الفرنسية", "accuse"),
])
def test_demands_warnings_and_condemnations_are_claims(text, speaker, stance):
    c = only_claim(text)
    assert (c["speaker"]["text"], c["stance"]) == (speaker, stance)


@pytest.mark.parametrize("text, speaker", [
    ("وفي سياق متصل، قالت وزارة الصحة إن 20 شخصا قتلوا في القصف.", "وزارة الصحة"),
    ("من جهته، قال المتحدث باسم الجيش إن القوات تقدمت.", "المتحدث باسم الجيش"),
    ("وبالتالي يؤكد الخبراء أن الوضع خطير.", "الخبراء"),
])
def test_a_clause_opening_phrase_is_no_speaker(text, speaker):
    # a prepositional phrase or a connective before the verb is not who speaks: the speaker follows
    assert [c["speaker"]["text"] for c in claims(text)] == [speaker]


def test_a_speaker_after_a_mid_clause_preposition_stays():
    # "في" inside the clause ("المقاتلين في داعش") does not open it
    # (with "فحال" before it, what their state says is a figure of speech: see test_what_a_state_says...)
    assert [c["speaker"]["text"] for c in claims("فالمقاتلون في داعش يقولون إنهم باقون.")] == ["داعش"]


@pytest.mark.parametrize("text, speaker, cue, stance", [
    ("◀ «الخارجية» تدين القصف الإسرائيلي لمقر اللجنة القطرية.", "الخارجية", "تدين", "accuse"),
    ("◀ «فيليب موريس» تعلن زيادة أسعار السجائر والتبغ.", "فيليب موريس", "تعلن", "assert"),
    ("«حماس» تنفي مسؤوليتها عن الهجوم على المعبر.", "حماس", "تنفي", "deny"),
])
def test_a_quoted_name_opening_a_headline_speaks(text, speaker, cue, stance):
    c = only_claim(text)
    assert (c["speaker"]["text"], c["cue"]["text"], c["stance"], c["pattern"]) == (speaker, cue, stance, "quoted-subject")
    assert_spans_are_text(extract(text))


def test_a_quoted_word_inside_a_sentence_is_no_headline_subject():
    # the quote does not open the sentence: the speaker is the one before it, as usual
    assert [c["speaker"]["text"] for c in claims("قال المتحدث باسم الجيش إن القوات «تقدمت» في الشمال.")] == [
        "المتحدث باسم الجيش"]


# ---- false speakers: a count, a name, a text, a preposition's object (sentences written for these tests)

@pytest.mark.parametrize(("text", "speaker"), [
    ("وقال نحو 20 نائبا إن الحكومة فشلت في إدارة الأزمة.", "نحو 20 نائبا"),
    ("وقال 3 مسؤولين أمريكيين إن القوات ستنسحب من القاعدة.", "3 مسؤولين أمريكيين"),
])
def test_a_count_belongs_to_the_speaker(text, speaker):
    # "نحو 20" alone is a quantity, not who speaks: the counted noun comes with it
    assert only_claim(text)["speaker"]["text"] == speaker


@pytest.mark.parametrize("text", [
    "ودعت نحو 20 منظمة غير حكومية للتظاهر أمام البرلمان.",
    "ودعت النقابة أعضاءها إلى الإضراب العام يوم الأحد.",
    "ودعت الحركة الأنصار لحضور احتجاجها الأسبوعي يوم السبت.",
    "ودعت الأحزاب أنصارها للمشاركة في الاعتصام أمام الوزارة.",
], ids=["tazahur", "idrab", "hudur-ihtijaj", "musharaka-itisam"])
def test_a_call_to_protest_is_no_claim(text):
    # a protest being organised is an event, not a statement
    assert claims(text) == []


def test_a_call_for_anything_else_is_a_claim():
    c = only_claim("ودعا وزير الخارجية إلى وقف الاحتجاجات في المدينة.")
    assert (c["speaker"]["text"], c["content"]["text"]) == ("وزير الخارجية", "وقف الاحتجاجات في المدينة")


def test_is_named_is_no_cue():
    # "يدعى" (is called) is written like "يدعي" (claims) once normalised
    found = claims("وقال الجيش إن أحد الجنود الأسرى يدعى \"سامر\" قتل في القصف.")
    assert [(c["speaker"]["text"], c["cue"]["text"]) for c in found] == [("الجيش", "وقال")]
    assert claims("عثر على جثة شاب يدعى محمد في المدينة.") == []


@pytest.mark.parametrize("text", ["الحكومة تدعي أن القصف استهدف مواقع عسكرية.",
                                  "وتدعي الحكومة أن القصف استهدف مواقع عسكرية."], ids=["before", "after"])
def test_claims_with_yadda_i_stay(text):
    assert only_claim(text)["speaker"]["text"] == "الحكومة"


@pytest.mark.parametrize(("text", "speaker"), [
    ("وكان الناشط السياسي أحمد معتوق قد نشر تغريدة قال فيها: إن الوضع خطير جدا في المدينة.",
     "الناشط السياسي أحمد معتوق"),
    ("وأصدرت وزارة الخارجية بيانا قالت فيه إن السفير استدعي إلى الوزارة.", "وزارة الخارجية"),
    ("وفي بيان قالت فيه الوزارة إن السفير استدعي إلى مقرها.", "الوزارة"),
], ids=["sv-qad", "vs", "after-pronoun"])
def test_a_cue_pointing_back_at_a_text(text, speaker):
    # "قال فيها": the tweet or statement before the cue is not who speaks
    c = only_claim(text)
    assert (c["speaker"]["text"], c["pattern"]) == (speaker, "resumptive")
    assert_spans_are_text(extract(text))


def test_a_text_described_with_an_object_has_no_speaker_after_the_pronoun():
    # "وصفت فيها مساعدة أوباما بـ": the phrase after the pronoun is the object
    assert claims("ممثلة أمريكية تعتذر عن تغريدة عنصرية وصفت فيها مساعدة الرئيس بالكاذبة") == []


def test_a_name_after_the_cue_speaks_before_a_prepositions_object():
    # "بقذائف من العيار الثقيل أعلنت كتائب القسام": the phrase before the cue ends a prepositional phrase
    c = only_claim("واستهدفت المقاومة الدبابات بقذائف من العيار الثقيل أعلنت كتائب القسام، عن تدمير دبابة.")
    assert (c["speaker"]["text"], c["pattern"]) == ("كتائب القسام", "verb-first")


def test_a_participle_after_a_relative_clause_goes_with_the_main_clause():
    # "التي أكدتها منظمة العفو": Amnesty confirmed the news; "متحدثة" goes with the sources the news came from
    text = ("تكررت الأنباء من وزارة الدفاع الروسية، والسورية التي أكدتها منظمة العفو الدولية، "
            "متحدثة عن قصف على مستشفى في إدلب.")
    by_cue = {c["cue"]["text"]: c for c in claims(text)}
    assert by_cue["أكدتها"]["speaker"]["text"] == "منظمة العفو الدولية"
    assert by_cue["متحدثة"]["speaker"]["text"] == "وزارة الدفاع الروسية، والسورية"
    assert by_cue["متحدثة"]["pattern"] == "participle-after-relative"
    # without a relative clause the participle continues the speaker just named
    c = {c["cue"]["text"]: c for c in claims("قالت منظمة العفو الدولية إن التحالف قصف المدينة، مؤكدة أن عشرات المدنيين قتلوا.")}
    assert c["مؤكدة"]["speaker"]["text"] == "منظمة العفو الدولية" and c["مؤكدة"]["pattern"] == "same-speaker"
    # an unknown phrase before the relative pronoun is no speaker: the one just named goes on
    c = {c["cue"]["text"]: c for c in claims("تكررت الأنباء من مصادر محلية التي أكدتها منظمة العفو الدولية، متحدثة عن قصف.")}
    assert c["متحدثة"]["speaker"]["text"] == "منظمة العفو الدولية"


def test_an_appeal_with_a_possessive_before_it_is_the_possessors_statement():
    # "محاولاته استعطاف ... بأن": his attempts to win the locals over with the message that ...; he is ISIS
    text = ("يلمس ضعف داعش من خلال محاولاته استعطاف أبناء المنطقة وعشائرهم بأن التحالف الدولي لن يحميكم "
            "من سيوفنا فيما بعد.")
    [c] = claims(text)
    assert (c["speaker"]["text"], c["cue"]["text"], c["pattern"]) == ("داعش", "استعطاف", "appeal")
    assert c["content"]["text"].startswith("التحالف الدولي لن يحميكم")
    # no complementizer: an appeal for an act, nothing said ("مناشدة المجتمع الدولي التدخل")
    assert claims("جددت الحكومة اليمنية في بيانها مناشدة المجتمع الدولي التدخل لوقف الحرب.") == []
    # no possessive before it: whose appeal is not said
    assert all(c["cue"]["text"] != "استعطاف" for c in claims(
        "يلمس ضعف داعش من خلال استعطاف أبناء المنطقة وعشائرهم بأن التحالف الدولي لن يحميكم."))


def test_what_a_state_says_is_a_figure_of_speech():
    # "فحال المقاتلين يقول", "ولسان حالهم يقول": nobody speaks
    assert claims("فحال المقاتلين في داعش يقول ” لعلنا نحصل على الفرصة ”") == []
    assert claims("ولسان حال المدنيين يقول إن الحرب لن تنتهي.") == []
    # the fighters themselves do speak
    assert [c["cue"]["text"] for c in claims("المقاتلون في داعش يقولون إن الحرب لن تنتهي.")] == ["يقولون"]
