#!/usr/bin/env bash
# `npm start`: the local server stack, the four services, the web origin (nginx) and demo data. Safe to run again.
# Services run in the background with logs in .local/logs/<service>.log; `npm run stop` stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
STACK_DIR="${STACK_DIR:-$ROOT/.local}"
RUN="$STACK_DIR/run"; LOGS="$STACK_DIR/logs"
mkdir -p "$RUN" "$LOGS"

[[ -d node_modules ]] || npm ci --no-audit --no-fund

if [[ -z "${KAFKA_BROKERS:-}" || -z "${MONGO_URL:-}" || -z "${REDIS_URL:-}" ]]; then
  bash infra/local/stack.sh up
  eval "$(bash infra/local/stack.sh env)"
fi

# one institution per deployment; identity creates it and its first admin on start-up
export INSTITUTION_ID="${INSTITUTION_ID:-demo-university}"
export BOOTSTRAP_ADMIN_EMAIL="${BOOTSTRAP_ADMIN_EMAIL:-admin@demo-university.edu}"
export BOOTSTRAP_ADMIN_PASSWORD="${BOOTSTRAP_ADMIN_PASSWORD:-coaching-demo-2026}"
export AUTH_JWKS_URL="${AUTH_JWKS_URL:-http://127.0.0.1:${IDENTITY_PORT:-3001}/.well-known/jwks.json}"
# the browser's one origin: nginx serves the web app and proxies /api/<service>/ (infra/nginx)
NGINX_PORT="${NGINX_PORT:-8080}"
WEB_URL="http://127.0.0.1:$NGINX_PORT/"
# the services take the client's address from nginx's X-Forwarded-For (sign-in limits count per address)
export TRUST_PROXY="${TRUST_PROXY:-loopback}"
# single sign-on (when OIDC_ISSUER_URL is set) comes back through the origin, like the rest of the browser's calls
export OIDC_REDIRECT_URL="${OIDC_REDIRECT_URL:-${WEB_URL}sso/callback}" # the workspace page that completes it
# reminders (coaching: meetings; feedback: plan reviews) go to the services' logs unless an SMTP server is named (NOTIFY_CHANNEL=email SMTP_URL=smtp://...)
export NOTIFY_CHANNEL="${NOTIFY_CHANNEL:-log}"

# the coaching workspace (services/web, built to dist/web and served by nginx; Nx caches the build)
NX_DAEMON=false npx nx run web:build --outputStyle=static >/dev/null || { echo "[start] the web app build failed" >&2; exit 1; }

declare -A PORTS=([identity]="${IDENTITY_PORT:-3001}" [coaching]="${COACHING_PORT:-3002}" [feedback]="${FEEDBACK_PORT:-3003}" [analytics]="${ANALYTICS_PORT:-3004}")
SERVICES=(identity coaching feedback analytics)

running() { [[ -f "$RUN/service-$1.pid" ]] && kill -0 "$(cat "$RUN/service-$1.pid")" 2>/dev/null; }

for svc in "${SERVICES[@]}"; do
  if running "$svc"; then echo "[start] $svc already running"; continue; fi
  echo "[start] $svc on port ${PORTS[$svc]}"
  PORT="${PORTS[$svc]}" setsid nohup node -r @swc-node/register "services/$svc/src/main.ts" >>"$LOGS/$svc.log" 2>&1 </dev/null &
  echo $! >"$RUN/service-$svc.pid"
done

for svc in "${SERVICES[@]}"; do
  deadline=$((SECONDS + 120))
  until curl -sf "http://127.0.0.1:${PORTS[$svc]}/health/ready" >/dev/null; do
    if ! running "$svc" || (( SECONDS > deadline )); then
      echo "[start] $svc did not become ready; last log lines:" >&2
      tail -n 30 "$LOGS/$svc.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "[start] $svc ready"
done

IDENTITY_PORT="${PORTS[identity]}" COACHING_PORT="${PORTS[coaching]}" FEEDBACK_PORT="${PORTS[feedback]}" ANALYTICS_PORT="${PORTS[analytics]}" \
  NGINX_PORT="$NGINX_PORT" bash infra/local/stack.sh up nginx >/dev/null
echo "[start] web origin ready on $WEB_URL"
# Prometheus scraping the four services' /metrics (infra/prometheus)
IDENTITY_PORT="${PORTS[identity]}" COACHING_PORT="${PORTS[coaching]}" FEEDBACK_PORT="${PORTS[feedback]}" ANALYTICS_PORT="${PORTS[analytics]}" \
  bash infra/local/stack.sh up prometheus >/dev/null
echo "[start] Prometheus on http://127.0.0.1:${PROMETHEUS_PORT:-9090}/"

echo "[start] seeding demo data"
IDENTITY_URL="http://127.0.0.1:${PORTS[identity]}" COACHING_URL="http://127.0.0.1:${PORTS[coaching]}" \
FEEDBACK_URL="http://127.0.0.1:${PORTS[feedback]}" ANALYTICS_URL="http://127.0.0.1:${PORTS[analytics]}" \
  node -r @swc-node/register infra/demo/seed.ts

cat <<MSG

Open the workspace: $WEB_URL
  every demo account's password is coaching-demo-2026; for example
  medicine-ada@demo-university.edu (learner), medicine-coach-1@ (coach), medicine-lead@ (coaching lead),
  medicine-admin@ (school admin), medicine-committee@ (committee), $BOOTSTRAP_ADMIN_EMAIL (institution admin)
The services' APIs (OpenAPI pages):
  identity   http://127.0.0.1:${PORTS[identity]}/docs
  coaching   http://127.0.0.1:${PORTS[coaching]}/docs
  feedback   http://127.0.0.1:${PORTS[feedback]}/docs
  analytics  http://127.0.0.1:${PORTS[analytics]}/docs
Sign in from the command line:
  TOKEN=\$(curl -s http://127.0.0.1:${PORTS[identity]}/auth/login -H content-type:application/json \\
    -d '{"email":"medicine-committee@demo-university.edu","password":"coaching-demo-2026"}' | sed 's/.*"accessToken":"\([^"]*\)".*/\1/')
  curl -s http://127.0.0.1:${PORTS[analytics]}/schools/medicine/activity -H "authorization: Bearer \$TOKEN"
Logs: $LOGS/<service>.log    Stop: npm run stop
MSG
