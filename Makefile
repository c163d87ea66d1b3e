# The index of every task. `make demo` and `make test` are all a new user needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HRTRACK_PORT ?= 8000
APERTIUM := /usr/share/apertium/modes/spa-eng.mode
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

#: The PostgreSQL server where bench/search.py makes its own database for its second run (33k and a million items).
BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432/

.PHONY: demo test install lint check messages clean-db bench apertium

$(BIN)/hrtrack: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/hrtrack ## create .venv and install hrtrack with what the tests need

# Spanish search queries are translated into English by Apertium (hrtrack/nlp/translate.py): Debian's
# apertium and its English-Spanish pair, installed here when they are missing (as root, or with sudo).
# The tests need them; the demo installs them if it can, and searches without translation otherwise.
apertium: $(APERTIUM) ## install Apertium (Debian's apertium and apertium-eng-spa) for Spanish queries
$(APERTIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq apertium apertium-eng-spa

# The tests also export the embedding model once (torch, CPU build, from the local disk).
$(VENV)/.export-installed: pyproject.toml $(BIN)/hrtrack
	$(BIN)/python -m pip install --quiet -e '.[test,export]'
	touch $@

demo: install $(VENV)/.export-installed ## migrate, load the demo data, create an administrator, serve at http://127.0.0.1:$(HRTRACK_PORT)
	@$(MAKE) --no-print-directory apertium || echo "hrtrack: Apertium could not be installed: Spanish queries are searched without translation (docs/search.md)"
	$(BIN)/hrtrack migrate --no-input
	$(BIN)/hrtrack demo
	HRTRACK_PORT=$(HRTRACK_PORT) $(BIN)/hrtrack serve

# The browser tests (hrtrack/tests/browser) drive Debian's Chromium through Playwright, which never
# downloads a browser of its own: installed here when it is missing (as root, or with sudo).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver

# The browser tests check accessibility with axe-core, installed from the npm registry into var/node/ (not
# committed; npm itself from Debian when it is missing).
AXE_VERSION := 4.14.1
AXE := var/node/node_modules/axe-core/axe.min.js
$(AXE):
	command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm; }
	npm install --prefix var/node --no-save --no-audit --no-fund --silent axe-core@$(AXE_VERSION)
	test -f $@

# On every core (pytest-xdist). `--dist load` hands each worker its tests in pytest-django's order
# (tests that flush the database last); by file, a flush would empty the tables under the next file.
# ARGS passes more (make test ARGS='hrtrack/search -x'). Slow fixtures are kept in var/test-cache/.
test: install $(VENV)/.export-installed $(CHROMIUM) $(AXE) $(APERTIUM) ## run the tests (SQLite, or PostgreSQL when DATABASE_URL is set)
	$(BIN)/pytest -n auto --dist load $(ARGS)

lint: install ## ruff and the migrations check
	$(BIN)/ruff check .
	$(BIN)/hrtrack makemigrations --check --dry-run

messages: install ## refresh the translation catalogues (needs gettext) and compile them
	cd hrtrack && ../$(BIN)/django-admin makemessages --locale es --ignore 'tests/*' --no-location
	cd hrtrack && ../$(BIN)/django-admin compilemessages --locale es

clean-db: ## delete the SQLite database in var/ (the secret key stays)
	rm -f var/hrtrack.sqlite3 var/hrtrack.sqlite3-wal var/hrtrack.sqlite3-shm

bench: install ## run the benchmarks in bench/ (they print their figures)
	$(BIN)/python -m pip install --quiet -e '.[test,bench,export]'
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/extract_unseen.py
	$(BIN)/python bench/import_upr.py
	$(BIN)/python bench/import_uhri.py
	$(BIN)/python bench/import_check.py
	$(BIN)/python bench/classify.py
	$(BIN)/python bench/suggest.py
	$(BIN)/python bench/embeddings.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/search.py --postgres $(BENCH_POSTGRES) --modes text --no-datasette
	$(BIN)/python bench/search_relevance.py
	$(BIN)/python bench/repeats.py
	$(BIN)/python bench/pages.py --var-dir var/bench-pages --make-demo
	$(BIN)/python bench/expensive.py --var-dir var/bench-pages
	$(BIN)/python bench/load.py
