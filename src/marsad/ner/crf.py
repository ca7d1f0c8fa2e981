"""Linear-chain CRF inference over a model trained by crfsuite, without feature strings.

crfsuite (through python-crfsuite) trains the tagger, and its C code decodes fast, but a pipeline
paid for every feature *string* it handed over: about 50 per token, each copied into C++ and
looked up in the model's string database, ~40 µs per token and most of the NER component's time.
Here the model file is read once into two weight matrices; a word type's attributes are summed
into score vectors once and cached (:class:`WordScores`), so a document's emission scores are
sums of table rows (in C where ``marsad._speedups`` was built, else in NumPy). C code then
decodes them (marsad's :class:`NativeDecoder`, else crfsuite's through :class:`CrfsuiteDecoder`):
Viterbi and marginals are sequential loops over 9 labels, which NumPy does slowly and C fast.

The result is the same model: the same labels as crfsuite's tagger and the same marginal
probabilities up to floating-point rounding (``tests/test_ner_crf.py`` compares them on real text).

The file format is crfsuite's ``crf1d`` model (``lib/crf/src/crf1d_model.c``): a header, the
features (type, source, destination, weight), and two CQDB string databases for labels and
attributes. Only what inference needs is read.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from typing import Any
from pathlib import Path

import numpy as np

from marsad._native import speedups
from marsad.errors import ModelError

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
_STATE, _TRANSITION = 0, 1


def _cqdb_strings(buffer: bytes, offset: int, origin: str) -> list[str]:
    """The strings of a CQDB chunk, indexed by their ids (crfsuite's label and attribute names)."""
    chunk, _size, _flag, _order, count, backward = struct.unpack_from("<4sIIIII", buffer, offset)
    if chunk != b"CQDB":
        raise ModelError("the CRF model's string table is damaged (no CQDB chunk)", origin=origin)
    refs = struct.unpack_from(f"<{count}I", buffer, offset + backward)
    strings = [""] * count
    for i, ref in enumerate(refs):
        record = offset + ref
        sid, length = struct.unpack_from("<II", buffer, record)
        if sid != i or length < 1:
            raise ModelError("the CRF model's string table is damaged", origin=origin)
        strings[i] = buffer[record + 8 : record + 7 + length].decode("utf-8")
    return strings


class LinearChainCrf:
    """A first-order CRF's weights: ``state[attribute, label]`` and ``transition[from, to]``."""

    def __init__(self, labels: Sequence[str], attributes: Sequence[str], state: np.ndarray,
                 transition: np.ndarray) -> None:
        self.labels = tuple(labels)
        self.attribute_ids = {a: i for i, a in enumerate(attributes)}
        self.state = state
        self.transition = transition
        self._exp_transition = np.exp(transition)

    @classmethod
    def read(cls, path: str | Path) -> LinearChainCrf:
        """Load a crfsuite ``crf1d`` model file."""
        origin = str(path)
        try:
            buffer = Path(path).read_bytes()
        except OSError as exc:
            raise ModelError(f"cannot read the CRF model: {exc.strerror or exc}", origin=origin) from None
        try:
            return cls._parse(buffer, origin)
        except (struct.error, ValueError, IndexError, UnicodeDecodeError) as exc:  # a damaged file
            raise ModelError(f"the CRF model file is damaged ({exc})", origin=origin) from None

    @classmethod
    def _parse(cls, buffer: bytes, origin: str) -> LinearChainCrf:
        if len(buffer) < _HEADER.size:
            raise ModelError("not a crfsuite model (too short)", origin=origin)
        magic, size, kind, _v, _nf, n_labels, n_attrs, off_features, off_labels, off_attrs, _lr, _ar = (
            _HEADER.unpack_from(buffer, 0))
        if magic != b"lCRF" or kind != b"FOMC" or size != len(buffer):
            raise ModelError("not a crfsuite linear-chain model, or a truncated one", origin=origin)
        chunk, _chunk_size, n_features = struct.unpack_from("<4sII", buffer, off_features)
        if chunk != b"FEAT":
            raise ModelError("the CRF model has no feature table", origin=origin)
        features = np.frombuffer(buffer, dtype=_FEATURE, count=n_features, offset=off_features + 12)
        labels = _cqdb_strings(buffer, off_labels, origin)
        attributes = _cqdb_strings(buffer, off_attrs, origin)
        if len(labels) != n_labels or len(attributes) != n_attrs:
            raise ModelError("the CRF model's tables disagree with its header", origin=origin)
        state = np.zeros((n_attrs, n_labels))
        transition = np.zeros((n_labels, n_labels))
        kinds = features["type"]
        s = features[kinds == _STATE]
        t = features[kinds == _TRANSITION]
        # each (attribute, label) pair is one feature, so plain assignment is exact
        state[s["src"], s["dst"]] = s["weight"]
        transition[t["src"], t["dst"]] = t["weight"]
        return cls(labels, attributes, state, transition)

    def decoder(self) -> CrfsuiteDecoder:
        """crfsuite's C decoder for these transitions, fed with emission scores."""
        return CrfsuiteDecoder(self.labels, self.transition)

    def native_decoder(self) -> NativeDecoder | None:
        """marsad's own C decoder (``marsad._speedups.crf_decode``), or None where it was not built."""
        native = speedups()
        if native is None:
            return None
        return NativeDecoder(self.labels, self.transition, native.crf_decode, native.crf_tag, native.crf_tag_document)


class NativeDecoder:
    """Viterbi and marginals of many sentences in one C call: crfsuite's arithmetic, no per-token objects.

    Scores are relative to the first label's, as :class:`CrfsuiteDecoder` passes them, so both
    see the very same numbers and pick the same labels (``tests/test_ner_crf.py``).
    """

    def __init__(self, labels: Sequence[str], transition: np.ndarray, decode: Callable[..., None],
                 tag: Callable[..., list[tuple[list[str], list[float]]]],
                 tag_document: Callable[..., Any] | None = None) -> None:
        self.labels = tuple(labels)
        self._transition = np.ascontiguousarray(transition, dtype=np.float64)
        self._decode = decode
        self._tag = tag
        # the module's functions are taken when the decoder is made, as the model keeps it for its life
        self._tag_document = tag_document

    def tag(self, emissions: np.ndarray, lengths: Sequence[int], *,
            marginals: bool) -> list[tuple[list[str], list[float]]]:
        """:meth:`decode` then :func:`marsad.ner.model.tag_lists` in one C call (``crf_tag``): each
        sentence's tags and marginals, the same numbers; the marginals are computed only for the
        sentences with a name, the only ones that use them."""
        return self._tag(np.ascontiguousarray(emissions, dtype=np.float64), lengths, self._transition, self.labels,
                         marginals)

    def tag_document(self, word_scores: WordScores, sentences: Sequence[Sequence[str]], *,
                     marginals: bool) -> tuple[list[tuple[list[str], list[float]]], list[list[str]], list[list[int]]]:
        """:meth:`WordScores.lay_out`, :meth:`WordScores.scores` and :meth:`tag` in one C call
        (``crf_tag_document``): (each sentence's tags and marginals, its tokens' normal forms, where
        its flagged tokens are), the same numbers, without a list of rows or an array of scores
        between the steps. ``sentences`` must not be empty ones."""
        assert self._tag_document is not None  # NativeDecoder made by CrfModel.native_decoder
        ws = word_scores
        ws._bound_types()
        return self._tag_document(sentences, ws, ws._rows, ws._add, ws._norms, ws._flagged, ws.window,
                                       ws._FIRST_WORD_ROW, ws._pairs, ws.crf.state, self._transition, self.labels,
                                       marginals)

    def decode(self, emissions: np.ndarray, lengths: Sequence[int], *,
               marginals: bool) -> tuple[np.ndarray, np.ndarray | None]:
        """Label ids (one per row of ``emissions``) and, if asked, each row's label probabilities."""
        relative = np.ascontiguousarray(emissions - emissions[:, :1], dtype=np.float64)  # column 0 is exactly 0
        ids = np.empty(len(relative), dtype=np.int64)
        probabilities = np.empty_like(relative) if marginals else None
        self._decode(relative, np.asarray(lengths, dtype=np.int64), self._transition, len(self.labels), ids,
                     probabilities)
        return ids, probabilities


class CrfsuiteDecoder:
    """Viterbi and marginals in crfsuite's C code, over emission scores computed in NumPy.

    A stand-in model with one attribute per label (attribute ``k`` weighs 1 for label ``k`` and
    0 for the others) and the real model's transitions is built in memory: an item whose
    attributes are ``{k: score of label k}`` then has exactly those state scores. The stand-in
    is trained on a few made-up items only to get crfsuite's file layout; every weight is then
    overwritten. Scores are passed relative to the first label's, which changes no decision.
    """

    def __init__(self, labels: Sequence[str], transition: np.ndarray) -> None:
        import pycrfsuite  # imported here: only tagging needs it

        self.labels = tuple(labels)
        self._names = [str(k) for k in range(1, len(self.labels))]
        buffer = bytearray(_skeleton(self.labels))
        _magic, _size, _kind, _v, _nf, _nl, _na, off_features, off_labels, off_attrs, _lr, _ar = (
            _HEADER.unpack_from(buffer, 0))
        n_features = struct.unpack_from("<4sII", buffer, off_features)[2]
        skeleton_labels = _cqdb_strings(bytes(buffer), off_labels, "stand-in model")
        skeleton_attrs = _cqdb_strings(bytes(buffer), off_attrs, "stand-in model")
        ours = {name: i for i, name in enumerate(self.labels)}
        seen = set()
        for f in range(n_features):
            at = off_features + 12 + _FEATURE.itemsize * f
            kind, src, dst = struct.unpack_from("<III", buffer, at)
            to = ours[skeleton_labels[dst]]
            if kind == _STATE:
                weight = 1.0 if int(skeleton_attrs[src]) == to else 0.0
            else:
                weight = float(transition[ours[skeleton_labels[src]], to])
            struct.pack_into("<d", buffer, at + 12, weight)
            seen.add((kind, src, dst))
        if len(seen) != 2 * len(self.labels) ** 2:
            raise ModelError("could not build the CRF decoder (stand-in model incomplete)", origin="crfsuite")
        self._model = bytes(buffer)  # crfsuite reads from this memory: it must outlive the tagger
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open_inmemory(self._model)

    def tag(self, relative: list[list[float]]) -> list[str]:
        """Best labels for one sentence, given each token's scores of labels 1.. minus label 0's.

        After this call, :meth:`marginal` answers for the same sentence.
        """
        names = self._names
        self.tagger.set([dict(zip(names, row)) for row in relative])
        return self.tagger.tag()

    def marginal(self, label: str, position: int) -> float:
        """P(``label`` at ``position``) in the sentence last tagged."""
        return self.tagger.marginal(label, position)


def _skeleton(labels: Sequence[str]) -> bytes:
    """A crfsuite model file with every (attribute, label) and (label, label) feature present."""
    import tempfile

    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    # every label once, every attribute on every item: crfsuite's "possible" features do the rest
    trainer.append([{str(a): 1.0 + (a + t) % 3 for a in range(len(labels))} for t in range(len(labels))],
                   list(labels))
    trainer.set_params({"c1": 0.0, "c2": 1.0, "max_iterations": 3,
                        "feature.possible_states": True, "feature.possible_transitions": True})
    try:
        with tempfile.TemporaryDirectory(prefix="marsad-crf-") as tmp:  # crfsuite writes models to files only
            path = Path(tmp) / "skeleton.crfsuite"
            trainer.train(str(path))
            return path.read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot build the CRF decoder in a temporary directory: {exc.strerror or exc}",
                         origin=tempfile.gettempdir()) from None


