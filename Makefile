# The two commands: `make run` (serve the demo) and `make test` (the whole suite).
# Everything lives in .venv; data lives in instance/ (kept by `make clean`).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
# Installs are redone only when a requirements file changes (these stamps are older).
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
PO := $(wildcard forum/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)
LOCALES := zh en

.PHONY: run test lint translations compile-translations clean

run: $(RUNTIME_STAMP) compile-translations
	$(FLASK) db upgrade
	$(FLASK) forum seed-demo
	$(BIN)/python wsgi.py

# The whole suite on SQLite, two workers (one per core). With FORUM_TEST_POSTGRES_URL it
# runs again on PostgreSQL, browser tests left out (they add nothing database-specific).
test: $(DEV_STAMP) compile-translations
	$(BIN)/pytest -n 2
	@if [ -n "$${FORUM_TEST_POSTGRES_URL:-}" ]; then \
		echo "== the suite again on PostgreSQL (browser tests ran above) =="; \
		FORUM_TEST_DATABASE_URL="$$FORUM_TEST_POSTGRES_URL" $(BIN)/pytest -n 2 -m "not browser"; \
	fi

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $(RUNTIME_STAMP) $@

compile-translations: $(MO)

%.mo: %.po | $(RUNTIME_STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

# Re-extract every msgid from the code and templates, merge into both catalogues, compile.
translations: $(RUNTIME_STAMP)
	mkdir -p forum/translations
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location --sort-output \
		--ignore-dirs ".* __pycache__" \
		--project "class forum" -o forum/translations/messages.pot .
	for locale in $(LOCALES); do \
		if [ -f forum/translations/$$locale/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel -q update -i forum/translations/messages.pot -d forum/translations -l $$locale \
				--no-fuzzy-matching --ignore-obsolete; \
		else \
			$(BIN)/pybabel -q init -i forum/translations/messages.pot -d forum/translations -l $$locale; \
		fi; \
	done
	$(BIN)/pybabel -q compile -d forum/translations
	$(BIN)/python scripts/i18n_check.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find forum/translations -name '*.mo' -delete
