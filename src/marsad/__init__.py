"""marsad: structured, sourced, geocoded conflict data from Arabic news, offline.

The public API is small and cheap to import; heavy resources load on first use::

    import marsad
    doc = marsad.extract("قتل 5 مدنيين في قصف على بلدة هجين أمس", published="2018-11-05")
    doc.sentences, doc.tokens, doc.to_contract()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "extract",
    "Pipeline",
    "Document",
    "DocumentMeta",
    "Annotation",
    "Span",
    "open_store",
    "read_documents",
    "MarsadError",
]

_LAZY = {
    "extract": ("marsad.pipeline", "extract"),
    "Pipeline": ("marsad.pipeline", "Pipeline"),
    "Document": ("marsad.document", "Document"),
    "DocumentMeta": ("marsad.document", "DocumentMeta"),
    "Annotation": ("marsad.document", "Annotation"),
    "Span": ("marsad.document", "Span"),
    "open_store": ("marsad.store", "open_store"),
    "read_documents": ("marsad.io.readers", "read_documents"),
    "MarsadError": ("marsad.errors", "MarsadError"),
}

if TYPE_CHECKING:
    from marsad.document import Annotation, Document, DocumentMeta, Span
    from marsad.errors import MarsadError
    from marsad.io.readers import read_documents
    from marsad.pipeline import Pipeline, extract
    from marsad.store import open_store


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'marsad' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value
