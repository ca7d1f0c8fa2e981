"""Token features for the CRF tagger: the word, its clitic analysis, shape, lexicons, clusters, context.

A token's own features depend only on its text, so they are computed once per word type and
cached; a token's context features are its neighbours' cached features with a position prefix.
That keeps feature extraction a few list concatenations per token, which is what makes the
tagger fast (see ``docs/ner.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from marsad.text.normalize import normalize
from marsad.text.tokens import _analyses

FEATURES_VERSION = "1"

_LATIN = re.compile(r"[A-Za-z]")
_DIGITS = re.compile(r"^[0-9.,%/:\-]+$")
_ARABIC = re.compile(r"[\u0621-\u064a]")
# where a neighbour's features are copied, with the prefix they get
_WINDOW = (-2, -1, 1, 2)


@dataclass(frozen=True, slots=True)
class WordInfo:
    """What the features need about one word type."""

    norm: str
    stem: str
    prefixes: str
    suffix: str


@lru_cache(maxsize=1 << 18)
def analyse(token: str) -> WordInfo:
    """Normalised form and primary clitic analysis of a token (``والباغوز`` -> و+ال, ``باغوز``)."""
    nt = normalize(token)
    norm = nt.text
    if not norm or not _ARABIC.search(norm):
        return WordInfo(norm, norm, "", "")
    letters = token if nt.origins is None else "".join(token[o] for o in nt.origins)
    prefixes, start, end, suffix = _analyses(norm, letters)[0]
    return WordInfo(norm, norm[start:end], "+".join(prefixes), suffix)


def _length_bucket(n: int) -> str:
    return "1" if n <= 1 else "2" if n == 2 else "3" if n == 3 else "4-5" if n <= 5 else "6-8" if n <= 8 else "9+"


@dataclass
class FeatureExtractor:
    """Turns sentences (lists of token strings) into crfsuite attribute lists.

    ``lexicons`` maps a lexicon name (``place``, ``country``, ``actor``...) to the normalised
    words it holds (``*:first`` sets hold the first words of multi-word names); ``clusters``
    maps a normalised word to its distributional cluster ids (coarse and fine).
    """

    lexicons: dict[str, frozenset[str]] = field(default_factory=dict)
    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _own: dict[str, tuple[list[str], tuple[list[str], ...]]] = field(default_factory=dict, repr=False)

    def word(self, token: str) -> tuple[list[str], tuple[list[str], ...]]:
        """(own features, features seen from each neighbour position in ``_WINDOW``), cached."""
        cached = self._own.get(token)
        if cached is not None:
            return cached
        info = analyse(token)
        norm, stem = info.norm, info.stem
        own = ["b", "w:" + norm]
        shared = ["w:" + norm]  # what neighbours see of this word
        if stem != norm:
            own.append("s:" + stem)
            shared.append("s:" + stem)
        if info.prefixes:
            own.append("p:" + info.prefixes)
        if info.suffix:
            own.append("x:" + info.suffix)
        if "ال" in info.prefixes.split("+"):
            shared.append("al")
        for k in (2, 3):
            if len(stem) > k:
                own.append(f"a{k}:" + stem[:k])
        for k in (1, 2, 3, 4):
            if len(stem) > k:
                own.append(f"z{k}:" + stem[-k:])
        if len(stem) > 3:  # a neighbour's ending: "الإسباني فابريغاس", "اللاعبون"
            shared.append("z2:" + stem[-2:])
        own.append("len:" + _length_bucket(len(stem)))
        if _DIGITS.match(norm):
            shape = "num"
        elif _LATIN.search(token):
            shape = "lat-cap" if token[:1].isupper() else "lat"
        elif not _ARABIC.search(norm):
            shape = "pun:" + norm[:3]
        else:
            shape = "ar"
        own.append("sh:" + shape)
        shared.append("sh:" + shape)
        for name, words in self.lexicons.items():
            if norm in words or stem in words:
                own.append("L:" + name)
                shared.append("L:" + name)
        for c in self.clusters.get(norm) or self.clusters.get(stem) or ():
            own.append("c:" + c)
            shared.append("c:" + c)
        context = tuple([f"{offset}{f}" for f in shared] for offset in _WINDOW)
        result = (own, context)
        if len(self._own) < 500_000:
            self._own[token] = result
        return result

    def sentence(self, tokens: list[str]) -> list[list[str]]:
        """Attribute lists for every token of a sentence."""
        n = len(tokens)
        infos = [self.word(t) for t in tokens]
        norms = [i[0][1] for i in infos]  # "w:<norm>"
        out = []
        for i in range(n):
            feats = list(infos[i][0])
            for slot, offset in enumerate(_WINDOW):
                j = i + offset
                if 0 <= j < n:
                    feats += infos[j][1][slot]
                elif j == -1 or j == n:
                    feats.append(f"{offset}BOUND")
            if i > 0:
                feats.append("bg-:" + norms[i - 1][2:] + "|" + norms[i][2:])
            if i + 1 < n:
                feats.append("bg+:" + norms[i][2:] + "|" + norms[i + 1][2:])
            out.append(feats)
        return out
