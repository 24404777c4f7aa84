#!/usr/bin/env bash
# Runs a command with Debian's headless Chromium available, installing it
# when it is absent, and KUAIJI_TEST_CHROMIUM pointing at it: the browser
# tests of bot/web skip without a browser under plain `go test`, and fail
# instead of skipping when KUAIJI_TEST_CHROMIUM is set.
set -euo pipefail

bin=""
for c in chromium chromium-browser google-chrome; do
  if command -v "$c" >/dev/null 2>&1; then bin=$(command -v "$c"); break; fi
done
if [ -z "$bin" ]; then
  echo "chromium not found; installing Debian's chromium" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  # A Chinese font, so that screenshots (docs/web-chat.png) show text.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
  bin=$(command -v chromium)
fi

export KUAIJI_TEST_CHROMIUM="$bin"
"$@"
