# Netværk: `make run` serves the site with demo data, `make test` passes the suite.
# Both set themselves up from a fresh clone (only Python >= 3.12 and make needed).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/netvaerk
PYTEST_ARGS ?=

.PHONY: help setup migrate demo run worker test test-fast test-browser test-postgres \
	bench-import bench-import-postgres \
	lint format messages check-deploy lock clean bench bench-postgres bench-search \
	bench-search-postgres bench-relay bench-relay-postgres prod-local loadtest

help:
	@echo "make run            set up, load demo data, serve http://$(HOST):$(PORT) with the task worker"
	@echo "make test           set up and run the whole suite on SQLite (browser tests when Chromium is found)"
	@echo "make test-fast      the suite without browser tests"
	@echo "make test-browser   only the browser tests"
	@echo "make test-postgres  the whole suite against PostgreSQL (POSTGRES_URL=$(POSTGRES_URL))"
	@echo "make lint           ruff check and ruff format --check"
	@echo "make format         ruff format and ruff check --fix"
	@echo "make messages       update and compile the Danish translations (needs gettext)"
	@echo "make check-deploy   Django's deployment checks in production mode"
	@echo "make prod-local     the production stack here: PostgreSQL, Redis, gunicorn, 2 task workers"
	@echo "make loadtest       Locust, headless, against a running prod-local (LOAD_USERS, LOAD_TIME)"
	@echo "make lock           re-pin requirements.lock from pyproject.toml"
	@echo "make bench          seed a large forum in a fresh SQLite file and time the main pages (and their queries)"
	@echo "make bench-postgres the same on PostgreSQL (database netvaerk_bench, recreated)"
	@echo "make bench-search   seed, rebuild the search index and time searches (SQLite)"
	@echo "make bench-search-postgres  the same on PostgreSQL"
	@echo "make bench-relay    seed the forum and 10,000 members, time the relay's choice (SQLite)"
	@echo "make bench-relay-postgres   the same on PostgreSQL"

# Find Python >= 3.12: python3.13, python3.12, then python3.
$(STAMP): pyproject.toml requirements.lock
	@py=""; \
	for candidate in python3.13 python3.12 python3; do \
		if "$$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
			py="$$candidate"; break; \
		fi; \
	done; \
	if [ -z "$$py" ]; then \
		echo "Netværk needs Python 3.12 or newer, and none of python3.13, python3.12 or python3 is." >&2; \
		echo "Install Python 3.12+ (e.g. 'apt install python3.12' or from python.org) and run make again." >&2; \
		exit 1; \
	fi; \
	if [ -x "$(PY)" ] && ! "$(PY)" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
		echo "Removing $(VENV): it was made with a Python older than 3.12."; rm -rf "$(VENV)"; \
	fi; \
	if [ ! -x "$(PY)" ]; then \
		echo "Creating $(VENV) with $$("$$py" --version)"; \
		"$$py" -m venv "$(VENV)"; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25"
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py seed_demo

# Ctrl-C stops the development server; the trap then stops the worker.
run: demo
	@echo "Starting Netværk on http://$(HOST):$(PORT)/ and the background task worker (Ctrl-C stops both)."
	@export DJANGO_DEBUG="$${DJANGO_DEBUG:-1}" NETVAERK_BASE_URL="$${NETVAERK_BASE_URL:-http://$(HOST):$(PORT)}"; \
	$(PY) manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	(while sleep 60; do $(PY) manage.py run_periodic counters >/dev/null; done) & counters=$$!; \
	trap 'kill $$worker $$counters 2>/dev/null; wait $$worker $$counters 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT) || true

worker: migrate
	$(PY) manage.py db_worker --no-reload

test: setup
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

test-fast: setup
	$(PY) -m pytest -m "not browser and not slow" $(PYTEST_ARGS)

test-browser: setup
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

test-postgres: setup
	DATABASE_URL="$(POSTGRES_URL)" DJANGO_CONN_MAX_AGE=0 $(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: setup
	$(PY) manage.py makemessages -l da --no-obsolete --add-location file -i ".venv/*" -i "tests/*"
	$(PY) manage.py compilemessages -l da -i ".venv"

check-deploy: setup
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$(openssl rand -hex 40 2>/dev/null || echo check-only-$$RANDOM$$RANDOM-not-a-real-secret-but-long-enough-xxxxxxxx)" \
	DJANGO_ALLOWED_HOSTS=netvaerk.example.org DJANGO_EMAIL_HOST=smtp.example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

prod-local: setup
	PY=$(PY) HOST=$(HOST) PORT=$(PORT) bash deploy/prod-local

LOAD_HOST ?= http://127.0.0.1:8000
LOAD_USERS ?= 64
LOAD_TIME ?= 60s

# Against a running `make prod-local` started with NETVAERK_RATE_LIMIT_SCALE=1000 (see README).
loadtest: setup
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[load]"
	$(VENV)/bin/locust -f locustfile.py --headless -u $(LOAD_USERS) -r 8 -t $(LOAD_TIME) \
		--host $(LOAD_HOST) --only-summary --csv /tmp/netvaerk-load

lock: setup
	$(PY) -m pip freeze --exclude-editable --exclude netvaerk | grep -v '^pip==' > requirements.lock

BENCH_ARGS ?=
BENCH_SQLITE := /tmp/netvaerk-bench.sqlite3
BENCH_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/netvaerk_bench

bench: setup
	rm -f $(BENCH_SQLITE) $(BENCH_SQLITE)-wal $(BENCH_SQLITE)-shm
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py site_benchmark $(BENCH_ARGS)

bench-search: setup
	rm -f $(BENCH_SQLITE) $(BENCH_SQLITE)-wal $(BENCH_SQLITE)-shm
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py forum_benchmark --requests 3 $(BENCH_ARGS)
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py rebuild_search_index
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py search_benchmark

bench-search-postgres: setup
	psql "$(dir $(BENCH_POSTGRES_URL))postgres" -q -c "DROP DATABASE IF EXISTS netvaerk_bench" -c "CREATE DATABASE netvaerk_bench"
	DATABASE_URL=$(BENCH_POSTGRES_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_POSTGRES_URL) $(PY) manage.py forum_benchmark --requests 3 $(BENCH_ARGS)
	DATABASE_URL=$(BENCH_POSTGRES_URL) $(PY) manage.py rebuild_search_index
	DATABASE_URL=$(BENCH_POSTGRES_URL) $(PY) manage.py search_benchmark

bench-relay: setup
	rm -f $(BENCH_SQLITE) $(BENCH_SQLITE)-wal $(BENCH_SQLITE)-shm
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py forum_benchmark --requests 1 $(BENCH_ARGS)
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py relay_benchmark

bench-relay-postgres: setup
	psql "$(dir $(BENCH_POSTGRES_URL))postgres" -q -c "DROP DATABASE IF EXISTS netvaerk_bench" -c "CREATE DATABASE netvaerk_bench"
	DATABASE_URL=$(BENCH_POSTGRES_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_POSTGRES_URL) $(PY) manage.py forum_benchmark --requests 1 $(BENCH_ARGS)
	DATABASE_URL=$(BENCH_POSTGRES_URL) $(PY) manage.py relay_benchmark

bench-postgres: setup
	psql "$(dir $(BENCH_POSTGRES_URL))postgres" -q -c "DROP DATABASE IF EXISTS netvaerk_bench" -c "CREATE DATABASE netvaerk_bench"
	DATABASE_URL=$(BENCH_POSTGRES_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_POSTGRES_URL) $(PY) manage.py site_benchmark $(BENCH_ARGS)

bench-import: setup
	rm -f $(BENCH_SQLITE) $(BENCH_SQLITE)-wal $(BENCH_SQLITE)-shm
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(PY) manage.py import_benchmark $(BENCH_ARGS)

bench-import-postgres: setup
	psql "$(dir $(BENCH_POSTGRES_URL))postgres" -q -c "DROP DATABASE IF EXISTS netvaerk_bench" -c "CREATE DATABASE netvaerk_bench"
	DATABASE_URL=$(BENCH_POSTGRES_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_POSTGRES_URL) $(PY) manage.py import_benchmark $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
