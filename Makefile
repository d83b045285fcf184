# The two commands of the README:
#   make tables   set up (.venv, GAP) and regenerate tables/
#   make test     set up (.venv, GAP) and run the test suite
.PHONY: setup tables test gap-test clean docker-tables

VENV := .venv

setup:
	@bash scripts/setup.sh

tables: setup
	$(VENV)/bin/sbs catalog --out tables

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
	docker run --rm -v "$(CURDIR)/tables:/opt/sbs_gap/tables" sbs_gap
