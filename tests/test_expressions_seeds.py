"""Golden facts of the numbers and dates layers on the two founding articles (issue 3).

Every people count and every date expression in the seeds, with the value the text supports.
The articles carry no publication date, so relative dates are found with value null; the same
articles with a publication date resolve them.
"""

from __future__ import annotations

import pytest

import marsad
from marsad.io.demo import demo_paths

SEEDS = {p.stem: p.read_text(encoding="utf-8") for p in demo_paths()}
SEED_000, SEED_003 = "000_0f9739a393283256", "003_eb6b299938bd81e9"


def numbers(doc_id: str, published: str | None = None) -> list[tuple[str, object, bool, object]]:
    doc = marsad.extract(SEEDS[doc_id], published=published, id=doc_id)
    return [(n.text, n.data["value"], n.data["approx"], n.data["what"]) for n in doc.layer("numbers")
            if n.data["kind"] != "date_part"]


def dates(doc_id: str, published: str | None = None) -> list[tuple[str, object, object]]:
    doc = marsad.extract(SEEDS[doc_id], published=published, id=doc_id)
    return [(d.text, d.data["value"], d.data["precision"]) for d in doc.layer("dates")]


# (text of the annotation, value, approx, what): the people counts of the gold annotation
PEOPLE_COUNTS = {
    SEED_000: [("لقرابة 100 عائلة", 100, True, "kidnapped")],
    SEED_003: [
        ("الآلاف من المقاتلين", 1000, True, "fighters"),
        ("بضعة مئات ربما لا يتجاوزن الألف مقاتل", 100, True, "fighters"),
        ("المئات", 100, True, None),  # "تلك المئات المتبقية": the fighters of the sentence before
        ("العشرات بين قتيل وجريح", 10, True, "killed_or_wounded"),
        ("مقاتلون تجاوز عددهم العشرون", 20, True, "killed"),
        ("أكثر من ١٢٠٠ مقاتل", 1200, True, "fighters"),
        ("الآلاف من المدنيين", 1000, True, "civilians"),
    ],
}


@pytest.mark.parametrize("doc_id", sorted(PEOPLE_COUNTS))
def test_every_people_count_is_found_with_its_value(doc_id):
    found = numbers(doc_id)
    for expected in PEOPLE_COUNTS[doc_id]:
        assert expected in found, f"{expected} not in {found}"


def test_other_quantities_are_found_too():
    assert ("60", 60, False, None) in numbers(SEED_000)  # "60 كم"
    found = numbers(SEED_003)
    assert ("والمئات", 100, True, None) in found  # "والمئات من المعدات العسكرية"
    assert ("آلاف", 1000, True, None) in found  # "آلاف من الألغام"
    assert [t for t, *_ in found].count("بضعة") == 3  # بضعة أمتار / ساعات / أسابيع


def test_the_names_with_digits_are_not_numbers():
    assert not any("24" in text for text, *_ in numbers(SEED_003))  # "لديرالزور24"


def test_dates_without_a_publication_date_are_found_with_null_values():
    assert dates(SEED_000) == [("منذ عام مضى", None, "year")]
    assert dates(SEED_003) == [
        ("منذ أشهر", None, "month"),
        ("في الأيام القليلة المنصرمة", None, "week"),
        ("العام ٢٠١٧", "2017", "year"),
        ("اليوم", None, "day"),
        ("عام ٢٠١٧", "2017", "year"),
        ("منذ أشهر مضت", None, "month"),
        ("في الساعات الماضية", None, "day"),
        ("اليوم", None, "day"),
    ]


def test_dates_resolve_against_a_publication_date():
    resolved = dates(SEED_003, published="2018-11-05")
    assert ("في الأيام القليلة المنصرمة", "2018-W45", "week") in resolved
    assert ("في الساعات الماضية", "2018-11-05", "day") in resolved
    assert ("العام ٢٠١٧", "2017", "year") in resolved
    assert ("منذ أشهر", None, "month") in resolved  # "months ago" cannot be pinned down
    assert dates(SEED_000, published="2018-11-05") == [("منذ عام مضى", "2017", "year")]


def test_the_years_inside_dates_are_date_parts_not_counts():
    doc = marsad.extract(SEEDS[SEED_003])
    parts = [n for n in doc.layer("numbers") if n.data["kind"] == "date_part"]
    assert [(n.text, n.data["value"], n.data["what"]) for n in parts] == [("٢٠١٧", 2017, None)] * 2


@pytest.mark.parametrize("doc_id", sorted(SEEDS))
def test_every_span_is_exact(doc_id):
    out = marsad.extract(SEEDS[doc_id]).to_contract()
    for layer in ("numbers", "dates"):
        for item in out[layer]:
            assert SEEDS[doc_id][item["start"] : item["end"]] == item["text"]
            assert item["by"].startswith("expressions.")
