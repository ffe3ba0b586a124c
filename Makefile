# Two commands do everything on a fresh machine: `make test` and `make lab`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_OFFLINE := --record-mode=none --block-network --allowed-hosts=127.0.0.1,localhost,::1
LAB_PORT ?= 8888
LAB_NOTEBOOK := notebooks/quickstart.ipynb
# JupyterLab reads this venv's settings overrides before the user's own: no news pop-up, ever.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

.PHONY: test test-anyday lab setup check lint typecheck record sandbox bench clean docs screenshots dist

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
## keeps time.sleep working under it, and the processes tests start (kernels) run on the real clock.
## `-m` loads the thread-safe variant of the library: the plain one can crash a process whose threads
## read the clock at once (a sandbox server thread starting while the test thread waits).
## DAYS_AHEAD=45 moves it less.
DAYS_AHEAD ?= 400
test-anyday: setup
	@command -v faketime >/dev/null || { echo "test-anyday needs faketime: apt-get install faketime"; exit 1; }
	PYTHONPATH=$(CURDIR)/tests/anyday FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -m -f '+$(DAYS_AHEAD)d' \
	  $(PY) -m pytest $(PYTEST_OFFLINE) --ignore=tests/browser -p randomly $(PYTEST_ARGS)

check: lint typecheck

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

## The documentation site, into docs/_build/html: any Sphinx warning, unresolved reference or notebook
## cell that raises fails it. The tutorial notebooks run against a fresh local sandbox, never an account.
docs: setup
	env -u WINGSPAN_API_TOKEN -u WINGSPAN_SERVER_URL $(PY) -m sphinx -b html -W --keep-going -n -q docs docs/_build/html

## Refresh the screenshots in docs/*.png from the browser tests; a plain test run never writes them.
screenshots: setup
	WINGSPAN_REFRESH_DOCS=1 $(PY) -m pytest $(PYTEST_OFFLINE) tests/browser

## The sdist and the wheel, into dist/, checked by twine.
dist: setup
	rm -rf dist
	$(PY) -m build --outdir dist .
	$(PY) -m twine check --strict dist/*

## JupyterLab on the quick-start notebook (the built-in sandbox unless WINGSPAN_API_TOKEN is set).
lab: setup
	@echo "Opening $(LAB_NOTEBOOK) on 127.0.0.1:$(LAB_PORT) (the next free port if that one is taken; choose"
	@echo "another with 'make lab LAB_PORT=9000'). The URL JupyterLab prints below, token included, goes straight to it."
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
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache docs/_build dist

## Benchmarks (ratios measured side by side in one run), written to BENCHMARKS.md.
bench: setup
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	rm -rf benchmarks/results
	cd benchmarks && for b in bench_*.py; do ../$(PY) $$b || exit 1; done
	{ echo "# Benchmarks"; echo; echo "Measured by \`make bench\` on $$(nproc) cores, $$(date -u +%Y-%m-%d). Ratios are medians over shuffled rounds in one run."; echo; cat benchmarks/results/*.md; } > BENCHMARKS.md
