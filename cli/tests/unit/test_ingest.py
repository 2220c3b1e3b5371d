"""`resolute ingest` before any upload: where the key and URL come from, which files a directory holds,
and a clear exit 2 when nothing can be tried."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resolute.cli.ingest import default_url, expand, find_key
from resolute.cli.main import app

runner = CliRunner()


def test_the_key_comes_from_the_option_then_the_environment_then_the_dev_stack(tmp_path: Path) -> None:
    (tmp_path / "admin-key").write_text("rsk_from_the_data_dir\n")
    env = {"RESOLUTE_DATA_DIR": str(tmp_path)}
    assert find_key(None, env) == "rsk_from_the_data_dir"
    assert find_key(None, env | {"RESOLUTE_ADMIN_KEY": "rsk_admin"}) == "rsk_admin"
    assert find_key(None, env | {"RESOLUTE_ADMIN_KEY": "rsk_admin", "RESOLUTE_API_KEY": "rsk_api"}) == "rsk_api"
    assert find_key("rsk_option", env | {"RESOLUTE_API_KEY": "rsk_api"}) == "rsk_option"
    assert find_key(None, {"RESOLUTE_DATA_DIR": str(tmp_path / "elsewhere")}) is None


def test_the_url_follows_the_gateway_port() -> None:
    assert default_url({}) == "http://127.0.0.1:8000"
    assert default_url({"RESOLUTE_GATEWAY_PORT": "18080"}) == "http://127.0.0.1:18080"


def test_a_directory_stands_for_the_documents_in_it(tmp_path: Path) -> None:
    for name in ("b.pdf", "a.txt", "sub/c.MD", "sub/d.docx", "page.html", "notes.json", ".hidden/e.txt", "f.png"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    explicit = tmp_path / "notes.json"
    found = expand([tmp_path, explicit])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.txt",
        "b.pdf",
        "page.html",
        "sub/c.MD",
        "sub/d.docx",
        "notes.json",  # named explicitly: uploaded whatever its suffix, the service decides
    ]


def test_without_a_key_nothing_is_tried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RESOLUTE_API_KEY", "RESOLUTE_ADMIN_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RESOLUTE_DATA_DIR", str(tmp_path))
    document = tmp_path / "a.txt"
    document.write_text("- to act;")
    result = runner.invoke(app, ["ingest", str(document)])
    assert result.exit_code == 2
    assert "no API key" in result.stderr


def test_supersedes_needs_exactly_one_file(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("- to act;")
    result = runner.invoke(app, ["ingest", str(tmp_path), "--supersedes", "x", "--key", "k"])
    assert result.exit_code == 2
    assert "exactly one" in result.stderr


def test_an_unreachable_gateway_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        document = tmp_path / "a.txt"
        document.write_text("- to act;")
        result = runner.invoke(app, ["ingest", str(document), "--key", "k", "--url", f"http://127.0.0.1:{port}"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the gateway" in lines[0]
