"""The numbers layer, case by case: value, vagueness, what is counted, kind and span.

Each case is a realistic sentence from Arabic conflict news and the one people count (or
quantity) it holds. ``value`` is ACLED's conservative value: عشرات → 10, بضعة → 3, مئات → 100,
آلاف → 1000, عشرات الآلاف → 10000; a hedged number keeps the stated number with ``approx``;
a range keeps its low end with ``high``. Numbers inside dates are ``date_part`` and never counts.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

import marsad


def numbers(text: str, published: str | None = None) -> list[dict[str, Any]]:
    """Every number expression (the parser's output, ``--numbers all``)."""
    return marsad.extract(text, published=published).to_contract(numbers="all")["numbers"]


def counts(text: str, published: str | None = None) -> list[dict[str, Any]]:
    """The numbers that are quantities (not the day or year of a date, not an ordinal)."""
    return [n for n in numbers(text, published) if n["kind"] not in ("date_part", "ordinal")]


def only_count(text: str) -> dict[str, Any]:
    found = counts(text)
    assert len(found) == 1, [(n["text"], n["value"], n["kind"]) for n in found]
    return found[0]


def case(sentence, span, value, approx, what, kind="cardinal", extra=None, id=None):
    return pytest.param(sentence, span, value, approx, what, kind, extra or {}, id=id)


CASES = [
    # -- vague quantities: ACLED's conservative values ----------------------------------------
    case("قتل العشرات في قصف على البلدة", "العشرات", 10, True, "killed", "vague", id="vague-alasharat"),
    case("أصيب عشرات المدنيين بجروح", "عشرات المدنيين", 10, True, "wounded", "vague", id="vague-asharat"),
    case("اعتقلت القوات بضعة أشخاص من القرية", "بضعة أشخاص", 3, True, "detained", "vague", id="vague-bidaa"),
    case("أصيب بضع نساء في القصف", "بضع نساء", 3, True, "wounded", "vague", id="vague-bid"),
    case("نزح مئات المدنيين من المدينة", "مئات المدنيين", 100, True, "displaced", "vague", id="vague-miat"),
    case("فر آلاف المدنيين من المعارك", "آلاف المدنيين", 1000, True, "displaced", "vague", id="vague-alaf"),
    case("نزح عشرات الآلاف من المدنيين", "عشرات الآلاف من المدنيين", 10000, True, "displaced", "vague",
         id="vague-tens-of-thousands"),
    case("سقط العشرات بين قتيل وجريح", "العشرات بين قتيل وجريح", 10, True, "killed_or_wounded", "vague",
         id="vague-killed-or-wounded"),
    # -- hedges: the stated number, approximate ------------------------------------------------
    case("قتل قرابة 20 شخصا في الغارة", "قرابة 20 شخصا", 20, True, "killed", id="hedge-qurabat"),
    case("نزح نحو 300 عائلة من الريف", "نحو 300 عائلة", 300, True, "displaced", id="hedge-nahw"),
    case("أصيب حوالي 15 مدنيا في الانفجار", "حوالي 15 مدنيا", 15, True, "wounded", id="hedge-hawali"),
    case("قتل أكثر من ١٢٠٠ مقاتل في المعارك", "أكثر من ١٢٠٠ مقاتل", 1200, True, "killed", id="hedge-akthar-min"),
    case("اعتقل الأمن ما لا يقل عن 40 شخصا", "ما لا يقل عن 40 شخصا", 40, True, "detained",
         id="hedge-ma-la-yaqill"),
    case("نزح ما يزيد على 5000 شخص", "ما يزيد على 5000 شخص", 5000, True, "displaced", id="hedge-ma-yazid"),
    case("قتل في المعارك مقاتلون تجاوز عددهم 20", "مقاتلون تجاوز عددهم 20", 20, True, "killed",
         id="hedge-tajawaz"),
    case("قتل زهاء 30 شخصا", "زهاء 30 شخصا", 30, True, "killed", id="hedge-zuhaa"),
    case("قتل على الأقل 7 أشخاص", "على الأقل 7 أشخاص", 7, True, "killed", id="hedge-ala-alaqal-before"),
    case("قتل أقل من 10 أشخاص", "أقل من 10 أشخاص", 10, True, "killed", extra={"bound": "upper"},
         id="hedge-aqall-min-upper"),
    case("قتل 7 تقريبا في الهجوم", "7 تقريبا", 7, True, "killed", id="hedge-after-taqriban"),
    # A hedge after the counted noun is a hedge all the same.
    case("قتل 7 أشخاص تقريبا في الهجوم", "7 أشخاص تقريبا", 7, True, "killed",
         id="hedge-after-noun-taqriban"),
    case("قتل 20 شخصا أو أكثر في الهجوم", "20 شخصا أو أكثر", 20, True, "killed",
         id="hedge-after-noun-aw-akthar"),
    # -- ranges: the low end, approximate, with the high end ----------------------------------
    case("قتل بين 10 و20 شخصا", "بين 10 و20 شخصا", 10, True, "killed", "range", {"high": 20}, id="range-bayna"),
    case("قتل ما بين 10 و20 شخصا", "ما بين 10 و20 شخصا", 10, True, "killed", "range", {"high": 20},
         id="range-ma-bayna"),
    case("قتل بين ١٠ و٢٠ شخصا", "بين ١٠ و٢٠ شخصا", 10, True, "killed", "range", {"high": 20},
         id="range-bayna-arabic-indic"),
    case("نزح بين 3 و4 آلاف شخص", "بين 3 و4 آلاف شخص", 3000, True, "displaced", "range", {"high": 4000},
         id="range-shared-scale"),
    case("قتل 15-30 شخصا", "15-30 شخصا", 15, True, "killed", "range", {"high": 30}, id="range-hyphen"),
    case("قتل 10 - 20 شخصا", "10 - 20 شخصا", 10, True, "killed", "range", {"high": 20}, id="range-spaced-hyphen"),
    case("قتل بين عشرة وعشرين شخصا", "بين عشرة وعشرين شخصا", 10, True, "killed", "range", {"high": 20},
         id="range-number-words"),
    case("قتل 10-20 شخصا", "10-20 شخصا", 10, True, "killed", "range", {"high": 20},
         id="range-hyphen-small-numbers"),
    case("قتل من 10 إلى 20 شخصا", "من 10 إلى 20 شخصا", 10, True, "killed", "range", {"high": 20},
         id="range-min-ila-span"),
    # -- percentages -----------------------------------------------------------------------------
    case("ارتفعت نسبة الفقر 50 في المئة", "50 في المئة", 50, False, None, "percent", {"unit": "percent"},
         id="percent-fi-almiaa"),
    case("ارتفعت نسبة الفقر إلى 50%", "50%", 50, False, None, "percent", {"unit": "percent"}, id="percent-sign"),
    case("ارتفعت نسبة الفقر إلى ٥٠٪", "٥٠٪", 50, False, None, "percent", {"unit": "percent"},
         id="percent-arabic-sign"),
    case("بلغت نسبة الدمار ١٢٫٥ بالمئة", "١٢٫٥ بالمئة", 12.5, False, None, "percent", {"unit": "percent"},
         id="percent-arabic-decimal"),
    # -- what is counted --------------------------------------------------------------------------
    case("قتل 5 مدنيين في قصف على بلدة هجين", "5 مدنيين", 5, False, "killed", id="what-cue-beats-civilians"),
    case("اختطاف قرابة 100 عائلة من القرية", "قرابة 100 عائلة", 100, True, "kidnapped",
         id="what-cue-beats-families"),
    case("شارك 200 مقاتل في الهجوم", "200 مقاتل", 200, False, "fighters", id="what-fighters"),
    case("انتشر 1,500 جندي على الحدود", "1,500 جندي", 1500, False, "fighters", id="what-fighters-soldiers"),
    case("استقبل المخيم 50 عائلة", "50 عائلة", 50, False, "families", id="what-families"),
    case("وصل إلى المدينة 12 مدنيا", "12 مدنيا", 12, False, "civilians", id="what-civilians"),
    case("وصل 300 لاجئ إلى الحدود", "300 لاجئ", 300, False, "displaced", id="what-displaced-noun"),
    case("تم تشريد 400 عائلة", "400 عائلة", 400, False, "displaced", id="what-displaced-cue"),
    case("أطلق سراح 4 رهائن", "4 رهائن", 4, False, "kidnapped", id="what-kidnapped-noun"),
    case("أفرج عن 40 معتقلا", "40 معتقلا", 40, False, "detained", id="what-detained-noun"),
    case("تظاهر 300 شخص في الساحة", "300 شخص", 300, False, "other", id="what-other"),
    case("دمر القصف 12 منزلا", "12", 12, False, None, id="what-none"),
    case("مقتل وإصابة 15 شخصا في الانفجار", "15 شخصا", 15, False, "killed_or_wounded", id="what-kow-cue"),
    case("أوقع الهجوم 20 بين قتيل وجريح", "20 بين قتيل وجريح", 20, False, "killed_or_wounded",
         id="what-kow-after"),
    case("لقي 12 شخصا مصرعهم", "12 شخصا", 12, False, "killed", id="what-laqiya"),
    case("سقط 15 قتيلا في الاشتباكات", "15 قتيلا", 15, False, "killed", id="what-killed-noun"),
    case("أسفر القصف عن 20 جريحا", "20 جريحا", 20, False, "wounded", id="what-wounded-noun"),
    case("قتل جنديين في الكمين", "جنديين", 2, False, "killed", "dual", id="what-dual"),
    case("نزحت أكثر من 200 عائلة من القرية", "أكثر من 200 عائلة", 200, True, "displaced",
         id="what-cue-nazahat-beats-families"),
    # -- number words: gender and case forms, compounds, teens ----------------------------------
    case("قتل ثلاثة مقاتلين", "ثلاثة مقاتلين", 3, False, "killed", id="word-thalatha"),
    case("قتلت ثلاث نساء في القصف", "ثلاث نساء", 3, False, "killed", id="word-thalath"),
    case("قتل ثلاثين مسلحا", "ثلاثين مسلحا", 30, False, "killed", id="word-thalathin"),
    case("قتل ثلاثون مسلحا", "ثلاثون مسلحا", 30, False, "killed", id="word-thalathun"),
    case("استقبل المخيم مئة عائلة", "مئة عائلة", 100, False, "families", id="word-mia"),
    case("استقبل المخيم مائة عائلة", "مائة عائلة", 100, False, "families", id="word-maa"),
    case("وصل مئتين من المقاتلين", "مئتين من المقاتلين", 200, False, "fighters", id="word-miatayn"),
    case("تم إجلاء ألفين من المدنيين", "ألفين من المدنيين", 2000, False, "civilians", id="word-alfayn"),
    case("نزح ثلاثة آلاف شخص", "ثلاثة آلاف شخص", 3000, False, "displaced", id="word-thalathat-alaf"),
    case("أصيب خمسة وعشرون شخصا", "خمسة وعشرون شخصا", 25, False, "wounded", id="compound-25"),
    case("وصل مائة وستة عشر نازحا", "مائة وستة عشر نازحا", 116, False, "displaced", id="compound-116"),
    case("نزح ثلاثة آلاف وخمسمائة شخص", "ثلاثة آلاف وخمسمائة شخص", 3500, False, "displaced", id="compound-3500"),
    case("قتل تسعة وتسعون شخصا", "تسعة وتسعون شخصا", 99, False, "killed", id="compound-99"),
    case("قتل أحد عشر شخصا", "أحد عشر شخصا", 11, False, "killed", id="teen-11"),
    case("قتل اثنا عشر جنديا", "اثنا عشر جنديا", 12, False, "killed", id="teen-12"),
    case("قتل ثلاثة عشر مدنيا", "ثلاثة عشر مدنيا", 13, False, "killed", id="teen-13"),
    case("قتلت ثلاث عشرة امرأة", "ثلاث عشرة امرأة", 13, False, "killed", id="teen-13-feminine"),
    case("اعتقل إحدى عشرة امرأة", "إحدى عشرة امرأة", 11, False, "detained", id="teen-11-feminine"),
    case("قتل الأحد عشر مقاتلا في الكمين", "الأحد عشر مقاتلا", 11, False, "killed",
         id="teen-11-definite"),
    # -- digits in every script, separators and decimals ----------------------------------------
    case("قتل ١٢ مدنيا", "١٢ مدنيا", 12, False, "killed", id="digits-arabic-indic"),
    case("قتل ۱۲ مدنيا", "۱۲ مدنيا", 12, False, "killed", id="digits-persian"),
    case("نزح 1,200 شخص", "1,200 شخص", 1200, False, "displaced", id="digits-thousands-comma"),
    case("نزح ١٬٢٠٠ شخص", "١٬٢٠٠ شخص", 1200, False, "displaced", id="digits-arabic-thousands"),
    case("نزح ۱٬۲۰۰ شخص", "۱٬۲۰۰ شخص", 1200, False, "displaced", id="digits-persian-thousands"),
    case("نزح 10,000 شخص", "10,000 شخص", 10000, False, "displaced", id="digits-10k"),
    case("نزح 1,000,000 شخص", "1,000,000 شخص", 1000000, False, "displaced", id="digits-million"),
    case("بلغت النسبة 12.5 في المئة", "12.5 في المئة", 12.5, False, None, "percent", {"unit": "percent"},
         id="digits-decimal-point"),
    case("بلغ معدل التضخم 0,25 نقطة", "0,25", 0.25, False, None, id="digits-decimal-comma"),
    case("قتل ۱۲٫۵ بالمئة من السكان", "۱۲٫۵ بالمئة", 12.5, False, "killed", "percent", {"unit": "percent"},
         id="digits-persian-decimal"),
]


@pytest.mark.parametrize(("sentence", "span", "value", "approx", "what", "kind", "extra"), CASES)
def test_number(sentence, span, value, approx, what, kind, extra):
    n = only_count(sentence)
    assert sentence[n["start"] : n["end"]] == n["text"]
    assert (n["text"], n["value"], n["approx"], n["what"], n["kind"]) == (span, value, approx, what, kind)
    assert span in sentence
    for key, expected in extra.items():
        assert n.get(key) == expected, key
    if "bound" not in extra:
        assert "bound" not in n
    if kind != "range":
        assert "high" not in n


def test_there_are_enough_cases():
    assert len(CASES) >= 50


# -- things that are not counts --------------------------------------------------------------------
NOT_COUNTS = [
    pytest.param("قالت شبكة ديرالزور24 إن القصف استمر", id="digits-glued-to-a-name"),
    pytest.param("أعلنت قناة الجزيرة360 ذلك", id="digits-glued-to-a-channel"),
    pytest.param("لم يصب أحد بأذى", id="ahad-nobody"),
    pytest.param("لا أحد يعرف مصيرهم", id="la-ahad"),
    pytest.param("وصل الوفد يوم الخميس", id="thursday"),
    pytest.param("عاد الهدوء السبت إلى المدينة", id="saturday"),
    pytest.param("وقع الهجوم يوم الاثنين", id="monday-is-not-two"),
    pytest.param("وقع الهجوم يوم الثلاثاء", id="tuesday-is-not-three"),
    pytest.param("وقع الهجوم يوم الأربعاء", id="wednesday-is-not-four"),
    pytest.param("هذه هي المرة الأولى", id="ordinal-ula"),
    pytest.param("بدأت الجولة الثانية من المفاوضات", id="ordinal-thaniya"),
    pytest.param("انتشرت الفرقة الرابعة في المدينة", id="ordinal-rabia"),
    pytest.param("خمسينيات القرن الماضي", id="decade-word"),
    pytest.param("أحد القادة قتل", id="ahad-one-of-not-a-person-noun"),
    pytest.param("بدأت الجولة الثالثة عشرة من المحادثات", id="ordinal-teen-feminine"),
    pytest.param("سكن في الطابق الحادي عشر", id="ordinal-teen-masculine"),
]


@pytest.mark.parametrize("sentence", NOT_COUNTS)
def test_not_a_count(sentence):
    assert counts(sentence) == []


@pytest.mark.parametrize("sentence, text, value", [
    ("هذه هي المرة الأولى", "الأولى", 1),
    ("انتشرت الفرقة الرابعة في المدينة", "الرابعة", 4),
    ("بدأت الجولة الثالثة عشرة من المحادثات", "الثالثة عشرة", 13),
    ("سكن في الطابق الحادي عشر", "الحادي عشر", 11),
    ("في الذكرى الحادية والعشرين للمجزرة", "الحادية والعشرين", 21),
])
def test_ordinals_are_found_apart_from_counts(sentence, text, value):
    found = [(n["text"], n["value"], n["what"]) for n in numbers(sentence) if n["kind"] == "ordinal"]
    assert found == [(text, value, None)]


def test_ordinals_inside_month_names_are_not_ordinals():
    assert [n for n in numbers("وقع الهجوم في 21 تشرين الأول") if n["kind"] == "ordinal"] == []


def test_a_model_name_is_not_a_negative_number():
    """"إف-16" (F-16) is an aircraft; its hyphen is not a minus sign."""
    assert [n for n in numbers("أسقطت الدفاعات الجوية طائرة إف-16 فوق المدينة") if n["value"] < 0] == []


def test_minus_words_make_a_number_negative():
    n = only_count("سجلت الحرارة سالب 5 درجات")
    assert (n["text"], n["value"]) == ("سالب 5", -5)


# -- what does not leak across a sentence boundary --------------------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("أكدت المصادر مقتل القائد. 3 مدنيين وصلوا إلى المخيم", id="full-stop"),
        pytest.param("أكدت المصادر مقتل القائد. وصل 3 مدنيين إلى المخيم", id="full-stop-verb-between"),
        pytest.param("أكدت المصادر مقتل القائد؛ 3 مدنيين وصلوا إلى المخيم", id="arabic-semicolon"),
        pytest.param("أكدت المصادر مقتل القائد! 3 مدنيين وصلوا إلى المخيم", id="exclamation"),
        pytest.param("هل تم اعتقال القائد؟ 3 مدنيين وصلوا إلى المخيم", id="arabic-question-mark"),
        pytest.param("أكدت المصادر مقتل القائد\nوصل 3 مدنيين إلى المخيم", id="line-break-verb-between"),
        pytest.param("أكدت المصادر مقتل القائد\n3 مدنيين وصلوا إلى المخيم", id="line-break-right-before"),
    ],
)
def test_a_cue_does_not_cross_a_sentence_boundary(sentence):
    n = only_count(sentence)
    assert (n["text"], n["what"]) == ("3 مدنيين", "civilians")


