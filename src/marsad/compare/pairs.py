"""Two reports, one question: the same story? Does B agree with A, contradict it, or neither?

Features of a pair come from marsad's own layers and lists: word overlap, negations only one side
has, antonym swaps (``data/compare/antonyms.toml``), figures, places and actors that differ, and
the words only one side has (a swap the lists lack, "أبل" / "تسلا", is learned from data). A
multinomial logistic regression, trained by ``marsad train stance`` on the ANS training pairs and
shipped in ``data/models/stance/``, weighs them. Every difference is reported with its spans.
"""

from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from marsad.errors import ModelError
from marsad.text.normalize import bare as _bare
from marsad.text.normalize import normalize_str

LABELS = ("agree", "disagree", "other")
DIMENSIONS = 1 << 18
FEATURES_VERSION = "1"
SAME_STORY_MIN_OVERLAP = 0.05  # below this word overlap, with nothing named in common, two reports are two stories


def shipped_model_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "models" / "stance"


@lru_cache(maxsize=1)
def _lists() -> tuple[dict[str, set[str]], frozenset[str]]:
    from marsad.resources import data_toml

    data = data_toml("compare", "antonyms.toml")
    antonyms: dict[str, set[str]] = {}
    for x, y in data["pairs"]:
        bx, by = _bare(normalize_str(x)), _bare(normalize_str(y))
        antonyms.setdefault(bx, set()).add(by)
        antonyms.setdefault(by, set()).add(bx)
    return antonyms, frozenset(_bare(normalize_str(w)) for w in data["negations"])


@dataclass
class Side:
    """One report, analysed: its document and its words (bare forms with spans)."""

    doc: Any
    words: list[tuple[str, int, int]]  # (bare word, start, end)

    @property
    def bare(self) -> set[str]:
        return {w for w, _s, _e in self.words}


def analyse_side(text: str) -> Side:
    import marsad
    from marsad.expressions.scan import words_of

    doc = marsad.extract(text)
    w = words_of(doc)
    words = [(_bare(n), s, e) for n, s, e, k in zip(w.norms, w.starts, w.ends, w.kinds) if k in ("word", "tag", "number")]
    return Side(doc, words)


