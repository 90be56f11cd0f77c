# Two commands: `make site` builds the site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve publish validate clean golden benchmark zip install schemas

site: $(STAMP)
	$(BIN)/clustergrid build

test: $(STAMP)
	$(BIN)/python -m pytest -q

serve: $(STAMP)
	$(BIN)/clustergrid serve

publish: $(STAMP)
	$(BIN)/clustergrid publish

# A zip of the built site, to copy to a machine with no network and open index.html from disk.
zip: site
	rm -f cluster-grid-site.zip
	cd site && ../$(BIN)/python -m zipfile -c ../cluster-grid-site.zip .

install: $(STAMP)

# Regenerate schema/*.schema.json after changing the record specs or content/grid.yaml.
schemas: $(STAMP)
	$(BIN)/clustergrid schema

validate: $(STAMP)
	$(BIN)/clustergrid validate

# Regenerate the golden files of the fixture knowledge base; review the diff before committing.
golden: $(STAMP)
	$(BIN)/python -m tests.update_golden

benchmark: $(STAMP)
	$(BIN)/python benchmarks/scale.py --clusters 1000 --clusters 10000

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf build site .site-* $(VENV)
