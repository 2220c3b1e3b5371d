#!/usr/bin/env bash
# Puts promtool and prometheus into TOOLS_DIR/bin (idempotent), for `make check-deploy`:
#   1. already there: nothing to do;
#   2. both on PATH (e.g. Debian's `prometheus` package installed): link them;
#   3. otherwise take them out of Debian's `prometheus` package with `apt-get download` + `dpkg-deb -x`,
#      which needs no root and starts no service; as root, `apt-get update` first if the package lists
#      are missing. A non-root user without package lists: `sudo apt-get update` once, or put any
#      promtool/prometheus (2.x or 3.x) on PATH.
set -euo pipefail
TOOLS_DIR="$(realpath -m "${1:-.tools}")"
BIN="$TOOLS_DIR/bin"
mkdir -p "$BIN"
if [[ -x "$BIN/promtool" && -x "$BIN/prometheus" ]]; then
  exit 0
fi
if command -v promtool >/dev/null && command -v prometheus >/dev/null; then
  ln -sf "$(command -v promtool)" "$BIN/promtool"
  ln -sf "$(command -v prometheus)" "$BIN/prometheus"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "error: promtool/prometheus not found and apt-get is unavailable: put them on PATH" >&2
  exit 1
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
if ! apt-get download prometheus >/dev/null 2>&1; then
  if [[ "$(id -u)" == 0 ]]; then
    apt-get update -qq
    apt-get download prometheus >/dev/null
  else
    echo "error: 'apt-get download prometheus' failed; run 'sudo apt-get update' once, or put promtool and" \
         "prometheus on PATH" >&2
    exit 1
  fi
fi
dpkg-deb -x prometheus_*.deb extracted
mkdir -p "$TOOLS_DIR/prometheus"
install -m 0755 extracted/usr/bin/promtool extracted/usr/bin/prometheus "$TOOLS_DIR/prometheus/"
ln -sf "$TOOLS_DIR/prometheus/promtool" "$BIN/promtool"
ln -sf "$TOOLS_DIR/prometheus/prometheus" "$BIN/prometheus"
"$BIN/promtool" --version | head -1
