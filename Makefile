# Two commands for a fresh machine: `make book` builds the HTML book, `make test` runs the tests.
# Both create .venv and install the pinned requirements first (only when requirements.txt changed).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SEEDS  ?= seeds
OUT    ?= _build
PARAMS ?=
BUILD_ARGS = --seeds "$(SEEDS)" --out "$(OUT)" $(foreach p,$(PARAMS),--param $(p))

.PHONY: book pdf test check clean venv bench

book: $(VENV)/.installed  ## build the HTML book (SEEDS=folder for your own articles)
	$(PY) -m scripts.build $(BUILD_ARGS)

pdf: $(VENV)/.installed   ## HTML book + _build/pdf/book.pdf (needs the TeX packages listed in README)
	$(PY) -m scripts.build $(BUILD_ARGS) --pdf

test: $(VENV)/.installed  ## run the test suite
	$(PY) -m pytest -q tests

check: $(VENV)/.installed ## validate a seeds folder without building
	$(PY) -m scripts.seeds check "$(SEEDS)"

bench: $(VENV)/.installed ## time cold, no-change and one-seed-changed builds
	$(PY) tools/bench_build.py

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

clean:                    ## remove the build folder (keeps .venv)
	rm -rf $(OUT)
