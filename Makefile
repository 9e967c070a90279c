# Two commands do all the set-up: `make run` and `make test` (see README.md).
PY      := .venv/bin/python
STAMP   := .venv/.installed
export GX_ANALYTICS_ENABLED := false
export DAGSTER_DISABLE_TELEMETRY := 1
export DAGSTER_HOME := $(CURDIR)/.dagster_home

.PHONY: run test ui bench query clean-warehouse lock

$(STAMP): requirements.lock
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m pipelines run --raw-dir raw --warehouse warehouse/report.duckdb

test: $(STAMP)
	$(PY) -m pytest -q

ui: $(STAMP)
	mkdir -p $(DAGSTER_HOME)
	touch $(DAGSTER_HOME)/dagster.yaml
	.venv/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

bench: $(STAMP)
	$(PY) -m pipelines.bench

query: $(STAMP)
	$(PY) -m pipelines query $(Q)

# Re-resolve the lock after changing pyproject.toml (needs the network).
lock:
	$(PY) -m pip install --quiet uv
	.venv/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock
