# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup samples bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	@# exit 1 means findings were written, which is the job done
	$(BIN)/extractor batch samples/batch -o output/ || [ $$? -eq 1 ]

test: $(STAMP)
	$(BIN)/python -m pytest

samples: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,samples]'
	$(BIN)/python samples/generate.py

bench: $(STAMP)
	$(BIN)/python bench/pdf_reader.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/accuracy.py
	$(BIN)/python bench/extract_speed.py
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) output/*.json output/*.csv output/*.xlsx output/*.html
