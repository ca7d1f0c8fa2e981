"""The shipped NER model: a linear-chain CRF (python-crfsuite) over the features of ``features.py``.

The model file and its metadata live in ``marsad/data/models/ner/``, written by ``marsad train
ner`` (``marsad.ner.train``). It is loaded lazily, once per process, on first use.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from marsad.errors import ModelError
from marsad._native import positions, speedups
from marsad.ner.features import _WINDOW, FEATURES_VERSION, FeatureExtractor, analyse
from marsad.text.normalize import normalize_str

LABELS = ("PERS", "LOC", "ORG", "MISC")
MODEL_FILE = "model.crfsuite"
META_FILE = "meta.json"
CLUSTERS_FILE = "clusters.tsv"
COMMON_FILE = "common-words.txt"
# the name lists the model was trained with, so loading it needs no pass over the gazetteer
LEXICONS_FILE = "lexicons.tsv"
# how many sentences before and after a sentence a name found there is looked for (CoNLL input
# has no document boundaries; marsad's own documents use the whole document)
PROPAGATION_WINDOW = 20


def shipped_model_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "models" / "ner"


@lru_cache(maxsize=1)
def build_lexicons() -> dict[str, frozenset[str]]:
    """Name lists the features test membership in, from marsad's own curated data and gazetteer.

    Only the shipped gazetteer is used (not a user's import), so features at tagging time are the
    ones the model was trained with; ``lexicon_digest`` records them in the model's metadata.
    """
    from marsad.knowledge import knowledge_data, shipped_gazetteer_path
    from marsad.knowledge.gazetteer import Gazetteer

    def add(target: dict[str, set[str]], name: str, phrase: str) -> None:
        words = normalize_str(phrase).split()
        if not words:
            return
        key = name if len(words) == 1 else name + ":first"
        target.setdefault(key, set()).add(words[0])
        stem = analyse(words[0]).stem
        target[key].add(stem)
        if len(words) > 1:
            target.setdefault(name + ":rest", set()).update(words[1:])

    out: dict[str, set[str]] = {}
    gazetteer = Gazetteer([shipped_gazetteer_path()])
    try:
        common = gazetteer.common_words()
        for key, origin in gazetteer.keys_with_origin():
            if origin == "transliterated" or not any("\u0621" <= c <= "\u064a" for c in key) or key in common:
                continue
            add(out, "place", key)
    finally:
        gazetteer.close()
    for names in knowledge_data("countries.toml").values():
        for name in names:
            add(out, "country", name)
    names = knowledge_data("names.toml")
    for kind in ("given", "kunya", "titles"):
        for name in names[kind]:
            add(out, "name:" + kind, name)
    for actor in knowledge_data("actors.toml")["actor"]:
        for alias in actor["aliases"]:
            add(out, "actor", alias)
    return {k: frozenset(v) for k, v in sorted(out.items())}


def lexicon_digest(lexicons: dict[str, frozenset[str]]) -> str:
    h = hashlib.sha256()
    for name, words in sorted(lexicons.items()):
        h.update(name.encode())
        for w in sorted(words):
            h.update(b"\0" + w.encode())
    return h.hexdigest()[:16]


def write_lexicons(lexicons: dict[str, frozenset[str]], path: Path) -> None:
    """One ``list<TAB>word`` line per word, sorted: the same lists give the same bytes."""
    lines = [f"{name}\t{word}\n" for name in sorted(lexicons) for word in sorted(lexicons[name])]
    path.write_text("".join(lines), encoding="utf-8")


def read_lexicons(path: Path) -> dict[str, frozenset[str]]:
    lists: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            name, _, word = line.rstrip("\n").partition("\t")
            lists.setdefault(name, set()).add(word)
    return {k: frozenset(v) for k, v in sorted(lists.items())}


def read_clusters(path: Path) -> dict[str, tuple[str, ...]]:
    clusters: dict[str, tuple[str, ...]] = {}
    if path.is_file():
        with path.open(encoding="utf-8") as f:
            for line in f:
                word, *ids = line.rstrip("\n").split("\t")
                clusters[word] = tuple(ids)
    return clusters


class NerModel:
    """A trained tagger: ``tag(["قال", "جمال", "معروف"]) -> ["O", "B-PERS", "I-PERS"]``.

    crfsuite trains the model; tagging reads its weights into NumPy (:mod:`marsad.ner.crf`),
    which gives the same labels and marginals without handing crfsuite feature strings.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        model_path = self.directory / MODEL_FILE
        try:
            self.meta: dict[str, Any] = json.loads((self.directory / META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read the NER model's metadata: {exc}", origin=str(self.directory)) from None
        if not isinstance(self.meta, dict):
            raise ModelError(f"{META_FILE} is not a JSON object", origin=str(self.directory))
        for name in (MODEL_FILE, CLUSTERS_FILE, COMMON_FILE):
            if not (self.directory / name).is_file():
                raise ModelError(f"the model directory has no {name}: retrain with `marsad train ner`",
                                 origin=str(self.directory))
        if self.meta.get("features_version") != FEATURES_VERSION:
            raise ModelError(
                f"the NER model was trained with features v{self.meta.get('features_version')}, this marsad "
                f"computes v{FEATURES_VERSION}: retrain it with `marsad train ner`",
                origin=str(self.directory),
            )
        from marsad.ner.crf import LinearChainCrf, WordScores  # NumPy: loaded with the model, not on import

        self.crf = LinearChainCrf.read(model_path)
        self.extractor = FeatureExtractor(self._lexicons(), read_clusters(self.directory / CLUSTERS_FILE))
        self.word_scores = WordScores(self.crf, self.extractor.word, _WINDOW)
        self.native_decoder = self.crf.native_decoder()  # one C call per batch, where it was built
        self.decoder = self.crf.decoder() if self.native_decoder is None else None
        self._given_checked: set[str] = set()  # tokens known to be, or not to be, given names
        self._given_tokens: set[str] = set()
        # the decoder holds the sentence between tag() and marginal(), and the word table grows:
        # one batch at a time, so threads sharing the model get their own answers
        self._lock = threading.Lock()
        common = self.directory / COMMON_FILE
        self.common_words = frozenset(common.read_text(encoding="utf-8").split()) if common.is_file() else frozenset()

    def _lexicons(self) -> dict[str, frozenset[str]]:
        """The name lists the model was trained with: from its directory (fast), else built from
        marsad's data (models trained before the file existed), which must give the same digest."""
        path = self.directory / LEXICONS_FILE
        if not path.is_file():
            return build_lexicons()
        try:
            lexicons = read_lexicons(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise ModelError(f"cannot read the NER model's name lists: {exc}", origin=str(path)) from None
        if self.meta.get("lexicon_digest") not in (None, lexicon_digest(lexicons)):
            raise ModelError("the NER model's name lists do not match its metadata: retrain it with "
                             "`marsad train ner`", origin=str(path))
        return lexicons

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "0"))

    def tag(self, tokens: list[str]) -> list[str]:
        """IOB2 tags for one sentence of tokens."""
        return self.tag_sentences([tokens])[0]

    def tag_sentences(self, sentences: Sequence[list[str]]) -> list[list[str]]:
        """IOB2 tags for many sentences at once (faster than one by one: the work is batched)."""
        return [tags for tags, _m in self._tag_batch(sentences, scored=False)]

    def tag_scored(self, tokens: list[str]) -> tuple[list[str], list[float]]:
        """Tags and, for the tokens of names, each tag's marginal probability (how sure the model is)."""
        return self.tag_sentences_scored([tokens])[0]

    def tag_sentences_scored(self, sentences: Sequence[list[str]]) -> list[tuple[list[str], list[float]]]:
        """:meth:`tag_scored` for many sentences at once. Outside tokens get probability 1.0."""
        return self._tag_batch(sentences, scored=True)

    def _tag_batch(self, sentences: Sequence[list[str]], *, scored: bool) -> list[tuple[list[str], list[float]]]:
        out: list[tuple[list[str], list[float]]] = [([], []) for _ in sentences]
        todo = [i for i, s in enumerate(sentences) if s]
        if not todo:
            return out
        with self._lock:
            return self._tag_locked(sentences, todo, out, scored)

    def _tag_locked(self, sentences: Sequence[list[str]], todo: list[int],
                    out: list[tuple[list[str], list[float]]], scored: bool) -> list[tuple[list[str], list[float]]]:
        emissions = self.word_scores.emissions([sentences[i] for i in todo])
        if self.native_decoder is not None:
            return self._decode_native(emissions, sentences, todo, out, scored)
        relative = (emissions[:, 1:] - emissions[:, :1]).tolist()
        decoder = self.decoder
        assert decoder is not None
        start = 0
        for i in todo:
            end = start + len(sentences[i])
            tags = decoder.tag(relative[start:end])
            start = end
            # only names need a confidence: outside tokens are not asked (each call crosses into C)
            marginals = ([decoder.marginal(t, k) if t != "O" else 1.0 for k, t in enumerate(tags)] if scored
                         else [1.0] * len(tags))
            out[i] = (repair_iob(tags), marginals)
        return out

    def _decode_native(self, emissions: Any, sentences: Sequence[list[str]], todo: list[int],
                       out: list[tuple[list[str], list[float]]], scored: bool) -> list[tuple[list[str], list[float]]]:
        lengths = [len(sentences[i]) for i in todo]
        ids, probabilities = self.native_decoder.decode(emissions, lengths, marginals=scored)  # type: ignore[union-attr]
        labels = self.crf.labels
        tags_all = [labels[k] for k in ids.tolist()]
        start = 0
        for i, n in zip(todo, lengths):
            tags = tags_all[start : start + n]
            if scored and tags.count("O") != n:
                # only names need a confidence (as with crfsuite, outside tokens are not asked)
                rows = probabilities[start : start + n].tolist()  # type: ignore[index]
                ids_here = ids[start : start + n].tolist()
                marginals = [rows[k][ids_here[k]] if t != "O" else 1.0 for k, t in enumerate(tags)]
            else:
                marginals = [1.0] * n
            out[i] = (repair_iob(tags), marginals)
            start += n
        return out

    def known(self, word: str) -> bool:
        """The word (normalised) was seen in the text the model's clusters were learned from."""
        return word in self.extractor.clusters

    def tag_many(self, sentences: Iterable[list[str]], window: int | None = PROPAGATION_WINDOW) -> list[list[str]]:
        """Tags for consecutive sentences, with names propagated across ``window`` sentences."""
        sentences = list(sentences)
        tags = [self.apply_rules(s, t) for s, t in zip(sentences, self.tag_sentences(sentences))]
        return propagate(sentences, tags, window=window, common=self.common_words)

    def apply_rules(self, tokens: list[str], tags: list[str]) -> list[str]:
        lex = self.extractor.lexicons
        given = lex.get("name:given", frozenset())
        # every rule needs a given name: most sentences have none, which a set test tells at once.
        # Tokens are remembered as they are met (up to a bound; a token enters _given_tokens before
        # _given_checked, so threads sharing the model never see it checked but not marked).
        checked, marked = self._given_checked, self._given_tokens
        here = False
        if not checked.issuperset(tokens):
            for token in set(tokens).difference(checked):
                info = analyse(token)
                is_given = info.norm in given or info.stem in given
                here = here or is_given
                if len(checked) < _GIVEN_CACHE_SIZE:
                    if is_given:
                        marked.add(token)
                    checked.add(token)
        if not here and marked.isdisjoint(tokens):
            return list(tags)
        return name_rules(tokens, tags, given, lex.get("name:kunya", frozenset()))


_GIVEN_CACHE_SIZE = 100_000  # token forms a model remembers as given names or not


@lru_cache(maxsize=1)
def default_model() -> NerModel:
    """The model shipped in the package (loaded on first use)."""
    return NerModel(shipped_model_dir())


def propagate(sentences: list[list[str]], tags: list[list[str]], *, window: int | None = PROPAGATION_WINDOW,
              common: frozenset[str] = frozenset()) -> list[list[str]]:
    """Tag untagged repeats of names the model found nearby ("one sense per discourse").

    A reporter names a person in full once ("فايزة أبوالنجا وزيرة التعاون") and the tagger may
    miss a later, barer mention; a name tagged within ``window`` sentences (or the whole document
    when ``window`` is None) tags its other occurrences, and a person's last name alone counts as
    that person. Frequent common words (``common``) and one- or two-letter tokens are never spread.
    """
    norms = [[analyse(t).norm for t in s] for s in sentences]
    found = [iob_spans(t) for t in tags]
    out = [list(t) for t in tags]
    n_sent = len(sentences)
    def names_in(lo: int, hi: int) -> dict[tuple[str, ...], Counter[str]]:
        known: dict[tuple[str, ...], Counter[str]] = {}
        for sj in range(lo, hi):
            for a, b, label in found[sj]:
                known.setdefault(tuple(norms[sj][a:b]), Counter())[label] += 2
                if label == "PERS" and b - a > 1:
                    known.setdefault((norms[sj][b - 1],), Counter())[label] += 1
        return known

    whole = names_in(0, n_sent) if window is None else None
    if whole is not None and not whole:
        return out
    firsts = {k[0] for k in whole} if whole is not None else set()
    for si in range(n_sent):
        if whole is None:
            known = names_in(max(0, si - window), min(n_sent, si + window + 1))
            firsts = {k[0] for k in known}
        else:
            known = whole
        if not known:
            continue
        row, words, free = out[si], norms[si], 0
        for i in positions(words, firsts):  # only where a known name can start
            if i < free:  # inside a name just tagged
                continue
            for length in (4, 3, 2, 1):
                key = tuple(words[i : i + length])
                if len(key) < length or key not in known or any(t != "O" for t in row[i : i + length]):
                    continue
                if length == 1 and (key[0] in common or len(key[0]) < 3):
                    continue
                label = known[key].most_common(1)[0][0]
                row[i : i + length] = ["B-" + label] + ["I-" + label] * (length - 1)
                free = i + length
                break
    return out


_QUOTES = frozenset('"\'')  # every quote mark normalises to one of these


def name_rules(tokens: list[str], tags: list[str], given: frozenset[str], kunya: frozenset[str]) -> list[str]:
    """Person names the CRF misses in patterns a reader never misreads (returns new tags).

    - a given name right before a person span belongs to it ("عمر" + "أبو ليلى");
    - a given name followed by a kunya word and a name is a person ("عمر أبو ليلى");
    - a quoted two- to four-word phrase that starts with a given name is a person
      ("” جمال معروف ”").
    """
    infos = [analyse(t) for t in tokens]
    flags = [info.norm in given or info.stem in given for info in infos]
    out = list(tags)
    if not any(flags):  # every rule needs a given name
        return out
    norms = [info.norm for info in infos]
    n = len(tokens)

    def is_given(i: int) -> bool:
        return 0 <= i < n and out[i] == "O" and flags[i]

    def mark(a: int, b: int) -> None:
        if all(t == "O" for t in out[a:b]):
            out[a:b] = ["B-PERS"] + ["I-PERS"] * (b - a - 1)

    for i in range(n):
        if is_given(i) and i + 2 < n and norms[i + 1] in kunya and out[i + 1] in ("O", "B-PERS"):
            if out[i + 2] == "O":
                mark(i, i + 3)
            elif out[i + 1] == "B-PERS" or out[i + 2] == "B-PERS":  # "عمر [أبو ليلى]", "عمر أبو [ليلى]"
                out[i], out[i + 1], out[i + 2] = "B-PERS", "I-PERS", "I-PERS"
        if norms[i] in _QUOTES and is_given(i + 1):
            for j in range(i + 3, min(i + 6, n)):
                if norms[j] in _QUOTES:
                    mark(i + 1, j)
                    break
    for a, _b, label in iob_spans(out):
        i = a
        while label == "PERS" and is_given(i - 1):
            out[i - 1], out[i] = "B-PERS", "I-PERS"
            i -= 1
    return out


def repair_iob(tags: list[str]) -> list[str]:
    """Valid IOB2: an I-X that does not continue an X span starts one (B-X), as conlleval reads it."""
    out = list(tags)
    if out.count("O") == len(out):  # most sentences
        return out
    previous = "O"
    for i, tag in enumerate(out):
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            out[i] = "B-" + tag[2:]
        previous = out[i]
    return out


def iob_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) token spans of IOB2 tags; a stray I- starts a new span, as conlleval does."""
    native = speedups()
    if native is not None:  # the loop below, in C
        return native.iob_spans(tags)
    n = len(tags)
    if tags.count("O") == n:  # most sentences: nothing to collect
        return []
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate(tags):
        if tag == "O":
            if start >= 0:
                spans.append((start, i, label))
                start = -1
            continue
        kind, _, lab = tag.partition("-")
        if start >= 0 and (kind != "I" or lab != label):
            spans.append((start, i, label))
            start = -1
        if kind == "B" or (kind == "I" and start < 0):
            start, label = i, lab
    if start >= 0:
        spans.append((start, n, label))
    return spans
