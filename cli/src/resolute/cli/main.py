"""The `resolute` command line: one entry point for operators and secretariats."""

from __future__ import annotations

import typer
from resolute.cli.extract import extract

app = typer.Typer(
    name="resolute",
    help="Resolute: track what resolutions and declarations commit governments to.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Resolute command line."""


app.command("extract")(extract)
