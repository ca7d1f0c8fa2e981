"""The command-line front end (``marsad``)."""

from marsad.cli.app import main

__all__ = ["main"]
