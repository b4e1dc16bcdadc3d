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
# The black-box suites run from the host; contract_tests/ runs in its own container too. All share testkit/.
HOST_SUITES := resilience_tests browser_tests fleet_tests metrics_tests docs_tests client_tests
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
	$(MAKE) --no-print-directory fuzz && \
	$(MAKE) --no-print-directory check-docs

.PHONY: fuzz  ## Schemathesis (all checks, bounded) against a running service: BASE_URL, or the compose port
fuzz: venv
	$(BIN)/python scripts/fuzz.py "$(or $(BASE_URL),http://127.0.0.1:$(SERVICE_PORT))"

.PHONY: check-docs  ## replay every curl transcript in README.md and docs/ against a running service; check links and section pointers
check-docs: venv
	$(BIN)/pytest docs_tests -p no:cacheprovider --base-url "$(or $(BASE_URL),http://127.0.0.1:$(SERVICE_PORT))"

# Prints a loopback port that is free right now: testkit/host.py, the one helper (the suites and CI use it too).
FREE_PORT := $(BIN)/python -m testkit.host

# $(call need,COMMAND,PACKAGE[,APT OPTIONS]): install Debian's PACKAGE when COMMAND is missing (only as root,
# only with apt-get), or stop with one line saying what the target needs.
define need
@command -v $(1) >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	&& apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(3) $(2) >/dev/null; } \
	|| { echo "make $@ needs $(1) (apt-get install $(2))" >&2; exit 2; }
endef

# $(call own_project,PROJECT,SERVICE PORT,COMMAND): the service in its own Compose project on loopback ports
# (SERVICE PORT, a shell word; the metrics port is free), so it never touches the one `make up` / `make test`
# use; BASE_URL points at it; COMMAND runs once it is healthy; the project is removed in every case.
define own_project
@export COMPOSE_PROJECT_NAME=$(1) SERVICE_PORT=$(2) METRICS_PORT=$$($(FREE_PORT)); \
	export BASE_URL=http://127.0.0.1:$$SERVICE_PORT; \
	trap '$(COMPOSE) down --remove-orphans --timeout 5 >/dev/null 2>&1' EXIT; \
	$(COMPOSE) build --quiet service && \
	$(COMPOSE) up --detach --wait service && \
	$(3)
endef
# The checkout's folder as the base of the Compose project and stack names: lower case, [a-z0-9_-] only,
# starting with a letter or digit, as Compose requires (a folder such as `tmp.F32s9U3Zhv` from mktemp is not).
PROJECT := $(shell printf '%s' '$(notdir $(CURDIR))' | tr 'A-Z' 'a-z' | tr -c 'a-z0-9_-' '-' \
	| sed -e 's/^[^a-z0-9]*//' -e 's/^$$/flask-status-codes/')

RESILIENCE_PROJECT ?= $(PROJECT)-resilience

.PHONY: test-resilience  ## hostile input, load, faults, hardening, REDbot: a host-run suite against its own container
test-resilience: venv
	$(call need,wrk,wrk)
	$(call own_project,$(RESILIENCE_PROJECT),$${RESILIENCE_PORT:-$$($(FREE_PORT))},\
		$(BIN)/pytest resilience_tests -p no:cacheprovider $(PYTEST_ARGS))

# A self-signed pair for trying HTTPS locally (never for production): EC P-256, for localhost and
# 127.0.0.1, valid 30 days; the key is world-readable so the container's non-root user can read it.
TLS_DIR ?= tls

.PHONY: tls-cert  ## make a self-signed certificate and key in tls/ (for compose.tls.yaml and make test-https)
tls-cert: $(TLS_DIR)/cert.pem

$(TLS_DIR)/cert.pem:
	@mkdir -p $(TLS_DIR)
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj "/CN=localhost" \
		-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout $(TLS_DIR)/key.pem -out $(TLS_DIR)/cert.pem 2>/dev/null
	chmod 644 $(TLS_DIR)/key.pem

HTTPS_PROJECT ?= $(PROJECT)-https
# The contract modules run again over HTTPS: the /status target, HTTP/2 (by ALPN now), 103, the tutorial.
HTTPS_CONTRACT ?= contract_tests/test_status.py contract_tests/test_http2.py contract_tests/test_early_hints.py \
	contract_tests/test_tutorial.py contract_tests/test_health.py