def test_a_cue_reaches_across_a_comma():
    n = only_count("أكدت المصادر مقتل القائد، و3 مدنيين")
    assert (n["text"], n["what"]) == ("3 مدنيين", "killed")


def test_each_number_has_its_own_cue():
    found = counts("قتل 10 وأصيب 20 شخصا")
    assert [(n["text"], n["value"], n["what"]) for n in found] == [("10", 10, "killed"), ("20 شخصا", 20, "wounded")]


def test_killed_and_wounded_nouns_side_by_side():
    found = counts("سقوط 15 قتيلا و20 جريحا")
    assert [(n["text"], n["value"], n["what"]) for n in found] == [
        ("15 قتيلا", 15, "killed"), ("20 جريحا", 20, "wounded")]


def test_a_dual_noun_after_a_count_is_not_two_counts():
    found = counts("لقي شخصان مصرعهما في الحادث")
    assert [(n["text"], n["value"], n["what"], n["kind"]) for n in found] == [("شخصان", 2, "killed", "dual")]


# -- numbers inside dates ----------------------------------------------------------------------------
def test_the_numbers_of_a_date_are_date_parts():
    found = numbers("قتل 5 مدنيين في 5 نوفمبر 2018", published="2018-11-07")
    assert [(n["text"], n["value"], n["what"], n["kind"]) for n in found] == [
        ("5 مدنيين", 5, "killed", "cardinal"),
        ("5", 5, None, "date_part"),
        ("2018", 2018, None, "date_part"),
    ]


@pytest.mark.parametrize(
    ("sentence", "parts"),
    [
        pytest.param("وقع الهجوم بتاريخ 2018/11/05", ["2018", "11", "05"], id="slashes"),
        pytest.param("وقع الهجوم بتاريخ 5-11-2018", ["5", "11", "2018"], id="hyphens"),
        pytest.param("وقع الهجوم عام 2017", ["2017"], id="year"),
        pytest.param("وقع الهجوم في 1 ربيع الأول 1440 هـ", ["1", "1440"], id="hijri"),
        pytest.param("اندلعت الاشتباكات قبل 3 أيام", ["3"], id="duration"),
        pytest.param("وقع الهجوم بتاريخ 16.11.2016", ["16", "11", "2016"], id="dotted-date"),
    ],
)
def test_date_parts_are_never_counts(sentence, parts):
    found = numbers(sentence, published="2018-11-07")
    assert [n["text"] for n in found] == parts
    assert all(n["kind"] == "date_part" and n["what"] is None for n in found)


def test_a_number_that_is_not_a_day_is_a_count_not_a_date():
    """"في 15 غارة": fifteen raids, not the 15th."""
    n = only_count("شنت الطائرات في 15 غارة على المدينة")
    assert (n["text"], n["value"], n["kind"]) == ("15", 15, "cardinal")


