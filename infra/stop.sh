#!/usr/bin/env bash
# `npm run stop`: stops the four services, the web origin (nginx), Prometheus and the local server stack (data is kept; `infra/local/stack.sh reset` deletes it).
set -uo pipefail
cd "$(dirname "$0")/.."
RUN="${STACK_DIR:-$(pwd)/.local}/run"
for pidfile in "$RUN"/service-*.pid; do
  [[ -f "$pidfile" ]] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$pidfile"
  echo "[stop] $(basename "$pidfile" .pid | sed 's/^service-//') stopped"
done
bash infra/local/stack.sh down
