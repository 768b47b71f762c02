#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests (tests/serve/test_browser.py).
#
# Idempotent: does nothing when /usr/bin/chromium is already there. Installs only as root via
# apt (never `playwright install`, which downloads its own browser build); anywhere else it
# prints a note and exits 0, and the browser tests skip with a reason.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "note: $CHROMIUM is missing and this is not a root Debian shell;" \
        "browser tests will be skipped (install the 'chromium' package to run them)." >&2
    exit 0
fi

echo "installing Debian's chromium for the browser tests..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; then
    echo "note: could not install chromium; browser tests will be skipped." >&2
fi
exit 0
