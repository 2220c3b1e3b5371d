# Resolute: `make run` starts the whole system here; `make test` runs every test.
# Both call `make setup`, which is idempotent: it installs uv into .tools/ and
# syncs the locked workspace into .venv/.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: setup run test check lint typecheck migration clean

setup: $(VENV)/.synced

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml shared/pyproject.toml services/*/pyproject.toml cli/pyproject.toml
	$(UV) sync --frozen --all-packages --python $(PYTHON)
	touch $@

run: setup
	$(VENV)/bin/resolute dev

test: setup check
	$(VENV)/bin/python -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy shared/src services/*/src cli/src

check: lint typecheck

migration: setup  ## make migration SERVICE=tracker MESSAGE="add calendar"
	$(VENV)/bin/python -m resolute.shared.migrations $(SERVICE) "$(MESSAGE)"

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache
