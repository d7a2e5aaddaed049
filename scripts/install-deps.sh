#!/usr/bin/env bash
# Installs what O2Sound needs from Debian's packages, skipping what is already there.
# Media: ffmpeg/ffprobe; music: FluidSynth + the General MIDI soundfont; captions: a font
# with Hangul and Latin (Nanum); optional offline voice: espeak-ng.
# Usage: scripts/install-deps.sh [--test]
#   --test also installs what only the tests need: Chromium for the web page's end-to-end
#   test, Python's requests for the seed-client check, the PostgreSQL client tools,
#   promtool (Debian's prometheus package) to lint the /metrics scrape, and
#   Node.js (for the web page's module checks) when no node is installed.
set -euo pipefail

pkgs=(ffmpeg fluidsynth fluid-soundfont-gm fonts-nanum espeak-ng ca-certificates time)
if [ "${1:-}" = "--test" ]; then
  pkgs+=(chromium python3-requests postgresql-client git prometheus)
  # The web page's module checks run under Node; machines that ship one keep theirs.
  command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
