#!/usr/bin/env bash
# The browser tests drive Debian's chromium through playwright-core (test tools may not download browsers here).
# Installs it with apt when it is missing (CI runs as root); CHROMIUM=/path/to/chromium uses another one.
set -euo pipefail

bin="${CHROMIUM:-/usr/bin/chromium}"
if [ -x "$bin" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-chromium: $bin is missing; install Debian's chromium (apt-get install chromium) or set CHROMIUM" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
"$bin" --version