# -- robustness ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("قسمت الأرض إلى ثلاثة أجزاء", id="parts-word-ends-the-text"),
        pytest.param("وزعت المساعدات على خمسة أجزاء", id="parts-word-ends-the-text-2"),
        pytest.param("حصل كل واحد على جزء", id="part-word-ends-the-text"),
        pytest.param("نزح بين مئة ومئتي عائلة", id="range-of-number-words"),
    ],
)
def test_extraction_does_not_fail(sentence):
    for n in numbers(sentence):
        assert sentence[n["start"] : n["end"]] == n["text"]


def test_a_noun_belongs_to_one_number():
    """"50 مقاتلا تجاوز عددهم 40": the noun is not part of both spans."""
    found = counts("انضم 50 مقاتلا تجاوز عددهم 40 في الشهر الأول")
    spans = sorted((n["start"], n["end"]) for n in found)
    assert all(e1 <= s2 for (_s1, e1), (s2, _e2) in pairwise(spans)), [n["text"] for n in found]


@pytest.mark.parametrize(("sentence", "what"), [
    ("وخسرت ميليشيا القدس ما يقارب 20 مسلحاً على جبهة تل مسيطف", "killed"),  # lost fighters are dead
    ("فقد الجيش 12 جنديا في الكمين", "killed"),
    ("خسرت الشركة 100 مليون دولار", None),  # "lost" money: not people, not killed
    ("فقدت ليبيا 100 ألف برميل يوميا", None),
])
def test_a_loss_of_people_is_killed(sentence, what):
    assert only_count(sentence)["what"] == what


