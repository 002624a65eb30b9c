# Everyday commands. Each creates the virtualenv and installs pinned packages as needed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# The Lambda package is built from a virtualenv of its own: runtime packages and Zappa, nothing else.
DEPLOY_VENV ?= build/deploy-venv
BASELINE_VENV ?= build/baseline-venv
STAGE ?= production
PACKAGE ?= build/helpline-router-$(STAGE).zip

.PHONY: run test lint format check clean package deploy-venv deploy bench

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## run: serve the webhooks on 127.0.0.1 (PORT=5000) with the shipped directory (or DIRECTORY=path)
run: $(VENV)/.runtime
	$(PY) -m tools.serve $(if $(PORT),--port "$(PORT)") $(if $(DIRECTORY),--directory "$(DIRECTORY)")

## test: lint, type-check, check the shipped directories and run the whole test suite
## (the Lambda tests build the package)
test: $(VENV)/.dev $(DEPLOY_VENV)/.deploy lint check
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

## bench-match: time reading a text, shipped directory vs 10,000 keywords (full postcode table)
.PHONY: bench-match
bench-match: $(VENV)/.runtime
	$(PY) -m bench.matching

## bench-places: place names routed, wrong lines and false routes at each threshold (tests/place_texts.py)
.PHONY: bench-places
bench-places: $(VENV)/.dev
	$(PY) -m bench.places

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache

# Try the router without a phone (in-process unless URL is given; see README "Try it without a phone").
SIMULATOR_FLAGS = $(if $(DIRECTORY),--directory "$(DIRECTORY)") $(if $(URL),--url "$(URL)") $(ARGS)
.PHONY: sms call tour whatsapp

## sms: text the router and see the reply, e.g. make sms TEXT=WALES [DIRECTORY=file] [URL=https://...]
sms: $(VENV)/.runtime
	@$(PY) -m simulator sms $(SIMULATOR_FLAGS) -- "$(TEXT)"

## whatsapp: the same on WhatsApp, e.g. make whatsapp TEXT=WALES, or a location pin: make whatsapp PIN=51.48,-3.18
## (or ARGS="--pin=51.48,-3.18"; also --voice-note URL, --picture URL, --address, --label, --profile)
whatsapp: $(VENV)/.runtime
	@$(PY) -m simulator whatsapp $(SIMULATOR_FLAGS) $(if $(PIN),--pin="$(PIN)") -- "$(TEXT)"

## call: call the router in the terminal; scripted with ARGS="--press 2 --dial busy --dial completed"
call: $(VENV)/.runtime
	@$(PY) -m simulator call $(SIMULATOR_FLAGS)

## tour: try every key, phrase, silence and Dial outcome of the phone menu, and check each path
tour: $(VENV)/.runtime
	@$(PY) -m simulator tour $(SIMULATOR_FLAGS)

# Bytecode compiled as "unchecked-hash" stays valid when Lambda unpacks the zip with new timestamps,
# so a cold start does not recompile Flask and its dependencies (it cannot write bytecode either).
$(DEPLOY_VENV)/.deploy: requirements.txt requirements-deploy.txt
	rm -rf $(DEPLOY_VENV)
	$(PYTHON) -m venv $(DEPLOY_VENV)
	$(DEPLOY_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-deploy.txt
	$(DEPLOY_VENV)/bin/python -m compileall -q -f -j 2 --invalidation-mode unchecked-hash $(DEPLOY_VENV)/lib
	touch $@

## deploy-venv: the virtualenv to run `zappa deploy` / `zappa update` from (activate it first)
deploy-venv: $(DEPLOY_VENV)/.deploy

ZAPPA_SETTINGS ?= zappa_settings.json
.PHONY: deploy-local undeploy

## deploy: check every directory, then create or update the Lambda for STAGE (AWS credentials needed)
deploy: check $(DEPLOY_VENV)/.deploy
	$(DEPLOY_VENV)/bin/python -m tools.deploy $(STAGE) --settings_file $(ZAPPA_SETTINGS)

## deploy-local: `make deploy` against an AWS emulator on 127.0.0.1 (moto), then show what it made and stop it
deploy-local: check $(DEPLOY_VENV)/.deploy
	$(PY) -m tools.aws_emulator $(STAGE)

## undeploy: remove STAGE from AWS (function, API, keep-warm rule, logs, dashboard)
undeploy: $(DEPLOY_VENV)/.deploy
	$(DEPLOY_VENV)/bin/python -m tools.deploy $(STAGE) --settings_file $(ZAPPA_SETTINGS) --undeploy

## package: build the Lambda zip with `zappa package` (offline; STAGE=production, PACKAGE=build/...zip)
package: $(DEPLOY_VENV)/.deploy
	mkdir -p $(dir $(PACKAGE))
	VIRTUAL_ENV=$(abspath $(DEPLOY_VENV)) $(DEPLOY_VENV)/bin/zappa package $(STAGE) --json --disable_progress -o $(PACKAGE)

# The benchmark's baseline: the same pinned packages as pip leaves them, packaged with Zappa's defaults.
$(BASELINE_VENV)/.baseline: requirements.txt requirements-deploy.txt
	rm -rf $(BASELINE_VENV)
	$(PYTHON) -m venv $(BASELINE_VENV)
	$(BASELINE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-deploy.txt
	touch $@

## bench: cold start and zip size of the Lambda package beside a Zappa-default Flask app
bench: $(VENV)/.dev $(DEPLOY_VENV)/.deploy $(BASELINE_VENV)/.baseline
	$(PY) -m bench.coldstart

$(VENV)/.bench: requirements-bench.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

.PHONY: loadtest
## loadtest: 60 s of signed texts and call steps against gunicorn on 127.0.0.1, beside a hello-world Flask app
loadtest: $(VENV)/.bench
	$(PY) -m bench.loadtest $(LOADTEST_ARGS)

.PHONY: report
## report: usage report OUT/report.html + OUT/report.csv from FIGURES=file [FROM= TO=], or from
## CloudWatch: STAGE=production FROM=2026-10-01 TO=2026-12-31 (AWS credentials); TIMEZONE=Europe/London
REPORT_FLAGS = $(if $(FROM),--from "$(FROM)") $(if $(TO),--to "$(TO)") $(if $(TIMEZONE),--timezone "$(TIMEZONE)")
report: $(VENV)/.dev
	@$(PY) -m tools.report $(if $(FIGURES),--figures "$(FIGURES)",--stage "$(STAGE)") --out "$(or $(OUT),build/report)" $(REPORT_FLAGS)
