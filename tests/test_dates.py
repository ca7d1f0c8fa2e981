"""The dates layer, case by case: span, value and precision.

Relative expressions are resolved against the publication date; the fixed one here is
Wednesday 7 November 2018 (ISO week 2018-W45). Without a publication date they are still
found, with the same precision, and ``value`` null.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import marsad

PUBLISHED = "2018-11-07"  # a Wednesday


def dates(text: str, published: str | None = PUBLISHED) -> list[dict[str, Any]]:
    return marsad.extract(text, published=published).to_contract()["dates"]


def only_date(text: str, published: str | None = PUBLISHED) -> dict[str, Any]:
    found = dates(text, published)
    assert len(found) == 1, [(d["text"], d["value"]) for d in found]
    return found[0]


def test_the_publication_date_is_a_wednesday():
    assert date.fromisoformat(PUBLISHED).weekday() == 2


RELATIVE = [
    # days
    pytest.param("قصفت الطائرات البلدة اليوم", "اليوم", "2018-11-07", "day", id="today"),
    pytest.param("قصفت الطائرات البلدة أمس", "أمس", "2018-11-06", "day", id="yesterday"),
    pytest.param("قصفت الطائرات البلدة البارحة", "البارحة", "2018-11-06", "day", id="yesterday-albariha"),
    pytest.param("قصفت الطائرات البلدة أول أمس", "أول أمس", "2018-11-05", "day", id="day-before-yesterday"),
    pytest.param("قصفت الطائرات البلدة أول من أمس", "أول من أمس", "2018-11-05", "day",
                 id="day-before-yesterday-long"),
    pytest.param("سيعقد الاجتماع غدا في جنيف", "غدا", "2018-11-08", "day", id="tomorrow"),
    pytest.param("سيعقد الاجتماع بعد غد في جنيف", "بعد غد", "2018-11-09", "day", id="day-after-tomorrow"),
    pytest.param("قتل مدني مساء أمس برصاص قناص", "مساء أمس", "2018-11-06", "day", id="yesterday-evening"),
    pytest.param("قتل مدني صباح اليوم برصاص قناص", "صباح اليوم", "2018-11-07", "day", id="this-morning"),
    pytest.param("قتل مدني الليلة الماضية برصاص قناص", "الليلة الماضية", "2018-11-06", "day", id="last-night"),
    pytest.param("قتل 5 أشخاص في الساعات الماضية", "في الساعات الماضية", "2018-11-07", "day", id="past-hours"),
    # weekdays
    pytest.param("قصفت الطائرات البلدة الأحد الماضي", "الأحد الماضي", "2018-11-04", "day", id="last-sunday"),
    pytest.param("قصفت الطائرات البلدة يوم الأحد", "يوم الأحد", "2018-11-04", "day", id="on-sunday"),
    pytest.param("قصفت الطائرات البلدة يوم الأربعاء", "يوم الأربعاء", "2018-11-07", "day",
                 id="on-wednesday-is-today"),
    pytest.param("قصفت الطائرات البلدة الأربعاء الماضي", "الأربعاء الماضي", "2018-10-31", "day",
                 id="last-wednesday-is-a-week-ago"),
    pytest.param("وقع الهجوم الخميس على الطريق", "الخميس", "2018-11-01", "day", id="thursday-is-past"),
    pytest.param("قصفت الطائرات البلدة يوم السبت الماضي", "يوم السبت الماضي", "2018-11-03", "day",
                 id="last-saturday"),
    pytest.param("سيصل الوفد الجمعة المقبلة", "الجمعة المقبلة", "2018-11-09", "day", id="next-friday"),
    pytest.param("سيصل الوفد الخميس المقبل", "الخميس المقبل", "2018-11-08", "day", id="next-thursday"),
    pytest.param("سيصل الوفد الأسبوع القادم يوم الجمعة", "الأسبوع القادم يوم الجمعة", "2018-11-16", "day",
                 id="friday-next-week"),
    # weeks, months, years
    pytest.param("قصفت الطائرات البلدة الأسبوع الماضي", "الأسبوع الماضي", "2018-W44", "week", id="last-week"),
    pytest.param("سيعقد الاجتماع الأسبوع المقبل", "الأسبوع المقبل", "2018-W46", "week", id="next-week"),
    pytest.param("تصاعد القصف هذا الأسبوع", "هذا الأسبوع", "2018-W45", "week", id="this-week"),
    pytest.param("نزحت عائلات خلال الأيام القليلة المنصرمة", "خلال الأيام القليلة المنصرمة", "2018-W45", "week",
                 id="past-few-days"),
    pytest.param("قصفت الطائرات البلدة الشهر الماضي", "الشهر الماضي", "2018-10", "month", id="last-month"),
    pytest.param("ستبدأ الحملة الشهر المقبل", "الشهر المقبل", "2018-12", "month", id="next-month"),
    pytest.param("عادت العائلات مطلع الشهر الجاري", "مطلع الشهر الجاري", "2018-11", "month",
                 id="start-of-this-month"),
    pytest.param("قصفت الطائرات البلدة العام الماضي", "العام الماضي", "2017", "year", id="last-year"),
    pytest.param("تضاعف عدد النازحين هذا العام", "هذا العام", "2018", "year", id="this-year"),
    pytest.param("وقع الهجوم في 15 من الشهر الجاري", "15 من الشهر الجاري", "2018-11-15", "day",
                 id="day-of-this-month"),
    pytest.param("وقع الهجوم يوم 27.", "يوم 27", "2018-10-27", "day", id="bare-day-after-today-is-last-month"),
    # durations
    pytest.param("اندلعت الاشتباكات منذ عام", "منذ عام", "2017", "year", id="a-year-ago"),
    pytest.param("اندلعت الاشتباكات قبل ثلاثة أيام", "قبل ثلاثة أيام", "2018-11-04", "day", id="three-days-ago"),
    pytest.param("اندلعت الاشتباكات قبل 3 أيام", "قبل 3 أيام", "2018-11-04", "day", id="3-days-ago"),
    pytest.param("اندلعت الاشتباكات قبل يومين", "قبل يومين", "2018-11-05", "day", id="two-days-ago"),
    pytest.param("اندلعت الاشتباكات قبل أسبوعين", "قبل أسبوعين", "2018-W43", "week", id="two-weeks-ago"),
    pytest.param("اندلعت الاشتباكات منذ أسبوع", "منذ أسبوع", "2018-W44", "week", id="a-week-ago"),
    pytest.param("اندلعت الاشتباكات منذ شهر", "منذ شهر", "2018-10", "month", id="a-month-ago"),
    pytest.param("اندلعت الاشتباكات قبل شهرين", "قبل شهرين", "2018-09", "month", id="two-months-ago"),
    pytest.param("اندلعت الاشتباكات قبل خمسة أشهر", "قبل خمسة أشهر", "2018-06", "month", id="five-months-ago"),
    pytest.param("اندلعت الاشتباكات منذ ثلاث سنوات", "منذ ثلاث سنوات", "2015", "year", id="three-years-ago"),
    pytest.param("اندلعت الاشتباكات قبل 15 عاما", "قبل 15 عاما", "2003", "year", id="15-years-ago"),
]

ABSOLUTE = [
    pytest.param("وقع الهجوم في 5 نوفمبر 2018", "5 نوفمبر 2018", "2018-11-05", "day", id="egyptian-month"),
    pytest.param("وقع الهجوم في 5 تشرين الثاني 2018", "5 تشرين الثاني 2018", "2018-11-05", "day",
                 id="levantine-month"),
    pytest.param("وقع الهجوم في 5 جانفي 2018", "5 جانفي 2018", "2018-01-05", "day", id="maghrebi-month"),
    pytest.param("وقع الهجوم في 4 آب 2012", "4 آب 2012", "2012-08-04", "day", id="ab-with-day-and-year"),
    pytest.param("وقع الهجوم يوم الأحد 4 تشرين الثاني 2018", "يوم الأحد 4 تشرين الثاني 2018", "2018-11-04", "day",
                 id="weekday-and-date"),
    pytest.param("وقع الهجوم الاثنين، 5 نوفمبر 2018", "الاثنين، 5 نوفمبر 2018", "2018-11-05", "day",
                 id="weekday-comma-date"),
    pytest.param("وقع الهجوم بتاريخ 2018/11/05", "2018/11/05", "2018-11-05", "day", id="numeric-ymd"),
    pytest.param("وقع الهجوم بتاريخ 05/11/2018", "05/11/2018", "2018-11-05", "day", id="numeric-dmy"),
    pytest.param("وقع الهجوم بتاريخ 5-11-2018", "5-11-2018", "2018-11-05", "day", id="numeric-dmy-hyphens"),
    pytest.param("وقع الهجوم بتاريخ 2018-11-05", "2018-11-05", "2018-11-05", "day", id="numeric-iso"),
    pytest.param("وقع الهجوم بتاريخ ٢٠١٨/١١/٠٥", "٢٠١٨/١١/٠٥", "2018-11-05", "day", id="numeric-arabic-indic"),
    pytest.param("وقع الهجوم بتاريخ ۲۰۱۸/۱۱/۰۵", "۲۰۱۸/۱۱/۰۵", "2018-11-05", "day", id="numeric-persian"),
    pytest.param("وقع الهجوم بتاريخ 16.11.2016", "16.11.2016", "2016-11-16", "day", id="numeric-dotted"),
    pytest.param("اندلعت الحرب عام 2017", "عام 2017", "2017", "year", id="year-am"),
    pytest.param("اندلعت الحرب في العام ٢٠١٧", "العام ٢٠١٧", "2017", "year", id="year-alam-arabic-indic"),
    pytest.param("اندلعت الحرب سنة 2015", "سنة 2015", "2015", "year", id="year-sana"),
    pytest.param("اندلعت الحرب عام ألفين وسبعة عشر", "عام ألفين وسبعة عشر", "2017", "year", id="year-in-words"),
    pytest.param("نزح السكان منذ 2011", "2011", "2011", "year", id="year-after-preposition"),
    pytest.param("تصاعد القصف أواخر 2017", "أواخر 2017", "2017", "year", id="end-of-year"),
    pytest.param("اندلعت الاحتجاجات في مارس 2011", "مارس 2011", "2011-03", "month", id="month-year"),
    pytest.param("اندلعت الاحتجاجات في تشرين الأول 2018", "تشرين الأول 2018", "2018-10", "month",
                 id="levantine-month-year"),
    pytest.param("اندلعت الاحتجاجات في آب 2016", "آب 2016", "2016-08", "month", id="ab-with-year"),
    # ordinal days; without a year, the year of publication (news reports the recent past)
    pytest.param("وقع الهجوم في الرابع من مايو 2018", "الرابع من مايو 2018", "2018-05-04", "day",
                 id="ordinal-day-with-year"),
    pytest.param("وقع الهجوم في الرابع من مايو", "الرابع من مايو", "2018-05-04", "day", id="ordinal-day"),
    pytest.param("وقع الهجوم في الحادي عشر من سبتمبر", "الحادي عشر من سبتمبر", "2018-09-11", "day",
                 id="ordinal-teen-day"),
    pytest.param("وقع الهجوم في الثاني والعشرين من شباط", "الثاني والعشرين من شباط", "2018-02-22", "day",
                 id="ordinal-compound-day"),
    pytest.param("عاد السكان في شهر آذار الماضي", "شهر آذار الماضي", "2018-03", "month", id="last-march"),
    pytest.param("عاد السكان في كانون الثاني الماضي", "كانون الثاني الماضي", "2018-01", "month",
                 id="last-january"),
    # Hijri
    pytest.param("وقع الهجوم في 1 ربيع الأول 1440 هـ", "1 ربيع الأول 1440 هـ", "2018-11-09", "day", id="hijri"),
    pytest.param("وقع الهجوم في رمضان 1439 هـ", "رمضان 1439 هـ", "2018-05", "month", id="hijri-month-year"),
]


@pytest.mark.parametrize(("sentence", "span", "value", "precision"), RELATIVE + ABSOLUTE)
def test_date(sentence, span, value, precision):
    d = only_date(sentence)
    assert (d["text"], d["value"], d["precision"]) == (span, value, precision)


def test_there_are_enough_cases():
    assert len(RELATIVE) + len(ABSOLUTE) >= 40


@pytest.mark.parametrize(("sentence", "span", "precision"), [
    pytest.param(p.values[0], p.values[1], p.values[3], id=p.id) for p in RELATIVE])
def test_relative_dates_without_a_publication_date(sentence, span, precision):
    """Found all the same, with the same span and precision, and no value."""
    d = only_date(sentence, published=None)
    assert sentence[d["start"] : d["end"]] == d["text"]
    assert (d["text"], d["value"], d["precision"]) == (span, None, precision)
    assert d["kind"] in ("relative", "partial")  # "يوم 27" is a partial date, resolved the same way


@pytest.mark.parametrize(
    ("sentence", "value", "precision"),
    [
        pytest.param("وقع الهجوم في 5 نوفمبر 2018", "2018-11-05", "day", id="day"),
        pytest.param("اندلعت الحرب عام 2017", "2017", "year", id="year"),
        pytest.param("اندلعت الاحتجاجات في مارس 2011", "2011-03", "month", id="month"),
        pytest.param("وقع الهجوم في 1 ربيع الأول 1440 هـ", "2018-11-09", "day", id="hijri"),
    ],
)
def test_absolute_dates_need_no_publication_date(sentence, value, precision):
    d = only_date(sentence, published=None)
    assert (d["value"], d["precision"], d["kind"]) == (value, precision, "absolute")


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("وقع الهجوم في الرابع من مايو", id="ordinal-day-month"),
        pytest.param("وقع الهجوم في 4 آب", id="day-month"),
        pytest.param("عاد السكان في شهر آذار الماضي", id="month"),
        pytest.param("عاد السكان في رمضان الماضي", id="hijri-month"),
    ],
)
def test_partial_dates_without_a_publication_date(sentence):
    d = only_date(sentence, published=None)
    assert (d["value"], d["kind"]) == (None, "partial")
    assert d["precision"] == only_date(sentence)["precision"]


# -- Hijri ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "span", "value"),
    [
        pytest.param("في 1 ربيع الأول 1440 هـ", "1 ربيع الأول 1440 هـ", "2018-11-09", id="rabi-al-awwal"),
        pytest.param("في 12 ربيع الأول 1440 هجري", "12 ربيع الأول 1440 هجري", "2018-11-20", id="hijri-word"),
        pytest.param("في 1 محرم 1440 هـ", "1 محرم 1440 هـ", "2018-09-11", id="muharram"),
        pytest.param("في 1 رمضان 1439 هـ", "1 رمضان 1439 هـ", "2018-05-16", id="ramadan"),
        pytest.param("في 1 شوال 1439 هـ", "1 شوال 1439 هـ", "2018-06-15", id="shawwal"),
        pytest.param("في 10 ذو الحجة 1439 هـ", "10 ذو الحجة 1439 هـ", "2018-08-21", id="dhu-al-hijja"),
        pytest.param("في 1 جمادى الأولى 1440", "1 جمادى الأولى 1440", "2019-01-07", id="without-era"),
    ],
)
def test_hijri_dates_are_converted(sentence, span, value):
    d = only_date(sentence, published=None)
    assert (d["text"], d["value"], d["precision"], d.get("calendar")) == (span, value, "day", "hijri")


def test_hijri_conversion_agrees_with_umm_al_qura():
    from hijridate import Hijri

    for month in range(1, 13):
        form = {1: "محرم", 2: "صفر", 3: "ربيع الأول", 4: "ربيع الآخر", 5: "جمادى الأولى", 6: "جمادى الآخرة",
                7: "رجب", 8: "شعبان", 9: "رمضان", 10: "شوال", 11: "ذو القعدة", 12: "ذو الحجة"}[month]
        d = only_date(f"وقع ذلك في 14 {form} 1438 هـ", published=None)
        assert d["value"] == Hijri(1438, month, 14).to_gregorian().isoformat(), form


def test_a_hijri_month_without_a_year_is_the_last_one():
    d = only_date("عاد السكان في رمضان الماضي")
    assert (d["text"], d["value"], d["precision"]) == ("رمضان الماضي", "2018-05", "month")


# -- the Egyptian and the Levantine month names mean the same months --------------------------------
MONTH_SERIES = [
    (1, "يناير", "كانون الثاني"),
    (2, "فبراير", "شباط"),
    (3, "مارس", "آذار"),
    (4, "أبريل", "نيسان"),
    (5, "مايو", "أيار"),
    (6, "يونيو", "حزيران"),
    (7, "يوليو", "تموز"),
    (8, "أغسطس", "آب"),
    (9, "سبتمبر", "أيلول"),
    (10, "أكتوبر", "تشرين الأول"),
    (11, "نوفمبر", "تشرين الثاني"),
    (12, "ديسمبر", "كانون الأول"),
]


@pytest.mark.parametrize(("month", "egyptian", "levantine"), MONTH_SERIES, ids=[str(m) for m, _e, _l in MONTH_SERIES])
@pytest.mark.parametrize(
    ("template", "expected", "precision"),
    [
        pytest.param("وقع الهجوم في 5 {m} 2016", "2016-{mm}-05", "day", id="day-month-year"),
        pytest.param("وقع الهجوم في الخامس من {m} 2016", "2016-{mm}-05", "day", id="ordinal-month-year"),
        pytest.param("اندلعت الاشتباكات في {m} 2016", "2016-{mm}", "month", id="month-year"),
        pytest.param("وقع الهجوم في 5 {m}", None, "day", id="day-month"),
    ],
)
def test_month_series_are_equivalent(month, egyptian, levantine, template, expected, precision):
    a = only_date(template.format(m=egyptian))
    b = only_date(template.format(m=levantine))
    assert a["value"] == b["value"]
    assert a["precision"] == b["precision"] == precision
    if expected is not None:
        assert a["value"] == expected.format(mm=f"{month:02d}")
    else:  # without a year: the month and day are those written
        assert a["value"][5:] == f"{month:02d}-05"


# -- not dates --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("قال آب الضحية إن ابنه قتل في القصف", id="ab-father"),
        pytest.param("لا يخفى على أحد أن الوضع صعب", id="ahad-is-not-sunday"),
        pytest.param("لم يصب أحد بأذى", id="nobody-is-not-sunday"),
        pytest.param("شنت الطائرات في 15 غارة على المدينة", id="fi-15-raids"),
        pytest.param("نفذت الطائرات 15 غارة", id="fifteen-raids"),
        pytest.param("وصل عدد القتلى إلى 2018 قتيلا", id="a-count-like-a-year"),
        pytest.param("التقى الوزير رجب طيب أردوغان", id="rajab-a-name"),
        pytest.param("سجلت الإحصائيات صفر إصابات", id="sifr-zero"),
        pytest.param("هذه أول مرة يحدث فيها ذلك", id="awwal-first"),
        pytest.param("حل الفريق في المرتبة الأولى", id="ula-first"),
        pytest.param("قتل الأحد عشر مقاتلا في الكمين", id="eleven-is-not-sunday"),
    ],
)
def test_not_a_date(sentence):
    assert dates(sentence) == []
    assert dates(sentence, published=None) == []


# -- spans ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("قصفت الطائرات البلدة الأسبوع الماضي", id="last-week"),
        pytest.param("تصاعد القصف هذا الأسبوع", id="this-week"),
        pytest.param("نزحت عائلات خلال الأيام القليلة المنصرمة", id="past-few-days"),
        pytest.param("قصفت الطائرات البلدة أمس", id="a-day"),
    ],
)
def test_the_span_of_a_date_is_its_place_in_the_text(sentence):
    """``start`` and ``end`` of the contract are character offsets, whatever the date's value."""
    d = only_date(sentence)
    assert isinstance(d["start"], int) and isinstance(d["end"], int)
    assert sentence[d["start"] : d["end"]] == d["text"]
    assert sentence.endswith(d["text"])


