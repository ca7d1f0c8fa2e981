"""``marsad gazetteer``: import GeoNames dumps into the user's gazetteer, look names up."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import List, Optional

import typer

from marsad.cli.app import EXIT_OK, EXIT_SOME_FAILED, ProgressReporter, app, err, run_guarded

gazetteer_app = typer.Typer(help="The gazetteer: GeoNames places with their Arabic names.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")


def _gazetteer_option() -> typer.models.OptionInfo:
    from marsad.settings import env_name

    return typer.Option(None, "--gazetteer", help="The user's gazetteer file [default: $MARSAD_GAZETTEER or "
                        "~/.local/share/marsad/gazetteer.sqlite].", envvar=env_name("gazetteer"), show_envvar=False)


@gazetteer_app.command("import")
def import_(
    files: List[Path] = typer.Argument(..., help="GeoNames dumps: a country file (SY.txt, SY.zip) or allCountries.zip.",
                                       show_default=False),
    gazetteer: Optional[Path] = _gazetteer_option(),
) -> None:
    """Add every feature of GeoNames dumps, with all its names, to your gazetteer (idempotent)."""
    from marsad.knowledge import user_gazetteer_path
    from marsad.knowledge.gazetteer import GazetteerWriter, import_geonames

    def body() -> int:
        target = (gazetteer or user_gazetteer_path()).expanduser()
        target.parent.mkdir(parents=True, exist_ok=True)
        failed = 0
        with GazetteerWriter(target) as writer:
            for path in files:
                with ProgressReporter(f"import {path.name}", total=100) as progress:
                    report = import_geonames(
                        path, writer, on_progress=lambda done, size: progress.update(int(100 * done / max(size, 1)))
                    )
                for error in report.errors or []:
                    err(error.one_line())
                failed += len(report.errors or [])
                err(f"gazetteer import: {path}: {report.places:,} places, {report.names:,} names"
                    + (f", {len(report.errors)} malformed lines skipped" if report.errors else "")
                    + f" -> {target}")
        return EXIT_SOME_FAILED if failed else EXIT_OK

    raise typer.Exit(run_guarded(body))


@gazetteer_app.command()
def lookup(
    names: List[str] = typer.Argument(..., help="Place names, in any script or spelling.", show_default=False),
    gazetteer: Optional[Path] = _gazetteer_option(),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per candidate."),
) -> None:
    """Every place a name can refer to, best candidates first."""
    from marsad.knowledge import shipped_gazetteer_path, user_gazetteer_path
    from marsad.knowledge.gazetteer import Gazetteer

    def body() -> int:
        paths = [shipped_gazetteer_path()]
        user = (gazetteer or user_gazetteer_path()).expanduser()
        if user.is_file():
            paths.append(user)
        g = Gazetteer(paths)
        for name in names:
            found = g.lookup(name)
            if as_json:
                for place in found:
                    typer.echo(json.dumps({"query": name, **asdict(place)}, ensure_ascii=False))
                continue
            typer.echo(f"{name}: {len(found)} candidate{'s' if len(found) != 1 else ''}")
            for place in found[:20]:
                gid = place.geonameid if place.geonameid > 0 else "-"
                where = ", ".join(x for x in (place.admin1_name, place.country) if x)
                typer.echo(f"  {gid}\t{place.name} ({where})\t{place.feature_code}\tpop {place.population:,}"
                           f"\t{place.lat},{place.lon}\t[{place.origin}]")
        return EXIT_OK

    raise typer.Exit(run_guarded(body))


@gazetteer_app.command()
def info(gazetteer: Optional[Path] = _gazetteer_option()) -> None:
    """The gazetteer files in use and how many places and names each holds."""
    from marsad.knowledge import shipped_gazetteer_path, user_gazetteer_path
    from marsad.knowledge.gazetteer import Gazetteer

    def body() -> int:
        user = (gazetteer or user_gazetteer_path()).expanduser()
        paths = [shipped_gazetteer_path()] + ([user] if user.is_file() else [])
        for row in Gazetteer(paths).counts():
            typer.echo(f"{row['path']}: {row['places']:,} places, {row['names']:,} names")
        if not user.is_file():
            typer.echo(f"no user gazetteer at {user}: add one with `marsad gazetteer import SY.zip`")
        return EXIT_OK

    raise typer.Exit(run_guarded(body))
