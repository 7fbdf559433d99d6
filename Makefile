# divio-ext: every task of the project. `make` alone lists them.
# Targets that need the virtual environment create it first, so each works on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPEC ?= openapi.json
PYTEST_ARGS ?=
BENCH_ARGS ?=
STRESS_ARGS ?=
APP ?= example-application
ENV ?= live
OLD ?= $(SPEC)
NEW ?=
ACCEPT_BREAKING ?=

.DEFAULT_GOAL := help
.PHONY: help install spec spec-diff reconstruct-spec validate-spec generate check-generated lint typecheck \
        test demo record bench stress clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install divio-ext with the dev extra

spec: $(STAMP) ## Replace openapi.json with the published schema (SPEC_URL=/SPEC_FILE=...; stops on breaking changes unless ACCEPT_BREAKING=1)
	$(BIN)/python -m divio_spec.fetch --output $(SPEC) $(if $(filter 1,$(ACCEPT_BREAKING)),--accept-breaking)

spec-diff: $(STAMP) ## Report API changes from OLD (default openapi.json) to NEW; fails if any breaks divio-ext
	$(BIN)/python -m divio_spec.diff $(OLD) $(NEW)

reconstruct-spec: $(STAMP) ## Rewrite openapi.json from the public sources (divio_spec/reconstruction.yaml)
	$(BIN)/python -m divio_spec.reconstruct --output $(SPEC)

validate-spec: $(STAMP) ## Validate openapi.json with openapi-spec-validator
	$(BIN)/openapi-spec-validator $(SPEC)

generate: $(STAMP) ## Regenerate generated/divio_api and divio_ext/_generated from openapi.json (lists operations it lacks)
	$(BIN)/python -m divio_spec.generate --spec $(SPEC)

check-generated: $(STAMP) ## Fail if generated/ is not exactly what `make generate` produces
	$(BIN)/python -m divio_spec.generate --spec $(SPEC) --check

lint: $(STAMP) ## ruff (lint and formatting) and the import layering (import-linter)
	$(BIN)/ruff check divio_ext divio_sandbox divio_spec divio_devtools tests bench examples
	$(BIN)/ruff format --check divio_ext divio_sandbox divio_spec divio_devtools tests bench examples
	$(BIN)/lint-imports

typecheck: $(STAMP) ## mypy --strict on divio_ext and divio_sandbox
	$(BIN)/mypy

test: $(STAMP) ## Run the test suite (cassettes replayed; no network but loopback, where the sandbox runs)
	$(BIN)/pytest --record-mode=none --block-network --allowed-hosts=127.0.0.1,localhost,::1 $(PYTEST_ARGS)

record: $(STAMP) ## Re-record every cassette from fresh sandboxes (or DIVIO_API_URL + DIVIO_API_TOKEN)
	$(BIN)/python -m divio_devtools.record_fixtures

demo: $(STAMP) ## Main job: latest database backup of APP's ENV (sandbox unless DIVIO_API_TOKEN is set)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m divio_devtools.run_demo -- divio-ext latest-backup $(APP) $(ENV)

bench: $(STAMP) ## Benchmarks against today's ways (BENCH_ARGS="--sizes 1000 --latency 0.02" to narrow)
	$(BIN)/python -m bench $(BENCH_ARGS)

stress: $(STAMP) ## Fault runs of the main workflows against a chaotic sandbox (STRESS_ARGS="--runs 200")
	$(BIN)/python -m divio_devtools.stress $(STRESS_ARGS)

clean: ## Remove the virtual environment and build leftovers
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
