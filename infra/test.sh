#!/usr/bin/env bash
# The test command (`npm test`): every unit, integration and end-to-end test against real servers, the API fuzzing
# and the fault suite.
#   1. servers named in the environment (KAFKA_BROKERS, MONGO_URL, REDIS_URL all set) are used as they are;
#   2. otherwise, with a running Docker engine, testcontainers starts Kafka, MongoDB and Redis;
#   3. otherwise the project's own stack (infra/local) is started, without containers.
# Ends with one line "N passed, N failed" and a non-zero exit if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

# When this run starts the local stack, it stops at the end the servers it started (also when interrupted);
# those running before stay up.
stack_running() { bash infra/local/stack.sh status | awk '$2 == "running" { printf "%s ", $1 }'; }
stop_what_this_run_started() {
  local s started=()
  for s in $(stack_running); do [[ " $running_before " == *" $s "* ]] || started+=("$s"); done
  if ((${#started[@]})); then echo "== stopping what this run started: ${started[*]}"; bash infra/local/stack.sh down "${started[@]}" 2>/dev/null || true; fi
  if [[ -n "$running_before" ]]; then echo "== leaving ${running_before}running as this run found them (npm run stop stops them)"; fi
}

[[ -d node_modules ]] || npm ci --no-audit --no-fund
# the web origin's tests run the real nginx (Debian's): install it if missing
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || bash infra/local/stack.sh install nginx
# and the metrics test its own Prometheus (Debian's)
command -v prometheus >/dev/null || bash infra/local/stack.sh install prometheus
# the browser tests drive Debian's Chromium through playwright-core (nothing is downloaded by Playwright)
command -v chromium >/dev/null || [[ -n "${CHROMIUM_PATH:-}" ]] || bash infra/local/stack.sh install chromium

rm -rf tmp/test-results
run_tests() {
  local status=0
  npx nx show projects >/dev/null # the module-boundary lint rule reads the project graph
  echo "== typecheck" && npx tsc -p tsconfig.json --noEmit && npx tsc -p services/web/tsconfig.json --noEmit || status=1
  echo "== lint" && npx nx run-many -t lint --parallel=2 --outputStyle=stream -- --quiet || status=1
  # the services (dist/services/<service>/main.js, started by the slice's end-to-end test) and the web app
  echo "== build" && npx nx run-many -t build --parallel=2 --outputStyle=stream || status=1
  echo "== unit and integration tests" && npx nx run-many -t test --parallel=2 --outputStyle=stream || status=1
  echo "== end-to-end tests" && npx nx run-many -t e2e --parallel=1 --outputStyle=stream || status=1
  echo "== API fuzzing" && bash infra/fuzz.sh || status=1
  # two instances of each service on private servers, kills and a paused lease holder (about 5 minutes)
  echo "== fault suite" && bash infra/faults.sh || status=1
  return $status
}

if [[ -n "${KAFKA_BROKERS:-}" && -n "${MONGO_URL:-}" && -n "${REDIS_URL:-}" ]]; then
  echo "== using the servers named in the environment"
  status=0; run_tests || status=$?
elif docker info >/dev/null 2>&1; then
  echo "== starting servers with testcontainers"
  status=0; node -r @swc-node/register libs/testing/src/bin/with-testcontainers.ts bash -c "$(declare -f run_tests); run_tests" || status=$?
else
  echo "== starting the local stack (infra/local/stack.sh)"
  running_before=$(stack_running)
  trap stop_what_this_run_started EXIT
  bash infra/local/stack.sh up
  eval "$(bash infra/local/stack.sh env)"
  status=0; run_tests || status=$?
fi

# before the summary, so that it stays the last line
if [[ -n "${running_before+set}" ]]; then stop_what_this_run_started; trap - EXIT; fi
node -e '
  const fs = require("fs"), dir = "tmp/test-results";
  const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const t = { passed: 0, failed: 0, skipped: 0 }, failures = [];
  for (const f of files) {
    const r = JSON.parse(fs.readFileSync(`${dir}/${f}`));
    for (const k of Object.keys(t)) t[k] += r[k] ?? 0;
    failures.push(...(r.failures ?? []));
  }
  const shown = failures.slice(0, 20).map((f) => `  ${f.slice(0, 300)}`);
  if (failures.length > shown.length) shown.push(`  and ${failures.length - shown.length} more (see above)`);
  if (failures.length) console.log(`\n== what failed\n${shown.join("\n")}`);
  console.log(`\n== ${files.length} test projects`);
  console.log(`${t.passed} passed, ${t.failed} failed` + (t.skipped ? `, ${t.skipped} skipped` : ""));
'
if [[ $status -ne 0 ]]; then echo "FAILED: see the output above" >&2; fi
exit $status
