"""The demo corpus shipped in the package: the two founding articles (see data/demo/SOURCES.md)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def demo_paths() -> list[Path]:
    """Paths of the demo articles inside the installed package, in a stable order."""
    root = resources.files("marsad") / "data" / "demo"
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".txt"))


def demo_credit() -> str:
    return (resources.files("marsad") / "data" / "demo" / "SOURCES.md").read_text(encoding="utf-8")
