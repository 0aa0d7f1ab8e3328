# Two commands for a fresh machine: `make book` builds the HTML book, `make test` runs the tests.
# Both create .venv, install the pinned requirements and the project itself (editable) first
# (only when requirements.txt or pyproject.toml changed).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SEEDS  ?= seeds
OUT    ?= _build
PARAMS ?=
JOBS   ?=
ENGINE ?= local
SCHEDULER ?=
BUILD_ARGS = --seeds "$(SEEDS)" --out "$(OUT)" $(foreach p,$(PARAMS),--param $(p)) \
             $(if $(JOBS),--jobs $(JOBS)) --engine $(ENGINE) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

.PHONY: book pdf test test-fast lint check clean venv bench validate-stats bench-scale stage

book: $(VENV)/.installed  ## build the HTML book (SEEDS=folder for your own articles)
	$(PY) -m scripts.build $(BUILD_ARGS)

pdf: $(VENV)/.installed   ## HTML book + _build/pdf/book.pdf (needs the TeX packages listed in README)
	$(PY) -m scripts.build $(BUILD_ARGS) --pdf

test: $(VENV)/.installed  ## the full suite: lint, unit tests, end-to-end builds, browser and PDF checks, the statistics benchmark at CI size
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q -rs tests
	$(PY) tools/validate_stats.py --quick --out "$(OUT)/validate_stats.csv"

test-fast: $(VENV)/.installed  ## unit tests only (no book builds, browser or PDF): the inner loop, < 60 s
	$(PY) -m pytest -q -rs -m "not e2e and not browser and not pdf" tests

lint: $(VENV)/.installed  ## ruff (rules and line length in pyproject.toml)
	$(VENV)/bin/ruff check .

check: $(VENV)/.installed ## validate a seeds folder without building
	$(PY) -m scripts.seeds check "$(SEEDS)"

validate-stats: $(VENV)/.installed ## simulation benchmark of the article-level inference (coverage, false claims, power); QUICK=1: CI size (~20 s)
	$(PY) tools/validate_stats.py $(if $(QUICK),--quick) --out "$(OUT)/validate_stats.csv"

stage: $(VENV)/.installed ## run the analysis stage alone (JOBS=N, ENGINE=dask, SCHEDULER=tcp://...) into $(OUT)/analysis
	$(PY) -m scripts.stage "$(SEEDS)" --store "$(OUT)/analysis" $(if $(JOBS),--jobs $(JOBS)) --engine $(ENGINE) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

bench: $(VENV)/.installed ## time cold, no-change and one-seed-changed builds
	$(PY) tools/bench_build.py

bench-scale: $(VENV)/.installed-bench ## time the analysis on synthetic corpora (SIZES="100 1000" for a quick run; default 100 1000 10000) -> $(OUT)/bench/
	$(PY) tools/bench_scale.py --out "$(OUT)/bench" $(if $(SIZES),--sizes $(SIZES))

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-bench: requirements-bench.txt $(VENV)/.installed  ## the benchmark's baseline (scikit-learn), not the book's
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@

clean:                    ## remove the build folder (keeps .venv)
	rm -rf $(OUT)
