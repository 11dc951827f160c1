# The two commands of the README:
#   make serve   set up everything, then serve the example site with live reload
#   make test    set up everything (incl. headless chromium), then run the whole test suite
# While editing: make test-fast (no site build, browser, process or corpus; about 10 s)
.PHONY: setup setup-test serve build test test-fast check history bench bench-scale bench-scale-full setup-bench lint

setup:
	./scripts/setup.sh

setup-test:
	./scripts/setup.sh --test

serve: setup
	NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs serve

build: setup
	NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict

check: setup
	.venv/bin/opsready check service_catalog --policy readiness-policy.yaml

# The readiness history the example site's trend page is drawn from (each commit evaluated once,
# then cached): run it after committing changes to service_catalog/ or readiness-policy.yaml.
history: setup
	.venv/bin/opsready history service_catalog --policy readiness-policy.yaml -o readiness-history.json

test: setup-test
	.venv/bin/python -m pytest -n 2

# No setup step: it would cost more than the tests (run make test or make setup-test once).
test-fast:
	.venv/bin/python -m pytest -m "not build and not browser and not slow" -p no:xdist -q

lint: setup-test
	.venv/bin/ruff check plugins tests bench
	.venv/bin/mypy

bench: setup
	.venv/bin/python bench/check_bench.py

# The scale benchmark of issue #13 (bench/site_scale.py): table, JSON and plot; PASS/FAIL
# per target. The full run (50, 250 and 1,000 services, with profiles) takes an hour or more.
bench-scale: setup-bench
	.venv/bin/python bench/site_scale.py --sizes 50,250 --profile

bench-scale-full: setup-bench
	.venv/bin/python bench/site_scale.py --sizes 50,250,1000 --profile

# Zensical is measured when installed: the bench extra installs it.
setup-bench: setup
	test -x .venv/bin/zensical || .venv/bin/python -m pip install -q -e ".[bench]"