def test_several_dates_in_one_text():
    text = "قصفت الطائرات البلدة أمس، بعد هدوء منذ 5 تشرين الثاني 2017، ويتوقع تجدد القصف غدا."
    found = dates(text)
    assert [(d["text"], d["value"], d["precision"]) for d in found] == [
        ("أمس", "2018-11-06", "day"),
        ("5 تشرين الثاني 2017", "2017-11-05", "day"),
        ("غدا", "2018-11-08", "day"),
    ]
    for d in found:
        assert text[d["start"] : d["end"]] == d["text"]


# -- one month named in two series: "فبراير/شباط"، "يناير (كانون الثاني)" -----------------------------
@pytest.mark.parametrize(("sentence", "span", "value", "precision"), [
    pytest.param("قتل جنديان في 1 فبراير/شباط 2024", "1 فبراير/شباط 2024", "2024-02-01", "day", id="slash"),
    pytest.param("بدأ الهجوم في 17 يوليو (تموز) 2022", "17 يوليو (تموز) 2022", "2022-07-17", "day", id="brackets"),
    pytest.param("تعود الحادثة إلى أبريل/نيسان 2019", "أبريل/نيسان 2019", "2019-04", "month", id="month-year"),
])
def test_a_month_named_in_two_series_is_one_date(sentence, span, value, precision):
    found = only_date(sentence)
    assert (found["text"], found["value"], found["precision"]) == (span, value, precision)


def test_two_different_months_after_a_slash_stay_apart():
    assert [d["text"] for d in dates("بين 3 مايو/حزيران")] != ["3 مايو/حزيران"]
