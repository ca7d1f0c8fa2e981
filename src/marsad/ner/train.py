"""Training the NER model, reproducibly: ``marsad train ner --data ../shared/data``.

Steps: read ANERcorp train; hold out its last ``dev_fraction`` of sentences as a dev split (a
contiguous block: neighbouring sentences share articles, so a random split would flatter the
model); learn word clusters from every unlabelled Arabic text in the data folder; train a CRF on
the train part and score it on dev; then train the shipped model on all of ANERcorp train with the
same settings. No timestamps or randomness without a seed enter the files: the same data gives the
same model bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from marsad.errors import InputError
from marsad.ner.clusters import learn_clusters, write_clusters
from marsad.ner.conll import NerScores, Sentence, read_conll
from marsad.ner.features import FEATURES_VERSION, FeatureExtractor
from marsad.ner.model import (
    CLUSTERS_FILE,
    COMMON_FILE,
    LEXICONS_FILE,
    META_FILE,
    MODEL_FILE,
    build_lexicons,
    iob_spans,
    lexicon_digest,
    name_rules,
    propagate,
    write_lexicons,
)

MODEL_VERSION = "1"
MIN_SENTENCES = 10


@dataclass
class TrainSettings:
    c1: float = 0.05
    c2: float = 0.01
    max_iterations: int = 200
    dev_fraction: float = 0.1
    cluster_min_count: int = 2
    seed: int = 13
    limit: int | None = None  # use only the first N sentences (for quick runs and tests)
    final: bool = True  # also train the shipped model on all sentences


def unlabelled_sentences(data_dir: Path) -> Iterator[list[str]]:
    """Token lists from every Arabic text in the shared data folder that is allowed for training.

    The ANERcorp and Wojood files, the event training headlines and the stance training pairs; the
    tags are not used, only the words and their neighbours.
    """
    from marsad.text.tokens import tokenize

    def words(text: str) -> list[str]:
        return [text[s:e] for s, e, _k in tokenize(text).spans]

    ner = data_dir / "ner"
    for path in [ner / "anercorp-train.conll", ner / "wojood-sample" / "train.txt"]:  # not Wojood val: the dev report scores on it
        if path.is_file():
            for sentence in read_conll(path, with_tags=False):
                yield sentence.tokens
    # Only training splits with redistributable text: the event dev paragraphs (ArMPro, CC BY-NC-SA;
    # "development only") stay out of anything the project ships, and out of the model's view.
    for path in [data_dir / "events" / "train.jsonl", data_dir / "stance" / "train.jsonl"]:
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                for key in ("text", "a", "b"):
                    if isinstance(record.get(key), str):
                        yield words(record[key])


def _train_crf(sentences: list[Sentence], extractor: FeatureExtractor, settings: TrainSettings, path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for s in sentences:
        trainer.append(extractor.sentence(s.tokens), s.tags)
    trainer.set_params({
        "c1": settings.c1,
        "c2": settings.c2,
        "max_iterations": settings.max_iterations,
        "feature.possible_transitions": True,
    })
    trainer.train(str(path))


def common_words(sentences: list[Sentence]) -> list[str]:
    """Words mostly outside names (three times or more, twice as often outside as inside one)."""
    from collections import Counter

    from marsad.ner.features import analyse

    outside: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for s in sentences:
        for token, tag in zip(s.tokens, s.tags or []):
            (outside if tag == "O" else inside)[analyse(token).norm] += 1
    return sorted(w for w, n in outside.items() if n >= 3 and n > 2 * inside[w])


def evaluate(model_path: Path, extractor: FeatureExtractor, sentences: list[Sentence],
             common: frozenset[str] = frozenset()) -> dict[str, dict]:
    """Scores with and without document-level propagation (see :func:`propagate`)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    predicted = [tagger.tag(extractor.sentence(s.tokens)) for s in sentences]
    given = extractor.lexicons.get("name:given", frozenset())
    kunya = extractor.lexicons.get("name:kunya", frozenset())
    ruled = [name_rules(s.tokens, p, given, kunya) for s, p in zip(sentences, predicted)]
    out = {}
    for name, tags in (("crf", predicted), ("crf+rules", ruled),
                       ("crf+rules+propagation", propagate([s.tokens for s in sentences], ruled, common=common))):
        scores = NerScores()
        for s, p in zip(sentences, tags):
            scores.add(s.tags or [], p)
        out[name] = scores.table()
    added = correct = 0  # how often a span the rules added is a gold span
    for s, p, r in zip(sentences, predicted, ruled):
        new = set(iob_spans(r)) - set(iob_spans(p))
        added += len(new)
        correct += len(new & set(iob_spans(s.tags or [])))
    out["rules_added"] = {"spans": added, "correct": correct, "precision": round(correct / added, 4) if added else None}
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def train_ner(data_dir: str | Path, out_dir: str | Path, settings: TrainSettings | None = None,
              progress: Callable[[str], None] = lambda _m: None) -> dict:
    """Train and write the model to ``out_dir``; returns the metadata written beside it."""
    settings = settings or TrainSettings()
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    corpus = data_dir / "ner" / "anercorp-train.conll"
    if not corpus.is_file():
        raise InputError("no ANERcorp training file here (expected ner/anercorp-train.conll)", origin=str(data_dir))
    sentences = read_conll(corpus, with_tags=True)
    if settings.limit is not None:
        sentences = sentences[: settings.limit]
    cut = int(len(sentences) * (1 - settings.dev_fraction))
    train, dev = sentences[:cut], sentences[cut:]
    if len(train) < MIN_SENTENCES or not dev:
        raise InputError(f"{len(sentences)} sentences: too few to train on and hold out a dev split "
                         f"(need at least {MIN_SENTENCES} for training and one for dev)", origin=str(corpus))
    progress(f"{len(sentences)} sentences: {len(train)} train, {len(dev)} dev")

    unlabelled: Iterable[list[str]] = unlabelled_sentences(data_dir)
    if settings.limit is not None:
        unlabelled = [s.tokens for s in sentences]
    clusters = learn_clusters(list(unlabelled), min_count=settings.cluster_min_count, seed=settings.seed)
    progress(f"{len(clusters)} words clustered")
    lexicons = build_lexicons()

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        dev_model = Path(tmp) / "dev.crfsuite"
        _train_crf(train, FeatureExtractor(lexicons, clusters), settings, dev_model)
        common = frozenset(common_words(train))
        dev_scores = evaluate(dev_model, FeatureExtractor(lexicons, clusters), dev, common) if dev else {}
        progress("dev micro F1: " + ", ".join(f"{k} {v['micro']['f1']}" for k, v in dev_scores.items() if "micro" in v))
        final_model = Path(tmp) / MODEL_FILE
        if settings.final:
            _train_crf(sentences, FeatureExtractor(lexicons, clusters), settings, final_model)
        else:
            os.replace(dev_model, final_model)
        write_clusters(clusters, Path(tmp) / CLUSTERS_FILE)
        write_lexicons(lexicons, Path(tmp) / LEXICONS_FILE)
        (Path(tmp) / COMMON_FILE).write_text("\n".join(common_words(sentences)) + "\n", encoding="utf-8")
        meta = {
            "name": "marsad-ner-crf",
            "version": MODEL_VERSION,
            "features_version": FEATURES_VERSION,
            "labels": ["PERS", "LOC", "ORG", "MISC"],
            "lexicon_digest": lexicon_digest(lexicons),
            "training_data": {"file": corpus.name, "sha256": _sha256(corpus), "sentences": len(sentences),
                              "tokens": sum(len(s.tokens) for s in sentences)},
            "dev_split": {"sentences": len(dev), "from": cut, "how": "last sentences of the file, contiguous"},
            "trained_on": "all sentences" if settings.final else "train split only",
            "settings": {k: v for k, v in vars(settings).items()},
            "clusters": len(clusters),
            "dev_scores": {k: v for k, v in dev_scores.items() if k != "rules_added"},
            "rules_on_dev": dev_scores.get("rules_added"),
        }
        (Path(tmp) / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        for name in (MODEL_FILE, CLUSTERS_FILE, COMMON_FILE, LEXICONS_FILE, META_FILE):
            os.replace(Path(tmp) / name, out_dir / name)
    return meta
