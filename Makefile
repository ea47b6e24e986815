# Papershelf: `make run` opens the app, `make test` runs the suite. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Debian packages Qt needs to run offscreen on a bare machine, and venv support for Python.
QT_DEBS := libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libglib2.0-0
# Extra packages for a real X display (make run on a desktop without them).
X_DEBS  := libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
           libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0

.PHONY: run test bench check package system-deps x-deps clean

run: $(STAMP) x-deps
	$(PY) -m app

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

# The app's own check runs on a throwaway library: never creates or touches the user's one.
check: $(STAMP)
	$(PY) -m ruff check app storage tests packaging
	$(PY) -m mypy storage
	tmp=$$(mktemp -d) && QT_QPA_PLATFORM=offscreen $(PY) -m app --library "$$tmp/library" check; status=$$?; rm -rf "$$tmp"; exit $$status

bench: $(STAMP)
	$(PY) -m pip install -q -e ".[test,bench]"
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.run $(BENCH_ARGS)
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.reader_run

package: $(STAMP)
	bash packaging/build.sh

system-deps:
	@bash packaging/ensure-debs.sh python3-venv $(QT_DEBS)

x-deps:
	@if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then bash packaging/ensure-debs.sh $(X_DEBS); fi

$(STAMP): pyproject.toml | system-deps
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Papershelf needs Python 3.11 or newer; set PYTHON=python3.x")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
