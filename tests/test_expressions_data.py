"""The vocabulary of the expressions layer: data/expressions/numbers.toml and dates.toml.

An analyst extends marsad by editing these files; these tests keep them loadable and consistent:
every month, Hijri month and weekday is there, every form normalises to something, numeric keys
are numbers, the categories of what a number counts are the contract's, and no form is listed
twice in one table (a form listed twice, or under two keys, is a slip or an ambiguity).
"""

from __future__ import annotations

import math
import tomllib
from collections import Counter
from importlib import resources
from typing import Any, Iterator

import pytest

from marsad.text.normalize import normalize_str

WHAT_VALUES = {"killed", "wounded", "killed_or_wounded", "fighters", "families", "civilians", "displaced",
               "kidnapped", "detained", "other"}

EGYPTIAN = {1: {"يناير"}, 2: {"فبراير"}, 3: {"مارس"}, 4: {"أبريل", "إبريل", "ابريل"}, 5: {"مايو"},
            6: {"يونيو", "يونيه"}, 7: {"يوليو", "يوليه"}, 8: {"أغسطس", "اغسطس"}, 9: {"سبتمبر"},
            10: {"أكتوبر", "اكتوبر"}, 11: {"نوفمبر"}, 12: {"ديسمبر"}}
LEVANTINE = {1: {"كانون الثاني", "كانون ثاني"}, 2: {"شباط"}, 3: {"آذار"}, 4: {"نيسان"}, 5: {"أيار"},
             6: {"حزيران"}, 7: {"تموز"}, 8: {"آب"}, 9: {"أيلول"}, 10: {"تشرين الأول", "تشرين أول"},
             11: {"تشرين الثاني", "تشرين ثاني"}, 12: {"كانون الأول", "كانون أول"}}


def load(name: str) -> dict[str, Any]:
    path = resources.files("marsad") / "data" / "expressions" / name
    with path.open("rb") as fh:
        return tomllib.load(fh)


NUMBERS = load("numbers.toml")
DATES = load("dates.toml")
FILES = {"numbers.toml": NUMBERS, "dates.toml": DATES}


def string_lists(node: Any, path: str = "") -> Iterator[tuple[str, list[str]]]:
    """Every list of forms in a file, with its dotted path (a list of pairs is flattened)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from string_lists(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        if all(isinstance(x, str) for x in node):
            yield path, node
        else:
            for i, x in enumerate(node):
                yield from string_lists(x, f"{path}[{i}]")


def all_forms() -> Iterator[tuple[str, str]]:
    for name, data in FILES.items():
        for path, forms in string_lists(data):
            for form in forms:
                yield f"{name}:{path}", form
    for phrase in DATES["relative"]:  # the relative phrases are the keys of their table
        yield "dates.toml:relative", phrase


# Tables whose keys are meanings (a number, a month, a category): one form has one meaning, so a
# form may appear under one key only. Each is given as the file and the path of the table.
KEYED_TABLES = [
    ("numbers.toml", "units"), ("numbers.toml", "teen_units"), ("numbers.toml", "tens"),
    ("numbers.toml", "hundreds"), ("numbers.toml", "fractions"), ("numbers.toml", "fraction_plurals"),
    ("numbers.toml", "vague"), ("numbers.toml", "ambiguous_fractions"), ("numbers.toml", "what.nouns"),
    ("numbers.toml", "what.duals"), ("numbers.toml", "what.cues"), ("numbers.toml", "what.after"),
    ("numbers.toml", "fraction_words"), ("numbers.toml", "dozens"), ("numbers.toml", "things"),
    ("dates.toml", "months"), ("dates.toml", "hijri_months"), ("dates.toml", "weekdays"),
    ("numbers.toml", "ordinals"), ("dates.toml", "duration_units"),
    ("dates.toml", "duration_duals"), ("dates.toml", "duration_direction"), ("dates.toml", "weekday_modifiers"),
]


def table(file: str, path: str) -> dict[str, Any]:
    node: Any = FILES[file]
    for part in path.split("."):
        node = node[part]
    return node


def duplicates(forms: list[str]) -> list[str]:
    return sorted(f for f, n in Counter(forms).items() if n > 1)


# -- the files ----------------------------------------------------------------------------------------
def test_the_files_load_from_the_installed_package():
    assert NUMBERS and DATES
    from marsad.expressions.lexicon import dates_data, numbers_data

    assert numbers_data() == NUMBERS
    assert dates_data() == DATES


# -- dates.toml ----------------------------------------------------------------------------------------
def test_every_gregorian_month_is_there():
    assert sorted(int(k) for k in DATES["months"]) == list(range(1, 13))


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_has_an_egyptian_and_a_levantine_name(month):
    forms = set(DATES["months"][str(month)])
    assert forms & EGYPTIAN[month], f"month {month} has no Egyptian form in {sorted(forms)}"
    assert forms & LEVANTINE[month], f"month {month} has no Levantine form in {sorted(forms)}"


def test_every_hijri_month_is_there():
    assert sorted(int(k) for k in DATES["hijri_months"]) == list(range(1, 13))
    assert all(DATES["hijri_months"][str(m)] for m in range(1, 13))


def test_every_weekday_is_there():
    assert sorted(int(k) for k in DATES["weekdays"]) == list(range(7))
    # Python's weekday(): Monday is 0, Sunday 6
    assert "الاثنين" in DATES["weekdays"]["0"] and "الأحد" in DATES["weekdays"]["6"]
    assert "الجمعة" in DATES["weekdays"]["4"]


def test_forms_needing_context_are_forms_of_their_table():
    months = {f for forms in DATES["months"].values() for f in forms}
    assert set(DATES["months_needing_context"]["forms"]) <= months
    hijri = {f for forms in DATES["hijri_months"].values() for f in forms}
    assert set(DATES["hijri_needing_context"]["forms"]) <= hijri


def test_ordinals_live_in_one_place():
    """Ordinal days of dates come from numbers.toml's ordinals, which cover 1..10."""
    assert "ordinal_days" not in DATES and "ordinal_teens" not in DATES
    assert {int(k) for k in NUMBERS["ordinals"]} == set(range(1, 11))


