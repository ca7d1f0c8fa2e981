"""The events component's copy of an event for each item of a list gives what ``copy.deepcopy`` gives.

On the events of the demo articles and the built-in bench corpus, and on made-up values (nested
dicts and lists, shared parts, tuples, Unicode): equal, independent of the original, and with the
parts shared inside the original still shared inside the copy.
"""

from __future__ import annotations

import copy
import datetime
from pathlib import Path

import pytest

import marsad
from marsad.bench import builtin_corpus
from marsad.events import events

DEMO = sorted((Path(marsad.__file__).parent / "data" / "demo").glob("*.txt"))


@pytest.fixture(scope="module")
def event_dicts() -> list[dict]:
    texts = [p.read_text(encoding="utf-8") for p in DEMO] + [d.text for d in builtin_corpus(12)]
    found = []
    for text in texts:
        doc = marsad.extract(text, published="2020-01-01")
        found += [e.data for e in doc.layer("events")]
    assert found
    return found


def _same_structure(x: object, y: object) -> None:
    """Equal values, no mutable part of ``x`` reused in ``y``."""
    assert x == y
    assert type(x) is type(y)
    if isinstance(x, (dict, list)):
        assert x is not y
        for vx, vy in zip(x.values(), y.values()) if isinstance(x, dict) else zip(x, y):
            _same_structure(vx, vy)


def test_copies_of_real_events_equal_deepcopy(event_dicts: list[dict]) -> None:
    for e in event_dicts:
        got = events._deep_copied(e)
        assert got == copy.deepcopy(e)
        _same_structure(e, got)


@pytest.mark.parametrize("value", [
    {},
    [],
    "",
    None,
    {"a": {"b": [1, 2.5, True, None, "مقتل"]}, "c": []},
    {"t": (1, [2, 3]), "d": datetime.date(2020, 1, 2), "e": {1: "x", (2, 3): ["y"]}},
    [[{"k": "ي\u0652ن"}], {"nested": [[], {}]}],
])
def test_made_up_values_equal_deepcopy(value: object) -> None:
    got = events._deep_copied(value)
    assert got == copy.deepcopy(value)
    assert type(got) is type(value)


def test_shared_parts_stay_shared_and_apart_from_the_original() -> None:
    shared = {"actor_id": "x", "aliases": ["أ", "ب"]}
    e = {"actor1": shared, "actor2": shared, "fields": {"type": {"rule": "r"}}, "mentions": [shared]}
    got = events._deep_copied(e)
    assert got["actor1"] is got["actor2"] is got["mentions"][0]
    assert got["actor1"] is not shared
    got["fields"]["type"]["rule"] += "+listed"
    got["actor1"]["aliases"].append("ج")
    assert e["fields"]["type"]["rule"] == "r"
    assert shared["aliases"] == ["أ", "ب"]
