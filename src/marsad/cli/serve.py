"""``marsad serve``: the analyst's web app over a store (see :mod:`marsad.web.app`)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Optional

import typer

from marsad.cli.app import EXIT_OK, app, db_option, err, run_guarded


@app.command()
def serve(
    db: Optional[str] = db_option("SQLite store to show (stories are updated in it; reviews are written to it)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Anything but loopback needs a token."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    token: Optional[str] = typer.Option(None, "--token", envvar="MARSAD_TOKEN", show_envvar=False,
                                        help="Access token (at least 12 characters) [default: $MARSAD_TOKEN]; "
                                             "'new' makes one up and prints it."),
) -> None:
    """Start the web app: map, timeline, events table, annotated reader, stories and review, offline."""

    def body() -> int:
        import uvicorn

        from marsad.web.app import check_bind, create_app

        chosen = secrets.token_urlsafe(18) if token == "new" else (token or None)
        check_bind(host, chosen)
        application = create_app(db, token=chosen)
        shown = f"[{host}]" if ":" in host else host
        address = f"http://{shown}:{port}/"
        err(f"marsad serve: {application.state.store.location} at {address}"
            + (f"?token={chosen}" if chosen else "") + " (Ctrl-C stops)")
        uvicorn.run(application, host=host, port=port, log_level="warning", access_log=False)
        return EXIT_OK

    raise typer.Exit(run_guarded(body))
