# Quick start: `make demo` and `make test` each set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: demo test bench dictionary typecheck clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[codecs]"
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(RUNTIME_STAMP)

demo: $(RUNTIME_STAMP)
	$(BIN)/python examples/foundation_demo.py
	$(BIN)/python examples/ct_image.py
	$(BIN)/python examples/secondary_capture.py
	$(BIN)/python examples/comprehensive_sr.py
	$(BIN)/python examples/codify_walkthrough.py
	$(BIN)/authoring convert examples/output/ct_image.dcm examples/output/ct_image_j2k.dcm -t j2k
	$(BIN)/authoring show examples/output/ct_image_j2k.dcm --png examples/output/ct_image.png
	$(BIN)/authoring validate examples/output/ct_image.dcm examples/output/secondary_capture.dcm examples/output/comprehensive_sr.dcm

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run_all.py

dictionary: $(TEST_STAMP)
	$(BIN)/authoring dictionary build

typecheck: $(TEST_STAMP)
	$(BIN)/python -m mypy

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache
