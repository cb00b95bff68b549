# open CARM — every command installs what it needs first (venv, Python packages, front-end assets).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
APT_PACKAGES := chromium chromium-driver gettext poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: help run smoke lint test test-fast test-browser check setup system-packages assets messages demo bench mutation

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

system-packages: ## Debian packages: Chromium for browser tests, gettext, PDF libraries
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

assets: ## GC Design System, htmx and axe-core from npm (pinned), into static/vendor
	bash scripts/fetch_assets.sh

messages: $(VENV)/.installed ## Compile the French translations of every app
	$(MANAGE) compilemessages --ignore=.venv --ignore=static --ignore=staticfiles -v 0

setup: system-packages $(VENV)/.installed assets messages

demo: setup ## Migrate and load the demo data (safe to repeat)
	mkdir -p var
	$(MANAGE) migrate --noinput -v 0
	# The demo's story notifies its people: those e-mails go to var/mail, not over the set-up's output.
	EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend $(MANAGE) seed_demo
	# The scheduled work from the demo's last day to today (nightly interest, statements, expiry...).
	EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend $(MANAGE) catch_up
	$(MANAGE) collectstatic --noinput -v 0

run: demo ## Set up and serve the portal on http://127.0.0.1:8000 (SQLite, tasks inline, demo data)
	@echo ""
	@echo "  open CARM is at http://127.0.0.1:8000/  — demo sign-ins (password Demo-pass-2026):"
	@echo "    alice@maple.example (importer), rita@maple.example (employee), bob@northern.example (broker),"
	@echo "    tina@tidewater.example (trade consultant); CBSA officers (workbench at /en/cbsa/): olivia@cbsa.example"
	@echo "    (supervisor), remi@ (revenue), tariq@ (trade), rose@ (recourse), aude@cbsa.example (auditor)"
	@echo "  six-digit code: $(MANAGE) demo_totp alice@maple.example"
	@echo "  tariff search ranks by meaning once var/embed.log says the vectors are done (a few minutes)"
	@echo ""
	$(MANAGE) embed_tariff > var/embed.log 2>&1 &
	$(MANAGE) runserver 127.0.0.1:8000

smoke: demo ## What CI proves of `make run`: the same set-up, then pages and static files served on a private port
	$(PY) scripts/smoke.py 8765

lint: $(VENV)/.installed ## ruff: lint and formatting; import-linter: the layers (the suite runs it first)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: setup lint ## The whole suite (set TEST_DATABASE_URL for PostgreSQL), browser tests included
	mkdir -p var test-artifacts
	$(MANAGE) makemigrations --check --dry-run --settings=carm.test_settings
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: setup ## The suite without the browser tests
	mkdir -p var
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

bench: setup ## Run every benchmark under bench/
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

mutation: $(VENV)/.installed ## Mutation testing of the money modules (mutation.toml): score and survivors per module
	mkdir -p var
	$(PY) scripts/mutation.py $(MUTATION_ARGS)
