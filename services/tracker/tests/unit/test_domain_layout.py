"""How the tracker's code is laid out, checked: each domain folder writes only its own tables and never calls
another folder's service; the intake use case, the commands, the rescheduling and the registry changes
orchestrate them, and only a router (the HTTP edge) calls those. The commitments table holds every field a
commitment's event carries, under the same name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from resolute.shared.extracted import SOURCE_FIELDS, STATED_FIELDS
from resolute.tracker.commitments.models import Commitment

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "resolute" / "tracker"
DOMAINS = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
WRITERS = {"update", "insert", "delete"}


def _module(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _models_of(domain: str) -> set[str]:
    models = PACKAGE / domain / "models.py"
    if not models.exists():  # a read model (scorecards) owns no table
        return set()
    return {node.name for node in _module(models).body if isinstance(node, ast.ClassDef)}


MODELS = {domain: _models_of(domain) for domain in DOMAINS}


def _table_aliases(tree: ast.Module) -> dict[str, str]:
    """Module-level `_X = cast(Table, Model.__table__)` or `_X = Model.__table__`: the alias and its model."""
    aliases = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            for inner in ast.walk(node.value):
                if isinstance(inner, ast.Attribute) and inner.attr == "__table__" and isinstance(inner.value, ast.Name):
                    aliases[node.targets[0].id] = inner.value.id
    return aliases


def _written_models(tree: ast.Module) -> set[str]:
    """Models a module inserts, updates, deletes or constructs (a new row)."""
    aliases = _table_aliases(tree)
    known = set().union(*MODELS.values())
    written = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        if node.func.id in known:
            written.add(node.func.id)
        elif node.func.id in WRITERS and node.args:
            target = node.args[0]
            for inner in ast.walk(target):
                if isinstance(inner, ast.Name):
                    written.add(aliases.get(inner.id, inner.id))
    return written & known


def _imported_modules(tree: ast.Module) -> set[str]:
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
            imported |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
    return imported


def _domain_modules() -> list[tuple[str, Path]]:
    return [(domain, path) for domain in DOMAINS for path in sorted((PACKAGE / domain).glob("*.py"))]


def test_the_domains_are_the_ones_documented() -> None:
    assert DOMAINS == [
        "actors", "assignments", "calendar", "commitments", "deadlines", "reassignments", "scorecards",
    ]  # fmt: skip


@pytest.mark.parametrize(("domain", "path"), _domain_modules(), ids=lambda v: str(v) if isinstance(v, str) else v.name)
def test_a_domain_writes_only_its_own_tables(domain: str, path: Path) -> None:
    foreign = _written_models(_module(path)) - MODELS[domain]
    assert not foreign, f"{domain}/{path.name} writes {sorted(foreign)}"


@pytest.mark.parametrize(("domain", "path"), _domain_modules(), ids=lambda v: str(v) if isinstance(v, str) else v.name)
def test_a_domain_calls_no_other_domains_service(domain: str, path: Path) -> None:
    imported = _imported_modules(_module(path))
    for other in DOMAINS:
        if other == domain:
            continue
        for module in ("service", "scheduler"):
            assert f"resolute.tracker.{other}.{module}" not in imported, f"{domain}/{path.name} -> {other}.{module}"
    if path.name != "router.py":
        for orchestration in ("intake", "commands", "rescheduling", "registry_changes"):
            assert f"resolute.tracker.{orchestration}" not in imported, f"{domain}/{path.name} -> {orchestration}"


def test_the_check_sees_a_foreign_write() -> None:
    """The layout checks above would notice a domain inserting another's rows, through a table alias too."""
    tree = ast.parse("_S = cast(Table, DeadlineSchedule.__table__)\nasync def f(s):\n    await s.execute(insert(_S))\n")
    assert _written_models(tree) == {"DeadlineSchedule"}
    assert _written_models(ast.parse("def g():\n    return Assignment(id='a')\n")) == {"Assignment"}


def test_every_field_a_commitment_event_carries_is_a_column_of_the_same_name() -> None:
    columns = set(Commitment.__table__.columns.keys())
    assert set(STATED_FIELDS) | set(SOURCE_FIELDS) <= columns
