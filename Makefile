# Two commands set up everything: `make bulletin` (the sample month's bulletin) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MONTH ?= 2023-03
DATA ?= data/sample

.PHONY: bulletin tables test check lint validate sample lab wheelhouse clean

bulletin: $(VENV)/.installed
	$(BIN)/hotline run $(MONTH) --data $(DATA)

tables: $(VENV)/.installed
	$(BIN)/hotline tables $(MONTH) --data $(DATA)

validate: $(VENV)/.installed
	$(BIN)/hotline validate --data $(DATA)

# Everything, as CI runs it (.ci/run): lint (ruff, mypy), then every test (about 6 minutes on a quiet two-core machine, tests/test_offline.py's wheelhouse among them).
test: $(VENV)/.installed lint
	$(BIN)/pytest

# The fast tier while editing: lint (ruff, mypy) and the tests not marked slow (well under a minute).
check: $(VENV)/.installed lint
	HOTLINE_QUICK=1 $(BIN)/pytest -m "not slow"

# ruff, then the type checker over lib/ (mypy; its settings are pyproject.toml's [tool.mypy]).
lint: $(VENV)/.installed
	$(BIN)/ruff check lib tests notebooks/bulletin.py notebooks/explore.py benchmarks scripts
	$(BIN)/mypy

# Regenerate the synthetic sample exports (deterministic; the result is committed).
sample: $(VENV)/.installed
	$(BIN)/python scripts/make_sample.py
	$(BIN)/python scripts/check_sample.py

# JupyterLab on the notebook (hotline lab, which any OS runs as `python -m hotline lab`): the file
# browser at the repository root (data/<district>/ wording, month.yaml, stories and output/ open
# from the lab; the kernel still starts in notebooks/), the whole page in the bundled fonts.
# notebooks/bulletin.py and explore.py are the sources; the .ipynb files they are paired with
# (jupytext) hold the outputs and stay out of git. LAB_ARGS goes to jupyter lab, e.g.
# LAB_ARGS="--ip=0.0.0.0 --no-browser".
LAB_ARGS ?=
lab: $(VENV)/.installed
	$(BIN)/hotline lab --root . $(LAB_ARGS)

# Wheels of the package and every dependency for a PC without internet (scripts/wheelhouse.py; README,
# "Office PC without internet"): PLATFORM is the PC's wheel platform tag (win_amd64,
# manylinux_2_28_x86_64, manylinux_2_28_aarch64; empty: this machine), PYTHON_VERSION its Python
# (default: $(PYTHON)'s), LAB=1 adds JupyterLab, e.g. `make wheelhouse PLATFORM=win_amd64 PYTHON_VERSION=3.11`.
WHEELHOUSE ?= wheelhouse
wheelhouse:
	$(PYTHON) scripts/wheelhouse.py -o $(WHEELHOUSE) $(if $(PLATFORM),--platform $(PLATFORM)) \
		$(if $(PYTHON_VERSION),--python $(PYTHON_VERSION)) $(if $(LAB),--lab)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -e '.[test,lab]'
	# Bytecode for the editable package too, as pip writes it for the others: every kernel
	# imports it, and where PYTHONDONTWRITEBYTECODE is set nothing would cache it.
	$(BIN)/python -m compileall -q lib
	touch $@

clean:
	rm -rf $(VENV) output
