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

# Try the router without a phone (in-process unless URL is given; see README "Try it without a phone").
SIMULATOR_FLAGS = $(if $(DIRECTORY),--directory "$(DIRECTORY)") $(if $(URL),--url "$(URL)") $(ARGS)
.PHONY: sms call tour

## sms: text the router and see the reply, e.g. make sms TEXT=WALES [DIRECTORY=file] [URL=https://...]
sms: $(VENV)/.runtime
	@$(PY) -m simulator sms $(SIMULATOR_FLAGS) -- "$(TEXT)"

## call: call the router in the terminal; scripted with ARGS="--press 2 --dial busy --dial completed"
call: $(VENV)/.runtime
	@$(PY) -m simulator call $(SIMULATOR_FLAGS)

## tour: try every key, phrase, silence and Dial outcome of the phone menu, and check each path
tour: $(VENV)/.runtime
	@$(PY) -m simulator tour $(SIMULATOR_FLAGS)
