# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
STATIC_STAMP := $(or $(STATIC_ROOT),var/static)/staticfiles.json

.PHONY: run test lint system-deps bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("minsheng needs Python >= 3.11" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

# Migrate, load the catalog, reference data and the demo district (into a fresh database;
# later runs keep what staff changed), collect the static files (fingerprinted, compressed), then
# serve pages, API and admin through gunicorn on 127.0.0.1:$(PORT), as production does, with the
# background worker beside it (stopped with the server).
run: export STATIC_MANIFEST := 1
run: $(STAMP) system-deps $(STATIC_STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference --only-missing
	$(BIN)/python manage.py load_catalog --if-empty
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	echo "minsheng: http://127.0.0.1:$(PORT)/  (demo logins in the README; Ctrl-C stops)"; \
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} minsheng.wsgi

# Static files are collected again only when one changed (compressing Swagger UI takes a while).
$(STATIC_STAMP): $(STAMP) $(shell find static */static -type f 2>/dev/null)
	STATIC_MANIFEST=1 $(BIN)/python manage.py collectstatic --noinput --verbosity 0

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
