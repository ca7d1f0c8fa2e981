"""What a document contributes to story matching: its salient words, places, actors and date.

Words are the document's normalised tokens without clitics (``وبالطيران`` -> ``طيران``) and
without the commonest plural endings, minus function words, so two outlets that say the same
thing in different inflections still share terms. Places are GeoNames ids (a country is kept
apart: it names a whole conflict, not a situation), actors are knowledge-base ids (generic
actors such as "civilians" are left out: every story has them).

A story's profile is the running sum of its documents' profiles (a centroid), small enough to
store as one JSON value and to compare a new document against without reading the members.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from marsad.text.normalize import bare
from marsad.document import Document

# Function words and news boilerplate, without clitics (normalised on first use). Kept short on
# purpose: TF-IDF discounts the rest as the store grows.
STOPWORDS = frozenset("""
في من على الي عن مع ان او ام ثم حتي اذا اذ لو لا لم لن ما ماذا لماذا كيف اين متي هل قد لقد
كان كانت يكون تكون كانوا يكونوا ليس ليست كل بعض غير سوي بين عند عندما لدي لدى منذ خلال بعد
قبل حول ضد دون نحو عبر لدي الذي التي الذين اللذين اللتين اللواتي اللاتي هذا هذه هذان هاتان
هولاء ذلك تلك اولئك هنا هناك هو هي هم هن هما انا نحن انت انتم انه انها انهم اننا الا اما
ايضا فقط حيث بينما كما لكن لان لانه ولكن مثل اي ايه احد احدي عدد عده كثير قليل جدا اكثر اقل
تم يتم ته تمت ذات نفس ال واحد اول الاول وقت يوم اليوم امس الان عام سنه شهر ساعه ساعات ايام
قال قالت يقول تقول اضاف اضافت اكد اكدت وفق وفقا حسب بحسب اشار اشارت ذكر ذكرت اعلن اعلنت
الذى مما عما فيما كلما بما لما مما وهو وهي وهم له لها لهم به بها بهم منه منها منهم عليه عليها
عليهم اليه اليها اليهم فيه فيها فيهم عنه عنها عنهم معه معها معهم لديه لديها يمكن تمكن
بان بانه وان وانه فان لانها عاجل تفاصيل متابعه تابعونا رابط البث المباشر التطورات اخر
""".split())

_SUFFIXES = ("ين", "ون", "ات")
_BROAD_PLACES = frozenset(("PCLI", "CONT", "OCN"))


def stem(word: str) -> str:
    """``bare`` plus the regular plural endings and final ه (taa marbuta), when a stem of 3+ letters is left.

    Light on purpose: it must never merge two names (``هجين`` keeps its ين, too short a stem).
    """
    w = bare(word)
    if len(w) >= 5 and w.endswith(_SUFFIXES):
        w = w[:-2]
    elif len(w) >= 4 and w.endswith("ه"):
        w = w[:-1]
    return w


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """``STOPWORDS`` normalised as the words they are compared with (ى -> ي, أ -> ا, ة -> ه)."""
    from marsad.text.normalize import normalize_str

    return frozenset(normalize_str(w) for w in STOPWORDS)


def _is_term(word: str, stops: frozenset[str]) -> bool:
    return len(word) >= 2 and word not in stops and any(c.isalpha() for c in word)


def document_terms(doc: Document) -> list[tuple[str, int, int]]:
    """The document's content words as ``(term, start, end)``, in text order."""
    from marsad.expressions.scan import words_of

    words = words_of(doc)
    stops = stopwords()
    out: list[tuple[str, int, int]] = []
    for norm, start, end, kind in zip(words.norms, words.starts, words.ends, words.kinds):
        if kind not in ("word", "tag") or norm in stops or bare(norm) in stops:
            continue
        term = stem(norm)
        if _is_term(term, stops):
            out.append((term, start, end))
    return out


def place_key(data: dict[str, Any]) -> str | None:
    """A place's identity for matching: its GeoNames id, else a curated region's name; None if unresolved."""
    if data.get("feature_code") in _BROAD_PLACES:
        return None
    if data.get("geonameid"):
        return f"g{data['geonameid']}"
    if data.get("feature_code") == "RGN" and data.get("name_origin") == "curated" and data.get("name"):
        return f"r:{data['name']}"
    return None


def actor_key(data: dict[str, Any]) -> str | None:
    """An actor's identity for matching: its knowledge-base id, unless generic (civilians, 'the forces')."""
    if data.get("generic") or not data.get("actor_id"):
        return None
    return str(data["actor_id"])


@dataclass
class Profile:
    """Counts that story matching needs, for one document or (summed) for one story."""

    terms: Counter[str] = field(default_factory=Counter)  # term -> weight (a document: raw counts)
    places: Counter[str] = field(default_factory=Counter)  # place key -> documents naming it
    actors: Counter[str] = field(default_factory=Counter)  # actor key -> documents naming it
    countries: Counter[str] = field(default_factory=Counter)  # country code -> documents naming it
    first: date | None = None  # earliest publication date
    last: date | None = None  # latest publication date
    documents: int = 0

    def add(self, doc: Profile, max_terms: int) -> None:
        """Fold a document's profile in; its terms count as relative frequencies, so long texts do not dominate."""
        total = sum(doc.terms.values()) or 1
        for term, n in doc.terms.items():
            self.terms[term] += n / total
        if len(self.terms) > max_terms:
            self.terms = Counter(dict(self.terms.most_common(max_terms)))
        self.places.update(doc.places)
        self.actors.update(doc.actors)
        self.countries.update(doc.countries)
        for d in (doc.first, doc.last):
            if d is not None:
                self.first = d if self.first is None or d < self.first else self.first
                self.last = d if self.last is None or d > self.last else self.last
        self.documents += doc.documents

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "terms": {t: round(w, 6) for t, w in self.terms.most_common()},
            "places": dict(self.places),
            "actors": dict(self.actors),
            "countries": dict(self.countries),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Profile:
        return cls(
            terms=Counter(data.get("terms") or {}),
            places=Counter(data.get("places") or {}),
            actors=Counter(data.get("actors") or {}),
            countries=Counter(data.get("countries") or {}),
            first=date.fromisoformat(data["first"]) if data.get("first") else None,
            last=date.fromisoformat(data["last"]) if data.get("last") else None,
            documents=int(data.get("documents") or 0),
        )


def document_profile(doc: Document) -> Profile:
    """The profile of one document (its terms as raw counts, its keys once each)."""
    places: set[str] = set()
    countries: set[str] = set()
    for p in doc.layer("places"):
        key = place_key(p.data)
        if key:
            places.add(key)
        if p.data.get("country"):
            countries.add(str(p.data["country"]))
    actors = {k for a in doc.layer("actors") if (k := actor_key(a.data))}
    published = doc.meta.published if doc.meta else None
    return Profile(
        terms=Counter(t for t, _s, _e in document_terms(doc)),
        places=Counter(places),
        actors=Counter(actors),
        countries=Counter(countries),
        first=published,
        last=published,
        documents=1,
    )


def idf(df: int, n: int) -> float:
    """Smoothed inverse document frequency (scikit-learn's): never zero, defined for an empty corpus."""
    return math.log((1 + n) / (1 + df)) + 1.0


def tfidf(terms: Counter[str] | dict[str, float], df: dict[str, int], n: int) -> dict[str, float]:
    """L2-normalised TF-IDF vector (the scale of ``terms`` does not matter: counts or a centroid's sums)."""
    vec = {t: w * idf(df.get(t, 0), n) for t, w in terms.items() if w > 0}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two L2-normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())
