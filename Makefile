# Omsorgsoppgjør: `make demo` runs the main job, `make test` runs the tests.
# Both create the virtual environment from the lock file on first use.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installert

.PHONY: install systempakker demo test lint format bench serve clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 kreves"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# Debian packages the tests need beside PostgreSQL (whose initdb and pg_ctl the multi-replica
# test also uses): haproxy, in front of the replicas. Quick and idempotent: apt runs only
# when a package is missing.
SYSTEMPAKKER := haproxy
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

systempakker:
	@if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(SYSTEMPAKKER); \
	fi

demo: install
	$(BIN)/oppgjor demo

test: install systempakker
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy services shared

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m bench.alle

serve: install
	$(BIN)/oppgjor serve

clean:
	rm -rf $(VENV) .oppgjor demo-output .pytest_cache .mypy_cache .ruff_cache
