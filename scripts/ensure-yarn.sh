#!/usr/bin/env bash
# Make sure yarn 1 (classic) is on PATH: use the one present, else install yarn@1.22.22 with npm.
set -euo pipefail

YARN_VERSION=1.22.22

if command -v yarn >/dev/null 2>&1; then
  current="$(yarn --version 2>/dev/null || true)"
  case "$current" in
    1.*) echo "ensure-yarn: using yarn $current"; exit 0 ;;
    *) echo "ensure-yarn: found yarn '$current', not yarn 1; installing yarn@$YARN_VERSION" ;;
  esac
else
  echo "ensure-yarn: yarn not found; installing yarn@$YARN_VERSION with npm"
fi

npm install --global --no-audit --no-fund "yarn@$YARN_VERSION" </dev/null
hash -r
echo "ensure-yarn: using yarn $(yarn --version)"
