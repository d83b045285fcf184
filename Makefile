# The two commands of the README:
#   make tables   set up (.venv, GAP) and regenerate tables/
#   make test     set up (.venv, GAP) and run the test suite
.PHONY: setup tables crosscheck test gap-test bench clean docker-tables

VENV := .venv

setup:
	@bash scripts/setup.sh

tables: setup
	$(VENV)/bin/sbs tables --out tables

# Compare every table row with the independent pure-Python engine.
crosscheck: setup
	$(VENV)/bin/sbs crosscheck --tables tables

bench: setup
	$(VENV)/bin/python bench/tables.py

test: setup
	$(VENV)/bin/python -m pytest -q

# Only the GAP-native tests (gap_scripts/tst/*.tst); also run by `make test`.
gap-test: setup
	$(VENV)/bin/python -m pytest -q tests/test_gap_native.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache

# Build the Docker image (docker/Dockerfile) and regenerate tables/ in it.
docker-tables:
	docker build -f docker/Dockerfile -t sbs_gap .
	docker run --rm --user "$$(id -u):$$(id -g)" -v "$(CURDIR)/tables:/opt/sbs_gap/tables" sbs_gap
