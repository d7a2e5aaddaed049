# O2Sound — run "make help" for the targets.
.DEFAULT_GOAL := help
GO ?= go

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

demo: ## install media tools if missing, then make cafe.mp4 from the bundled example site
	scripts/install-deps.sh
	$(GO) run ./cmd/o2sound make examples/cafe -o cafe.mp4

run: ## install media tools if missing, then serve the API and workers on :8000 (SQLite under ./data)
	scripts/install-deps.sh
	$(GO) run ./cmd/o2sound serve

build: ## build bin/o2sound
	$(GO) build -o bin/o2sound ./cmd/o2sound

test: ## every test: installs what is missing, starts PostgreSQL, SQLite + PostgreSQL + media + fuzz
	scripts/test.sh

fuzz: ## fuzz every target for FUZZTIME (default 30s) each
	scripts/fuzz.sh

lint: ## gofmt, go vet, staticcheck
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

bench: ## speed table: render vs bare x264, song stage, crawler, whole make of the example site
	scripts/bench.sh

crawl-score: ## crawl the real saved pages in ../shared/realpages; fail below 90 % names or any declared description missed
	$(GO) run ./internal/crawl/crawlscore -dir ../shared/realpages -min-names 0.9 -min-descriptions 1

crash-test: ## kill -9 the worker mid-render 10 times on SQLite and PostgreSQL; each task must finish once
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-$$(scripts/ensure-postgres.sh)} CRASH_RUNS=10 \
		$(GO) test -count=1 -run TestWorkerCrashDuringVideoStage -timeout 30m -v ./cmd/o2sound/

.PHONY: help demo run build test fuzz lint bench crawl-score crash-test
