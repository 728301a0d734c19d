# Takt: `make demo` shows what it does, `make test` runs every test. Both install missing system packages.
SWIFT ?= swift
SYSTEM_PACKAGES := libsqlite3-dev libcurl4-openssl-dev zlib1g-dev
TAKT := .build/debug/takt
DEMO_DIR := demo-data

.PHONY: deps extensions build test demo bench bench-plant lint format clean install
PREFIX ?= /usr/local

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

# The example sites' rule extensions, compiled from source to WebAssembly by takt itself.
extensions: deps
	$(SWIFT) build --product takt
	$(TAKT) extension build Extensions/*/

build: deps extensions
	$(SWIFT) build

test: deps extensions
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	TAKT=$(TAKT) scripts/sync-fault-test 200
	# The headless demo as an installed takt runs it: from the PATH, in another folder, on a port the system picks.
	cd /tmp && PATH="$(CURDIR)/.build/debug:$$PATH" takt demo --duration 30s --headless --port 0 --data-dir "$(CURDIR)/.build/demo-check"

# Three plants and central, live: a simulated working day, then the dashboard until Ctrl-C.
demo: build
	$(TAKT) demo --data-dir $(DEMO_DIR)

# Installs takt (release build) and the example sites the demo uses: PREFIX/bin/takt, PREFIX/share/takt/sites.
install: deps extensions
	$(SWIFT) build -c release --product takt
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/takt
	install -m 0755 .build/release/takt $(DESTDIR)$(PREFIX)/bin/takt
	cp -R sites $(DESTDIR)$(PREFIX)/share/takt/
	for f in Extensions/*/*.wasm; do install -D -m 0644 "$$f" "$(DESTDIR)$(PREFIX)/share/takt/$$f"; done

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Plugins Tests Examples

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Plugins Tests Examples

clean:
	rm -rf .build $(DEMO_DIR)

# The scheduler on the benchmark dev set, 10 s per instance (about 30 minutes); see Benchmarks/README.md.
bench: deps
	Benchmarks/dev-set.sh 10

# The plant scheduler against OR-tools CP-SAT on generated plants of 200, 1,000 and 10,000 operations, 10 s each;
# installs OR-tools into .build/peer-venv the first time. See docs/scheduler.md.
bench-plant: deps
	Benchmarks/plant-peer.sh 10
