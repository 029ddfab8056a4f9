#!/usr/bin/env bash
# The YAML reader tests judge the TypeScript readers against the real Go decoder (tests/judge/): Go with Debian's
# packaged sources of gopkg.in/yaml.v2, sigs.k8s.io/yaml and sigs.k8s.io/json (built offline, GOPATH mode).
# Installs them with apt when missing (CI runs as root). Test tooling only: the extension and the CLI never use Go.
set -euo pipefail

packages=(golang-go golang-gopkg-yaml.v2-dev golang-k8s-sigs-yaml-dev golang-k8s-sigs-json-dev)
sources=(/usr/share/gocode/src/gopkg.in/yaml.v2 /usr/share/gocode/src/sigs.k8s.io/yaml /usr/share/gocode/src/sigs.k8s.io/json)

missing=0
command -v go >/dev/null 2>&1 || missing=1
for dir in "${sources[@]}"; do
  [ -d "$dir" ] || missing=1
done
if [ "$missing" = "0" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-go-judge: Go or the Go YAML sources are missing; install them (apt-get install ${packages[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${packages[@]}" >/dev/null
go version
