# Lifeboat: the commands a newcomer needs are `make demo` and `make test`.
# Every target picks a JDK 21+ by itself (dev/find-jdk.sh) and builds with the Maven wrapper.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

JAVA_HOME := $(shell dev/find-jdk.sh)
ifeq ($(JAVA_HOME),)
$(error no JDK 21+ found: see the message above)
endif
export JAVA_HOME
export PATH := $(JAVA_HOME)/bin:$(PATH)
MVN := ./mvnw -B --no-transfer-progress

.PHONY: help build test unit-test infra-up infra-down infra-status services-up services-down \
        demo bench bench-smoke clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

build: ## Compile and package every module, no tests; then train the CLI launcher's JDK AOT cache
	$(MVN) -DskipTests package -q
	dev/aot-train.sh

test: ## Unit and integration tests against real local servers (starts and stops them)
	dev/test.sh

unit-test: ## Unit tests only (seconds; no servers)
	$(MVN) -DskipITs verify

infra-up: ## Start Kafka, S3Proxy, PostgreSQL and the development KMS (idempotent); WITH=ceph,keycloak adds optional servers
	@dev/infra.sh up $(WITH)

infra-down: ## Stop every local server started by infra-up
	@dev/infra.sh down

infra-status: ## Show which local servers run, and their endpoints
	@dev/infra.sh status

services-up: ## Start the four built services as JVMs configured from infra-up
	@dev/services.sh up

services-down: ## Stop the services started by services-up
	@dev/services.sh down

demo: ## Back up, cause a disaster, restore and prove the data came back
	dev/demo.sh

bench: ## Benchmarks against restic, Borg and tar|zstd (about 1 GiB data set; never part of make test)
	bench/run.sh full

bench-smoke: ## The benchmark on a 20 MB data set (part of make test)
	bench/run.sh smoke

clean: ## Remove build output
	$(MVN) -q clean
