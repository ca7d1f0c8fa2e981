"""The web app (``marsad serve``): see :mod:`marsad.web.app`. Imports nothing heavy until used."""

from __future__ import annotations

from typing import Any


def create_app(*args: Any, **kwargs: Any) -> Any:
    """The FastAPI app over a store; see :func:`marsad.web.app.create_app`."""
    from marsad.web.app import create_app as _create

    return _create(*args, **kwargs)


__all__ = ["create_app"]
