# Two commands do everything on a fresh machine: `make test` and `make lab`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_OFFLINE := --record-mode=none --block-network --allowed-hosts=127.0.0.1,localhost,::1
LAB_PORT ?= 8888
LAB_NOTEBOOK := notebooks/quickstart.ipynb
# JupyterLab reads this venv's settings overrides before the user's own: no news pop-up, ever.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

.PHONY: test test-anyday lab setup check lint typecheck record sandbox bench clean docs

# The venv is (re)installed whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(VENV)/bin/pyright --version  # pyright runs on the machine's node: fail here, not in the tests, without it
	touch $@

$(LAB_OVERRIDES): $(VENV)/.installed
	mkdir -p $(@D)
	echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' > $@

setup: $(VENV)/.installed $(LAB_OVERRIDES)

## The whole suite, offline: cassettes replay, the sandbox runs on loopback. Then lint and types.
## In file order (the browser tests' shared JupyterLab is only checked that way); test-anyday shuffles.
test: setup
	$(PY) -m pytest $(PYTEST_OFFLINE) -p no:randomly $(PYTEST_ARGS)
	$(MAKE) --no-print-directory check

## The offline suite (browser tests aside) with the clock 400 days ahead, in a random order: no test
## depends on the day or on the order. Needs libfaketime (Debian: apt-get install faketime). Only the
## wall clock moves (a faked monotonic clock makes timed waits endless); tests/anyday/sitecustomize.py
## keeps time.sleep working under it, in the kernels too. DAYS_AHEAD=45 moves it less.
DAYS_AHEAD ?= 400
test-anyday: setup
	@command -v faketime >/dev/null || { echo "test-anyday needs faketime: apt-get install faketime"; exit 1; }
	PYTHONPATH=$(CURDIR)/tests/anyday FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f '+$(DAYS_AHEAD)d' \
	  $(PY) -m pytest $(PYTEST_OFFLINE) --ignore=tests/browser -p randomly $(PYTEST_ARGS)

check: lint typecheck

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

## Refresh the README's screenshots (docs/*.png) from the browser tests; a plain test run never writes them.
docs: setup
	WINGSPAN_REFRESH_DOCS=1 $(PY) -m pytest $(PYTEST_OFFLINE) tests/browser

## JupyterLab on the quick-start notebook (the built-in sandbox unless WINGSPAN_API_TOKEN is set).
lab: setup
	@echo "Opening $(LAB_NOTEBOOK): the URL printed below goes straight to it."
	$(PY) -m jupyterlab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) --allow-root \
	  --ServerApp.root_dir=$(CURDIR) --LabApp.news_url=None \
	  --LabApp.default_url=/lab/tree/$(LAB_NOTEBOOK)

## Re-record the cassettes: against the real API when WINGSPAN_API_TOKEN is set, else the sandbox.
record: setup
	$(PY) -m pytest tests/test_recorded.py --record-mode=rewrite $(PYTEST_ARGS)

## A sandbox in the foreground (prints its URL and token).
sandbox: setup
	$(PY) -m wingspan_nb.sandbox

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

## Benchmarks (ratios measured side by side in one run), written to BENCHMARKS.md.
bench: setup
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	rm -rf benchmarks/results
	cd benchmarks && for b in bench_*.py; do ../$(PY) $$b || exit 1; done
	{ echo "# Benchmarks"; echo; echo "Measured by \`make bench\` on $$(nproc) cores, $$(date -u +%Y-%m-%d). Ratios are medians over shuffled rounds in one run."; echo; cat benchmarks/results/*.md; } > BENCHMARKS.md
