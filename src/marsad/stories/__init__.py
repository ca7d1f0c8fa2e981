"""Stories across outlets: documents about one situation grouped, their incidents merged, their reports compared.

    from marsad.stories import build_stories, compare_story
    build_stories(store)                    # assign stored documents not yet in a story
    compare_story(store, "st-0f9739a393")   # what each outlet reports, disagrees on, and how it frames it

Imported lazily: ``import marsad.stories`` loads nothing heavy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["StoryIndex", "build_stories", "compare_documents", "compare_story", "list_stories", "merge_incidents"]

_LAZY = {
    "build_stories": ("marsad.stories.build", "build_stories"),
    "compare_story": ("marsad.stories.build", "compare_story"),
    "list_stories": ("marsad.stories.build", "list_stories"),
    "compare_documents": ("marsad.stories.compare", "compare_documents"),
    "merge_incidents": ("marsad.stories.incidents", "merge_incidents"),
    "StoryIndex": ("marsad.stories.cluster", "StoryIndex"),
}

if TYPE_CHECKING:
    from marsad.stories.build import build_stories, compare_story, list_stories
    from marsad.stories.cluster import StoryIndex
    from marsad.stories.compare import compare_documents
    from marsad.stories.incidents import merge_incidents


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'marsad.stories' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value
