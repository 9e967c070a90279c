# Two commands do all the set-up: `make run` and `make test` (see README.md).
PYTHON  ?= python3
PY      := .venv/bin/python
STAMP   := .venv/.installed
BROWSER := /usr/bin/chromium
export GX_ANALYTICS_ENABLED := false
export DAGSTER_DISABLE_TELEMETRY := 1
export DAGSTER_HOME := $(CURDIR)/.dagster_home

.PHONY: run test test-fast browser ui bench query clean-warehouse lock

# Python packages only, pinned with hashes (fonts for the test PDFs included): no system package.
$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || \
	  { echo "make: this project needs Python 3.11, but $(PYTHON) is '$$($(PYTHON) -V 2>&1)' (try: make PYTHON=python3.11 ...)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || \
	  { echo "make: $(PYTHON) has no venv module (on Debian: apt-get install python3-venv)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	touch $(STAMP)

# The one system package: Debian's chromium for the browser test (no browser download exists here).
# Without it the browser test is skipped, and pytest's summary says so.
browser:
	@test -x $(BROWSER) || { \
	  echo "make: installing Debian's chromium for the browser test (apt-get install chromium)"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo -n"; \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; } \
	    >/tmp/moea-chromium-install.log 2>&1 || \
	  echo "make: could not install chromium (see /tmp/moea-chromium-install.log); the browser test will be skipped"; }

run: $(STAMP)
	$(PY) -m pipelines run --raw-dir raw --warehouse warehouse/report.duckdb

test: $(STAMP) browser
	$(PY) -m pytest -q -n 2

# Everything but the whole-report and browser tests, on both cores: the loop while developing.
test-fast: $(STAMP)
	$(PY) -m pytest -q -n 2 -m "not slow and not full_report and not browser"

ui: $(STAMP)
	$(PY) -c "from pipelines.instance import prepare_home; prepare_home()"
	.venv/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

bench: $(STAMP)
	$(PY) -m pipelines.bench

query: $(STAMP)
	$(PY) -m pipelines query $(Q)

# Re-resolve the lock after changing pyproject.toml (needs the network).
lock:
	$(PY) -m pip install --quiet uv
	.venv/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock
