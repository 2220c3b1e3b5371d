"""The `resolute` command line: one entry point for operators and secretariats."""

from __future__ import annotations

import typer

from resolute.cli.dev import dev_command

app = typer.Typer(
    name="resolute",
    help="Resolute: track what resolutions and declarations commit governments to.",
    no_args_is_help=True,
    add_completion=False,
)

app.command("dev")(dev_command)


@app.callback()
def _root() -> None:
    """Resolute command line."""


from resolute.cli.extract import extract  # noqa: E402 - imported where it is registered, below the app

app.command("extract")(extract)

from resolute.cli.ingest import ingest  # noqa: E402 - registered with the other commands, below the app

app.command("ingest")(ingest)

from resolute.cli.gold import gold_app  # noqa: E402 - registered with the other commands, below the app

app.add_typer(gold_app, name="gold")
