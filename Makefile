# Two commands: `make run` serves the guard on 127.0.0.1; `make test` sets up and runs every test.
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup test-setup bench faults docs clean

setup:
	@scripts/bootstrap.sh requirements.txt

test-setup:
	@scripts/bootstrap.sh requirements-test.txt
	@scripts/ensure-postgres.sh
	@scripts/ensure-chromium.sh
	@scripts/ensure-slapd.sh

run: setup
	@$(BIN)/flask --app app guard db upgrade
	@$(BIN)/flask --app app guard policies validate >/dev/null || echo "warning: some policy files are invalid (see above); valid versions serve" >&2
	@echo "Serving the guard on http://127.0.0.1:$(PORT)  (create a key: $(BIN)/flask --app app guard keys create --role dialer)"
	@PORT=$(PORT) exec $(BIN)/gunicorn -c gunicorn.conf.py "app:create_app()"

# The suite runs in PYTEST_WORKERS processes (pytest-xdist), a whole test file per worker at a time;
# each worker starts its own PostgreSQL cluster and browser. PYTEST_WORKERS=0 runs it in this process.
# Bytecode is written whatever PYTHONDONTWRITEBYTECODE says: the suite starts the guard's CLI and servers as new
# processes some thousand times, and each would otherwise compile the project's modules again (a third of a second).
# The run ends with its 15 slowest tests, so that a test that grew slow is seen in the run that made it so.
PYTEST_WORKERS ?= 2
test: test-setup
	@PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile) --durations=15 $(PYTEST_ARGS)

bench: test-setup
	@$(BIN)/python bench/check.py
	@$(BIN)/python bench/deny_cost.py
	@$(BIN)/python bench/batch.py
	@$(BIN)/python bench/scrub_isolation.py
	@$(BIN)/python bench/blacklist_import.py
	@$(BIN)/python bench/import_isolation.py
	@$(BIN)/python bench/lint.py
	@$(BIN)/python bench/lint_isolation.py
	@$(BIN)/python bench/audit.py
	@$(BIN)/python bench/audit_isolation.py
	@$(BIN)/python bench/simulation_isolation.py
	@$(BIN)/python bench/load.py
	@$(BIN)/python bench/chain.py

# Faults under load (PostgreSQL crash and restart, workers killed, SQLite disk full). Needs root (tmpfs mount).
faults: test-setup
	@$(BIN)/python bench/faults.py

docs: setup
	@$(BIN)/python scripts/update_docs.py
	@$(BIN)/python -m policies.lint_docs > docs/lint-rules.md

clean:
	rm -rf $(VENV) var .pytest_cache
