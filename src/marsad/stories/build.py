"""Stories in the store: assign the documents not yet in a story, list stories, compare one.

Assignment is incremental and idempotent: only documents in no story are read, each is matched
against the stories' stored profiles (see :mod:`marsad.stories.cluster`), and everything a run
writes (new stories, updated profiles, memberships, term frequencies) commits in one transaction,
so an interrupted run leaves the store as it was and running it again adds nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from marsad.errors import StoreError
from marsad.store.base import Store
from marsad.stories.cluster import ALGORITHM_VERSION, StoryIndex, StoryState, describe_profile
from marsad.stories.profile import Profile, document_profile


@dataclass
class BuildReport:
    """What a run of :func:`build_stories` did."""

    assigned: int = 0  # documents given a story in this run
    new_stories: list[str] = field(default_factory=list)
    joined: list[tuple[str, str, str]] = field(default_factory=list)  # (document id, story id, reason)

    def summary(self) -> str:
        if not self.assigned:
            return "stories: nothing new to assign"
        return (f"stories: {self.assigned} document{'s' if self.assigned != 1 else ''} assigned, "
                f"{len(self.new_stories)} new stor{'ies' if len(self.new_stories) != 1 else 'y'}")


def _new_id(store: Store, content_hash: str, taken: set[str]) -> str:
    """A story is named after its first document's hash: stable, and the same in every store."""
    for length in (10, 16, 64):
        candidate = f"st-{content_hash[:length]}"
        if candidate not in taken and not store.story_id_taken(candidate):
            return candidate
    raise AssertionError("a content hash names two stories")  # pragma: no cover - one story per first document


def build_stories(store: Store) -> BuildReport:
    """Put every stored document that is in no story into one (an existing story or a new one).

    One transaction; re-running with no new documents changes nothing.
    """
    # a locked or read-only store is one line, not a traceback
    db_errors: Any = store.database_errors
    try:
        return _build(store)
    except db_errors as exc:
        raise StoreError(f"cannot update the stories: {exc}", origin=store.location) from None


def _build(store: Store) -> BuildReport:
    report = BuildReport()
    with store.transaction():
        store.lock("stories")  # one assigner at a time, whichever process it is in
        pending = store.unassigned_documents()
        first = next(pending, None)
        if first is None:
            return report
        rows, df, assigned = store.story_state()
        states = [StoryState(r["key"], r["id"], Profile.from_json(r["profile"])) for r in rows]
        index = StoryIndex.from_stories(states, df, assigned)
        members: list[tuple[int, int, float, str]] = []  # (doc_key, story position, score, reason)
        new_terms: Counter[str] = Counter()
        taken: set[str] = set()
        for doc_key, doc in chain([first], pending):
            profile = document_profile(doc)
            new_terms.update(set(profile.terms))
            story_id = _new_id(store, doc.content_hash, taken)
            decision = index.add(profile, story_id)
            if decision.new:
                taken.add(story_id)
                report.new_stories.append(story_id)
            else:
                report.joined.append((doc.id, index.stories[decision.story].id, decision.reason))
            members.append((doc_key, decision.story, decision.score, decision.reason))
            report.assigned += 1
        for story in index.stories:
            if not story.dirty:
                continue
            if story.key is None:
                story.key = store.insert_story(story.id, story.profile.to_json(), ALGORITHM_VERSION)
            else:
                store.update_story(story.key, story.profile.to_json())
        key_of = [s.key for s in index.stories if s.key is not None]
        assert len(key_of) == len(index.stories)  # every story is saved by now
        store.add_story_members([(d, key_of[pos], score, reason) for d, pos, score, reason in members])
        store.add_story_terms(dict(new_terms))
    return report


def list_stories(store: Store) -> list[dict[str, Any]]:
    """Every story, JSON-ready: ``id``, ``documents`` (ids), dates, what it is about (its heaviest
    words, places and actors) and each member's reason for joining."""
    out = []
    for s in store.list_stories():
        out.append({
            "id": s["id"],
            "documents": [m["id"] for m in s["members"]],
            "size": len(s["members"]),
            "first_published": s["first_published"],
            "last_published": s["last_published"],
            "about": describe_profile(Profile.from_json(s["profile"])),
            "members": [{k: m[k] for k in ("id", "content_hash", "title", "source", "published", "score", "reason")}
                        for m in s["members"]],
        })
    return out


def compare_story(store: Store, story_id: str) -> dict[str, Any]:
    """The side-by-side comparison of a story's documents (see :mod:`marsad.stories.compare`).

    ``story_id`` may be a story id, a unique prefix of one, or the id or hash of a member document.
    """
    from marsad.stories.compare import compare_documents

    key, sid = store.resolve_story(story_id)
    docs = store.story_documents(key)
    _rows, df, assigned = store.story_state()
    result = compare_documents(docs, df=df, n_documents=assigned)
    return {"id": sid, **result}
