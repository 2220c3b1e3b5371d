"""`resolute gold export DOCUMENT_ID [--url] [--key] [--out]`: a reviewed document as a gold file.

Every correction is a test case: the document as it now stands on a running stack (its facts, its calendar
facts and its commitments after editors' corrections, withdrawn ones left out), read through the gateway and
written in the format of the corpus's hand-made labels (`corpus/*.gold.json`, see `corpus/README.md`): one
document, or a bundle (`"kind": "bundle"` with its `documents`); a declaration read from prose lists its
`commitments_expected`, a press release its calendar facts and `commitments: []`. Deadlines are in the
contract's form (`verbatim`, `kind` and the parts it states). `resolute extract --compare GOLD PATH` then says
how the extractor's reading of the file differs from it.

Exit codes: 0 written; 1 the document cannot be exported (still being read, or its reading failed) or the file
cannot be written; 2 nothing could be tried (no key, gateway unreachable, key refused, no such document).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import httpx
import typer
from rich.console import Console

from resolute.cli.ingest import _problem_line, default_url, find_key
from resolute.shared.api.documents import DocumentOut, DocumentPart, ExtractedCommitmentOut
from resolute.shared.extracted import Deadline

EXIT_CANNOT_EXPORT = 1
EXIT_CANNOT_START = 2
PAGE_LIMIT = 500  # the list convention's largest page
PROSE_REASON = "read from prose"  # what extraction says of commitments it read from prose (confidence.py)

Json = dict[str, Any]

gold_app = typer.Typer(
    name="gold",
    help="Gold files in the corpus format, made from reviewed documents.",
    no_args_is_help=True,
    add_completion=False,
)


class ExportError(Exception):
    """Why a document cannot be exported; `code` is the exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def fetch_document(
    client: httpx.Client, url: str, document_id: str, *, page_size: int = PAGE_LIMIT
) -> tuple[DocumentOut, list[ExtractedCommitmentOut]]:
    """The document and every commitment it now states (all pages, withdrawn ones not asked for)."""
    try:
        response = client.get(f"/v1/documents/{document_id}")
    except httpx.TransportError as exc:
        raise ExportError(
            f"cannot reach the gateway at {url}: {exc.__class__.__name__} (is the stack running? see --url)",
            EXIT_CANNOT_START,
        ) from exc
    if response.status_code in (401, 403):
        raise ExportError(f"the gateway refused the API key: {_problem_line(response)}", EXIT_CANNOT_START)
    if response.status_code in (404, 422):
        raise ExportError(f"no document {document_id}: {_problem_line(response)}", EXIT_CANNOT_START)
    if response.status_code != 200:
        raise ExportError(f"cannot read document {document_id}: {_problem_line(response)}", EXIT_CANNOT_EXPORT)
    document = DocumentOut.model_validate(response.json())
    if document.status == "received":
        raise ExportError(f"document {document_id} is still being read; try again shortly", EXIT_CANNOT_EXPORT)
    if document.status == "failed":
        raise ExportError(
            f"document {document_id} could not be read: {document.error or 'no reason given'}", EXIT_CANNOT_EXPORT
        )
    commitments: list[ExtractedCommitmentOut] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": page_size} | ({"cursor": cursor} if cursor else {})
        try:
            page = client.get(f"/v1/documents/{document_id}/commitments", params=params)
        except httpx.TransportError as exc:
            raise ExportError(f"lost the gateway at {url}: {exc.__class__.__name__}", EXIT_CANNOT_EXPORT) from exc
        if page.status_code != 200:
            raise ExportError(
                f"cannot read the commitments of {document_id}: {_problem_line(page)}", EXIT_CANNOT_EXPORT
            )
        body = page.json()
        commitments += [ExtractedCommitmentOut.model_validate(item) for item in body["items"]]
        cursor = body.get("next_cursor")
        if not cursor:
            break
    return document, [c for c in commitments if not c.withdrawn]


def gold_deadline(deadline: Deadline | None) -> Json | None:
    """The contract's deadline with the parts it states (a recurring one keeps `every`, null or not)."""
    if deadline is None:
        return None
    data = deadline.model_dump(mode="json")
    return {k: v for k, v in data.items() if v is not None or (k == "every" and deadline.kind == "recurring")}


def _is_prose(part: DocumentPart, items: list[ExtractedCommitmentOut]) -> bool:
    """Commitments read from prose: the part says so, or every commitment does."""
    if any(PROSE_REASON in reason for reason in part.review):
        return True
    return bool(items) and all(any(PROSE_REASON in r for r in c.review) for c in items)


def _expected(item: ExtractedCommitmentOut) -> Json:
    """A prose commitment as the gold expects it: its text, its countries and (when one) their ministry."""
    out: Json = {"text": item.text, "countries": list(item.countries)}
    slugs = {m.ministry for m in item.ministries}
    owed = {m.country for m in item.ministries}
    if len(slugs) == 1 and set(item.countries) <= owed:
        out["ministry"] = slugs.pop()
    return out


