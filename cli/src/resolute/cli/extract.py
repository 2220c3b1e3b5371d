"""`resolute extract PATH... [--json]`: read documents and print what they commit to, offline.

Needs no running service: the same format readers and extraction rules the
ingest service uses, applied to files on disk. Contract: one JSON object
{"documents": [...]} on stdout and exit 0; a file that cannot be read or parsed
gets a one-line error on stderr naming it, and exit 2.

`resolute extract --compare GOLD PATH` reads PATH the same way and prints, one line each, how the reading
differs from a gold file in the corpus format (`corpus/*.gold.json`, or one `resolute gold export` wrote),
compared as the corpus is scored: exit 0 when nothing differs, 1 when something does, 2 when the gold or the
document cannot be read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

EXIT_DIFFERENT = 1
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
    compare: Annotated[
        Path | None,
        typer.Option(
            "--compare",
            metavar="GOLD",
            help="A gold file (corpus format) to compare the reading of the one PATH with: prints the differences.",
        ),
    ] = None,
) -> None:
    """Extract commitments, deadlines and calendar facts from documents, without any service running."""
    from resolute.ingest.formats import DocumentReadError

    if compare is not None:
        _compare(compare, paths, as_json=as_json)
        return
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


def _unreadable(path: Path, reason: str) -> NoReturn:
    typer.echo(f"resolute extract: {path}: {reason}", err=True)
    raise typer.Exit(EXIT_UNREADABLE)


def _read_gold(path: Path) -> dict[str, Any]:
    """A gold file in the corpus format, or a one-line reason and exit 2."""
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        _unreadable(path, exc.strerror or _one_line(exc))
    except UnicodeDecodeError:
        _unreadable(path, "not a gold file: not UTF-8 text")
    except json.JSONDecodeError as exc:
        _unreadable(path, f"not a gold file: invalid JSON ({exc.msg}, line {exc.lineno})")
    documents = gold.get("documents", [gold]) if isinstance(gold, dict) else None
    if not (isinstance(documents, list) and documents and all(isinstance(d, dict) for d in documents)):
        _unreadable(path, "not a gold file: expected an object with `commitments` or `documents`")
    for doc in documents:
        items = doc.get("commitments_expected", doc.get("commitments"))
        if not isinstance(items, list) or not all(isinstance(i, dict) and "text" in i for i in items):
            _unreadable(path, "not a gold file: a document without a list of `commitments` (each with a `text`)")
    return gold


def _compare(gold_path: Path, paths: list[Path], *, as_json: bool) -> NoReturn:
    """Extract the one PATH and print its differences from the gold; exit 0, 1 (differences) or 2."""
    from resolute.ingest.formats import DocumentReadError
    from resolute.ingest.testing.scoring import Score, score_documents

    if len(paths) != 1:
        typer.echo(f"resolute extract: --compare takes one document to compare, got {len(paths)}", err=True)
        raise typer.Exit(EXIT_UNREADABLE)
    (path,) = paths
    gold = _read_gold(gold_path)
    try:
        documents = _extract_file(path)
    except (OSError, DocumentReadError) as exc:
        _unreadable(path, exc.strerror if isinstance(exc, OSError) and exc.strerror else _one_line(exc))
    except Exception as exc:  # an extraction bug must still name the file and exit 2
        _unreadable(path, f"cannot parse: {type(exc).__name__}: {_one_line(exc)}")
    score = Score()
    try:
        score_documents(gold, documents, score, path.name)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        _unreadable(gold_path, f"not a gold file: {type(exc).__name__}: {_one_line(exc)}")
    differences = score.differences
    if as_json:
        report = {"gold": str(gold_path), "source": str(path), "differences": [d.as_json() for d in differences]}
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
    else:
        for difference in differences:
            typer.echo(difference.line())
        typer.echo(
            f"{len(differences)} difference{'' if len(differences) == 1 else 's'} from {gold_path}"
            if differences
            else f"no differences from {gold_path} ({_count(score.documents, 'document')}, "
            f"{_count(score.matched + score.prose_found, 'item')})"
        )
    raise typer.Exit(EXIT_DIFFERENT if differences else 0)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


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
