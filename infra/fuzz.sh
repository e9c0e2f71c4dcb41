#!/usr/bin/env bash
# API fuzzing from the services' own OpenAPI documents: schemathesis (from PyPI, in the git-ignored
# .local/fuzz-venv) against the four services started on a fresh namespace; fails on any 5xx.
# Needs the servers (KAFKA_BROKERS, MONGO_URL, REDIS_URL) like the e2e tests; infra/test.sh runs it after them.
#   FUZZ_MAX_EXAMPLES (default 50) cases per operation and phase, FUZZ_SECONDS (default 45) per service
set -euo pipefail
cd "$(dirname "$0")/.."
SCHEMATHESIS_VERSION=4.32.5
VENV=.local/fuzz-venv

if [[ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" != *"$SCHEMATHESIS_VERSION"* ]]; then
  echo "[fuzz] installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
SCHEMATHESIS="$VENV/bin/schemathesis" exec node -r @swc-node/register libs/testing/src/bin/fuzz-api.ts
