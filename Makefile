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

## test: lint, type-check, check the shipped directories and run the whole test suite
test: $(VENV)/.dev lint check
	$(PY) -m pytest

## check: is every directory in data/ right? (DIRECTORY=path to check another file or folder)
check: $(VENV)/.dev
	$(PY) -m tools.check $(DIRECTORY)

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(VENV)/.dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
