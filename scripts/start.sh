#!/usr/bin/env bash
# Start the Rancher dashboard (dev server, https://localhost:8005) with this extension, against:
#   - the local Rancher API stand-in (tests/rancher), by default; or
#   - a real Rancher when API=https://<rancher> is given (then no stand-in is started).
# Installs what is needed first (yarn 1, `yarn install --frozen-lockfile`), waits until the page answers, prints
# the URL and the logins, then keeps running until Ctrl+C (which stops both servers).
#
#   bash scripts/start.sh                      # stand-in on 127.0.0.1:${STAND_IN_PORT:-8989}
#   API=https://rancher.example.com bash scripts/start.sh
#   SKIP_INSTALL=1 bash scripts/start.sh       # node_modules already installed
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$(date +%s)
LOG_DIR="${LOG_DIR:-${TMPDIR:-/tmp}/cluster-audit-log-start}"
mkdir -p "$LOG_DIR"
DEV_PORT=8005
DASHBOARD="https://localhost:${DEV_PORT}"

if [ -z "${SKIP_INSTALL:-}" ]; then
  bash scripts/ensure-yarn.sh
  PATH="$(npm prefix --global)/bin:${PATH}"
  export PATH
  yarn install --frozen-lockfile --non-interactive </dev/null
fi

pids=()
cleanup() {
  # each server runs in its own process group (setsid): stop the whole group (yarn -> vue-cli-service, tsx -> node)
  for pid in "${pids[@]}"; do
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if curl -sk -o /dev/null --max-time 2 "${DASHBOARD}/"; then
  echo "start: something already answers on ${DASHBOARD}; stop it first" >&2
  exit 1
fi

if [ -n "${API:-}" ]; then
  echo "start: using the Rancher at API=${API} (no stand-in)"
  api="$API"
else
  port="${STAND_IN_PORT:-8989}"
  api="http://127.0.0.1:${port}"
  setsid ./node_modules/.bin/tsx tests/rancher/main.ts --port "$port" >"$LOG_DIR/stand-in.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 60); do
    if curl -s -o /dev/null --max-time 1 "${api}/healthz"; then
      break
    fi
    if ! kill -0 "${pids[0]}" 2>/dev/null; then
      echo "start: the stand-in exited:" >&2
      cat "$LOG_DIR/stand-in.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "start: Rancher API stand-in on ${api} (log: $LOG_DIR/stand-in.log)"
fi

# the shell's dev server includes every package under pkg/ (shell/vue.config.js) and proxies /v1, /v3, /v1-*,
# /rancherversion... to API
API="$api" NODE_OPTIONS="${NODE_OPTIONS:---max-old-space-size=4096}" setsid yarn dev >"$LOG_DIR/dev.log" 2>&1 &
devpid=$!
pids+=("$devpid")
echo "start: compiling the dashboard (log: $LOG_DIR/dev.log) ..."

for _ in $(seq 1 240); do
  code=$(curl -sk -o /dev/null -w '%{http_code}' -H 'Accept: text/html' --max-time 5 "${DASHBOARD}/c/_/manager/provisioning.cattle.io.cluster" || true)
  if [ "$code" = "200" ]; then
    break
  fi
  if ! kill -0 "$devpid" 2>/dev/null; then
    echo "start: the dashboard dev server exited:" >&2
    tail -40 "$LOG_DIR/dev.log" >&2
    exit 1
  fi
  sleep 1
done
if [ "${code:-}" != "200" ]; then
  echo "start: the dashboard did not answer within 4 minutes (log: $LOG_DIR/dev.log)" >&2
  exit 1
fi

cat <<EOF

Ready in $(( $(date +%s) - started ))s.
  Dashboard (self-signed certificate): ${DASHBOARD}/c/_/manager/provisioning.cattle.io.cluster
EOF
if [ -z "${API:-}" ]; then
  # the stand-in prints its seeded logins at start (no route of it answers a password); its /__sim/ test API
  # is off here (only the browser suite and the bench start it, with --sim-api and a token)
  echo "  Logins (stand-in):"
  sed -n 's/^login: /    /p' "$LOG_DIR/stand-in.log"
else
  echo "  Log in with your Rancher account."
fi
echo "Ctrl+C stops everything."

wait "$devpid"
