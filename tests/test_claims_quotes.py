"""Claims: a quotation ends at its closing mark, and "وحتى" adds a statement to the accusation before it.

Rules added for issue 6 (golden tests on the seeds), tested on sentences written for these tests:
``_content`` in ``events/claims.py`` and ``[escalation]`` in ``data/events/claims.toml``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

import marsad


@cache
def claims(text: str) -> list[dict[str, Any]]:
    return [a.data for a in marsad.extract(text, published="2018-11-05").layer("claims")]


def by(text: str, speaker: str) -> dict[str, Any]:
    found = [c for c in claims(text) if c["speaker"]["text"] == speaker]
    assert found, [c["speaker"]["text"] for c in claims(text)]
    return found[0]


@pytest.mark.parametrize("marks", [("”", "”"), ("“", "”"), ("«", "»"), ('"', '"')], ids=["curly", "curly-pair", "guillemets", "straight"])
def test_quoted_content_ends_at_the_closing_mark(marks):
    a, b = marks
    text = f"يقول أحد السكان {a} لم نعد نشعر بالأمان في المدينة أبدا {b} حينما اعتقلت قوات الأمن عشرات الشبان."
    assert by(text, "أحد السكان")["content"]["text"] == "لم نعد نشعر بالأمان في المدينة أبدا"


def test_content_without_a_quotation_runs_to_the_sentence_end():
    text = "وقال مصدر أمني إن قوات الأمن اعتقلت عشرات الشبان في المدينة."
    assert by(text, "مصدر أمني")["content"]["text"] == "قوات الأمن اعتقلت عشرات الشبان في المدينة"


def test_a_short_quoted_name_that_opens_the_content_does_not_end_it():
    # «داعش» is a name, not the quoted statement: the content goes on after it
    text = "وقال مسؤول عسكري إن «داعش» شن هجوما على مواقع الجيش في المدينة."
    assert by(text, "مسؤول عسكري")["content"]["text"].endswith("على مواقع الجيش في المدينة")


def test_even_after_an_accusation_accuses():
    text = "اتهمت المعارضة النظام بارتكاب مجزرة في البلدة، وحتى قال مسؤول أممي إن القوات الحكومية قصفت المدينة."
    c = by(text, "مسؤول أممي")
    assert c["stance"] == "accuse" and c["stance_rule"] == "escalation"


def test_even_after_a_plain_statement_asserts():
    text = "أعلنت الحكومة استئناف المفاوضات، وحتى قال مسؤول أممي إن المحادثات ستبدأ غدا."
    assert by(text, "مسؤول أممي")["stance"] == "assert"


def test_even_in_another_sentence_does_not_inherit():
    text = "اتهمت المعارضة النظام بارتكاب مجزرة في البلدة. وحتى قال مسؤول أممي إن المحادثات ستبدأ غدا."
    assert by(text, "مسؤول أممي")["stance"] == "assert"
