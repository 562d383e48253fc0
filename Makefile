# Everything runs from a fresh machine with only Python 3.11: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export SECRET_KEY ?= insecure-local-key-for-demo-and-tests
PYTEST_WORKERS ?= 2

.PHONY: demo serve test test-postgres lint mypy-baseline browser messages clean-demo

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e ".[test]"
	touch $@

# The demo runs as production does (DEBUG off, gunicorn, static files collected) over plain
# http on loopback, on the cable's day: pages, new records and reports are as on 8 November
# 1961. Its keys are for the demo's made-up people only, never for real data.
DEMO_ENV := DEBUG=0 HTTPS=0 ALLOWED_HOSTS=127.0.0.1,localhost WAYSTATION_TODAY=1961-11-08 \
	DOCUMENT_KEYS_SECRET=demo-only-document-keys-never-for-real-data \
	AUDIT_CHAIN_KEY=demo-only-audit-chain-key-never-for-real-data \
	HEALTH_NOTES_KEY=5Qt2pMRhRUVm7r0SKrbdGj0RlN59denUE_Fj_6sRpR8=
demo: $(VENV)/.installed
	$(DEMO_ENV) $(PY) manage.py migrate --no-input -v0
	$(DEMO_ENV) $(PY) manage.py load_demo --if-empty
	$(DEMO_ENV) $(PY) manage.py collectstatic --no-input -v0
	@$(DEMO_ENV) $(PY) manage.py demo_logins
	@# the task queue's worker runs long work (batch dedup, placement runs, imports) beside
	@# the server, and stops with it
	@echo "Serving the demo on http://127.0.0.1:8000 (Ctrl+C stops it)"
	@$(DEMO_ENV) $(PY) manage.py db_worker --no-reload --interval 1 -v0 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(VENV)/bin/gunicorn waystation.wsgi --workers 3 --bind 127.0.0.1:8000 --log-level warning

browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's Chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "!!! /usr/bin/chromium is missing and this is not root: BROWSER TESTS WILL BE SKIPPED !!!"; \
	fi

test: $(VENV)/.installed-test browser
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -q

test-postgres: $(VENV)/.installed-test browser
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL=postgres://user@host:port/dbname" && exit 2)
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -q --create-db

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	@# mypy with django-stubs: any error not in mypy-baseline.txt fails; after fixing old ones,
	@# `make mypy-baseline` records the lower baseline
	DEBUG=1 $(VENV)/bin/mypy . | $(VENV)/bin/mypy-baseline filter --no-colors

mypy-baseline: $(VENV)/.installed-test
	DEBUG=1 $(VENV)/bin/mypy . | $(VENV)/bin/mypy-baseline sync

# Apps added after the foundation keep their own catalogs in <app>/locale; stations, people
# and api share waystation/locale.
APPS_WITH_OWN_LOCALE := $(filter-out waystation,$(patsubst %/locale,%,$(wildcard */locale)))
messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l ko -l zh_Hans --ignore '.venv/*' --ignore 'bench/*' $(foreach app,$(APPS_WITH_OWN_LOCALE),--ignore '$(app)/*')
	for app in $(APPS_WITH_OWN_LOCALE); do (cd $$app && DEBUG=1 ../$(PY) ../manage.py makemessages -l ko -l zh_Hans) || exit 1; done
	DEBUG=1 $(PY) manage.py compilemessages --ignore '.venv/*'