def _items(items: list[ExtractedCommitmentOut]) -> list[Json]:
    labelled = any(c.label for c in items)
    out: list[Json] = []
    for n, item in enumerate(items, start=1):
        entry: Json = {"n": n}
        if labelled:
            entry["label"] = item.label
        entry |= {
            "section": item.section,
            "text": item.text,
            "countries": list(item.countries),
            "bodies": list(item.bodies),
            "deadline": gold_deadline(item.deadline),
        }
        out.append(entry)
    return out


def gold_part(part: DocumentPart, items: list[ExtractedCommitmentOut], *, file: str | None, bundled: bool) -> Json:
    """One document (or one of a bundle) in the corpus format, with the facts it states."""
    prose = _is_prose(part, items)
    out: Json = {}
    if file:
        out["file"] = file
    if bundled:
        out |= {"number": part.number, "kind": part.kind, "title": part.title, "issuing_body": part.issuing_body}
    else:
        out |= {"kind": part.kind, "issuing_body": part.issuing_body, "title": part.title, "number": part.number}
    out["session"] = part.session
    when = "published" if part.kind == "press_release" else "signed" if prose or "intent" in part.kind else "adopted"
    out[when] = part.adopted
    out["place"] = part.place
    out = {k: v for k, v in out.items() if v is not None}
    out["calendar_facts"] = [fact.model_dump(mode="json") for fact in part.calendar_facts]  # every part, as the corpus
    if part.addressees:
        out["addressees"] = list(part.addressees)
    if prose:
        out["commitments_min"] = len(items)
        out["commitments_expected"] = [_expected(item) for item in items]
    else:
        out["commitments"] = _items(items)
    return out


def gold_file(document: DocumentOut, commitments: list[ExtractedCommitmentOut]) -> Json:
    """The document as a gold file: a single document, or a bundle of its parts."""
    parts = document.parts or [DocumentPart(kind=document.kind, title=document.title, commitment_count=0)]
    by_part: list[list[ExtractedCommitmentOut]] = [[] for _ in parts]
    for commitment in sorted(commitments, key=lambda c: (c.part, c.position)):
        by_part[min(max(commitment.part, 0), len(parts) - 1)].append(commitment)
    if len(parts) == 1:
        return gold_part(parts[0], by_part[0], file=document.filename, bundled=False)
    bodies = {p.issuing_body for p in parts}
    head: Json = {"file": document.filename, "kind": "bundle"}
    if len(bodies) == 1 and None not in bodies:
        head["issuing_body"] = bodies.pop()
    if document.title != parts[0].title:  # a bundle's own title, where the document has one besides its first's
        head["title"] = document.title
    head = {k: v for k, v in head.items() if v is not None}
    head["documents"] = [gold_part(p, items, file=None, bundled=True) for p, items in zip(parts, by_part, strict=True)]
    return head


def _cannot(reason: str, code: int) -> NoReturn:
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"resolute gold export: {reason}", markup=False)
    raise typer.Exit(code)


@gold_app.command("export")
def export(
    document_id: Annotated[str, typer.Argument(help="The document's id (as `resolute ingest` printed it).")],
    url: Annotated[
        str | None,
        typer.Option(help="Gateway base URL (default: http://127.0.0.1:$RESOLUTE_GATEWAY_PORT, port 8000 if unset)."),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(
            help="API key, of any scope (default: $RESOLUTE_API_KEY, $RESOLUTE_ADMIN_KEY, or the dev "
            "stack's $RESOLUTE_DATA_DIR/admin-key).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the gold file here instead of stdout.")] = None,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds to wait for each answer.")] = 60.0,
) -> None:
    """Write a document as it now stands (after editors' corrections) as a gold file in the corpus format."""
    api_key = find_key(key)
    if api_key is None:
        _cannot(
            "no API key: pass --key, set RESOLUTE_API_KEY, or run the dev stack "
            "(it keeps its admin key in $RESOLUTE_DATA_DIR/admin-key)",
            EXIT_CANNOT_START,
        )
    base_url = (url or default_url()).rstrip("/")
    headers = {"Authorization": f"Bearer {api_key}", "User-Agent": "resolute-cli"}
    try:
        with httpx.Client(base_url=base_url, headers=headers, timeout=timeout) as client:
            document, commitments = fetch_document(client, base_url, document_id)
    except ExportError as exc:
        _cannot(str(exc), exc.code)
    gold = gold_file(document, commitments)
    text = json.dumps(gold, ensure_ascii=False, indent=1) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        _cannot(f"{out}: {exc.strerror or exc}", EXIT_CANNOT_EXPORT)
    documents = gold.get("documents", [gold])
    items = sum(len(d.get("commitments", d.get("commitments_expected", []))) for d in documents)
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"wrote {out}: {document_id}, {items} commitments", markup=False
    )
