# DPS Programme Manager. `make run` for the embedded demo, `make test` for the whole suite
# (`make test-fast` without the slow browser, integration, crawl and heavy tests).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: install assets run test test-fast lint bench load clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/app.css: $(wildcard static/scss/*.scss) node_modules/.installed
	npm run --silent build

# The OpenID provider the sign-in tests run (tests/oidc/): its own package.json, not the root's.
tests/oidc_provider/node_modules/.installed: tests/oidc_provider/package.json tests/oidc_provider/package-lock.json
	npm ci --prefix tests/oidc_provider --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed assets tests/oidc_provider/node_modules/.installed

assets: static/build/app.css

## The embedded demo: SQLite, Celery in-process, demo data, served at http://127.0.0.1:8000.
## Served by gunicorn with the service's own error pages; the console shows only the demo
## log-ins, the address and real errors. Developers: DEBUG_PAGES=true make run for Django's
## technical pages, or `manage.py runserver` as usual.
run: install
	@$(MANAGE) migrate --noinput --verbosity 0
	@$(MANAGE) load_demo --verbosity 0
	@echo "DPS Programme Manager: http://127.0.0.1:8000/ (Ctrl+C to stop)"
	@$(VENV)/bin/gunicorn dps.wsgi --bind 127.0.0.1:8000 --workers 1 --threads 4 --log-level warning

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## The whole suite: lint, Django checks, migrations up to date, pytest (browser tests included)
test: install
	scripts/ensure-chromium
	$(MAKE) --no-print-directory lint
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## While developing: the suite without the slow proofs (browsers, real workers and faults, crawls,
## upload-cap files). CI runs everything (`make test`); run that before pushing.
SLOW_MARKERS = not browser and not integration and not crawl and not heavy
test-fast: $(VENV)/.installed
	$(VENV)/bin/pytest -m "$(SLOW_MARKERS)" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules static/build staticfiles var

## Benchmarks (on demand, not in `make test`): every scripts/bench_*.py against PostgreSQL.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dps_bench
bench: install
	@for script in scripts/bench_*.py; do \
		echo "== $$script"; \
		DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) $$script || exit 1; \
	done

## Load run (on demand): 20 staff on gunicorn over loopback for 60 s, figures printed.
## Options through LOAD_ARGS, e.g. make load LOAD_ARGS="--users 5 --seconds 10".
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dps_load
# The 1,000,000 sessions are added on the first run and kept (--keep); LOAD_ARGS= starts afresh.
LOAD_ARGS ?= --keep
load: install
	DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) scripts/load.py $(LOAD_ARGS)
