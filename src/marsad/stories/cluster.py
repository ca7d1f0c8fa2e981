"""Incremental grouping of documents into stories: one pass, each document against story centroids.

A new document is scored only against the stories that share one of its most salient terms, one of
its places or one of its actors (an inverted index over the stories' profiles), never against every
stored document, so adding a document costs about the same however large the store is. It joins the
best-scoring story if that story passes the thresholds below, else it starts a new one. Nothing is
ever re-clustered: a document keeps its story (idempotent, and what was shown stays true).

The thresholds were set by measurement on ``shared/data/events/dev.jsonl`` (50 paragraphs, 31
conflicts or situations, hand-labelled in ``tests/test_stories.py``), the two seed articles,
and near-duplicates made from the dev paragraphs (words dropped, figures changed, a tag line added);
see each constant's note.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from marsad.stories.profile import Profile, cosine, tfidf

ALGORITHM_VERSION = "1"

NEAR_DUPLICATE = 0.6
"""Text cosine at or above which a document joins a story whatever else differs (a near-duplicate).

Measured: each dev paragraph with 15% of its words dropped (at the end or in the middle), its
figures changed and a tag line added, or its words rotated, scores 0.88-1.0 against the original;
the highest score between two different texts (dev paragraphs and seeds) is 0.28, the two seed
articles. 0.6 is far from both.
"""

MIN_TEXT = 0.05
"""Text cosine a document needs with a story before shared places, actors and dates count at all.

Shared names alone do not make one story. Paragraphs of one article score as low as 0.07 among
themselves (the two Vienna-attack paragraphs), so the gate is low; the combined score decides.
"""

STORY_THRESHOLD = 0.35
"""Combined score (text cosine + place, actor and date bonuses) at or above which a document joins a story.

Measured on the 50 dev paragraphs and the two seeds, every document scored against every other
as a one-document story (2,652 ordered pairs): the seed pair scores 0.73 (text 0.28, 4 shared
places, 3 shared actors); the best pair about two different conflicts scores 0.22 (ISIS in Iraq
against the Hajin seed: text 0.17 + the ISIS actor); pairs about one situation in the dev set
score 0.16-0.39 (the best: two IDF briefings on Khan Younis). 0.35 keeps a margin of 0.13 over
every cross-conflict pair and still merges the clearest same-situation pair; a false merge (two
conflicts in one story) misleads a reader more than a missed one (one story shown twice). Checked
over 300 random orders of the same documents: no story ever mixed two conflicts, and the seeds
always formed one story.
"""

PLACE_BONUS = 0.10
"""Added per place (GeoNames id or curated region) the document shares with the story, up to ``PLACE_CAP``
places, each weighted by the share of the story's documents that name it."""
PLACE_CAP = 3

ACTOR_BONUS = 0.05
"""Added per known actor (not a generic one) the document shares with the story, up to ``ACTOR_CAP``.

Half a place's weight: the big actors (ISIS, Hamas, a national army) recur across situations.
"""
ACTOR_CAP = 3

DATE_WINDOW_DAYS = 30
"""A document published more than this many days outside a story's publication span starts a new
story (unless it is a near-duplicate). Only applied when both have publication dates."""

DATE_NEAR_DAYS = 2
DATE_BONUS = 0.10
"""Added when both are dated and the document falls within ``DATE_NEAR_DAYS`` of the story's span."""

MAX_TERMS = 400
"""Terms kept in a story's centroid (the heaviest): enough for any news story, bounded for storage."""

INDEX_TERMS = 25
"""A document's terms (by TF-IDF weight) under which its story is indexed and with which it looks up
candidate stories: two documents of one story share some of their most salient words."""

MAX_CANDIDATES = 200
# A key that more stories than this share (a ubiquitous actor such as ISIS, a frequent word) says
# nothing about which story a document belongs to; skipping it keeps each addition's cost flat as
# the corpus grows (measured with `marsad bench --stories`).
MAX_POSTING = 50
# Stories scored per document, the most shared keys first.
MAX_SCORED = 20
"""Candidate stories scored per document, those sharing the most index keys first."""


@dataclass
class Decision:
    """Where a document went and why (stored with the membership)."""

    story: int  # position of the story in the index (new or existing)
    new: bool
    score: float
    text: float
    reason: str


@dataclass
class StoryState:
    """A story as the index holds it: its key in the store (None until saved) and its profile."""

    key: int | None
    id: str
    profile: Profile
    dirty: bool = False


@dataclass
class StoryIndex:
    """Stories and document frequencies, with an inverted index from terms, places and actors to stories."""

    stories: list[StoryState] = field(default_factory=list)
    df: Counter[str] = field(default_factory=Counter)
    n_documents: int = 0
    _postings: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def from_stories(cls, stories: list[StoryState], df: dict[str, int], n_documents: int) -> StoryIndex:
        index = cls(df=Counter(df), n_documents=n_documents)
        for story in stories:
            index.stories.append(story)
            vector = tfidf(story.profile.terms, index.df, index.n_documents)
            terms = _top(vector, INDEX_TERMS * min(story.profile.documents, 4))
            index._post(len(index.stories) - 1, story.profile, terms)
        return index

    @staticmethod
    def _keys(profile: Profile, terms: list[str]) -> list[str]:
        return ["t:" + t for t in terms] + ["p:" + p for p in profile.places] + ["a:" + a for a in profile.actors]

    def _post(self, position: int, profile: Profile, terms: list[str]) -> None:
        """Index a story under a document's (or its own) most salient terms, its places and its actors."""
        for key in self._keys(profile, terms):
            self._postings.setdefault(key, set()).add(position)

    def candidates(self, doc: Profile, vector: dict[str, float]) -> list[int]:
        """Stories sharing a salient term, a place or an actor with the document, most shared first."""
        hits: Counter[int] = Counter()
        for key in self._keys(doc, _top(vector, INDEX_TERMS)):
            posting = self._postings.get(key, ())
            if len(posting) > MAX_POSTING:
                continue
            for position in posting:
                hits[position] += 1
        return [position for position, _n in hits.most_common(min(MAX_CANDIDATES, MAX_SCORED))]

    def score(self, doc: Profile, vector: dict[str, float], story: Profile) -> tuple[float, float, str]:
        """(combined score, text cosine, reason) of a document against a story; -1 when a gate fails."""
        text = cosine(vector, tfidf(story.terms, self.df, self.n_documents))
        if text >= NEAR_DUPLICATE:
            return 1.0 + text, text, f"near-duplicate text (cosine {text:.2f})"
        gap = _date_gap(doc, story)
        if gap is not None and gap > DATE_WINDOW_DAYS:
            return -1.0, text, f"published {gap} days apart"
        if text < MIN_TEXT:
            return -1.0, text, f"text cosine {text:.2f} below {MIN_TEXT}"
        places = sorted(p for p in doc.places if p in story.places)
        actors = sorted(a for a in doc.actors if a in story.actors)
        combined = text + PLACE_BONUS * _share(places, story.places, story.documents, PLACE_CAP) \
            + ACTOR_BONUS * _share(actors, story.actors, story.documents, ACTOR_CAP)
        if gap is not None and gap <= DATE_NEAR_DAYS:
            combined += DATE_BONUS
        parts = [f"text cosine {text:.2f}"]
        if places:
            parts.append(f"{len(places)} shared place{'s' if len(places) > 1 else ''} ({', '.join(places[:5])})")
        if actors:
            parts.append(f"{len(actors)} shared actor{'s' if len(actors) > 1 else ''} ({', '.join(actors[:5])})")
        if gap is not None:
            parts.append(f"published {gap} days apart")
        return combined, text, "; ".join(parts)

    def add(self, doc: Profile, new_id: str) -> Decision:
        """Assign a document to the best story above the thresholds, or to a new story named ``new_id``."""
        self.df.update(set(doc.terms))
        self.n_documents += 1
        vector = tfidf(doc.terms, self.df, self.n_documents)
        best: tuple[float, float, int, str] | None = None
        for position in self.candidates(doc, vector):
            combined, text, reason = self.score(doc, vector, self.stories[position].profile)
            if combined >= STORY_THRESHOLD and (best is None or combined > best[0]):
                best = (combined, text, position, reason)
        if best is None:
            profile = Profile()
            profile.add(doc, MAX_TERMS)
            self.stories.append(StoryState(None, new_id, profile, dirty=True))
            position = len(self.stories) - 1
            self._post(position, profile, _top(vector, INDEX_TERMS))
            return Decision(position, True, 0.0, 0.0, "first document of the story")
        combined, text, position, reason = best
        story = self.stories[position]
        story.profile.add(doc, MAX_TERMS)
        story.dirty = True
        self._post(position, doc, _top(vector, INDEX_TERMS))
        return Decision(position, False, round(combined, 4), round(text, 4), reason)


def _top(vector: dict[str, float], n: int) -> list[str]:
    """The ``n`` heaviest terms of a vector (ties broken by the term, so the index is deterministic)."""
    return sorted(vector, key=lambda t: (-vector[t], t))[:n]


def _share(keys: list[str], counts: Counter[str], documents: int, cap: int) -> float:
    """Shared keys weighted by the fraction of the story's documents that name them (the ``cap`` best).

    A place every member names counts 1; one named by a single member of a large story counts
    little, so a big story cannot swallow everything that mentions one of its many places.
    """
    shares = sorted((min(1.0, counts[k] / max(1, documents)) for k in keys), reverse=True)
    return sum(shares[:cap])


def _date_gap(doc: Profile, story: Profile) -> int | None:
    """Days between the document's date and the story's publication span (0 inside it); None if unknown."""
    day: date | None = doc.first
    if day is None or story.first is None or story.last is None:
        return None
    if day < story.first:
        return (story.first - day).days
    if day > story.last:
        return (day - story.last).days
    return 0


def describe_profile(profile: Profile, top: int = 6) -> dict[str, Any]:
    """What a story is about, for listings: its heaviest words, and the places and actors most members name."""
    return {
        "terms": [t for t, _w in sorted(profile.terms.items(), key=lambda x: (-x[1], x[0]))[:top]],
        "places": [p for p, _n in sorted(profile.places.items(), key=lambda x: (-x[1], x[0]))[:top]],
        "actors": [a for a, _n in sorted(profile.actors.items(), key=lambda x: (-x[1], x[0]))[:top]],
    }
