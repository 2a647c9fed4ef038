# Quick start: `make demo` and `make test` each set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: demo test wheel-check bench dictionary typecheck clean pictures

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Bytecode is compiled once at setup: the generated tables are large, and a process that
# cannot write its own cache (PYTHONDONTWRITEBYTECODE) would otherwise compile them each time.
$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[codecs]"
	$(BIN)/python -m compileall -q authoring >/dev/null
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m compileall -q authoring >/dev/null
	touch $@ $(RUNTIME_STAMP)

demo: $(RUNTIME_STAMP)
	$(BIN)/python examples/tour.py examples/output/tour

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

# the README's picture of each synthetic-study recipe (docs/recipes/*.png)
pictures: $(RUNTIME_STAMP)
	$(BIN)/python examples/recipe_pictures.py docs/recipes

# the built wheel in a clean virtual environment, every documented command run from it
wheel-check: $(TEST_STAMP)
	bash .ci/check-wheel

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run_all.py

dictionary: $(TEST_STAMP)
	$(BIN)/authoring dictionary build

typecheck: $(TEST_STAMP)
	$(BIN)/python -m mypy
	$(BIN)/python -m pyright -p pyright-package.json --pythonpath $(BIN)/python

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache
