# Two commands: `make run` sets everything up and serves the app; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1:8000

.PHONY: run install migrate demo test test-tools lint format bench soak clean backup restore

# The settings start in production mode unless DJANGO_DEBUG says otherwise: the development
# targets say so (set DJANGO_DEBUG=false and DJANGO_SECRET_KEY to run them as in production).
run demo migrate test lint bench soak: export DJANGO_DEBUG ?= true

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

# The demo is imported only when it is not there: a second `make run` keeps what was done.
demo: migrate
	$(MANAGE) demo

# The server and one background worker (PDFs are rendered there), together; Ctrl-C stops both.
run: demo
	@echo "Appen körs på http://$(HOST)/ med en bakgrundsarbetare (Ctrl-C avslutar båda)."
	HOST=$(HOST) $(VENV)/bin/honcho start

# What the tests need besides Python packages: Chromium for the browser tests, LibreOffice
# (calc, without GUI) to convert the Excel export in a test.
test-tools:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installerar Chromium (apt-get) för webbläsartesterna ..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Webbläsartesterna behöver Chromium: kör 'sudo apt-get install -y chromium'."; exit 1; \
	  fi; \
	fi
	@if ! command -v soffice >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installerar LibreOffice (apt-get) för Excel-testerna ..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui >/dev/null; \
	  else \
	    echo "Excel-testerna behöver LibreOffice: kör 'sudo apt-get install -y libreoffice-calc-nogui'."; exit 1; \
	  fi; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The suite runs on both cores (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= 2

test: install test-tools
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(MANAGE) makemigrations --check --dry-run
	$(PY) -m pytest -n $(PYTEST_WORKERS)

# The figures the performance goals are judged by, against PostgreSQL on 127.0.0.1 (its own
# database, made afresh: BENCH_DATABASE_URL) and gunicorn; writes docs/benchmarks.md.
bench: install
	$(PY) benchmarks/bench.py

# Thousands of hypothesis examples (importer and forms), then many clients saving, marking
# ready, submitting and approving at once against gunicorn on 127.0.0.1 (benchmarks/soak.py;
# SOAK_DATABASE_URL=postgres://... to use PostgreSQL, SOAK_SECONDS, SOAK_CLIENTS). One summary
# line; fails unless errors, lost updates and writes after approval are all zero.
soak: install
	HYPOTHESIS_PROFILE=soak $(PY) -m pytest -q -p no:cacheprovider tests/test_properties.py
	$(PY) benchmarks/soak.py

# The database (pg_dump -Fc on PostgreSQL, SQLite's online backup API on SQLite) and the stored
# files, as one tar file in backups/ (DIR=... for another folder).
backup: install
	$(MANAGE) backup_data $(if $(DIR),--directory "$(DIR)")

# Replaces the database's content and the stored files with the backup's.
restore: install
	@test -n "$(FILE)" || { echo "Ange säkerhetskopian: make restore FILE=backups/....tar"; exit 1; }
	$(MANAGE) restore_data "$(FILE)" --noinput

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache .benchmarks
