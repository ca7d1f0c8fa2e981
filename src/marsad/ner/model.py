"""The shipped NER model: a linear-chain CRF (python-crfsuite) over the features of ``features.py``.

The model file and its metadata live in ``marsad/data/models/ner/``, written by ``marsad train
ner`` (``marsad.ner.train``). It is loaded lazily, once per process, on first use.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from marsad._native import positions, speedups
from marsad.errors import ModelError
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


class TaggedDocument(NamedTuple):
    """What :meth:`NerModel.tag_document` tells of each sentence."""

    tagged: list[tuple[list[str], list[float]]]  # tags and marginals, as tag_sentences_scored
    norms: list[list[str]]  # each token's normal form, analyse(token).norm
    given_at: list[list[int]]  # where the given names are, in order (name_rules start there)


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
        self.word_scores = WordScores(self.crf, self.extractor.word, _WINDOW, flag=self._is_given)
        self.native_decoder = self.crf.native_decoder()  # one C call per batch, where it was built
        self.decoder = self.crf.decoder() if self.native_decoder is None else None
        self._given_checked: set[str] = set()  # tokens known to be, or not to be, given names
        self._given_tokens: set[str] = set()
        # the decoder holds the sentence between tag() and marginal(), and the word table grows:
        # one batch at a time, so threads sharing the model get their own answers
        self._lock = threading.Lock()
        common = self.directory / COMMON_FILE
        self.common_words = frozenset(common.read_text(encoding="utf-8").split()) if common.is_file() else frozenset()

    def _is_given(self, token: str) -> bool:
        """The token is a given name (the rules' test: :func:`name_rules`)."""
        given = self.extractor.lexicons.get("name:given", frozenset())
        info = analyse(token)
        return info.norm in given or info.stem in given

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
        return [tags for tags, _m in self._tag_batch(sentences, scored=False).tagged]

    def tag_scored(self, tokens: list[str]) -> tuple[list[str], list[float]]:
        """Tags and, for the tokens of names, each tag's marginal probability (how sure the model is)."""
        return self.tag_sentences_scored([tokens])[0]

    def tag_sentences_scored(self, sentences: Sequence[list[str]]) -> list[tuple[list[str], list[float]]]:
        """:meth:`tag_scored` for many sentences at once. Outside tokens get probability 1.0."""
        return self._tag_batch(sentences, scored=True).tagged

    def tag_document(self, sentences: Sequence[list[str]]) -> TaggedDocument:
        """:meth:`tag_sentences_scored`, each token's normal form and where the given names are.

        The word table knows both per word type, so the NER component gets them here without
        passes of its own over the document's tokens.
        """
        return self._tag_batch(sentences, scored=True)

    def _tag_batch(self, sentences: Sequence[list[str]], *, scored: bool) -> TaggedDocument:
        todo = [i for i, s in enumerate(sentences) if s]
        if not todo:
            return TaggedDocument([([], []) for _ in sentences], [[] for _ in sentences], [[] for _ in sentences])
        batch = sentences if len(todo) == len(sentences) else [sentences[i] for i in todo]
        with self._lock:
            if self.native_decoder is not None:  # lay_out, scores, decode and tag_lists in one C call
                tagged, norms, given_at = self.native_decoder.tag_document(self.word_scores, batch, marginals=scored)
            else:
                laid, norms, given_at = self.word_scores.lay_out(batch)
                emissions = self.word_scores.scores(laid)
                tagged = self._decode_crfsuite(emissions, [len(s) for s in batch], scored)
        if batch is sentences:
            return TaggedDocument(tagged, norms, given_at)
        out = TaggedDocument([([], []) for _ in sentences], [[] for _ in sentences], [[] for _ in sentences])
        for k, i in enumerate(todo):  # the empty sentences get empty lists
            out.tagged[i], out.norms[i], out.given_at[i] = tagged[k], norms[k], given_at[k]
        return out

    def _decode_crfsuite(self, emissions: Any, lengths: list[int],
                         scored: bool) -> list[tuple[list[str], list[float]]]:
        relative = (emissions[:, 1:] - emissions[:, :1]).tolist()
        decoder = self.decoder
        assert decoder is not None
        out = []
        start = 0
        for n in lengths:
            tags = decoder.tag(relative[start : start + n])
            start += n
            # only names need a confidence: outside tokens are not asked (each call crosses into C)
            marginals = ([decoder.marginal(t, k) if t != "O" else 1.0 for k, t in enumerate(tags)] if scored
                         else [1.0] * len(tags))
            out.append((repair_iob(tags), marginals))
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

    def apply_rules_document(self, tagged: TaggedDocument, tags: Sequence[list[str]]) -> list[list[str]]:
        """:meth:`apply_rules` over a document's sentences (``tags``: their tags, from ``tagged``).

        A sentence without a given name keeps its tag list (the same list, not a copy): most
        sentences have none, which ``tagged`` tells.
        """
        kunya = self.extractor.lexicons.get("name:kunya", frozenset())
        out = list(tags)
        for si, given_at in enumerate(tagged.given_at):
            if given_at:
                out[si] = _name_rules_at(tags[si], given_at, tagged.norms[si], kunya)
        return out


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
    return [list(t) for t in propagate_norms(norms, tags, window=window, common=common)]


def propagate_norms(norms: list[list[str]], tags: list[list[str]], *, window: int | None = PROPAGATION_WINDOW,
                    common: frozenset[str] = frozenset(),
                    found: list[list[tuple[int, int, str]]] | None = None) -> list[list[str]]:
    """:func:`propagate` over the tokens' normal forms (``analyse(token).norm``), for a caller that has
    them, and the spans of ``tags`` (:func:`iob_spans`) if it has those too.

    A sentence where nothing spreads keeps its tag list (the same list, not a copy).
    """
    if found is None:
        found = [iob_spans(t) for t in tags]
    out = list(tags)
    n_sent = len(norms)

    native = speedups()
    spread = _spread if native is None else native.ner_spread
    whole, starting = _known_names(norms, found, 0, n_sent) if window is None else ({}, {})
    if window is None and not whole:
        return out
    for si in range(n_sent):
        if window is None:
            known = whole
        else:
            known, starting = _known_names(norms, found, max(0, si - window), min(n_sent, si + window + 1))
        if known:
            spread_tags = spread(norms[si], out[si], starting, known, common)
            if spread_tags is not None:
                out[si] = spread_tags
    return out


def _known_names(norms: list[list[str]], found: list[list[tuple[int, int, str]]], lo: int,
                 hi: int) -> tuple[dict[tuple[str, ...], tuple[str, str]], dict[str, list[int]]]:
    """:func:`_names_in` and :func:`_lengths_of` of sentences ``lo`` to ``hi`` (in C where it was built)."""
    native = speedups()
    if native is not None and isinstance(norms, list) and isinstance(found, list):  # (C reads lists only)
        return native.ner_known_names(norms, found, lo, hi)
    names = _names_in(norms, found, lo, hi)
    return names, _lengths_of(names)


def _names_in(norms: list[list[str]], found: list[list[tuple[int, int, str]]], lo: int,
              hi: int) -> dict[tuple[str, ...], tuple[str, str]]:
    """Each name found in sentences ``lo`` to ``hi``, with the tags (B-, I-) of the label most voted
    for; ties go to the label voted first. A person's last name alone counts as that person."""
    known: dict[tuple[str, ...], dict[str, int]] = {}
    for sj in range(lo, hi):
        if not found[sj]:
            continue
        sentence_norms = norms[sj]
        for a, b, label in found[sj]:
            votes = known.setdefault(tuple(sentence_norms[a:b]), {})
            votes[label] = votes.get(label, 0) + 2
            if label == "PERS" and b - a > 1:
                votes = known.setdefault((sentence_norms[b - 1],), {})
                votes[label] = votes.get(label, 0) + 1
    tags_of: dict[str, tuple[str, str]] = {}  # label -> its (B-, I-) tags, made once
    names: dict[tuple[str, ...], tuple[str, str]] = {}
    for key, votes in known.items():
        label = next(iter(votes)) if len(votes) == 1 else _most_voted(votes)
        name_tags = tags_of.get(label)
        if name_tags is None:
            name_tags = tags_of[label] = ("B-" + label, "I-" + label)
        names[key] = name_tags
    return names


def _lengths_of(known: dict[tuple[str, ...], tuple[str, str]]) -> dict[str, list[int]]:
    """Each first word of a name -> the lengths of the names it starts, longest first (4 at most)."""
    lengths: dict[str, list[int]] = {}
    for key in known:
        if len(key) <= 4:
            lengths.setdefault(key[0], []).append(len(key))
    for found_lengths in lengths.values():
        if len(found_lengths) > 1:
            found_lengths.sort(reverse=True)
    return lengths


def _spread(words: Sequence[str], tags: list[str], starting: dict[str, list[int]],
            known: dict[tuple[str, ...], tuple[str, str]], common: frozenset[str]) -> list[str] | None:
    """One sentence of :func:`propagate_norms`: its tags with the known names (``known``, whose first
    words and lengths are ``starting``) tagged where they were not; None if none was."""
    row: list[str] | None = None  # a copy, made at the first change
    free = 0
    for i in positions(words, starting):  # only where a known name can start
        if i < free:  # inside a name just tagged
            continue
        current = tags if row is None else row
        for length in starting[words[i]]:
            key = tuple(words[i : i + length])
            if len(key) < length or key not in known or current[i : i + length].count("O") != length:
                continue
            if length == 1 and (key[0] in common or len(key[0]) < 3):
                continue
            begin, inside = known[key]
            if row is None:
                row = list(tags)
            row[i : i + length] = [begin] + [inside] * (length - 1)
            free = i + length
            break
    return row


def _most_voted(votes: dict[str, int]) -> str:
    """The label with the most votes, the first voted among equals (``Counter.most_common(1)``)."""
    best, most = "", -1
    for label, count in votes.items():
        if count > most:
            best, most = label, count
    return best


_QUOTES = frozenset('"\'')  # every quote mark normalises to one of these
_PERSON_TAGS = frozenset({"B-PERS", "I-PERS"})  # the tags a person's name starts with


def name_rules(tokens: list[str], tags: list[str], given: frozenset[str], kunya: frozenset[str]) -> list[str]:
    """Person names the CRF misses in patterns a reader never misreads (returns new tags).

    - a given name right before a person span belongs to it ("عمر" + "أبو ليلى");
    - a given name followed by a kunya word and a name is a person ("عمر أبو ليلى");
    - a quoted two- to four-word phrase that starts with a given name is a person
      ("” جمال معروف ”").
    """
    infos = [analyse(t) for t in tokens]
    given_at = [i for i, info in enumerate(infos) if info.norm in given or info.stem in given]
    if not given_at:  # every rule needs a given name
        return list(tags)
    return _name_rules_at(tags, given_at, [info.norm for info in infos], kunya)


def _name_rules_at(tags: list[str], given_at: list[int], norms: Sequence[str], kunya: frozenset[str]) -> list[str]:
    """:func:`name_rules` given where the given names are (``given_at``, in order) and every token's
    normal form."""
    out = list(tags)
    n = len(out)
    # each rule needs a given name before a kunya word or a person's name, or after a quote mark
    if not any((g + 1 < n and (norms[g + 1] in kunya or out[g + 1] in _PERSON_TAGS))
               or (g > 0 and norms[g - 1] in _QUOTES) for g in given_at):
        return out
    given_here = set(given_at)

    def is_given(i: int) -> bool:
        return i in given_here and out[i] == "O"

    def mark(a: int, b: int) -> None:
        if all(t == "O" for t in out[a:b]):
            out[a:b] = ["B-PERS"] + ["I-PERS"] * (b - a - 1)

    # each rule starts at a given name or the token before it: only those places are looked at
    starts = sorted({j for g in given_at for j in (g - 1, g) if j >= 0})
    for i in starts:
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


def tag_lists(ids: Any, probabilities: Any, lengths: Sequence[int],
              labels: Sequence[str]) -> list[tuple[list[str], list[float]]]:
    """Each sentence's tags (through :func:`repair_iob`) and marginals, from the decoder's output.

    ``ids`` holds every token's label id and ``probabilities`` (or None) its row of label
    probabilities. Only names need a confidence: an outside token gets 1.0, as on crfsuite's path,
    which does not ask. (:meth:`NativeDecoder.tag` decodes and does this in one C call.)
    """
    native = speedups()
    if native is not None:  # the loop below, in C
        return native.ner_tag_lists(ids, probabilities, lengths, tuple(labels))
    tags_all = [labels[k] for k in ids.tolist()]
    out = []
    start = 0
    for n in lengths:
        tags = tags_all[start : start + n]
        if probabilities is not None and tags.count("O") != n:
            rows = probabilities[start : start + n].tolist()
            ids_here = ids[start : start + n].tolist()
            marginals = [rows[k][ids_here[k]] if t != "O" else 1.0 for k, t in enumerate(tags)]
        else:
            marginals = [1.0] * n
        out.append((repair_iob(tags), marginals))
        start += n
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