.PHONY: test-https  ## HTTPS on the same port (make tls-cert): a contract subset and Chromium over TLS, its own container
test-https: export COMPOSE_FILE = compose.yaml:compose.tls.yaml
test-https: export SSL_CERT_FILE = $(CURDIR)/$(TLS_DIR)/cert.pem
test-https: venv tls-cert
	$(call need,$${CHROMIUM:-/usr/bin/chromium},chromium)
	$(call own_project,$(HTTPS_PROJECT),$$($(FREE_PORT)),\
		$(BIN)/pytest $(HTTPS_CONTRACT) -p no:cacheprovider --base-url "https://127.0.0.1:$$SERVICE_PORT" $(PYTEST_ARGS) && \
		$(BIN)/pytest browser_tests/test_https.py -p no:cacheprovider --base-url "https://127.0.0.1:$$SERVICE_PORT" $(PYTEST_ARGS))

BROWSER_PROJECT ?= $(PROJECT)-browser

.PHONY: test-browser  ## the explorer and CORS in a real browser: Playwright + Debian's chromium, its own container
test-browser: venv
	$(call need,$${CHROMIUM:-/usr/bin/chromium},chromium)
	$(call own_project,$(BROWSER_PROJECT),$${BROWSER_PORT:-$$($(FREE_PORT))},\
		$(BIN)/pytest browser_tests -p no:cacheprovider $(PYTEST_ARGS))

METRICS_PROJECT ?= $(PROJECT)-metrics

.PHONY: test-metrics  ## a real Prometheus scrapes the container's metrics port and counts a known mix exactly
test-metrics: venv
	$(call need,prometheus,prometheus,--no-install-recommends)
	$(call own_project,$(METRICS_PROJECT),$$($(FREE_PORT)),$(BIN)/pytest metrics_tests -p no:cacheprovider $(PYTEST_ARGS))

# The client matrix's own venv (its Python clients, Playwright, pytest) from its hashed lock file.
CLIENTS_BIN := client_tests/.venv/bin
CLIENTS_PROJECT ?= $(PROJECT)-clients

