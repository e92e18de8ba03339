# Omsorgsoppgjør: `make demo` runs the main job, `make test` runs the tests.
# Both create the virtual environment from the lock file on first use.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installert

.PHONY: install systempakker npmpakker demo test test-fast lint format bench serve clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 kreves"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# Debian packages the tests drive (chromium for the browser test, haproxy in front of the
# replicas in the multi-replica test; never a downloaded binary).
# Idempotent and quick when all are installed: apt-get update runs only when one is missing.
# Without apt-get (not Debian) nothing is installed; the browser test then skips, or fails
# under CI=true.
SYSTEMPAKKER := chromium haproxy
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

systempakker:
	@mangler=$$(for p in $(SYSTEMPAKKER); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	done); \
	if [ -z "$$mangler" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then echo "systempakker: uten apt-get, mangler $$mangler"; exit 0; fi; \
	echo "systempakker: installerer $$mangler"; \
	$(SUDO) apt-get update -qq && \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$mangler

# npm packages the tests drive (axe-core for the accessibility test), pinned by
# tests/web/axe/package-lock.json; `npm ci` runs only when node_modules is missing or older
# than the lock. Without npm nothing is installed; the axe test then skips, or fails under CI=true.
AXE := tests/web/axe

npmpakker: $(AXE)/node_modules/.installert

$(AXE)/node_modules/.installert: $(AXE)/package.json $(AXE)/package-lock.json
	@if ! command -v npm >/dev/null; then echo "npmpakker: uten npm, axe-core mangler"; exit 0; fi; \
	npm ci --prefix $(AXE) --no-audit --no-fund --loglevel=error && touch $@

demo: install
	$(BIN)/oppgjor demo

test: install systempakker npmpakker
	$(BIN)/pytest

# The quick loop: everything but the browser and the fault-injection tests.
test-fast: install
	$(BIN)/pytest -m "not browser and not slow"

# The same checks run by pre-commit (.pre-commit-config.yaml) and by CI (.ci/run).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy services shared tests bench demo
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m bench.alle

serve: install
	$(BIN)/oppgjor serve

clean:
	rm -rf $(VENV) .oppgjor demo-output .pytest_cache .mypy_cache .ruff_cache
