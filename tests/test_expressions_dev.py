"""The expressions layer on the development set of ../shared, scored by the official scorer.

A regression guard with floors just under the measured scores (docs/performance.md has the
numbers); runs wherever ../shared is beside the repository, as in CI.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

import marsad

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEV = SHARED / "data" / "expressions" / "dev.jsonl"
SCORER = SHARED / "eval" / "score.py"

pytestmark = pytest.mark.skipif(not DEV.is_file(), reason=f"development data not found at {DEV}")


def _scorer():
    spec = importlib.util.spec_from_file_location("marsad_eval_score", SCORER)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.mark.parametrize(("numbers", "number_floor"), [
    pytest.param("all", 0.90, id="every-number"),  # the parser, as the Recognizers-Text cases count
    # the default listing drops date parts, money and durations, which these cases count (docs/quality.md)
    pytest.param("counts", 0.86, id="default-counts"),
])
def test_expressions_dev_scores(tmp_path, capsys, numbers, number_floor):
    gold = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    pred_path = tmp_path / "pred.jsonl"
    with pred_path.open("w", encoding="utf-8") as out:
        for i, row in enumerate(gold):
            ref = (row.get("context") or {}).get("ReferenceDateTime")
            doc = marsad.extract(row["input"], published=ref[:10] if ref else None, id=str(i))
            out.write(json.dumps(doc.to_contract(numbers=numbers), ensure_ascii=False) + "\n")
    scores = _scorer().score_expressions(str(DEV), str(pred_path))
    capsys.readouterr()
    sys.stderr.write(f"expressions dev ({numbers}): {scores}\n")
    assert scores["date_span_f1"] >= 0.97
    assert scores["number_f1"] >= number_floor
