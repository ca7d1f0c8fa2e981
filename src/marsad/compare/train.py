"""Training the stance model, reproducibly: ``marsad train stance --data ../shared/data``.

Trains on ``stance/train.jsonl`` (the ANS pairs), scores on ``stance/dev.jsonl`` if present, and
writes the weights and their metadata (data hash, settings, dev scores). Same data, same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from marsad.compare.pairs import LABELS, StanceModel, compare_pair, train, write_model
from marsad.errors import InputError, MalformedRecord


def read_pairs(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise MalformedRecord(f"not JSON: {exc}", origin=str(path), line=number) from None
            if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("a", "b")):
                raise MalformedRecord("expected an object with string fields a and b", origin=str(path), line=number)
            rows.append(row)
    return rows


def score(model: StanceModel, rows: list[dict[str, Any]]) -> dict[str, Any]:
    confusion: Counter[tuple[str, str]] = Counter()
    same = 0
    for row in rows:
        result = compare_pair(row["a"], row["b"], model)
        confusion[(row["stance"], result["stance"])] += 1
        same += result["same_story"]
    f1 = {}
    for label in LABELS:
        tp = confusion[(label, label)]
        npred = sum(v for (_g, p), v in confusion.items() if p == label)
        ngold = sum(v for (g, _p), v in confusion.items() if g == label)
        p, r = (tp / npred if npred else 0.0), (tp / ngold if ngold else 0.0)
        f1[label] = round(2 * p * r / (p + r), 4) if p + r else 0.0
    present = [lab for lab in LABELS if any(row["stance"] == lab for row in rows)]
    return {"pairs": len(rows), "macro_f1": round(sum(f1[lab] for lab in present) / len(present), 4),
            "f1": f1, "same_story_rate": round(same / len(rows), 4) if rows else None}


def train_stance(data_dir: str | Path, out_dir: str | Path, progress: Callable[[str], None] = lambda _m: None) -> dict:
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    train_path = data_dir / "stance" / "train.jsonl"
    if not train_path.is_file():
        raise InputError("no stance training file here (expected stance/train.jsonl)", origin=str(data_dir))
    rows = [r for r in read_pairs(train_path) if r.get("stance") in LABELS]
    progress(f"{len(rows)} training pairs")
    weights = train([(r["a"], r["b"], r["stance"]) for r in rows])
    meta: dict[str, Any] = {
        "name": "marsad-stance-logreg", "version": "1", "labels": list(LABELS),
        "training_data": {"file": train_path.name, "pairs": len(rows),
                          "sha256": hashlib.sha256(train_path.read_bytes()).hexdigest()},
        "settings": {"epochs": 20, "rate": 0.2, "l2": 1e-5, "balance": 1.0, "seed": 7},
    }
    dev_path = data_dir / "stance" / "dev.jsonl"
    if dev_path.is_file():
        meta["dev_scores"] = score(StanceModel(weights, meta), [r for r in read_pairs(dev_path) if r.get("stance") in LABELS])
        progress(f"dev: {meta['dev_scores']}")
    write_model(weights, meta, out_dir)
    return meta
