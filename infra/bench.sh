#!/usr/bin/env bash
# `npm run bench [-- --quick ...]`: benchmarks against the local stack (started here if needed). See infra/bench/bench.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d node_modules ]] || npm ci --no-audit --no-fund
if [[ -z "${KAFKA_BROKERS:-}" || -z "${MONGO_URL:-}" || -z "${REDIS_URL:-}" ]]; then
  bash infra/local/stack.sh up
  eval "$(bash infra/local/stack.sh env)"
fi
exec node -r @swc-node/register infra/bench/bench.ts "$@"
