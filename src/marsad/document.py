"""The Document: original text, untouched, with standoff annotations over it.

Offsets are Python ``str`` indices into ``Document.text`` (end exclusive), as in
``CONTRACT.md``. Every annotation names the component and version that made it, so any
value marsad outputs can be traced to the exact words that support it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from marsad.text.normalize import NormalizedText
    from marsad.text.tokens import Tokens


@dataclass(frozen=True, slots=True)
class Span:
    """A character range of a text, end exclusive."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Annotation:
    """One standoff annotation: a span of a layer, with its label, data and provenance."""

    layer: str
    start: int
    end: int
    text: str
    component: str
    version: str
    label: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def produced_by(self) -> str:
        """``component@version``: which rule or model made this annotation."""
        return f"{self.component}@{self.version}"

    def to_dict(self) -> dict[str, Any]:
        """The contract's SPAN shape plus label, data and provenance."""
        out: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text}
        if self.label is not None:
            out["label"] = self.label
        out.update(self.data)
        out["by"] = self.produced_by
        return out


@dataclass(slots=True)
class DocumentMeta:
    """What is known about a document besides its text."""

    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: date | None = None
    origin: str | None = None  # the file (and line) it was read from
    encoding: str | None = None
    published_raw: str | None = None  # a publication date as given, when it could not be read
    warnings: list[str] = field(default_factory=list)  # one-line notes on what the reader set aside

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "origin": self.origin,
            "encoding": self.encoding,
            **({"published_raw": self.published_raw} if self.published_raw else {}),
        }


# The layers of the JSONL contract, in its order; later issues fill them.
CONTRACT_LAYERS = ("entities", "places", "actors", "numbers", "dates", "events", "claims")


class Document:
    """A text and everything the pipeline found in it.

    The text is never modified. Components add annotations with :meth:`add`; the token
    layer is held compactly in :attr:`tokens` (see :mod:`marsad.text.tokens`).
    """

    __slots__ = ("id", "text", "meta", "layers", "tokens", "cache", "_hash", "_normalized")

    def __init__(self, text: str, id: str | None = None, meta: DocumentMeta | None = None) -> None:
        if not isinstance(text, str):
            raise TypeError(f"Document text must be str, not {type(text).__name__}")
        self.text = text
        self.meta = meta or DocumentMeta()
        self._hash: str | None = None
        self._normalized: NormalizedText | None = None
        self.id = id if id is not None else self.content_hash[:16]
        self.layers: dict[str, list[Annotation]] = {}
        self.tokens: Tokens | None = None
        # Derived views that several components share (normalised words, say); never stored.
        self.cache: dict[str, Any] = {}

    @property
    def content_hash(self) -> str:
        """SHA-256 of the UTF-8 text: the identity of a document in the store."""
        if self._hash is None:
            self._hash = hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()
        return self._hash

    @property
    def normalized(self) -> NormalizedText:
        """The text normalised for matching, with a map back to original offsets (cached)."""
        if self._normalized is None:
            from marsad.text.normalize import normalize

            self._normalized = normalize(self.text)
        return self._normalized

    def span(self, start: int, end: int) -> Span:
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside document of length {len(self.text)}")
        return Span(start, end, self.text[start:end])

    def add(
        self,
        layer: str,
        start: int,
        end: int,
        *,
        component: str,
        version: str,
        label: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> Annotation:
        """Record an annotation over ``text[start:end]``."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"{component}: span {start}:{end} outside document of length {len(self.text)}")
        ann = Annotation(layer, start, end, self.text[start:end], component, version, label, data or {})
        self.layers.setdefault(layer, []).append(ann)
        return ann

    def set_layer(self, name: str, annotations: list[Annotation]) -> None:
        """Replace a whole layer (for components that build it at once; offsets are checked)."""
        n = len(self.text)
        for a in annotations:
            if not 0 <= a.start <= a.end <= n:
                raise ValueError(f"{a.component}: span {a.start}:{a.end} outside document of length {n}")
        self.layers[name] = annotations

    def layer(self, name: str) -> list[Annotation]:
        return self.layers.get(name, [])

    @property
    def sentences(self) -> list[Annotation]:
        return self.layer("sentences")

    def iter_annotations(self) -> Iterator[Annotation]:
        for anns in self.layers.values():
            yield from anns

    def to_contract(self, *, include_text_layers: bool = True, numbers: str = "counts") -> dict[str, Any]:
        """The JSON object of ``marsad extract --format jsonl`` (CONTRACT.md), plus extras.

        ``numbers="counts"`` (the default) lists the numbers that may count people (see
        :func:`is_count`); ``"people"`` only counts of people (numbers with a ``what``), as the event
        annotation guideline defines them; ``"all"`` every number expression.
        """
        out: dict[str, Any] = {"id": self.id}
        for name in CONTRACT_LAYERS:
            anns = self.layer(name)
            if name == "numbers" and numbers != "all":
                anns = [a for a in anns if (is_count(a.data) if numbers == "counts" else a.data.get("what"))]
            out[name] = [a.to_dict() for a in anns]
        if include_text_layers:
            out["sentences"] = [a.to_dict() for a in self.sentences]
            out["meta"] = {
                **self.meta.to_dict(),
                "content_hash": self.content_hash,
                "chars": len(self.text),
                "tokens": len(self.tokens) if self.tokens is not None else None,
            }
        return out

    def __repr__(self) -> str:
        layers = ", ".join(f"{k}={len(v)}" for k, v in self.layers.items())
        return f"<Document {self.id!r} chars={len(self.text)} {layers}>"


# Kinds of number that never count anything: parts of a date, positions, percentages.
NOT_COUNTS = frozenset({"date_part", "ordinal", "percent"})


def is_count(number: dict[str, Any]) -> bool:
    """Does a number (its annotation data) count people, or things marsad cannot tell from people?

    A count of people says what happened to them (``what``); a date part, an ordinal, a percentage
    or a count of money, weapons, vehicles, places, groups, measures or time (``counts``) is no count
    of people. Numbers whose noun marsad does not know are kept: they may be people.
    """
    return bool(number.get("what")) or (number.get("kind") not in NOT_COUNTS and not number.get("counts"))


def coerce_date(value: object, *, what: str = "published") -> date | None:
    """Accept a ``date``, a ``datetime`` or an ISO string (``YYYY-MM-DD`` or a date-time)."""
    from datetime import datetime

    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        s = value.strip()
        try:
            return date.fromisoformat(s[:10]) if len(s) >= 10 else date.fromisoformat(s)
        except ValueError:
            pass
        try:
            return datetime.fromisoformat(s.replace("Z", "+00:00")).date()
        except ValueError:
            pass
    raise ValueError(f"{what} must be a date as YYYY-MM-DD or an ISO date-time, not {value!r}")
