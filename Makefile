# huntviz: every task is one target; CI (.ci/run) calls `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(CURDIR)/.venv/bin:$(HOME)/.cargo/bin:$(PATH)
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: help setup setup-browser build lab test test-rust test-ts test-python test-browser \
        test-package test-fuzz test-msticpy wasm-size bench bench-tree bench-timeline bench-graph bench-engines bench-lab clean

help:
	@echo "make lab    install what is missing, build, open JupyterLab on examples/demo.ipynb"
	@echo "make test   run every test suite (Rust, TypeScript, Python, browser, packaging)"
	@echo "make bench  run the grid benchmark; make bench-tree / bench-timeline / bench-graph the view ones,"
	@echo "            make bench-engines WebAssembly against the JavaScript fallback,"
	@echo "            make bench-lab cell to screen in a real JupyterLab (BENCHMARKS.md)"

setup:
	scripts/setup.sh

setup-browser:
	HUNTVIZ_BROWSER=1 scripts/setup.sh

build: setup
	npm run build
	scripts/dev-install.sh

lab: build
	cd examples && jupyter lab demo.ipynb $(ROOT_FLAG) $(LAB_ARGS)

test: setup-browser build test-rust test-ts test-python test-msticpy wasm-size test-fuzz test-browser test-package
	@echo "all test suites passed"

test-rust:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p huntviz-wasm --target wasm32-unknown-unknown -- -D warnings
	cargo test
	# Arithmetic over extreme times must not wrap where overflow checks are off.
	cargo test --release -p huntviz-timeline -p huntviz-process-tree --test extremes
	cargo build -p huntviz-cli

test-ts:
	npx prettier --check 'js/**/*.ts' 'tests/browser/**/*.ts' 'bench/**/*.mjs'
	npx eslint js tests/browser bench
	npx jest

test-python:
	ruff check python tests/python tests/msticpy bench scripts
	ruff format --check python tests/python tests/msticpy bench scripts
	cargo build -p huntviz-cli
	pytest -q

# MSTICPy's QueryProvider results, in MSTICPy's own venv (it pins pandas < 3).
test-msticpy:
	bench/setup-msticpy.sh
	cargo build -p huntviz-cli
	PYTHONPATH=python bench/.venv-msticpy/bin/python -m pytest -q -p no:cacheprovider tests/msticpy

wasm-size:
	python3 scripts/wasm_size.py check

test-browser:
	npx playwright test -c tests/browser/playwright.config.ts

test-package:
	scripts/test-package.sh

test-fuzz:
	scripts/fuzz.sh

bench: setup-browser build
	cargo build --release -p huntviz-bench-gen -p huntviz-cli
	bash bench/build-serde-peer.sh
	npm run build:lib
	node bench/run.mjs $(BENCH_ARGS)

bench-tree: setup-browser build
	cargo build --release -p huntviz-bench-gen -p huntviz-cli
	npm run build:lib
	node bench/tree.mjs $(BENCH_ARGS)

bench-timeline: setup-browser build
	cargo build --release -p huntviz-bench-gen -p huntviz-cli
	npm run build:lib
	node bench/timeline.mjs $(BENCH_ARGS)

bench-graph: setup-browser build
	npm run build:lib
	node bench/graph.mjs $(BENCH_ARGS)

# The VS Code notebook renderer as a .vsix (lib/vscode/huntviz-notebook-renderer-*.vsix).
vsix: build
	cd lib/vscode && npx --yes @vscode/vsce package --allow-missing-repository --skip-license

bench-report: build
	cargo build --release -p huntviz-bench-gen -p huntviz-cli
	python bench/report.py $(BENCH_ARGS)

bench-lab: setup-browser build
	cargo build --release -p huntviz-bench-gen
	node bench/lab.mjs $(BENCH_ARGS)

bench-engines: setup-browser build
	cargo build --release -p huntviz-bench-gen
	npm run build:lib
	node bench/engines.mjs $(BENCH_ARGS)

clean:
	npm run clean
	rm -rf target js/pkg node_modules .venv
