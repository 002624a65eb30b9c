# Everyday commands. Each creates the virtualenv and installs pinned packages as needed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint format check clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## run: serve the webhooks on 127.0.0.1:5000 with the shipped directory
run: $(VENV)/.runtime
	$(PY) -m tools.serve

## test: lint, type-check and run the whole test suite
test: $(VENV)/.dev lint
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(VENV)/.dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache

$(VENV)/.bench: requirements-bench.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

.PHONY: loadtest
## loadtest: 60 s of signed texts and call steps against gunicorn on 127.0.0.1, beside a hello-world Flask app
loadtest: $(VENV)/.bench
	$(PY) -m bench.loadtest $(LOADTEST_ARGS)
