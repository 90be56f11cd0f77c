# Two commands: `make site` builds the site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve publish validate clean golden benchmark zip install schemas readme

site: $(STAMP)
	$(BIN)/clustergrid build

test: $(STAMP)
	$(BIN)/python -m pytest -q

serve: $(STAMP)
	$(BIN)/clustergrid serve

publish: $(STAMP)
	$(BIN)/clustergrid publish

# A zip of the built site, to copy to a machine with no network and open index.html from disk.
# It unpacks into one folder, cluster-grid-site/.
ZIP := cluster-grid-site
zip: site
	rm -rf $(ZIP).zip build/zip
	mkdir -p build/zip
	cp -R site build/zip/$(ZIP)
	cd build/zip && $(abspath $(BIN))/python -m zipfile -c ../../$(ZIP).zip $(ZIP)
	rm -rf build/zip

install: $(STAMP)

# Regenerate schema/*.schema.json after changing the record specs or content/grid.yaml.
schemas: $(STAMP)
	$(BIN)/clustergrid schema

# Rewrite the README's command reference from the argument parser (a test fails when it drifts).
readme: $(STAMP)
	$(BIN)/python -m generator.clidoc README.md

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

# Remove every generated file: the venv, built pages and sites, the zip, caches and package metadata.
clean:
	rm -rf build site site.* .site-* .site.* .cache $(ZIP).zip $(VENV) *.egg-info .pytest_cache
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
