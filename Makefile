# The two commands of the README:
#   make tables   set up (.venv, GAP) and regenerate tables/
#   make test     set up (.venv, GAP) and run the test suite (without the
#                 exhaustive tier: a fixed sample with the same assertions)
# and the exhaustive tier (every row, every type, every demo, the Dask kill):
#   make test-exhaustive   only the tests marked `exhaustive`
#   make test-all          everything (what .ci/run checks, in two steps)
.PHONY: setup tables crosscheck test test-exhaustive test-all gap-test bench clean \
	docker-tables tables-magnetic

VENV := .venv

setup:
	@bash scripts/setup.sh

tables: setup
	$(VENV)/bin/sbs tables --out tables

# tables/magnetic/: the grey point and space groups to their magnetic
# subgroups (README "Magnetic tables"); not part of `make tables` (tens of
# minutes on two GAP sessions).
tables-magnetic: setup
	$(VENV)/bin/sbs tables --magnetic --out tables

# Compare every table row with the independent pure-Python engine.
crosscheck: setup
	$(VENV)/bin/sbs crosscheck --tables tables

bench: setup
	$(VENV)/bin/python bench/tables.py

# Two xdist workers, each with its own GAP sessions; each test file runs on
# one worker (loadfile), so module-scoped fixtures (the Dask cluster, the
# space-group classes of test_e3_reference.py) are made once.
# Extra pytest options: make test PYTEST_ARGS=--durations=25
PYTEST := $(VENV)/bin/python -m pytest -q -n 2 --dist loadfile

test: setup
	$(PYTEST) -m "not exhaustive" $(PYTEST_ARGS)

test-exhaustive: setup
	$(PYTEST) -m exhaustive $(PYTEST_ARGS)

test-all: setup
	$(PYTEST) $(PYTEST_ARGS)

# Only the GAP-native tests (gap_scripts/tst/*.tst); also run by `make test`.
gap-test: setup
	$(VENV)/bin/python -m pytest -q tests/test_gap_native.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache

# Build the Docker image (docker/Dockerfile) and regenerate tables/ in it.
docker-tables:
	docker build -f docker/Dockerfile -t sbs_gap .
	docker run --rm --user "$$(id -u):$$(id -g)" -v "$(CURDIR)/tables:/opt/sbs_gap/tables" sbs_gap
