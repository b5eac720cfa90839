# ksbfolio — the two commands a new user needs are `make run` and `make test`.
# Everything else here is what those two call, usable on its own.

SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
NPM ?= npm

.PHONY: help run test test-rust test-frontend test-e2e test-cluster lint frontend frontend-deps openapi test-db-stop bench bench-cluster

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

run: frontend ## Build everything and run the app (API + frontend on one port) on the embedded database
	$(CARGO) run --release --locked -- serve

test: lint test-rust test-frontend test-e2e ## Run every test: Rust unit + API tests, frontend unit tests, browser e2e

test-rust: ## Rust unit tests and HTTP integration tests on a real PostgreSQL
	@scripts/ensure-test-packages.sh
	$(CARGO) test --locked --all-targets

lint: frontend-deps ## Formatting, clippy, cargo deny, frontend lint and type-check
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --all-targets --test cluster -- -D warnings
	# cargo deny (installed on first use): licences, bans, duplicates and sources always; advisories
	# when the RustSec database can be fetched from GitHub, else skipped with a warning.
	scripts/cargo-deny.sh
	$(NPM) --prefix frontend run lint
	$(NPM) --prefix frontend run typecheck

test-cluster: ## The multi-node topology on 127.0.0.1 (HAProxy, two nodes, PgBouncer, primary + standby, S3): up, its tests, down
	@trap 'scripts/cluster.sh down' EXIT; scripts/cluster.sh up && scripts/cluster.sh test

test-frontend: frontend-deps ## Frontend unit tests (Vitest) and the bundle-size budget
	$(NPM) --prefix frontend test
	$(NPM) --prefix frontend run build
	$(NPM) --prefix frontend run size

test-e2e: frontend-deps ## Browser end-to-end tests (@playwright/test on Debian's chromium) against the real server on a fresh database
	CARGO="$(CARGO)" scripts/e2e.sh

frontend-deps: ## Install the frontend's packages when package-lock.json changed
	@scripts/ensure-node-deps.sh

frontend: frontend-deps ## Build the frontend into frontend/dist
	$(NPM) --prefix frontend run build

openapi: frontend-deps ## Regenerate frontend/openapi.json and the TypeScript types from the server's document
	$(CARGO) run --quiet --locked -- openapi > frontend/openapi.json.tmp
	mv frontend/openapi.json.tmp frontend/openapi.json
	$(NPM) --prefix frontend run gen:api

test-db-stop: ## Stop the private PostgreSQL cluster the tests start when DATABASE_URL is unset
	@bin=$$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1); \
	dir=$${CARGO_TARGET_DIR:-target}/tmp/test-cluster/postgres/pgdata; \
	if [ -f $$dir/postmaster.pid ]; then \
	  if [ "$$(id -u)" = 0 ]; then runuser -u postgres -- $$bin/pg_ctl -D $$dir -m fast stop; \
	  else $$bin/pg_ctl -D $$dir -m fast stop; fi; \
	else echo "test cluster is not running"; fi

bench-cluster: ## Figures of the multi-node topology (release build, 1,000 apprenticeships; docs/SCALING.md)
	@trap 'CLUSTER_STATE=$${CARGO_TARGET_DIR:-target}/cluster-bench scripts/cluster.sh down' EXIT; \
	  CLUSTER_PROFILE=$${CLUSTER_PROFILE:-release} CLUSTER_SEED_APPRENTICESHIPS=$${CLUSTER_SEED_APPRENTICESHIPS:-1000} \
	  CLUSTER_STATE=$${CARGO_TARGET_DIR:-target}/cluster-bench scripts/cluster.sh up && \
	  CLUSTER_STATE=$${CARGO_TARGET_DIR:-target}/cluster-bench scripts/cluster.sh bench

bench: ## Load benchmark on loopback (about 25 min): seeds 1,000 and 10,000 apprenticeships, wrk + pgbench (see docs/BENCHMARKS.md)
	bench/run.sh
