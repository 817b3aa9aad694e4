# zhengshou: `make run` serves the app, `make test` runs every test. Both set everything up first:
# the virtualenv, PostgreSQL + PostGIS (installed with apt when run as root on Debian/Ubuntu), and
# the project's private cluster on 127.0.0.1:$(ZS_PGPORT). Set DATABASE_URL to use an existing
# PostGIS instead of the private cluster.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export ZS_PGPORT ?= 55432
HOST ?= 127.0.0.1
PORT ?= 8000

ifdef DATABASE_URL
USE_PRIVATE_CLUSTER :=
export DATABASE_URL_IS_EXTERNAL := yes
else
USE_PRIVATE_CLUSTER := yes
export DATABASE_URL := postgresql+psycopg://zhengshou@127.0.0.1:$(ZS_PGPORT)/zhengshou
endif

.PHONY: run test fuzz bench db db-stop migrate load lint parcels system-deps clean

run: load
	$(BIN)/uvicorn api.main:create_app --factory --host $(HOST) --port $(PORT)

test: export ZS_TEST_TOOLS := yes
test: $(VENV)/.installed db
	$(BIN)/python -m pytest $(PYTEST_ARGS)

system-deps:
	@scripts/system-deps.sh

$(VENV)/.installed: pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

db: system-deps
ifdef USE_PRIVATE_CLUSTER
	@scripts/pgcluster.sh start
endif

db-stop:
	@scripts/pgcluster.sh stop

migrate: $(VENV)/.installed db
	$(BIN)/zhengshou migrate

load: migrate
	$(BIN)/zhengshou load-reference data/reference.geojson
	$(BIN)/zhengshou load-gazetteer data/gazetteer.geojson
	$(BIN)/zhengshou load data/parcels.geojson

# Rebuild data/parcels.geojson from the notice text, the placement table and the reference layer:
# REFERENCE is a reference GeoJSON, an OSM extract (.osm.pbf) or `stored` (what load-reference
# put in the database). The shipped file is built on the shipped, estimated layer.
REFERENCE ?= data/reference.geojson
parcels: $(VENV)/.installed
	$(BIN)/zhengshou build data/sources/jiaxing-2022-plan.json --reference $(REFERENCE) -o data/parcels.geojson

# A longer schemathesis run than the one in `make test`.
fuzz: $(VENV)/.installed db
	ZS_FUZZ_EXAMPLES=200 $(BIN)/python -m pytest tests/test_fuzz_api.py

# Benchmarks against tipg, pygeoapi and ogr2ogr at 1,000,000 and 100,000 synthetic parcels;
# writes docs/benchmarks.md and docs/benchmarks-100k.md (not part of `make test`; about 50 minutes on 2 cores).
bench: $(VENV)/.installed db
	$(BIN)/python bench/run.py --parcels 1000000 --seconds 10 --export-runs 2 --import-runs 1 --skip-pygeoapi-export --docs docs/benchmarks.md
	$(BIN)/python bench/run.py --parcels 100000 --seconds 10 --import-runs 1 --docs docs/benchmarks-100k.md

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache
