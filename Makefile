# Two commands on a fresh machine: `make demo` and `make test`. Both create or reuse .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DATA ?= data
OUT ?= reports
PORT ?= 8866

.PHONY: demo test lint unit notebooks lab app bench xlsx clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m planning validate --data $(DATA)
	$(PY) -m planning report --data $(DATA) --all --out $(OUT)
	@echo "Open $(OUT)/index.html in a browser."

test: lint unit notebooks

lint: $(STAMP)
	$(PY) -m ruff check planning tests benchmarks scripts

unit: $(STAMP)
	$(PY) -m pytest tests

notebooks: $(STAMP)
	$(PY) -m pytest --nbval-lax --nbval-current-env --nbval-cell-timeout=600 \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider notebooks/ planning/notebooks/

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

# The cockpit on DATA (`make app DATA=/home/me/acme`): papermill writes the notebook with
# DATA and the design path in its parameters, then Voila serves that copy on localhost.
APP_NOTEBOOK := $(OUT)/.app/01_explore_bonus.ipynb
# The "planning" Voila template (planning/share/voila/templates/planning) is Voila's lab
# template without its CDN stylesheets: the app loads nothing from the network.
app: export JUPYTER_PATH := $(abspath planning/share)
app: $(STAMP)
	@mkdir -p $(dir $(APP_NOTEBOOK))
	$(VENV)/bin/papermill --prepare-only --no-progress-bar planning/notebooks/01_explore_bonus.ipynb \
		$(APP_NOTEBOOK) -r data_path "$(abspath $(DATA))" \
		-r design_path "$(abspath $(OUT))/plan-design.yaml"
	$(VENV)/bin/voila $(APP_NOTEBOOK) --no-browser --port=$(PORT) --Voila.ip=127.0.0.1 --template=planning

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(PY) $$b || exit 1; done

xlsx: $(STAMP)
	$(PY) scripts/make_workbook.py $(DATA) $(DATA)/sample-company.xlsx

clean:
	rm -rf $(VENV) $(OUT)/*.html