# -- number words that are also other words or name parts ([homographs] in numbers.toml) --------
@pytest.mark.parametrize("sentence", [
    pytest.param("تخرج الضابط من أكاديمية وست بوينت العسكرية", id="west-point"),
    pytest.param("لعب المهاجم مع نادي وست هافن الإنجليزي", id="west-haven"),
    pytest.param("القاعة تسع 300 شخص فقط", id="tasa-holds"),
])
def test_a_homograph_number_word_before_a_name_or_a_digit_is_no_number(sentence):
    assert [n for n in counts(sentence) if n["value"] in (6, 7, 9)] == []


@pytest.mark.parametrize(("sentence", "value"), [
    pytest.param("استمر الحصار ست سنوات كاملة", 6, id="six-years"),
    pytest.param("سقطت تسع قذائف على الحي", 9, id="nine-shells"),
    pytest.param("قتل ثلاثة مدنيين وست نساء", 6, id="and-six-women"),
    pytest.param("شارك وزراء الدول الست في الاجتماع", 6, id="after-the-noun"),
    pytest.param("تمركزت القوات في ست مدن", 6, id="six-cities"),
    pytest.param("وصل عدد القتلى إلى سبع.", 7, id="at-the-end"),
])
def test_a_homograph_number_word_before_what_it_counts_is_a_number(sentence, value):
    assert value in [n["value"] for n in counts(sentence)]