def _span(side: Side, start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": side.doc.text[start:end]}


def differences(a: Side, b: Side) -> list[dict[str, Any]]:
    """What differs between the reports, each with its spans in A and/or B."""
    antonyms, negations = _lists()
    out: list[dict[str, Any]] = []
    a_words, b_words = a.bare, b.bare
    for w, s, e in b.words:
        if w in negations and w not in a_words:
            out.append({"kind": "negation", "b": _span(b, s, e)})
    for w, s, e in a.words:
        for v in antonyms.get(w, ()):
            if v in b_words and w not in b_words:
                bs, be = next((bs, be) for x, bs, be in b.words if x == v)
                out.append({"kind": "antonym", "a": _span(a, s, e), "b": _span(b, bs, be)})
    a_nums = [n for n in a.doc.layer("numbers") if n.data.get("kind") != "date_part"]
    b_nums = [n for n in b.doc.layer("numbers") if n.data.get("kind") != "date_part"]
    b_values = {n.data.get("value") for n in b_nums}
    for n in a_nums:
        if n.data.get("value") not in b_values and b_nums:
            other = min(b_nums, key=lambda m: abs(m.start - n.start))
            out.append({"kind": "number", "a": _span(a, n.start, n.end), "b": _span(b, other.start, other.end),
                        "values": [n.data.get("value"), other.data.get("value")]})
    for layer, key in (("places", "geonameid"), ("actors", "actor_id")):
        a_keys = {x.data.get(key) or _bare(normalize_str(x.text)) for x in a.doc.layer(layer)}
        for x in b.doc.layer(layer):
            if (x.data.get(key) or _bare(normalize_str(x.text))) not in a_keys:
                out.append({"kind": layer[:-1] + "_only_in_b", "b": _span(b, x.start, x.end)})
    return out


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % DIMENSIONS


def pair_features(a: Side, b: Side, diffs: list[dict[str, Any]]) -> dict[str, float]:
    """Named feature values of a pair (hashed later)."""
    aw, bw = a.bare, b.bare
    union = aw | bw
    overlap = len(aw & bw) / len(union) if union else 0.0
    f: dict[str, float] = {"bias": 1.0, "overlap": overlap, f"overlap_bin:{min(9, int(overlap * 10))}": 1.0}
    kinds: dict[str, int] = {}
    for d in diffs:
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    for kind, n in kinds.items():
        f["diff:" + kind] = 1.0
        f["diff_n:" + kind] = math.log1p(n)
    for d in diffs:
        if d["kind"] == "antonym":
            f["antonym:" + _bare(normalize_str(d["a"]["text"])) + "|" + _bare(normalize_str(d["b"]["text"]))] = 1.0
    only_a, only_b = sorted(aw - bw), sorted(bw - aw)
    for w in only_a:
        f["a_only:" + w] = 1.0
    for w in only_b:
        f["b_only:" + w] = 1.0
    for x in only_a[:12]:  # swaps learned from data: "أبل" in A where B has "تسلا"
        for y in only_b[:12]:
            f["swap:" + x + "|" + y] = 1.0
    f["len_ratio"] = min(len(bw), 1 + len(aw)) / (1 + len(aw))
    return f


def _vector(features: dict[str, float]) -> dict[int, float]:
    out: dict[int, float] = {}
    for name, value in features.items():
        h = _hash(name)
        out[h] = out.get(h, 0.0) + value
    return out


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


class StanceModel:
    """Weights of the multinomial logistic regression, one row per label, over hashed features."""

    def __init__(self, weights: dict[int, list[float]], meta: dict[str, Any]) -> None:
        self.weights, self.meta = weights, meta

    @classmethod
    def load(cls, directory: str | Path) -> StanceModel:
        directory = Path(directory)
        try:
            meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
            rows = (directory / "weights.tsv").read_text(encoding="utf-8").splitlines()
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read the stance model: {exc}", origin=str(directory)) from None
        if not isinstance(meta, dict) or meta.get("features_version") != FEATURES_VERSION:
            raise ModelError("the stance model was trained with other features: retrain it with "
                             "`marsad train stance`", origin=str(directory))
        weights: dict[int, list[float]] = {}
        for row in rows:
            key, *values = row.split("\t")
            weights[int(key)] = [float(v) for v in values]
        return cls(weights, meta)

    def probabilities(self, features: dict[str, float]) -> list[float]:
        scores = [0.0] * len(LABELS)
        for h, value in _vector(features).items():
            row = self.weights.get(h)
            if row is not None:
                for k in range(len(LABELS)):
                    scores[k] += row[k] * value
        return _softmax(scores)


@lru_cache(maxsize=1)
def default_model() -> StanceModel:
    return StanceModel.load(shipped_model_dir())


def same_story(a: Side, b: Side) -> bool:
    """Two reports tell one story when their words overlap or they name the same places or actors."""
    aw, bw = a.bare, b.bare
    union = aw | bw
    if union and len(aw & bw) / len(union) >= SAME_STORY_MIN_OVERLAP:
        return True
    for layer, key in (("places", "geonameid"), ("actors", "actor_id")):
        a_keys = {x.data.get(key) for x in a.doc.layer(layer) if x.data.get(key)}
        if any(x.data.get(key) in a_keys for x in b.doc.layer(layer)):
            return True
    return False


def compare_pair(a_text: str, b_text: str, model: StanceModel | None = None) -> dict[str, Any]:
    """``{"same_story", "stance", "confidence", "differences"}`` for report B against report A."""
    a, b = analyse_side(a_text), analyse_side(b_text)
    diffs = differences(a, b)
    probs = (model or default_model()).probabilities(pair_features(a, b, diffs))
    best = max(range(len(LABELS)), key=lambda k: probs[k])
    return {"same_story": same_story(a, b), "stance": LABELS[best], "confidence": round(probs[best], 3),
            "differences": diffs}


def train(pairs: Iterable[tuple[str, str, str]], *, epochs: int = 20, rate: float = 0.2, l2: float = 1e-5,
          seed: int = 7, balance: float = 1.0) -> dict[int, list[float]]:
    """Multinomial logistic regression by AdaGrad over hashed features (deterministic for a seed)."""
    import random

    data = []
    for a_text, b_text, label in pairs:
        a, b = analyse_side(a_text), analyse_side(b_text)
        data.append((_vector(pair_features(a, b, differences(a, b))), LABELS.index(label)))
    weights: dict[int, list[float]] = {}
    squares: dict[int, list[float]] = {}
    order = list(range(len(data)))
    rng = random.Random(seed)
    counts = [sum(1 for _x, y in data if y == k) or 1 for k in range(len(LABELS))]
    # rare labels weigh more: (majority / count) ** balance; 0 is the plain likelihood
    class_weight = [(max(counts) / n) ** balance for n in counts]
    for _epoch in range(epochs):
        rng.shuffle(order)
        for i in order:
            x, y = data[i]
            scores = [0.0] * len(LABELS)
            for h, v in x.items():
                row = weights.get(h)
                if row is not None:
                    for k in range(len(LABELS)):
                        scores[k] += row[k] * v
            probs = _softmax(scores)
            for h, v in x.items():
                row = weights.setdefault(h, [0.0] * len(LABELS))
                sq = squares.setdefault(h, [1e-8] * len(LABELS))
                for k in range(len(LABELS)):
                    grad = class_weight[y] * (probs[k] - (1.0 if k == y else 0.0)) * v + l2 * row[k]
                    sq[k] += grad * grad
                    row[k] -= rate * grad / math.sqrt(sq[k])
    return weights


def write_model(weights: dict[int, list[float]], meta: dict[str, Any], directory: str | Path) -> None:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rows = [f"{h}\t" + "\t".join(f"{w:.5f}" for w in row) for h, row in sorted(weights.items())
            if any(abs(w) >= 1e-4 for w in row)]
    (directory / "weights.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (directory / "meta.json").write_text(json.dumps({**meta, "features_version": FEATURES_VERSION}, indent=1,
                                                    ensure_ascii=False) + "\n", encoding="utf-8")
