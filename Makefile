# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint system-deps bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("minsheng needs Python >= 3.11" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

# Migrate, load the catalog, reference data and the demo district (into a fresh database;
# later runs keep what staff changed), then serve pages, API and admin on 127.0.0.1:$(PORT)
# with the background worker beside it (stopped with the server).
run: $(STAMP) system-deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference --only-missing
	$(BIN)/python manage.py load_catalog --if-empty
	$(BIN)/python manage.py load_bundles --if-empty
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --noreload

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Benchmarks print their figures (see README); bench/intake.py needs DATABASE_URL=postgres://…
bench: $(STAMP)
	@bash scripts/system-deps.sh bench
	$(BIN)/python bench/search.py
	@if echo "$$DATABASE_URL" | grep -q '^postgres'; then $(BIN)/python bench/intake.py; fi

clean:
	rm -rf $(VENV) var