# -- a model number closing a quoted name -----------------------------------------------------
@pytest.mark.parametrize("sentence", [
    pytest.param("استهدف المقاتلون الدبابة بقذيفة «الياسين 105» من مسافة قريبة", id="guillemets"),
    pytest.param('أطلقوا صاروخ "كورنيت 5" على الآلية', id="straight-quotes"),
    pytest.param("استخدمت الكتائب قذائف “تاندوم 85” المضادة للدروع", id="curly-quotes"),
])
def test_digits_closing_a_quoted_name_are_a_model_number(sentence):
    assert counts(sentence) == []


def test_a_quoted_count_is_still_a_count():
    assert [n["value"] for n in counts("وقال المتحدث: «قتل 12» في الهجوم")] == [12]


# -- numbers the tokenizer splits -------------------------------------------------------------
@pytest.mark.parametrize(("sentence", "span", "value"), [
    pytest.param("بلغت الخسائر 45،250 دولارا", "45،250", 45250, id="arabic-comma-thousands"),
    pytest.param("يقطن المدينة 2،500،000 نسمة", "2،500،000", 2500000, id="arabic-comma-millions"),
    pytest.param("بلغت الكلفة 7،500\u202b,25 دولارا", "7،500\u202b,25", 7500.25, id="arabic-comma-decimal-comma"),
    pytest.param("نزح 3\u200f,400 شخص", "3\u200f,400", 3400, id="rlm-inside-thousands"),
    pytest.param("ارتفع المؤشر 2\u200e.75 نقطة", "2\u200e.75", 2.75, id="lrm-before-decimal-point"),
])
def test_a_number_split_by_an_arabic_comma_or_a_direction_mark_is_one_number(sentence, span, value):
    found = counts(sentence)
    assert [(n["value"]) for n in found] == [value], found
    assert found[0]["text"].startswith(span)


@pytest.mark.parametrize(("sentence", "values"), [
    pytest.param("في عامي 2014،2015", [2014, 2015], id="years-listed"),
    pytest.param("المواد 4،5،8 من الاتفاق", [4, 5, 8], id="short-list"),
    pytest.param("سجل 14، 200 إصابة", [14, 200], id="comma-and-space"),
])
def test_numbers_listed_with_an_arabic_comma_stay_apart(sentence, values):
    assert [n["value"] for n in numbers(sentence)] == values


# -- plural denominators ------------------------------------------------------------------------
@pytest.mark.parametrize(("sentence", "value"), [
    pytest.param("خمسة أرباع", 1.25, id="fifths-plural"),
    pytest.param("سبعة ثلاثينات", 7 / 30, id="tens-plural"),
    pytest.param("اثنان ثلاثة وأربعونات", 2 / 43, id="compound-tens-plural"),
])
def test_plural_denominators(sentence, value):
    found = counts(sentence)
    assert len(found) == 1 and found[0]["kind"] == "fraction", found
    assert found[0]["value"] == pytest.approx(value)


@pytest.mark.parametrize("sentence", [
    pytest.param("ولد في الثلاثينات من القرن الماضي", id="decade"),
    pytest.param("وزعت أخماس الغنيمة", id="plural-without-numerator"),
])
def test_a_plural_denominator_without_a_numerator_is_no_number(sentence):
    assert counts(sentence) == []


# -- numbers inside dates: found, marked, never counts ---------------------------------------------
@pytest.mark.parametrize(("sentence", "parts"), [
    pytest.param("اندلعت الحرب يوم 6 أكتوبر", ["6"], id="day"),
    pytest.param("حرب مارس 1973", ["1973"], id="month-year"),
    pytest.param("قتل جنديان في 1 فبراير/شباط 2024", ["1", "2024"], id="double-month-name"),
    pytest.param("وقع الانفجار في 09 تشرين الأول، 2022", ["09", "2022"], id="comma-before-year"),
])
def test_numbers_inside_dates_are_date_parts(sentence, parts):
    found = numbers(sentence)
    assert [n["text"] for n in found if n["kind"] == "date_part"] == parts
    assert [n["text"] for n in counts(sentence) if n["text"] in parts] == []
    people = marsad.extract(sentence).to_contract(numbers="people")["numbers"]
    assert all(n["kind"] != "date_part" for n in people)


# -- what a number counts when it is no person; the default listing (--numbers counts) -------------
@pytest.mark.parametrize(("sentence", "number", "category"), [
    pytest.param("حماس: استهداف 5 دبابات إسرائيلية", "5", "vehicles", id="tanks"),
    pytest.param("الكويت تجدد وديعة بقيمة 4 مليارات دولار", "4 مليارات", "money", id="billions-of-dollars"),
    pytest.param("مصادرة عشرات ملايين الشواقل", "عشرات ملايين", "money", id="article-after-vague"),
    pytest.param("أطلقوا 4 قذائف صاروخية", "4", "weapons", id="shells"),
    pytest.param("هاجموا 20 بلدة إسرائيلية و11 معسكراً للجيش", "20", "places", id="towns"),
    pytest.param("هاجموا 20 بلدة إسرائيلية و11 معسكراً للجيش", "11", "places", id="waw-camps"),
    pytest.param("دعت نحو 20 منظمة غير حكومية للتظاهر", "نحو 20", "groups", id="organisations"),
    pytest.param("وقعت الهجمات بعد يوم واحد من الاتهام", "واحد", "time", id="noun-before-one"),
    pytest.param("لا يمر يوم في الدول الثلاث من دون هجوم", "الثلاث", "places", id="noun-before-article-number"),
    pytest.param("حركة الراية السوداء واحدة من جماعات احتجاجية", "واحدة", "groups", id="one-of"),
    pytest.param("عمل مع الدفاع مدة 15 سنة", "15", "time", id="years"),
    pytest.param("بلغت قوة التفجير ألف ضعف القنبلة", "ألف", "measures", id="times"),
])
def test_counts_of_things(sentence, number, category):
    found = [n for n in numbers(sentence) if n["text"] == number]
    assert found and found[0]["counts"] == category and found[0]["what"] is None
    listed = marsad.extract(sentence).to_contract()["numbers"]  # the default: counts
    assert all(n["text"] != number for n in listed)


@pytest.mark.parametrize(("sentence", "number"), [
    pytest.param("قتل 5 أشخاص في غارة", "5 أشخاص", id="people"),
    pytest.param("خسرت الميليشيا ما يقارب 20 مسلحاً", "ما يقارب 20 مسلحاً", id="lost-fighters"),
    pytest.param("وصل 300 إلى المخيم", "300", id="unknown-noun-is-kept"),
    pytest.param("أصيب جنديان", "جنديان", id="dual"),
])
def test_counts_keep_people_and_unknown_nouns(sentence, number):
    listed = [n["text"] for n in marsad.extract(sentence).to_contract()["numbers"]]
    assert number in listed


def test_a_casualty_cue_does_not_make_years_people():
    # "مقتل" opens the clause, but the number counts years: no "killed", and not listed by default
    found = [n for n in numbers("مقتل ضابط خدم 20 عاما في الشرطة") if n["value"] == 20]
    assert found and found[0]["what"] is None and found[0]["counts"] == "time"


def test_the_three_listings():
    sentence = "قتل 5 أشخاص في 6 أكتوبر 2023 بنسبة 20% في اليوم الرابع بعد استهداف 3 دبابات ووصل 40 إلى المخيم"
    doc = marsad.extract(sentence)
    every = [n["text"] for n in doc.to_contract(numbers="all")["numbers"]]
    listed = [n["text"] for n in doc.to_contract()["numbers"]]
    people = [n["text"] for n in doc.to_contract(numbers="people")["numbers"]]
    assert {"6", "2023", "20%", "الرابع", "3"} <= set(every)
    assert listed == ["5 أشخاص", "40"]
    assert people == ["5 أشخاص"]
