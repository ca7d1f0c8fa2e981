"""The docs tell the truth: these tests fail when README.md or docs/ fall behind the code."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from marsad import errors
from marsad.settings import Settings, env_name

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_readme_lists_every_setting():
    for f in fields(Settings):
        assert env_name(f.name) in README, f"README.md does not document {env_name(f.name)}"
        assert str(f.default) in README.replace(",", ""), f"README.md does not give the default of {f.name}"


def test_readme_lists_every_error_code():
    for name in dir(errors):
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, errors.MarsadError) and obj.code not in ("E000", "E100"):
            assert f"| {obj.code} |" in README, f"README.md's error table lacks {obj.code} ({name})"


def test_readme_mentions_every_command():
    from typer.main import get_command

    import pkgutil

    import marsad.cli
    from marsad.cli.app import app, main  # noqa: F401

    for module in pkgutil.iter_modules(marsad.cli.__path__):  # every command module registers its commands
        __import__(f"marsad.cli.{module.name}")
    group = get_command(app)
    names = list(group.commands)  # type: ignore[attr-defined]
    assert {"serve", "watch", "stories", "ingest"} <= set(names)
    for name in names:
        assert f"marsad {name}" in README, f"README.md does not show `marsad {name}`"


def test_architecture_names_only_modules_that_exist():
    named = set(re.findall(r"`(src/marsad/[\w/]+\.py)`", ARCHITECTURE))
    assert named, "docs/architecture.md names no modules"
    for path in named:
        assert (ROOT / path).is_file(), f"docs/architecture.md names {path}, which does not exist"
    actual = {str(p.relative_to(ROOT)) for p in (ROOT / "src" / "marsad").rglob("*.py")
              if p.name not in ("__init__.py", "__main__.py") or p.parent.name == "marsad"}
    actual.discard("src/marsad/__main__.py")
    missing = sorted(actual - named)
    assert not missing, f"docs/architecture.md does not describe {missing}"


def test_readme_two_commands_are_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest" in README and "python -m pytest" in ci
    assert "marsad demo" in README
