"""CoNLL files (one token per line, blank lines between sentences) and strict span scoring."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from marsad.errors import EmptyInput, FileUnreadable, MalformedRecord
from marsad.io.readers import decode_bytes
from marsad.ner.model import iob_spans


@dataclass
class Sentence:
    tokens: list[str]
    tags: list[str] | None = None  # the last column, when the file has one


def read_lines(path: str | Path) -> list[str]:
    """The lines of a CoNLL file in any encoding marsad reads (UTF-8/16, Windows-1256)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FileUnreadable(f"cannot read: {exc.strerror or exc}", origin=str(path)) from None
    if not data:
        return []
    if not data.strip(b" \t\r\n"):  # blank lines only: still one output line per input line
        text = data.decode("ascii")
    else:
        text = decode_bytes(data, str(path)).text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text[:-1].split("\n") if text.endswith("\n") else text.split("\n")


def read_conll(path: str | Path, *, with_tags: bool) -> list[Sentence]:
    """Sentences of a CoNLL file; with ``with_tags`` the last column must be an IOB2 tag."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    for number, line in enumerate(read_lines(path), 1):
        fields = line.split()
        if not fields:
            if tokens:
                sentences.append(Sentence(tokens, tags if with_tags else None))
                tokens, tags = [], []
            continue
        tokens.append(fields[0])
        if with_tags:
            tag = fields[-1] if len(fields) > 1 else ""
            if not (tag == "O" or (tag[:2] in ("B-", "I-") and len(tag) > 2)):
                raise MalformedRecord(f"expected 'token TAG' with an IOB2 tag, got {line.strip()[:60]!r}",
                                      origin=str(path), line=number)
            tags.append(tag)
    if tokens:
        sentences.append(Sentence(tokens, tags if with_tags else None))
    if with_tags and not sentences:
        raise EmptyInput("no tokens", origin=str(path))
    return sentences


@dataclass
class NerScores:
    """Entity-level scores (an entity counts only with exact boundaries and label)."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, gold: list[str], pred: list[str]) -> None:
        g, p = set(iob_spans(gold)), set(iob_spans(pred))
        for s in g:
            self.counts[(s[2], "gold")] += 1
        for s in p:
            self.counts[(s[2], "pred")] += 1
        for s in g & p:
            self.counts[(s[2], "tp")] += 1

    @staticmethod
    def _prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
        p = tp / npred if npred else 0.0
        r = tp / ngold if ngold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def labels(self) -> list[str]:
        return sorted({label for label, _ in self.counts})

    def table(self) -> dict[str, dict[str, float | int]]:
        """Per-label and micro precision, recall, F1 and counts."""
        out: dict[str, dict[str, float | int]] = {}
        for label in [*self.labels(), "micro"]:
            if label == "micro":
                tp, npred, ngold = (sum(self.counts[(lab, k)] for lab in self.labels()) for k in ("tp", "pred", "gold"))
            else:
                tp, npred, ngold = (self.counts[(label, k)] for k in ("tp", "pred", "gold"))
            p, r, f = self._prf(tp, npred, ngold)
            out[label] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "gold": ngold, "pred": npred, "tp": tp}
        return out

    @property
    def micro_f1(self) -> float:
        return float(self.table()["micro"]["f1"])
