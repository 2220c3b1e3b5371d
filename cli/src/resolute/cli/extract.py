"""`resolute extract PATH... [--json]`: read documents and print what they commit to, offline.

Needs no running service: the same format readers and extraction rules the
ingest service uses, applied to files on disk. Contract: one JSON object
{"documents": [...]} on stdout and exit 0; a file that cannot be read or parsed
gets a one-line error on stderr naming it, and exit 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

EXIT_UNREADABLE = 2


def _extract_file(path: Path) -> list[dict[str, Any]]:
    from resolute.ingest.extraction import extract_documents
    from resolute.ingest.formats import read_document

    content = path.read_bytes()
    document = read_document(content, filename=path.name)
    out: list[dict[str, Any]] = []
    for doc in extract_documents(document.text, source=str(path), title_hint=document.title, blocks=document.blocks):
        data = doc.model_dump(mode="json")
        data["warnings"] = [*document.warnings, *data["warnings"]]
        out.append(data)
    return out


def _one_line(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return message


def extract(
    paths: Annotated[list[Path], typer.Argument(help="Documents to read: text, Markdown, HTML, PDF or DOCX.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the contract JSON instead of a table.")] = False,
) -> None:
    """Extract commitments, deadlines and calendar facts from documents, without any service running."""
    from resolute.ingest.formats import DocumentReadError

    documents: list[dict[str, Any]] = []
    failed = False
    for path in paths:
        try:
            documents.extend(_extract_file(path))
        except (OSError, DocumentReadError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else _one_line(exc)
            typer.echo(f"resolute extract: {path}: {reason}", err=True)
            failed = True
        except Exception as exc:  # an extraction bug must still name the file and exit 2
            typer.echo(f"resolute extract: {path}: cannot parse: {type(exc).__name__}: {_one_line(exc)}", err=True)
            failed = True
    if failed:
        raise typer.Exit(EXIT_UNREADABLE)
    if as_json:
        sys.stdout.write(json.dumps({"documents": documents}, ensure_ascii=False) + "\n")
        return
    _print_table(documents)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _print_table(documents: list[dict[str, Any]]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Extracted documents", box=box.SIMPLE_HEAD, padding=(0, 1))
    table.add_column("document", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("adopted", no_wrap=True)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("due", justify="right", no_wrap=True)
    table.add_column("facts", justify="right", no_wrap=True)
    for doc in documents:
        commitments = doc["commitments"]
        name = Path(doc["source"]).name + (f" #{doc['number']}" if doc["number"] else "")
        label = _short(name, 26) + "\n[dim]" + _short(doc["title"] or "", 26) + "[/dim]"
        table.add_row(
            label,
            _short(doc["kind"], 13),
            doc["adopted"] or "",
            str(len(commitments)),
            str(sum(1 for c in commitments if c["deadline"])),
            str(len(doc["calendar_facts"])),
        )
    Console().print(table)
    errors = Console(stderr=True)
    for doc in documents:
        for warning in doc["warnings"]:
            errors.print(f"[yellow]warning[/yellow] {doc['source']}: {warning}")
