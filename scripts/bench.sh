#!/usr/bin/env bash
# Prints O2Sound's speed measurements on this machine:
#  1. the render benchmark (o2sound bench): 30 s 1080p slideshow vs a bare x264 encode,
#     CPU time, realtime factor, peak RSS;
#  2. the song stage (compose, render, normalise, encode a 30 s song) and the crawler;
#  3. a lyrics-only re-make of the example site's video against the fresh task's music,
#     video and merge stages (the re-make must cost no more);
#  4. the API's hot path: authenticated profile reads through the whole handler on a
#     SQLite file, against bare net/http handlers doing the same queries (req/s, CPU
#     per request, ratios);
#  5. the whole "o2sound make" of the example site at 1080p, 30 s: wall and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
go build -o bin/o2sound ./cmd/o2sound

echo "== render: o2sound bench"
bin/o2sound bench

echo
echo "== song stage and crawler (go test -bench)"
go test -run '^$' -bench 'SongStage' -benchtime 3x ./internal/music/
go test -run '^$' -bench 'Crawl40' -benchmem -benchtime 5x ./internal/crawl/

echo
echo "== a lyrics-only re-make (1080p, 30 s) vs the music, video and merge stages of the fresh task"
go test -run '^$' -bench 'RemakeLyrics' -benchtime 1x ./internal/pipeline/

echo
echo "== API hot path: authenticated POST /user/profile vs bare net/http handlers (SQLite)"
# -v: the ratios are the parent benchmark's log, which go test prints only then.
go test -run '^$' -bench 'ProfileRead' -benchtime 3s -v ./internal/api/ | grep -E 'req/s|profile reads'

echo
echo "== o2sound make examples/cafe (1080p, 30 s)"
out=$(mktemp -d)
/usr/bin/time -f "wall %e s, cpu %U+%S s, peak RSS %M KB (the largest of o2sound and the ffmpeg/fluidsynth processes it waited for)" \
  bin/o2sound make examples/cafe -o "$out/cafe.mp4" >/dev/null 2>"$out/log" || { cat "$out/log"; exit 1; }
tail -n 1 "$out/log"
rm -rf "$out"
