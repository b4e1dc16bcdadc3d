# Every command a user or CI needs; `make` (or `make help`) lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV ?= .venv
# Where `make test-remote` sends the suite; the compose targets ignore it.
BASE_URL ?=
# The loopback port compose publishes the service on; `make fuzz` targets it unless BASE_URL is set.
SERVICE_PORT ?= 8000
# The base image for both images; CI sets a locally built stand-in (see .ci/provision-docker).
PYTHON_IMAGE ?= python:3.13-slim
export PYTHON_IMAGE
COMPOSE ?= docker compose
PYTEST_ARGS ?=
# Extra arguments for bench/run.py, e.g. BENCH_ARGS="--no-docker --rounds 3".
BENCH_ARGS ?=

BIN := $(VENV)/bin
# `make bench`'s own venv: the peers (httpbin) and the chart (matplotlib) never reach the runtime image.
BENCH_BIN := bench/.venv/bin

.PHONY: help  ## list the targets
help:
	@grep -hE '^\.PHONY: [a-z-]+ +## ' $(MAKEFILE_LIST) | sed -E 's/^\.PHONY: ([a-z-]+) +## (.*)/  \1\t\2/' | expand -t 18

$(BIN)/.installed: requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-dev.lock
	touch $@

.PHONY: venv  ## create .venv from requirements-dev.lock (the host's tools and the suite)
venv: $(BIN)/.installed

.PHONY: up  ## build and start the service on 127.0.0.1:SERVICE_PORT (8000), wait until healthy
up:
	$(COMPOSE) up --build --detach --wait service

.PHONY: down  ## stop and remove the containers
down:
	$(COMPOSE) --profile test down --remove-orphans

.PHONY: logs  ## follow the service's logs
logs:
	$(COMPOSE) logs --follow service

.PHONY: test  ## build, start, run the contract suite in its container, then make fuzz; tear down
test: venv
	@trap '$(COMPOSE) --profile test down --remove-orphans --timeout 5 >/dev/null 2>&1' EXIT; \
	$(COMPOSE) --profile test build --quiet && \
	$(COMPOSE) up --detach --wait service && \
	$(COMPOSE) --profile test run --rm contract-tests $(PYTEST_ARGS) && \
	$(MAKE) --no-print-directory fuzz

.PHONY: fuzz  ## Schemathesis (all checks, bounded) against a running service: BASE_URL, or the compose port
fuzz: venv
	$(BIN)/python scripts/fuzz.py "$(or $(BASE_URL),http://127.0.0.1:$(SERVICE_PORT))"

# Its own compose project, so it never touches the one `make up` / `make test` use.
RESILIENCE_PROJECT ?= $(notdir $(CURDIR))-resilience

.PHONY: test-resilience  ## hostile input, load, faults, hardening, REDbot: a host-run suite against its own container
test-resilience: venv
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; } \
		|| { echo "make test-resilience needs wrk (apt-get install wrk)" >&2; exit 2; }
	@export COMPOSE_PROJECT_NAME=$(RESILIENCE_PROJECT); \
	export SERVICE_PORT=$${RESILIENCE_PORT:-$$($(BIN)/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}; \
	trap '$(COMPOSE) down --remove-orphans --timeout 5 >/dev/null 2>&1' EXIT; \
	$(COMPOSE) build --quiet service && \
	$(COMPOSE) up --detach --wait service && \
	$(BIN)/pytest resilience_tests -p no:cacheprovider $(PYTEST_ARGS)

.PHONY: test-local  ## no Docker: run the service under Gunicorn from .venv on a free port, test it, stop it
test-local: venv
	$(BIN)/python scripts/serve_and_test.py $(PYTEST_ARGS)

.PHONY: test-remote  ## run the suite from the host against BASE_URL=https://... (any running instance)
test-remote: venv
	@test -n "$(BASE_URL)" || { echo "usage: make test-remote BASE_URL=https://host[:port]" >&2; exit 2; }
	$(BIN)/pytest contract_tests --base-url "$(BASE_URL)" $(PYTEST_ARGS)

.PHONY: lint  ## ruff, mypy, hadolint, gunicorn --check-config, openapi.json validity, compose config, black-box rule
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/mypy resilience_tests  # apart: both suites have a conftest.py, one module name per mypy run
	$(BIN)/hadolint Dockerfile contract_tests/Dockerfile
	$(BIN)/gunicorn --check-config --config service/gunicorn.conf.py
	PYTHONPATH=. $(BIN)/python scripts/check_openapi.py
	$(COMPOSE) config --quiet
	@! grep -rnE '^\s*(from|import)\s+service\b' contract_tests resilience_tests \
		|| { echo "contract_tests and resilience_tests must not import service/: they are black-box suites" >&2; exit 1; }

.PHONY: format  ## apply ruff's fixes and formatting
format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(BENCH_BIN)/.installed: bench/requirements.txt
	$(PYTHON) -m venv bench/.venv
	$(BENCH_BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r bench/requirements.txt
	touch $@

.PHONY: bench  ## measure: the service beside a minimal Flask app, bare WSGI and httpbin (wrk), container figures
bench: $(BENCH_BIN)/.installed
	@command -v wrk >/dev/null || { apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }; }
	timeout 590 $(BENCH_BIN)/python -m bench.run $(BENCH_ARGS)

.PHONY: lock  ## re-resolve the hashed lock files from pyproject.toml and contract_tests/requirements.in
lock: venv
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
		--quiet --custom-compile-command "make lock" --output-file requirements.lock
	$(BIN)/uv pip compile contract_tests/requirements.in --universal --python-version 3.11 \
		--generate-hashes --quiet --custom-compile-command "make lock" --output-file contract_tests/requirements.txt
	$(BIN)/uv pip compile pyproject.toml contract_tests/requirements.in --extra dev --universal \
		--python-version 3.11 --generate-hashes --quiet --custom-compile-command "make lock" \
		--output-file requirements-dev.lock
	$(BIN)/uv pip compile bench/requirements.in --universal --python-version 3.11 --generate-hashes \
		--quiet --custom-compile-command "make lock" --output-file bench/requirements.txt
