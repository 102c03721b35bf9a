# Every target creates .venv when it is missing and installs the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench format figures cities screenshot clean translations translations-extract translations-update
LOCALE := coach/locale

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot run-or-playground

test: $(STAMP)
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot coach handlers storage playground miniapp tests bench scripts
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench

figures: $(STAMP)
	$(BIN)/python scripts/draw_figures.py

# The cities the time zone question reads (coach/zone_cities.py), extracted from GeoNames.
cities: $(STAMP)
	$(BIN)/python scripts/extract_cities.py

# The gettext catalogs (coach/i18n.py). After changing English texts or routine.toml:
# `make translations-update`, translate the new or fuzzy entries in each .po, then
# `make translations`. The bot also compiles a .po that is newer than its .mo on first use.
translations-extract: $(STAMP)
	$(BIN)/python scripts/i18n_catalog.py

translations-update: translations-extract
	$(BIN)/pybabel update -i $(LOCALE)/limber.pot -d $(LOCALE) -D limber -w 100

translations: $(STAMP)
	$(BIN)/pybabel compile -d $(LOCALE) -D limber --statistics

# Needs Debian's chromium, as the browser tests do, and an emoji font so the buttons show
# their emoji: apt-get install -y chromium fonts-noto-color-emoji
screenshot: $(STAMP)
	@fc-list | grep -qi emoji || { echo "No emoji font: apt-get install -y fonts-noto-color-emoji" >&2; exit 1; }
	LIMBER_SCREENSHOT=$(CURDIR)/docs/playground.png \
		LIMBER_MINI_APP_SCREENSHOT=$(CURDIR)/docs/mini-app.png $(BIN)/python -m pytest -q \
		tests/browser -k "test_onboarding_and_a_logged_set_in_the_browser or test_a_whole_session_hands_free"

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
