"""`resolute ingest PATH... [--url] [--key]`: upload many documents to a running stack, through the gateway.

A secretariat's batch: every file (directories expand to the documents in them) is uploaded with a
progress bar, each gets a line saying what became of it (stored, a new version, a duplicate) or a one-line
error, and a summary closes the run. A failed file never stops the others; the exit code is 1 if any
failed, 2 if nothing could be tried (no key, gateway unreachable, key refused).

Uploads are idempotent (the service dedupes by content hash), so a file whose upload was interrupted or
answered 429/5xx is simply sent again.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn

import httpx
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

EXIT_SOME_FAILED = 1
EXIT_CANNOT_START = 2
DOCUMENT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".docx"})
RETRIED_STATUSES = frozenset({429, 502, 503, 504})


@dataclass
class FileResult:
    """What became of one file: the document it is stored as, or why it is not."""

    path: str
    ok: bool
    id: str | None = None
    status: str | None = None
    commitments: int | None = None
    duplicate: bool = False
    version: int | None = None
    supersedes: str | None = None
    withdrawn: int = 0
    error: str | None = None


def default_url(env: dict[str, str] | os._Environ[str] = os.environ) -> str:
    return f"http://127.0.0.1:{env.get('RESOLUTE_GATEWAY_PORT') or '8000'}"


def find_key(explicit: str | None, env: dict[str, str] | os._Environ[str] = os.environ) -> str | None:
    """--key, else RESOLUTE_API_KEY, else RESOLUTE_ADMIN_KEY, else the dev stack's RESOLUTE_DATA_DIR/admin-key."""
    for candidate in (explicit, env.get("RESOLUTE_API_KEY"), env.get("RESOLUTE_ADMIN_KEY")):
        if candidate and candidate.strip():
            return candidate.strip()
    remembered = Path(env.get("RESOLUTE_DATA_DIR") or ".resolute") / "admin-key"
    try:
        key = remembered.read_text().strip()
    except OSError:
        return None
    return key or None


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a directory stands for the documents in it (by suffix, hidden files skipped), sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in DOCUMENT_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            files.append(path)
    return files


def _problem_line(response: httpx.Response) -> str:
    """A response's error as one line: its problem+json detail, else its status and a bit of its body."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and (body.get("detail") or body.get("title")):
        return f"{response.status_code} {body.get('title') or ''}: {body.get('detail') or ''}".strip(": ")
    text = " ".join(response.text.split())[:200]
    return f"{response.status_code} {response.reason_phrase}" + (f": {text}" if text else "")


def _retry_delay(response: httpx.Response | None, attempt: int) -> float:
    header = response.headers.get("retry-after") if response is not None else None
    if header and header.strip().isdigit():
        return min(float(header), 30.0)
    return min(0.5 * 2**attempt, 10.0)


class Uploader:
    """Sends files to the gateway's POST /v1/documents, retrying what is safe to retry."""

    def __init__(self, client: httpx.AsyncClient, *, retries: int = 3, supersedes: str | None = None) -> None:
        self._client = client
        self._retries = retries
        self._supersedes = supersedes

    async def upload(self, path: Path) -> FileResult:
        try:
            content = await asyncio.to_thread(path.read_bytes)
        except OSError as exc:
            return FileResult(str(path), ok=False, error=exc.strerror or str(exc))
        data = {"supersedes": self._supersedes} if self._supersedes else None
        response: httpx.Response | None = None
        for attempt in range(self._retries + 1):
            try:
                response = await self._client.post("/v1/documents", files={"file": (path.name, content)}, data=data)
            except httpx.TransportError as exc:
                if attempt == self._retries:
                    return FileResult(str(path), ok=False, error=f"gateway unreachable: {exc.__class__.__name__}")
                await asyncio.sleep(_retry_delay(None, attempt))
                continue
            if response.status_code in RETRIED_STATUSES and attempt < self._retries:
                await asyncio.sleep(_retry_delay(response, attempt))
                continue
            break
        assert response is not None
        if response.status_code not in (200, 201, 202):
            return FileResult(str(path), ok=False, error=_problem_line(response))
        body: dict[str, Any] = response.json()
        return FileResult(
            str(path),
            ok=True,
            id=body.get("id"),
            status=body.get("status"),
            commitments=body.get("commitment_count"),
            duplicate=bool(body.get("duplicate")),
            version=body.get("version"),
            supersedes=body.get("supersedes"),
            withdrawn=int(body.get("withdrawn_count") or 0),
        )


async def _preflight(client: httpx.AsyncClient, url: str) -> str | None:
    """Why nothing can be uploaded (gateway down, key refused), or None to go ahead."""
    try:
        response = await client.get("/v1/documents", params={"limit": 1})
    except httpx.TransportError as exc:
        return f"cannot reach the gateway at {url}: {exc.__class__.__name__} (is the stack running? see --url)"
    if response.status_code in (401, 403):
        return f"the gateway refused the API key: {_problem_line(response)}"
    return None


def _describe(result: FileResult) -> str:
    if result.duplicate:
        state = "duplicate" + (" (superseded version)" if result.status == "superseded" else "")
    elif result.supersedes:
        state = f"version {result.version}, supersedes {result.supersedes}" + (
            f", {result.withdrawn} withdrawn" if result.withdrawn else ""
        )
    else:
        state = result.status or "stored"
    return f"{result.id}  {state}  {result.commitments} commitments"


def _summary(results: list[FileResult]) -> dict[str, int]:
    stored = [r for r in results if r.ok and not r.duplicate]
    return {
        "files": len(results),
        "stored": len(stored),
        "new_versions": sum(1 for r in stored if r.supersedes),
        "duplicates": sum(1 for r in results if r.ok and r.duplicate),
        "failed": sum(1 for r in results if not r.ok),
        "commitments": sum(r.commitments or 0 for r in stored),
    }


async def _run(
    files: list[Path], *, url: str, key: str, supersedes: str | None, concurrency: int, timeout: float, quiet: bool
) -> tuple[list[FileResult], str | None]:
    out = Console(highlight=False, quiet=quiet, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    headers = {"Authorization": f"Bearer {key}", "User-Agent": "resolute-cli"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=timeout) as client:
        refused = await _preflight(client, url)
        if refused:
            return [], refused
        uploader = Uploader(client, supersedes=supersedes)
        results: list[FileResult | None] = [None] * len(files)
        gate = asyncio.Semaphore(max(1, concurrency))
        progress = Progress(
            TextColumn("uploading"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[current]}"),
            console=err,
            transient=True,
            disable=quiet,
        )

        async def one(index: int, path: Path) -> None:
            async with gate:
                progress.update(task, current=escape(path.name))
                result = await uploader.upload(path)
            results[index] = result
            if result.ok:
                out.print(f"[green]ok[/green]     {escape(str(path))}  {escape(_describe(result))}")
            else:
                err.print(f"[red]failed[/red] {escape(str(path))}: {escape(result.error or 'unknown error')}")
            progress.advance(task)

        with progress:
            task = progress.add_task("upload", total=len(files), current="")
            await asyncio.gather(*(one(i, p) for i, p in enumerate(files)))
    return [r for r in results if r is not None], None


def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Documents to upload (text, Markdown, HTML, PDF, DOCX) or directories of them.")
    ],
    url: Annotated[
        str | None,
        typer.Option(help="Gateway base URL (default: http://127.0.0.1:$RESOLUTE_GATEWAY_PORT, port 8000 if unset)."),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(
            help="API key of an editor or admin (default: $RESOLUTE_API_KEY, $RESOLUTE_ADMIN_KEY, or the dev "
            "stack's $RESOLUTE_DATA_DIR/admin-key).",
            show_default=False,
        ),
    ] = None,
    supersedes: Annotated[
        str | None,
        typer.Option(help="Document id the (single) file is a new version of; found automatically when unset."),
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=32, help="Uploads in flight at once.")] = 4,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds to wait for each upload's answer.")] = 120.0,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object with every file's result and the summary.")
    ] = False,
) -> None:
    """Upload documents to a running Resolute through its gateway, with a progress bar and a summary."""
    files, api_key = _what_to_upload(paths, key, supersedes)
    base_url = (url or default_url()).rstrip("/")
    results, refused = asyncio.run(
        _run(
            files,
            url=base_url,
            key=api_key,
            supersedes=supersedes,
            concurrency=concurrency,
            timeout=timeout,
            quiet=as_json,
        )
    )
    if refused:
        _cannot_start(refused)
    summary = _summary(results)
    if as_json:
        sys.stdout.write(json.dumps({"files": [asdict(r) for r in results], "summary": summary}) + "\n")
    else:
        Console(highlight=False, soft_wrap=True).print(
            f"{summary['files']} files: {summary['stored']} stored ({summary['new_versions']} new versions), "
            f"{summary['duplicates']} duplicates, {summary['failed']} failed; "
            f"{summary['commitments']} commitments extracted"
        )
    if summary["failed"]:
        raise typer.Exit(EXIT_SOME_FAILED)


def _cannot_start(reason: str) -> NoReturn:
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"resolute ingest: {reason}")
    raise typer.Exit(EXIT_CANNOT_START)


def _what_to_upload(paths: list[Path], key: str | None, supersedes: str | None) -> tuple[list[Path], str]:
    """The files to upload and the key to upload them with; a one-line reason and exit 2 when there are none."""
    files = expand(paths)
    if not files:
        _cannot_start("no documents found in the given paths")
    if supersedes and len(files) > 1:
        _cannot_start("--supersedes names the previous version of one file; give exactly one")
    api_key = find_key(key)
    if api_key is None:
        _cannot_start(
            "no API key: pass --key, set RESOLUTE_API_KEY, or run the dev stack "
            "(it keeps its admin key in $RESOLUTE_DATA_DIR/admin-key)"
        )
    return files, api_key
