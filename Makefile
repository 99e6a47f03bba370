# Two commands matter: `make run` (the app with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test check install messages clean

$(STAMP): pyproject.toml
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		echo "python3 -m venv is unavailable; using virtualenv instead"; \
		$(PYTHON) -m pip install --user --quiet virtualenv && $(PYTHON) -m virtualenv --quiet $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

run: $(STAMP)
	$(BIN)/ruam migrate
	$(BIN)/ruam demo
	$(BIN)/ruam serve --with-worker

test: $(STAMP)
	$(BIN)/python -m pytest

# Lint and type checks (pyproject.toml says which rules and how strict); CI runs them before the tests.
check: $(STAMP)
	$(BIN)/ruff check server schema web workers tests benchmarks
	$(BIN)/mypy

# Re-extract user-facing strings and merge them into the Thai and English catalogues.
messages: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -o server/locale/ruam.pot --no-location \
		--sort-output --project Ruam server web schema workers
	$(BIN)/pybabel -q update -i server/locale/ruam.pot -d server/locale -D ruam --no-fuzzy-matching

clean:
	rm -rf $(VENV) var