class WordScores:
    """Cached score vectors per word type, so a sentence's scores are sums of table rows.

    The tagger's features are linear in the word types of a ±2 window: a token's attributes are
    its own (``own``) plus what each neighbour position sees of the neighbour's word type
    (``context``), plus sentence-boundary markers and word bigrams. ``features(token)`` returns
    ``(own attributes, context attributes per window slot)``; each list is summed over the
    model's state weights once per type, into ``table[slot, row]``.

    Sentences are laid end to end with separator rows between them (``_EMPTY, _LEFT_EDGE`` before
    a sentence, ``_RIGHT_EDGE, _EMPTY`` after), so that every neighbour look-up is a plain row:
    a neighbour beyond the sentence is the edge row (the "-1BOUND"-style markers, seen only at
    distance one from the sentence's end, as in the features) or the empty row.

    ``flag``, a test of a word type, is made once per type too; :meth:`lay_out` says where the
    tokens that pass it are (the NER rules look for given names).
    """

    _EMPTY, _LEFT_EDGE, _RIGHT_EDGE = 0, 1, 2
    _FIRST_WORD_ROW = 3

    def __init__(self, crf: LinearChainCrf, features: Callable[[str], tuple[list[str], tuple[list[str], ...]]],
                 window: Sequence[int], max_types: int = 100_000, flag: Callable[[str], bool] | None = None) -> None:
        self.crf = crf
        self.features = features
        self.flag = flag
        self.window = tuple(window)
        if sorted(self.window) != [-2, -1, 1, 2]:
            raise ValueError(f"the separator layout assumes a ±2 window, not {self.window}")
        self.max_types = max_types
        n_labels = len(crf.labels)
        self._state = np.vstack([crf.state, np.zeros(n_labels)])  # a last, all-zero row
        self._zero_row = crf.state.shape[0]
        self._rows: dict[str, int] = {}
        self._norms: list[str] = ["", "", ""]  # the separator rows have no word
        self._flagged = bytearray(3)  # per row, 1 if its type passes `flag` (grows in place)
        self._table = np.zeros((1 + len(self.window), 1024, n_labels))
        ids = crf.attribute_ids
        for slot, offset in enumerate(self.window, start=1):
            edge = self._LEFT_EDGE if offset < 0 else self._RIGHT_EDGE
            name = f"{offset}BOUND"  # seen where the neighbour at this offset is just past the edge
            if name in ids:
                self._table[slot, edge] = crf.state[ids[name]]
        # at offset ±2 the edge row is seen by the token next to the edge; the empty row beyond
        # it by the token at the edge, which gets nothing (the features' "j == -1 or j == n")
        pairs: dict[str, list[int]] = {}
        for name, i in ids.items():
            if name.startswith("bg-:"):
                pairs.setdefault(name[4:], [-1, -1])[0] = i
            elif name.startswith("bg+:"):
                pairs.setdefault(name[4:], [-1, -1])[1] = i
        # (left word, right word) -> (row of "bg-:a|b", row of "bg+:a|b"), -1 when absent; every
        # split of "a|b" at a "|" is a key, since words may hold one
        self._pairs = {(key[:j], key[j + 1 :]): (v[0], v[1])
                       for key, v in pairs.items() for j, c in enumerate(key) if c == "|"}
        self._pair_lefts = {left for left, _right in self._pairs}
        self._opens_pair = np.zeros(self._table.shape[1], dtype=bool)

    def _add(self, token: str) -> int:
        own, context = self.features(token)
        ids = self.crf.attribute_ids
        zero = self._zero_row
        row = len(self._norms)
        if row == self._table.shape[1]:
            self._table = np.concatenate([self._table, np.zeros_like(self._table)], axis=1)
            self._opens_pair = np.concatenate([self._opens_pair, np.zeros_like(self._opens_pair)])
        # every slot's known attributes, each list closed by the all-zero row, so none is empty
        gathered: list[int] = []
        starts: list[int] = []
        for names in (own, *context):
            starts.append(len(gathered))
            gathered.extend([ids[f] for f in names if f in ids])
            gathered.append(zero)
        self._table[:, row] = np.add.reduceat(self._state[gathered], starts)
        norm = own[1][2:]  # "w:<normalised word>"
        self._norms.append(norm)
        self._flagged.append(1 if self.flag is not None and self.flag(token) else 0)
        self._opens_pair[row] = norm in self._pair_lefts
        self._rows[token] = row
        return row

    def emissions(self, sentences: Sequence[Sequence[str]]) -> np.ndarray:
        """State scores of every token of the (non-empty) sentences, one row per token, in order."""
        return self.scores(self.lay_out(sentences)[0])

    def _bound_types(self) -> None:
        """Bounded memory on an endless stream of new words: past ``max_types``, start the table afresh."""
        if len(self._rows) > self.max_types:
            self._rows.clear()
            del self._norms[self._FIRST_WORD_ROW :]
            del self._flagged[self._FIRST_WORD_ROW :]

    def lay_out(self, sentences: Sequence[Sequence[str]]) -> tuple[list[int], list[list[str]], list[list[int]]]:
        """The sentences' word rows end to end between separator rows, each token's normal form, and
        where each sentence's tokens that pass ``flag`` are.

        New word types are scored on the way (:meth:`_add`); a row's normal form is
        ``analyse(token).norm``, which the NER component needs too.
        """
        self._bound_types()
        native = speedups()
        if native is not None:  # the loop below, in C
            return native.crf_lay_out(sentences, self._rows, self._add, self._norms, self._flagged)
        rows_of = self._rows
        add = self._add
        row_norms = self._norms
        flagged = self._flagged
        before = [self._EMPTY, self._LEFT_EDGE]
        after = [self._RIGHT_EDGE, self._EMPTY]
        laid: list[int] = []
        norms: list[list[str]] = []
        where_flagged: list[list[int]] = []
        for tokens in sentences:
            rows = [rows_of.get(t) for t in tokens]
            if None in rows:  # new word types: score them once
                rows = [r if r is not None else (rows_of[t] if t in rows_of else add(t)) for r, t in zip(rows, tokens)]
            laid += before
            laid += rows
            laid += after
            norms.append([row_norms[r] for r in rows])
            where_flagged.append([i for i, r in enumerate(rows) if flagged[r]])
        return laid, norms, where_flagged

    def scores(self, laid: list[int]) -> np.ndarray:
        """State scores of the tokens of a :meth:`lay_out`, one row per token, in order."""
        state = self.crf.state
        native = speedups()
        if native is not None:  # the sums below, in C
            scores = np.empty((len(laid) - 2 * laid.count(self._EMPTY), state.shape[1]))
            native.crf_scores(laid, self._table, self.window, self._opens_pair, self._FIRST_WORD_ROW, self._norms,
                              self._pairs, state, scores)
            return scores
        scores, candidates = self._row_sums(laid)
        # word bigrams: "bg-:a|b" is seen by b, "bg+:a|b" by a
        norms = self._norms
        pairs = self._pairs
        for k, a, b in candidates:
            hit = pairs.get((norms[a], norms[b]))
            if hit is not None:
                if hit[0] >= 0:
                    scores[k + 1] += state[hit[0]]
                if hit[1] >= 0:
                    scores[k] += state[hit[1]]
        return scores

    def _row_sums(self, laid: list[int]) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
        """Each token's own row plus its neighbours' context rows, in window order; and the tokens
        that may open a known word bigram, as (token index, its row, the next token's row)."""
        table = self._table
        where = np.asarray(laid, dtype=np.intp)
        at = np.flatnonzero(where >= self._FIRST_WORD_ROW)  # the tokens' places in the layout
        scores = table[0].take(where[at], axis=0)
        for slot, offset in enumerate(self.window, start=1):
            scores += table[slot].take(where[at + offset], axis=0)
        # only words that open a known pair, followed by a word of the same sentence, look
        right = where[at + 1]
        candidates = np.flatnonzero(self._opens_pair[where[at]] & (right >= self._FIRST_WORD_ROW))
        lefts = where[at[candidates]].tolist()
        rights = right[candidates].tolist()
        return scores, list(zip(candidates.tolist(), lefts, rights))
