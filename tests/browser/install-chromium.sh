#!/bin/sh
# Chromium for the browser tests: Debian's package (Playwright's own browser download does not work here).
# Installs it where we are root; otherwise says the browser tests will be skipped. Never fails `make test`:
# the tests themselves skip with the same reason in pytest's summary.
if [ -n "$RESOLUTE_CHROMIUM" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests (apt-get)"
  if apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; }; then
    exit 0
  fi
  echo "could not install chromium: the browser tests will be skipped" >&2
else
  echo "chromium is not installed and this is not root: the browser tests will be skipped" \
    "(install it with 'apt-get install chromium', or set RESOLUTE_CHROMIUM to a Chromium binary)" >&2
fi
exit 0
