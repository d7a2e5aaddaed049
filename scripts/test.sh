#!/usr/bin/env bash
# Runs every O2Sound test on this machine: installs what is missing (ffmpeg, FluidSynth,
# fonts, Chromium, PostgreSQL), starts PostgreSQL if it is down, checks formatting and
# vet, runs the whole suite against SQLite and PostgreSQL, then fuzzes the crawler briefly.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --test
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  TEST_DATABASE_URL=$(scripts/ensure-postgres.sh)
fi
export TEST_DATABASE_URL

echo "== gofmt, go vet"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...

echo "== go test (SQLite and PostgreSQL)"
go test -count=1 -timeout 12m ./...

# Every fuzz target's seed corpus (with every crasher ever found) already ran above as
# an ordinary test. Here the crawler's HTML metadata and image extractors — the parsers
# of what strangers' sites send — are also explored briefly; "make fuzz" explores all
# targets for longer (exploration in CI found real bugs, and would fail a run on a new one).
#
# The budget is a count of inputs, not a duration: Go 1.26's fuzzing coordinator can
# report a spurious "context deadline exceeded" failure when a duration runs out while a
# worker is busy (golang/go#75804, fixed in Go 1.27). 10 000 inputs take 5–10 s here.
echo "== fuzz the crawler's extractors (briefly)"
fuzztime=${FUZZTIME:-10000x}
for spec in ./internal/sitefacts:FuzzExtractMetadata ./internal/crawl:FuzzExtractImages; do
  pkg=${spec%%:*} target=${spec##*:}
  # -list first: a target that moved must fail the run, not fuzz nothing and pass.
  listed=$(go test -list "^${target}\$" "$pkg") || exit 1
  if ! grep -qx "$target" <<<"$listed"; then
    echo "FAIL fuzz: $pkg has no $target"; exit 1
  fi
  if ! out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" 2>&1); then
    echo "$out"; echo "FAIL fuzz: $pkg $target"; exit 1
  fi
  echo "fuzz ok: $pkg $target ($fuzztime)"
done
echo "all tests passed"
