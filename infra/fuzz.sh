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
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then # Debian ships venv's pip bootstrap separately
    [[ "$(id -u)" == 0 ]] || { echo "[fuzz] python3 with venv missing; install it with: sudo apt-get install -y python3-venv" >&2; exit 1; }
    echo "[fuzz] installing python3-venv from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
  fi
  echo "[fuzz] installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  rm -rf "$VENV" && python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
SCHEMATHESIS="$VENV/bin/schemathesis" exec node -r @swc-node/register libs/testing/src/bin/fuzz-api.ts
