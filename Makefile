# Every target installs what it needs first, so each works on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/.dagster_home

.PHONY: install demo sync ui serve test lint format dagster-home clean bench-budget

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv
	# Bytecode now, once: Dagster starts a process per run and per code server, and each
	# would otherwise compile Dagster, dlt and pandas from source (seconds of CPU apiece).
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -e '.[dev]'
	touch $(STAMP)

dagster-home:
	mkdir -p $(DAGSTER_HOME) data
	cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml

## The full sync against a seeded HubSpot simulator (no token needed).
demo: install dagster-home
	$(PY) -m hubspot_pipeline.demo

## The full sync of a real portal: needs HUBSPOT_ACCESS_TOKEN.
sync: install dagster-home
	$(PY) -m hubspot_pipeline.full_sync

## The Dagster UI over the same instance (runs of `make demo` and `make sync` included).
ui: install dagster-home
	$(VENV)/bin/dagster dev -w workspace.yaml

## Webserver, daemon, sync-runs API (SYNC_API_TOKEN) and, without HUBSPOT_ACCESS_TOKEN, the simulator.
serve: install dagster-home
	deploy/serve.sh

test: install
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf data .dagster_home

## 4 runs at once through the queue against the simulator's default limits; last line:
## `budget: utilization=... http_429=... runs=... records=... seconds=...`.
bench-budget: install
	PYTHONPATH=$(CURDIR) $(PY) benchmarks/budget.py
