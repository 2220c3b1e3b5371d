"""Shared fixtures: the repository's corpus directory and the shipped actor registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from resolute.shared.actors import ActorRegistry, default_registry

REPO_ROOT = Path(__file__).resolve().parents[4]
CORPUS_DIR = REPO_ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS_DIR


@pytest.fixture(scope="session")
def registry() -> ActorRegistry:
    return default_registry()
