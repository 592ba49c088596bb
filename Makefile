# Casefile Audit: `make run` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy

.PHONY: install python-deps node-deps assets migrate demo run test test-days print-hard-days lint format check benchmark clean

install: python-deps node-deps assets

# uv installs the locked dependencies; it is itself installed from PyPI into .tools/.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

python-deps: $(UV)
	$(UV) sync --locked --quiet

# GOV.UK Frontend and axe-core come from the npm registry, pinned by package-lock.json.
node-deps:
	@if [ ! -d node_modules/govuk-frontend ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund --loglevel=error; \
	fi

# The stylesheet is built again only when its Sass or GOV.UK Frontend's version changed, so
# two `make test` at once (.ci/run) never write it while the other's browser reads it.
assets: static/build/app.css

static/build/app.css: $(wildcard static/src/*.scss) package-lock.json | node-deps
	npm run --silent build:css

migrate: python-deps
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# Web, Celery worker and beat in one terminal; Ctrl-C stops all three.
run: install demo
	@mkdir -p var
	@echo
	@echo "Casefile Audit is starting on http://127.0.0.1:8000 (Ctrl-C stops it)."
	@echo
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} .venv/bin/honcho --no-colour start -f Procfile.dev

# The browser and PDF tests need Chromium and pdftotext: scripts/ensure-browser finds them
# (CHROMIUM_PATH, Debian's, Playwright's own) or installs Debian's as root, else says what to
# install. `make test PYTEST_ARGS="-m 'not browser'"` runs without a browser.
test: install
	@if [[ "$(PYTEST_ARGS)" == *"not browser"* ]]; then browser="$${CHROMIUM_PATH:-}"; \
	else browser=$$(scripts/ensure-browser) || exit 1; fi; \
	echo "$(PY) -m pytest $(PYTEST_ARGS)"; \
	CHROMIUM_PATH="$$browser" $(PY) -m pytest $(PYTEST_ARGS)

# The suite without the browser, travelled to days that break date arithmetic: a leap day,
# the last and first days of a year, Good Friday, the first working day of a month, a Sunday.
HARD_DAYS ?= 2028-02-29 2026-12-31 2027-01-01 2027-03-26 2027-02-01 2027-01-03
test-days: install
	scripts/test-days $(HARD_DAYS)

print-hard-days:
	@echo $(HARD_DAYS)

lint: python-deps
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

format: python-deps
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

check: python-deps
	$(PY) manage.py makemigrations --check --dry-run

benchmark: install
	$(PY) -m benchmarks

clean:
	rm -rf .venv $(TOOLS) node_modules static/build staticfiles var
