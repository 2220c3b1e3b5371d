# Resolute: `make run` starts the whole system here; `make test` runs every test.
# Both call `make setup`, which is idempotent: it installs uv into .tools/ and
# syncs the locked workspace into .venv/.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: setup run test check lint typecheck migration clean deploy-tools check-deploy generate-deploy compose-env

setup: $(VENV)/.synced

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml shared/pyproject.toml services/*/pyproject.toml cli/pyproject.toml
	$(UV) sync --frozen --all-packages --python $(PYTHON)
	touch $@

run: setup
	$(VENV)/bin/resolute dev

test: setup check browser-deps
	$(VENV)/bin/python -m pytest

.PHONY: browser-deps browser
browser-deps:  ## Debian's chromium for the browser tests (installed where root; otherwise they skip, saying why)
	@tests/browser/install-chromium.sh

browser: setup browser-deps  ## the console's browser tests alone; screenshots in tests/browser/screenshots/
	$(VENV)/bin/python -m pytest -p no:cacheprovider tests/browser -q

.PHONY: fuzz
fuzz: setup  ## schemathesis against a live gateway with many more examples than `make test` runs
	RESOLUTE_FUZZ_EXAMPLES=$${RESOLUTE_FUZZ_EXAMPLES:-150} $(VENV)/bin/python -m pytest -p no:cacheprovider \
		services/gateway/tests/integration/test_openapi.py -k fuzz -s

.PHONY: chaos
chaos: setup  ## the fault-injection suite in full: 20 SIGKILLs of each service, 3 broker restarts (bounded in `make test`)
	RESOLUTE_CHAOS_KILLS=$${RESOLUTE_CHAOS_KILLS:-20} RESOLUTE_CHAOS_BROKER_RESTARTS=$${RESOLUTE_CHAOS_BROKER_RESTARTS:-3} \
		RESOLUTE_CHAOS_UPLOAD_PACE=$${RESOLUTE_CHAOS_UPLOAD_PACE:-3} \
		$(VENV)/bin/python -m pytest -p no:cacheprovider tests/chaos -s -q

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy shared/src services/*/src cli/src deploy

check: lint typecheck check-deploy

# Deployment checks: generated manifests up to date, promtool on the alert rules, kustomize rendering, schema
# validation of every manifest, compose structure. The slower ones (image install replay, the live stack's
# metrics scraped by a real Prometheus) run with every other test in `make test`.
CRD_VALIDATION := deploy/tools/crd-validation

deploy-tools: setup .tools/bin/promtool $(CRD_VALIDATION)/node_modules/.installed

.tools/bin/promtool:
	deploy/tools/install-prometheus.sh .tools

$(CRD_VALIDATION)/node_modules/.installed: $(CRD_VALIDATION)/package-lock.json
	cd $(CRD_VALIDATION) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

check-deploy: deploy-tools
	$(VENV)/bin/python -m deploy.generate --check
	$(VENV)/bin/python -m pytest tests/deploy -q -m "not e2e and not integration"

generate-deploy: setup  ## after changing topics.py, the service table, the rules or the dashboard
	$(VENV)/bin/python -m deploy.generate

compose-env:  ## .env for docker compose with generated secrets
	deploy/compose/write-env.sh .env

migration: setup  ## make migration SERVICE=tracker MESSAGE="add calendar"
	$(VENV)/bin/python -m resolute.shared.migrations $(SERVICE) "$(MESSAGE)"

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache
