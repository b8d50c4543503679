# Two commands: `make run` sets everything up and serves the app; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1:8000

.PHONY: run install migrate demo test test-tools lint format bench clean

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

# What the tests need besides Python packages: Chromium for the browser tests.
test-tools:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installerar Chromium (apt-get) för webbläsartesterna ..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Webbläsartesterna behöver Chromium: kör 'sudo apt-get install -y chromium'."; exit 1; \
	  fi; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install test-tools
	$(VENV)/bin/ruff check .
	$(MANAGE) makemigrations --check --dry-run
	$(PY) -m pytest

# The figures the performance goals are judged by, against PostgreSQL on 127.0.0.1 (its own
# database, made afresh: BENCH_DATABASE_URL) and gunicorn; writes docs/benchmarks.md.
bench: install
	$(PY) benchmarks/bench.py

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache .benchmarks
