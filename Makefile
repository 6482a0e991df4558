# QMS developer tasks (GNU make). `make help` lists them.
#
#   make run       quick start: venv, dependencies, .env, migrate, demo data, server
#   make test      run the test suite (honours DATABASE_URL, PYTEST_ARGS)
#   make lint      ruff check + ruff format --check
#   make format    ruff format + ruff check --fix
#   make messages  update and compile the et/ru translations
#   make bench     generate benchmark data (PostgreSQL) and measure (see README)
#   make clean     remove caches and collected static files (keeps .venv, var/, .env)

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python used to create the virtualenv; must be 3.11 or newer.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
VPY := $(VENV)/bin/python
MANAGE := $(VPY) manage.py
# Written after a successful install; newer than pyproject.toml means up to date.
STAMP := $(VENV)/.installed

RUN_ADDR ?= 127.0.0.1:8000
# Two processes on two cores (xdist); tests that share an expensive world are
# kept on one worker by their xdist_group.
PYTEST_ARGS ?= -q -n auto --dist loadgroup
LANGS := -l et -l ru

.PHONY: help install run test lint format messages clean bench bench-data soak

# The benchmark's own PostgreSQL database; BENCH_SCALE=1 is the full size.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/qms_bench
BENCH_SCALE ?= 0.1
BENCH_ARGS ?=

help:
	@echo "make run       quick start: install, write .env (DEBUG) if missing, migrate,"
	@echo "               load demo data and serve on http://$(RUN_ADDR)/"
	@echo "make test      run pytest (PYTEST_ARGS='$(PYTEST_ARGS)'; DATABASE_URL is honoured)"
	@echo "make lint      ruff check and ruff format --check"
	@echo "make format    ruff format and ruff check --fix"
	@echo "make messages  makemessages for et and ru, then compilemessages"
	@echo "make bench     migrate the bench database, generate data if it has none"
	@echo "               (BENCH_SCALE=$(BENCH_SCALE)), then run python -m bench"
	@echo "make soak      ten minutes of steady load with the soak checks (bench.soak)"
	@echo "make clean     remove caches and collected static files"

$(VPY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: python3.11 or python3 not found; install Python 3.11+" >&2; exit 1; \
	fi
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "error: $(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'); QMS needs 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2; \
		exit 1; }
	@$(PYTHON) -m venv $(VENV) || { \
		rm -rf $(VENV); \
		echo "error: could not create $(VENV); on Debian/Ubuntu run: sudo apt-get install python3-venv" >&2; \
		exit 1; }

# The project runs from its checkout and packages nothing (pyproject has
# `packages = []`), so the runtime and test dependencies are read from
# pyproject.toml and installed directly. This needs no build backend and leaves
# no *.egg-info in the tree. uv installs them: it resolves and downloads in
# parallel (about 20 s for the whole set where pip took 3.5 minutes, most of a
# ten-minute CI); pip installs uv itself. The packages are the same either way.
UV_SPEC ?= uv>=0.9,<1
UV := $(VENV)/bin/uv

$(UV): | $(VPY)
	$(VPY) -m pip install --quiet --disable-pip-version-check '$(UV_SPEC)'

$(STAMP): pyproject.toml | $(UV)
	$(VPY) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + p["optional-dependencies"]["test"]))' > $(VENV)/requirements.txt
	$(UV) pip install --quiet --python $(VPY) -r $(VENV)/requirements.txt
	@touch $@

install: $(STAMP)

# A development key generated only for the local quick start; production sets
# SECRET_KEY in its environment (see .env.example).
.env: | $(VPY)
	@umask 077 && $(VPY) -c 'import secrets; print("# Written by make run for local development only. Do not use in production."); print("DEBUG=true"); print("SECRET_KEY=" + secrets.token_urlsafe(50))' > $@
	@echo "wrote .env (DEBUG=true, fresh development SECRET_KEY)"

run: $(STAMP) .env
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) runserver $(RUN_ADDR)

# The test settings never read .env (QMS_ENV_FILE is pointed at nothing), so a
# developer's local configuration cannot leak into the suite; DATABASE_URL from
# the environment still selects the database (SQLite by default).
test: $(STAMP)
	QMS_ENV_FILE=/nonexistent $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

MSG_IGNORE := --ignore=.venv --ignore=var --ignore=node_modules --ignore=static/vendor
# Project JavaScript outside the vendored packages; djangojs catalogues only if any.
PROJECT_JS := $(shell find . -name '*.js' -not -path './.venv/*' -not -path './var/*' \
	-not -path './static/vendor/*' -not -path './node_modules/*' 2>/dev/null | head -n 1)

messages: $(STAMP)
	$(MANAGE) makemessages $(LANGS) $(MSG_IGNORE) --no-obsolete
ifneq ($(PROJECT_JS),)
	$(MANAGE) makemessages -d djangojs $(LANGS) $(MSG_IGNORE) --no-obsolete
endif
	$(MANAGE) compilemessages $(LANGS) $(MSG_IGNORE)

# Benchmark dependencies (the "bench" extra) on top of the runtime ones.
$(VENV)/.bench-installed: pyproject.toml $(STAMP)
	$(VPY) -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["bench"]))' > $(VENV)/bench-requirements.txt
	$(UV) pip install --quiet --python $(VPY) -r $(VENV)/bench-requirements.txt
	@touch $@

# Generates only into a database without cases (--if-empty); to regenerate at
# another scale: DATABASE_URL=... manage.py bench_data --reset --scale N
BENCH_ENV := DATABASE_URL=$(BENCH_DATABASE_URL) QMS_ENV_FILE=/nonexistent DEBUG=true
bench-data: $(VENV)/.bench-installed
	$(BENCH_ENV) $(MANAGE) migrate --noinput
	$(BENCH_ENV) $(MANAGE) bench_data --if-empty --scale $(BENCH_SCALE)

bench: bench-data
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(VPY) -m bench $(BENCH_ARGS)

# Ten minutes of steady load, then: no errors, bounded worker memory, every
# submitted case stored exactly once (README, "Soak").
soak: bench-data
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(VPY) -m bench.soak $(SOAK_ARGS)

clean:
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache .hypothesis var/staticfiles *.egg-info build
