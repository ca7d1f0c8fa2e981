"""Report-pair stance (``marsad compare``): the shipped model, its encoder, training, and the dev score.

The dev floor sits just under the measured score (docs/stance.md has the numbers); the tests that
read ../shared skip where it is absent.
"""

from __future__ import annotations

import importlib.util
import json
import socket
from pathlib import Path

import pytest

from marsad.compare import pairs
from marsad.compare.pairs import LABELS, StanceModel, compare_pair, default_model, embed, train, write_model

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
STANCE = SHARED / "data" / "stance"
SCORER = SHARED / "eval" / "score.py"
needs_shared = pytest.mark.skipif(not (STANCE / "dev.jsonl").is_file(), reason=f"stance data not found at {STANCE}")


def _train_rows() -> dict[str, dict]:
    rows = [json.loads(line) for line in (STANCE / "train.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return {r["id"]: r for r in rows}


def test_model_and_encoder_load_offline(monkeypatch):
    def no_network(*_args, **_kwargs):
        raise OSError("network used")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    pairs._encoder.cache_clear()
    embed.cache_clear()
    vector = embed("قصف مدفعي على مدينة حلب")
    assert vector.shape == (pairs.EMBEDDING_DIM,)
    assert abs(float(vector @ vector) - 1.0) < 1e-3
    model = StanceModel.load(pairs.shipped_model_dir())
    assert model.meta["labels"] == list(LABELS)
    assert model.dense.shape == (pairs.DENSE_DIM, len(LABELS))
    assert len(model.weights) > 1000


def test_result_shape_and_spans():
    a, b = "الحكومة توافق على رفع أسعار الوقود", "الحكومة ترفض رفع أسعار الوقود"
    result = compare_pair(a, b)
    assert set(result) == {"same_story", "stance", "confidence", "differences"}
    assert result["same_story"] is True
    assert result["stance"] == "disagree"
    assert 0.0 <= result["confidence"] <= 1.0
    kinds = {d["kind"] for d in result["differences"]}
    assert {"negation", "antonym"} <= kinds
    for d in result["differences"]:
        for side, text in (("a", a), ("b", b)):
            if side in d:
                assert text[d[side]["start"]:d[side]["end"]] == d[side]["text"]


def test_paraphrase_agrees():
    result = compare_pair("مقتل 5 جنود في هجوم على نقطة تفتيش", "هجوم على نقطة تفتيش يقتل 5 جنود")
    assert result["stance"] == "agree"


@needs_shared
@pytest.mark.parametrize(("pair_id", "stance"), [
    ("train-6", "agree"),  # the Red Cross withdraws 71 aid workers from Yemen, said twice
    ("train-7", "disagree"),  # gold rises to a 12-week high / falls to a 12-week low
    ("train-10", "disagree"),  # agrees to withdraw / denies withdrawing
    ("train-72", "other"),  # plus-size models / a ransom paid by Qatar
])
def test_clear_training_pairs(pair_id, stance):
    row = _train_rows()[pair_id]
    assert row["stance"] == stance
    assert compare_pair(row["a"], row["b"])["stance"] == stance


def test_training_is_deterministic(tmp_path):
    data = [
        ("الجيش يعلن السيطرة على المدينة", "الجيش يسيطر على المدينة", "agree"),
        ("ارتفاع أسعار النفط عالميا", "انخفاض أسعار النفط عالميا", "disagree"),
        ("الحكومة توافق على الاتفاق", "الحكومة ترفض الاتفاق", "disagree"),
        ("مقتل جنديين في انفجار عبوة", "انفجار عبوة يقتل جنديين", "agree"),
        ("افتتاح معرض للكتاب في القاهرة", "فوز فريق كرة القدم بالبطولة", "other"),
        ("البرلمان يقر الميزانية الجديدة", "إقرار البرلمان للميزانية الجديدة", "agree"),
    ]
    written = []
    for run in ("one", "two"):
        weights, dense = train(data, min_count=1)
        write_model(weights, {"name": "test"}, tmp_path / run, dense)
        written.append(((tmp_path / run / "weights.tsv").read_bytes(), (tmp_path / run / "meta.json").read_bytes()))
    assert written[0] == written[1]
    model = StanceModel.load(tmp_path / "one")
    assert compare_pair(data[1][0], data[1][1], model)["stance"] == "disagree"


@needs_shared
def test_stance_dev_scores(tmp_path):
    gold = [json.loads(line) for line in (STANCE / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line]
    pred_path = tmp_path / "pred.jsonl"
    model = default_model()
    with pred_path.open("w", encoding="utf-8") as out:
        for row in gold:
            out.write(json.dumps({"id": row["id"], **compare_pair(row["a"], row["b"], model)}, ensure_ascii=False) + "\n")
    spec = importlib.util.spec_from_file_location("marsad_eval_score", SCORER)
    scorer = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(scorer)  # type: ignore[union-attr]
    scores = scorer.score_stance(str(STANCE / "dev.jsonl"), str(pred_path))
    assert scores["macro_f1"] >= 0.69, scores  # measured 0.7001
    assert scores["f1_other"] >= 0.55, scores  # measured 0.6061
    assert scores["same_story_rate"] >= 0.95, scores  # measured 0.9921