def test_relative_phrases_are_well_formed():
    for phrase, spec in DATES["relative"].items():
        _check_relative(phrase, spec)


def _check_relative(phrase: str, spec: dict[str, Any]) -> None:
    assert spec["unit"] in ("day", "week", "month", "year")
    offsets = [k for k in ("shift", "months", "years") if k in spec]
    assert len(offsets) == 1, phrase
    assert isinstance(spec[offsets[0]], int)
    assert set(spec) <= {"unit", "shift", "months", "years", "span_days"}
    assert spec["unit"] in {"shift": ("day", "week"), "months": ("month",), "years": ("year",)}[offsets[0]]


def test_duration_units_are_the_precisions():
    assert set(DATES["duration_units"]) == set(DATES["duration_duals"]) == {"hour", "day", "week", "month", "year"}


# -- numbers.toml --------------------------------------------------------------------------------------
NUMERIC_TABLES = ["units", "teen_units", "tens", "hundreds", "fractions", "fraction_plurals", "vague",
                  "ambiguous_fractions"]


@pytest.mark.parametrize("name", NUMERIC_TABLES)
def test_numeric_keys_parse_as_numbers(name):
    for key in NUMBERS[name]:
        value = float(key)
        assert math.isfinite(value) and value >= 0, (name, key)


@pytest.mark.parametrize(("file", "name"), [("dates.toml", "months"), ("dates.toml", "hijri_months"),
                                            ("dates.toml", "weekdays"), ("numbers.toml", "ordinals")])
def test_numeric_keys_of_dates_are_integers(file, name):
    for key in FILES[file][name]:
        assert str(int(key)) == key, (name, key)


def test_number_tables_hold_the_values_they_say():
    assert sorted(float(k) for k in NUMBERS["units"]) == [float(v) for v in range(11)]
    assert sorted(float(k) for k in NUMBERS["tens"]) == [float(v) for v in range(20, 100, 10)]
    assert sorted(float(k) for k in NUMBERS["hundreds"]) == [float(v) for v in range(100, 1000, 100)]
    assert all(0 < float(k) < 1 for k in NUMBERS["fractions"])
    assert {k: v["value"] for k, v in NUMBERS["scales"].items()} == {
        "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
    for scale in NUMBERS["scales"].values():
        assert scale["singular"] and scale["plural"] and scale["dual"]


def test_acled_conservative_values_of_vague_quantities():
    vague = {form: float(k) for k, forms in NUMBERS["vague"].items() for form in forms}
    assert vague["عشرات"] == 10
    assert vague["بضعة"] == vague["بضع"] == 3
    assert vague["مئات"] == 100
    assert vague["آلاف"] == 1000


@pytest.mark.parametrize("section", ["nouns", "duals", "cues", "after"])
def test_what_categories_are_the_contract_values(section):
    categories = set(NUMBERS["what"][section])
    assert categories, section
    assert categories <= WHAT_VALUES, categories - WHAT_VALUES


def test_every_what_value_has_nouns_or_cues():
    covered = set(NUMBERS["what"]["nouns"]) | set(NUMBERS["what"]["cues"]) | set(NUMBERS["what"]["after"])
    assert covered == WHAT_VALUES


def test_upper_hedges_are_hedges():
    assert set(NUMBERS["hedges"]["upper"]) <= set(NUMBERS["hedges"]["before"])


def test_range_words_are_lists_of_phrases():
    for key in ("between", "from"):
        assert NUMBERS["ranges"][key] and all(isinstance(p, str) and p.strip() for p in NUMBERS["ranges"][key])
    assert set(NUMBERS["hedges"]["upper_after"]) <= set(NUMBERS["hedges"]["after"])


# -- every form ----------------------------------------------------------------------------------------
def test_every_form_normalises_to_words():
    bad = []
    for where, form in all_forms():
        words = form.split()
        if form != form.strip() or not words or not normalize_str(form).strip() \
                or not all(normalize_str(word).strip() for word in words):
            bad.append((where, form))
    assert bad == []


def test_there_are_many_forms():
    assert len(list(all_forms())) > 500


@pytest.mark.parametrize(("where", "forms"), [
    pytest.param(f"{name}:{path}", forms, id=f"{name}:{path}")
    for name, data in FILES.items() for path, forms in string_lists(data)])
def test_no_form_is_listed_twice_in_one_list(where, forms):
    assert duplicates(forms) == [], where


@pytest.mark.parametrize(("file", "path"), KEYED_TABLES, ids=[f"{f}:{p}" for f, p in KEYED_TABLES])
def test_no_form_is_under_two_keys_of_one_table(file, path):
    forms = [form for _where, lst in string_lists(table(file, path)) for form in lst]
    assert forms, (file, path)
    assert duplicates(forms) == [], (file, path)


def test_no_form_is_under_two_scales():
    forms = [form for scale in NUMBERS["scales"].values() for kind in ("singular", "plural", "dual")
             for form in scale[kind]]
    assert duplicates(forms) == []
