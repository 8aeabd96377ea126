# Every target makes and fills .venv itself: a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# TypeScript, for `make lint` only (package.json, pinned in package-lock.json).
NODE_STAMP := node_modules/.installed-stamp
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test test-fast lint lock lock-check format bench browser images migrate messages rules clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $@

# npm ci empties node_modules and installs exactly the lock: again whenever the lock changes.
$(NODE_STAMP): package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## Serve the app at http://127.0.0.1:8000 (HOST, PORT and DATABASE_URL override).
run: $(STAMP)
	$(BIN)/python -m server

## Bring the database at DATABASE_URL up to date (the server also does this at start).
migrate: $(STAMP)
	$(BIN)/python -m server.migrate

## Install everything (Chromium included) and run the whole suite, browser tests too.
test: $(STAMP) browser
	$(BIN)/python -m pytest

## The quick loop while working: no browser, few property examples (make test: all).
test-fast: $(STAMP)
	HYPOTHESIS_PROFILE=fast $(BIN)/python -m pytest -m "not browser" -q

## Lint, check formatting and types (Python and JavaScript), and that requirements.lock is what `make lock` makes.
lint: $(STAMP) $(NODE_STAMP) lock-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	npx --no-install tsc -p jsconfig.json

# The Docker image's dependencies: pyproject.toml's (and the postgres extra's, and
# the build backend), every one pinned with the hashes of all its files on PyPI.
# pip-compile keeps the pins the lock already has; `make lock LOCK_ARGS=--upgrade`
# moves them all to the newest (or LOCK_ARGS="-P fastapi" one). Python 3.11, as
# in the image.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
  --allow-unsafe --strip-extras --extra postgres --build-deps-for wheel \
  --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

## Make requirements.lock again from pyproject.toml (after changing a dependency).
lock: $(STAMP)
	$(PIP_COMPILE) --output-file requirements.lock pyproject.toml

## Fail when requirements.lock is not what `make lock` makes of pyproject.toml (needs PyPI).
lock-check: $(STAMP)
	@tmp=$$(mktemp -d) && cp requirements.lock "$$tmp/" && \
	  { $(PIP_COMPILE) --output-file "$$tmp/requirements.lock" pyproject.toml 2> "$$tmp/log" \
	    || { cat "$$tmp/log"; rm -rf "$$tmp"; exit 1; }; } && \
	  if diff -u requirements.lock "$$tmp/requirements.lock"; then rm -rf "$$tmp"; \
	  else rm -rf "$$tmp"; echo "requirements.lock does not match pyproject.toml: run make lock"; exit 1; fi

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Gather the page strings into server/i18n/messages.pot and merge them into each
## language's .po (translate the new entries; the server compiles them at start).
messages: $(STAMP)
	$(BIN)/pybabel extract -F server/i18n/babel.cfg -k _ -k gettext -k ngettext:1,2 -k pgettext:1c,2 \
	  --no-location --sort-output --omit-header -o server/i18n/messages.pot .
	$(BIN)/pybabel update -i server/i18n/messages.pot -d server/i18n/locales \
	  --no-fuzzy-matching --ignore-obsolete

## Write web/static/js/lib/rules.js again from the server's constants (server/rules.py).
rules: $(STAMP)
	$(BIN)/python -m server.rules > web/static/js/lib/rules.js

## Measure page weight and API throughput; see README for the budgets.
bench: $(STAMP)
	$(BIN)/python -m bench

## Remake the PNG icons and install-sheet screenshots from our drawings and pages.
images: $(STAMP) browser
	$(BIN)/python web/make_images.py

# The browser tests drive Debian's Chromium; Playwright cannot download its own here.
browser:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium package for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
