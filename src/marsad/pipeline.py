"""The ordered pipeline components, in one place a reader can see.

A component is a function from a :class:`~marsad.document.Document` to annotations on it;
it reads no files, touches no store and prints nothing. Resources it needs load lazily, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from marsad.document import Document, DocumentMeta, coerce_date
from marsad.errors import MarsadError, PipelineError
from marsad.expressions import dates, numbers
from marsad.knowledge import actors, candidates, places
from marsad.events import claims, events
from marsad.ner import component as ner
from marsad.text import sentences, tokens


@dataclass(frozen=True, slots=True)
class Component:
    """A named, versioned step of the pipeline."""

    name: str
    version: str
    func: Callable[[Document], None]

    @property
    def signature(self) -> str:
        return f"{self.name}@{self.version}"


# The default components, in order. Later layers (expressions, knowledge, ner, events/claims)
# are appended here as they are built.
DEFAULT_COMPONENTS: tuple[Component, ...] = (
    Component(sentences.COMPONENT, sentences.VERSION, sentences.sentences_component),
    Component(tokens.COMPONENT, tokens.VERSION, tokens.tokenize_component),
    Component(dates.COMPONENT, dates.VERSION, dates.dates_component),
    Component(numbers.COMPONENT, numbers.VERSION, numbers.numbers_component),
    Component(places.COMPONENT, places.VERSION, places.places_component),
    Component(actors.COMPONENT, actors.VERSION, actors.actors_component),
    Component(ner.COMPONENT, ner.VERSION, ner.entities_component),
    Component(candidates.COMPONENT, candidates.VERSION, candidates.candidates_component),
    Component(claims.COMPONENT, claims.VERSION, claims.claims_component),
    Component(events.COMPONENT, events.VERSION, events.events_component),
)


class Pipeline:
    """Runs its components in order over documents."""

    def __init__(self, components: Iterable[Component] = DEFAULT_COMPONENTS) -> None:
        self.components = tuple(components)
        names = [c.name for c in self.components]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate component names in pipeline: {names}")

    @property
    def signature(self) -> str:
        """Names and versions of every component: a stored extraction is current if it matches."""
        return "+".join(c.signature for c in self.components)

    @property
    def component_names(self) -> list[str]:
        return [c.name for c in self.components]

    def __call__(self, doc: Document) -> Document:
        for component in self.components:
            try:
                component.func(doc)
            except MarsadError:
                raise
            except Exception as exc:  # a bug in a component must not lose the other documents
                raise PipelineError(
                    f"component {component.signature} failed on document {doc.id!r}: "
                    f"{type(exc).__name__}: {exc}",
                    origin=doc.meta.origin,
                ) from exc
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()


def extract(
    text: str,
    published: date | str | None = None,
    *,
    id: str | None = None,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
) -> Document:
    """Run the default pipeline over ``text`` and return the annotated :class:`Document`.

    ``published`` (a date or ``YYYY-MM-DD``) anchors relative dates such as "أمس".
    """
    meta = DocumentMeta(title=title, source=source, url=url, published=coerce_date(published))
    return default_pipeline()(Document(text, id=id, meta=meta))