$(CLIENTS_BIN)/.installed: client_tests/requirements.txt
	$(PYTHON) -m venv client_tests/.venv
	$(CLIENTS_BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r client_tests/requirements.txt
	touch $@

# The clients that are programs of their own, from Debian: curl, Node 20 (fetch, http, http2: no npm
# package), Go (the standard library only: nothing is downloaded), Chromium (never Playwright's download).
define clients_installed
	$(call need,curl,curl)
	$(call need,node,nodejs)
	$(call need,go,golang-go)
	$(call need,$${CHROMIUM:-/usr/bin/chromium},chromium)
endef

.PHONY: test-clients  ## real clients (curl, requests, urllib, httpx, aiohttp, Node, Go, Chromium) against its own container
test-clients: venv $(CLIENTS_BIN)/.installed
	$(clients_installed)
	$(call own_project,$(CLIENTS_PROJECT),$$($(FREE_PORT)),\
		timeout --signal=INT --kill-after=30 300 $(CLIENTS_BIN)/pytest client_tests -p no:cacheprovider $(PYTEST_ARGS))

.PHONY: clients-table  ## run every client against its own container and rewrite the table in docs/clients.md
clients-table: venv $(CLIENTS_BIN)/.installed
	$(clients_installed)
	$(call own_project,$(CLIENTS_PROJECT),$$($(FREE_PORT)),\
		timeout 300 $(CLIENTS_BIN)/python client_tests/matrix.py "$$BASE_URL" --write)

# The fleet's images: the service tagged with the version in pyproject.toml (never `latest`), and HAProxy
# (the official image; CI sets a stand-in built from Debian's package, see .ci/provision-docker).
VERSION := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' pyproject.toml)
SERVICE_IMAGE ?= flask-status-codes:$(VERSION)
HAPROXY_IMAGE ?= haproxy:3.0
# Redis keeps /status?sequence= counts for the fleet (the official image; CI: a Debian stand-in).
REDIS_IMAGE ?= redis:8.0
FLEET_STACK ?= $(PROJECT)-fleet

.PHONY: test-fleet  ## Docker Swarm: 3 replicas behind HAProxy under load (spread, rolling update, kill, scale)
test-fleet: venv
	docker build --quiet --build-arg PYTHON_IMAGE=$(PYTHON_IMAGE) --tag $(SERVICE_IMAGE) . >/dev/null
	@docker image inspect $(HAPROXY_IMAGE) >/dev/null 2>&1 || docker pull --quiet $(HAPROXY_IMAGE) >/dev/null
	@docker image inspect $(REDIS_IMAGE) >/dev/null 2>&1 || docker pull --quiet $(REDIS_IMAGE) >/dev/null
	@export SERVICE_IMAGE=$(SERVICE_IMAGE) HAPROXY_IMAGE=$(HAPROXY_IMAGE) REDIS_IMAGE=$(REDIS_IMAGE) FLEET_STACK=$(FLEET_STACK); \
	export FLEET_PORT=$${FLEET_PORT:-$$($(FREE_PORT))}; \
	timeout --signal=INT --kill-after=60 900 $(BIN)/pytest fleet_tests $(PYTEST_ARGS)

.PHONY: test-unit  ## the fast in-process unit layer: parsers, header table, OpenAPI builder (no server)
test-unit: venv
	$(BIN)/pytest unit_tests

.PHONY: test-local  ## no Docker: the unit layer, then the service under Gunicorn from .venv on a free port, tested
test-local: test-unit
	PYTHONPATH=. $(BIN)/python scripts/serve_and_test.py $(PYTEST_ARGS)

.PHONY: test-plugin  ## no Docker: the pytest plugin's fixtures (pytest_plugin/) serving the service under Gunicorn
test-plugin: venv
	cd pytest_plugin && ../$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

.PHONY: compare-httpbin  ## requests' own suite, unchanged, against httpbin 0.10.4 and against this service (pytest_plugin/)
compare-httpbin: venv
	$(BIN)/python scripts/compare_httpbin.py

# A running go-httpbin (started with -use-full-version) and its source tree (for its route list).
GO_HTTPBIN_URL ?=
GO_HTTPBIN_SOURCE ?=

.PHONY: record-go-httpbin  ## record go-httpbin's statuses again (contract_tests/go_httpbin_routes.json); not in CI
record-go-httpbin: venv
	@test -n "$(GO_HTTPBIN_URL)" -a -n "$(GO_HTTPBIN_SOURCE)" || { echo "usage: make record-go-httpbin GO_HTTPBIN_URL=http://127.0.0.1:port GO_HTTPBIN_SOURCE=path/to/go-httpbin" >&2; exit 2; }
	PYTHONPATH=. $(BIN)/python scripts/record_go_httpbin.py "$(GO_HTTPBIN_URL)" "$(GO_HTTPBIN_SOURCE)"

.PHONY: test-remote  ## run the suite from the host against BASE_URL=https://... (any running instance)
test-remote: venv
	@test -n "$(BASE_URL)" || { echo "usage: make test-remote BASE_URL=https://host[:port]" >&2; exit 2; }
	$(BIN)/pytest contract_tests --base-url "$(BASE_URL)" $(PYTEST_ARGS)

# The Kubernetes version `make lint` validates deploy/kubernetes against (the preStop sleep action needs
# 1.30 or later); checkov has its own venv and lock (deploy/checkov/requirements.in says why).
KUBERNETES_VERSION ?= 1.33.0
CHECKOV_BIN := deploy/checkov/.venv/bin

$(CHECKOV_BIN)/.installed: deploy/checkov/requirements.txt
	$(PYTHON) -m venv deploy/checkov/.venv
	$(CHECKOV_BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r deploy/checkov/requirements.txt
	touch $@

.PHONY: lint  ## ruff, mypy, hadolint, gunicorn --check-config, openapi.json, compose and stack config, Kubernetes manifests, black-box rule
lint: venv $(CHECKOV_BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@# One mypy run per host-run suite: each has its own conftest.py, one module name per mypy run.
	@for suite in $(HOST_SUITES); do echo "$(BIN)/mypy $$suite"; $(BIN)/mypy $$suite || exit 1; done
	$(BIN)/hadolint Dockerfile contract_tests/Dockerfile deploy/swarm/haproxy/Dockerfile deploy/swarm/redis/Dockerfile
	$(BIN)/gunicorn --check-config --config service/server/gunicorn.conf.py
	PYTHONPATH=. $(BIN)/python scripts/check_openapi.py
	$(COMPOSE) config --quiet
	@# The stack keeps `version:` (docker stack deploy on engine 20.10 needs it); Compose v2 warns about it.
	@out=$$($(COMPOSE) --file deploy/swarm/stack.yaml config --quiet 2>&1) || { echo "$$out" >&2; exit 1; }
	@# Kubernetes: render the base and the overlays (example; with-redis), validate them strictly, scan them with checkov.
	@# One skip, for the base only: CKV_K8S_21 (default namespace); the base names none on purpose, overlays do.
	@rendered=$$(mktemp -d) && trap 'rm -rf "$$rendered"' EXIT && \
	$(BIN)/kubectl kustomize deploy/kubernetes/base >"$$rendered/base.yaml" && \
	$(BIN)/kubectl kustomize deploy/kubernetes/overlays/example >"$$rendered/example.yaml" && \
	$(BIN)/kubectl kustomize deploy/kubernetes/overlays/with-redis >"$$rendered/with-redis.yaml" && \
	$(BIN)/kubernetes-validate --strict --quiet --kubernetes-version $(KUBERNETES_VERSION) "$$rendered"/*.yaml && \
	$(CHECKOV_BIN)/checkov --quiet --compact --skip-download --framework kubernetes --file "$$rendered/example.yaml" && \
	$(CHECKOV_BIN)/checkov --quiet --compact --skip-download --framework kubernetes --file "$$rendered/with-redis.yaml" && \
	$(CHECKOV_BIN)/checkov --quiet --compact --skip-download --framework kubernetes --skip-check CKV_K8S_21 \
		--file "$$rendered/base.yaml"
	$(BIN)/pytest deploy/tests -p no:cacheprovider -q
	@! grep -rnE '^\s*(from|import)\s+service\b' testkit contract_tests $(HOST_SUITES) \
		--exclude-dir=.venv --exclude-dir=.build \
		|| { echo "testkit and the suites (contract_tests $(HOST_SUITES)) must not import service/: they are black-box" >&2; exit 1; }

.PHONY: format  ## apply ruff's fixes and formatting
format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(BENCH_BIN)/.installed: bench/requirements.txt
	$(PYTHON) -m venv bench/.venv
	$(BENCH_BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r bench/requirements.txt
	touch $@

.PHONY: bench  ## measure: the service beside a minimal Flask app, bare WSGI and httpbin (wrk), HTTP/2 (h2load), container figures
bench: $(BENCH_BIN)/.installed
	$(call need,wrk,wrk)
	$(call need,h2load,nghttp2-client)
	timeout 900 $(BENCH_BIN)/python -m bench.run $(BENCH_ARGS)

.PHONY: lock  ## re-resolve the hashed lock files from pyproject.toml and contract_tests/requirements.in
lock: venv
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
		--quiet --custom-compile-command "make lock" --output-file requirements.lock
	$(BIN)/uv pip compile contract_tests/requirements.in --universal --python-version 3.11 \
		--generate-hashes --quiet --custom-compile-command "make lock" --output-file contract_tests/requirements.txt
	$(BIN)/uv pip compile pyproject.toml contract_tests/requirements.in --extra dev --universal \
		--python-version 3.11 --generate-hashes --quiet --custom-compile-command "make lock" \
		--output-file requirements-dev.lock
	$(BIN)/uv pip compile client_tests/requirements.in --universal --python-version 3.11 --generate-hashes \
		--quiet --custom-compile-command "make lock" --output-file client_tests/requirements.txt
	$(BIN)/uv pip compile deploy/checkov/requirements.in --universal --python-version 3.11 --generate-hashes \
		--quiet --custom-compile-command "make lock" --output-file deploy/checkov/requirements.txt
	$(BIN)/uv pip compile bench/requirements.in pyproject.toml --override bench/overrides.txt --universal \
		--python-version 3.11 --generate-hashes --quiet --custom-compile-command "make lock" \
		--output-file bench/requirements.txt
	$(BIN)/uv pip compile pytest_plugin/compare/reference.in --universal --python-version 3.11 --generate-hashes \
		--quiet --custom-compile-command "make lock" --output-file pytest_plugin/compare/reference.txt
	$(BIN)/uv pip compile pytest_plugin/pyproject.toml pytest_plugin/compare/ours.in --constraint requirements.lock \
		--universal --python-version 3.11 --generate-hashes --quiet --custom-compile-command "make lock" \
		--output-file pytest_plugin/compare/ours.txt
