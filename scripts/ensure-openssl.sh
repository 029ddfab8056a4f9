#!/usr/bin/env bash
# The webhook browser scenario (tests/e2e/webhook.e2e.ts) makes a throwaway CA and server certificate with openssl.
# Installs it with apt when it is missing (CI runs as root).
set -euo pipefail

if command -v openssl >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-openssl: openssl is missing; install it (apt-get install openssl)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq openssl >/dev/null
openssl version
