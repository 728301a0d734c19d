# Takt: `make demo` shows what it does, `make test` runs every test. Both install missing system packages.
SWIFT ?= swift
SYSTEM_PACKAGES := libsqlite3-dev libcurl4-openssl-dev
TAKT := .build/debug/takt
DEMO_DIR := demo-data

.PHONY: deps build test demo bench lint format clean

# Installs the system libraries Takt links against (SQLite for the stores, libcurl for Foundation's HTTP client).
deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing system packages; run:  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	TAKT=$(TAKT) scripts/sync-fault-test 200

# For now: validate and show every example site, then record a breaching chill reading on the bakery and
# show the lot going on hold.
demo: build
	rm -rf $(DEMO_DIR)
	$(TAKT) site validate sites/*
	@for s in sites/*/; do echo; echo "== $$s"; $(TAKT) site show $$s; done
	@echo; echo "== a chiller drifts above its limit at the bakery"
	$(TAKT) lots add --site sites/leeds-bakery --data-dir $(DEMO_DIR) --id L-0001 --product white-loaf --quantity 400
	$(TAKT) check record --site sites/leeds-bakery --data-dir $(DEMO_DIR) --check food_processing.ccp.chill --value 3.8 --lot L-0001 --by amara
	$(TAKT) check record --site sites/leeds-bakery --data-dir $(DEMO_DIR) --check food_processing.ccp.chill --value 6.1 --lot L-0001 --by amara
	$(TAKT) lots --site sites/leeds-bakery --data-dir $(DEMO_DIR)
	$(TAKT) findings --site sites/leeds-bakery --data-dir $(DEMO_DIR) --open

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Plugins Tests

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Plugins Tests

clean:
	rm -rf .build $(DEMO_DIR)

# The scheduler on the benchmark dev set, 10 s per instance (about 30 minutes); see Benchmarks/README.md.
bench: deps
	Benchmarks/dev-set.sh 10
