# Two commands on a fresh machine: `make demo` and `make test`. Both create or reuse .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DATA ?= data
OUT ?= reports
PORT ?= 8866

.PHONY: demo test lint unit notebooks install-check lab app bench xlsx clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@# the distribution was called `planning` before 0.1.0 was published; drop that old install
	@$(PY) -m pip uninstall --quiet --yes planning 2>/dev/null || true
	$(PY) -m pip install --quiet -e '.[dev]'   # dev = workbook, app, scale, books + the test tools
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m planning validate --data $(DATA)
	$(PY) -m planning report --data $(DATA) --all --out $(OUT)
	@echo "Open $(OUT)/index.html in a browser."

test: lint unit notebooks install-check

# A wheel built from this checkout, installed (not editable) into a fresh venv in a temporary
# folder: the core alone runs every core command and names the extra the others need; with
# [workbook,app,books] report, app, lab and import from Beancount run too.
install-check: $(STAMP)
	$(PY) scripts/check_install.py

lint: $(STAMP)
	$(PY) -m ruff check planning tests benchmarks scripts

unit: $(STAMP)
	$(PY) -m pytest tests

notebooks: $(STAMP)
	$(PY) -m pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=600 \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider notebooks/ planning/notebooks/

lab: $(STAMP)
	$(VENV)/bin/planning lab --dir notebooks

# The cockpit on DATA (`make app DATA=/home/me/acme`), served by Voila on localhost: see
# `planning app --help` (it serves with the "planning" Voila template, planning/share/voila:
# Voila's lab template without its CDN stylesheets, so the app loads nothing from the network).
app: $(STAMP)
	$(VENV)/bin/planning app --data "$(abspath $(DATA))" --out "$(abspath $(OUT))" --port $(PORT)

# Every benchmark, each printing its aims and whether each is met (benchmarks/timing.py); all
# run even when one misses, the total time is printed, and the target fails if any aim missed.
bench: $(STAMP)
	@start=$$(date +%s); failed=""; \
	for b in benchmarks/bench_*.py; do \
		echo "== $$b"; $(PY) $$b || failed="$$failed $$b"; \
	done; \
	echo "== make bench took $$(( $$(date +%s) - start )) s (aim: under 600 s)"; \
	if [ -n "$$failed" ]; then echo "aims missed in:$$failed"; exit 1; fi

xlsx: $(STAMP)
	$(PY) scripts/make_workbook.py $(DATA) $(DATA)/sample-company.xlsx

clean:
	rm -rf $(VENV) $(OUT)/*.html
