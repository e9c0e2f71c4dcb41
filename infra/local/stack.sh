#!/usr/bin/env bash
# Local server stack without Docker: Kafka (KRaft, from Maven Central jars),
# FerretDB (built from the Go module proxy, SQLite backend) and Redis (Debian), the servers
# the tests need; and nginx (Debian), the browser's one origin, and Prometheus (Debian), scraping the services,
# which `npm start` starts by name.
#
#   infra/local/stack.sh up|down|status|env|reset|install [kafka|ferretdb|redis|nginx|prometheus ...]
#   eval "$(infra/local/stack.sh env)"
#
# Everything downloaded, built or written lives under $STACK_DIR (git-ignored).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"

STACK_DIR="${STACK_DIR:-$REPO/.local}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
MONGO_PORT="${MONGO_PORT:-27017}"
REDIS_PORT="${REDIS_PORT:-6379}"
NGINX_PORT="${NGINX_PORT:-8080}"
NGINX_WEB_ROOT="${NGINX_WEB_ROOT:-$REPO/dist/web}"
PROMETHEUS_PORT="${PROMETHEUS_PORT:-9090}"
# where nginx and Prometheus find the services (infra/start.sh starts them on these ports)
IDENTITY_PORT="${IDENTITY_PORT:-3001}" COACHING_PORT="${COACHING_PORT:-3002}"
FEEDBACK_PORT="${FEEDBACK_PORT:-3003}" ANALYTICS_PORT="${ANALYTICS_PORT:-3004}"
KAFKA_HEAP="${KAFKA_HEAP:--Xmx512m -Xms256m}"
FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
# FerretDB logs every failed command (E11000, endSessions, ...) as a multi-line WARN: keep it quiet.
FERRETDB_LOG_LEVEL="${FERRETDB_LOG_LEVEL:-error}"
# FERRETDB_DEBUG_ADDR=127.0.0.1:8088 serves FerretDB's metrics and Go profiles (/debug/pprof) there; off by default
FERRETDB_DEBUG_ADDR="${FERRETDB_DEBUG_ADDR:--}"
MONGODB_DRIVER_VERSION="${MONGODB_DRIVER_VERSION:-6.22.0}" # used only by the FerretDB health check
STACK_TIMEOUT="${STACK_TIMEOUT:-120}" # seconds to wait for each server to become healthy

# STACK_CACHE: downloads and builds shared by several state dirs (the fault suite reuses the main one)
CACHE="${STACK_CACHE:-$STACK_DIR/cache}"
DATA="$STACK_DIR/data"
LOGS="$STACK_DIR/logs"
RUN="$STACK_DIR/run"

KAFKA_LIB="$CACHE/kafka/lib"
# "-idx2": built with the two _id index fixes below (a new name makes old caches rebuild).
FERRETDB_BIN="$CACHE/ferretdb/bin/ferretdb-$FERRETDB_VERSION-idx2"
ALL=(kafka ferretdb redis) # what `up` starts without names: the servers of the tests
NGINX_DIR="$RUN/nginx"      # nginx's -p prefix: rendered config, pid, temp files
PROMETHEUS_DIR="$RUN/prometheus" # infra/prometheus/prometheus.yml and the targets.json written beside it

log() { echo "[stack] $*" >&2; }
die() { echo "[stack] ERROR: $*" >&2; exit 1; }

port_of() {
  case "$1" in
    kafka) echo "$KAFKA_PORT" ;;
    ferretdb) echo "$MONGO_PORT" ;;
    redis) echo "$REDIS_PORT" ;;
    nginx) echo "$NGINX_PORT" ;;
    prometheus) echo "$PROMETHEUS_PORT" ;;
    *) die "unknown server '$1' (expected: ${ALL[*]} nginx prometheus)" ;;
  esac
}

# A string that must appear in the process command line, so a stale pid file
# whose pid got reused by an unrelated process is never mistaken for ours.
marker_of() {
  case "$1" in
    kafka) echo "kafka.Kafka" ;;
    ferretdb) echo "ferretdb" ;;
    redis) echo "redis-server" ;;
    nginx) echo "nginx -p $NGINX_DIR" ;;
    prometheus) echo "prometheus --config.file=$PROMETHEUS_DIR/prometheus.yml" ;;
  esac
}

# Prints the pid if the server is running (pid file + live process with our marker).
running_pid() {
  local f="$RUN/$1.pid" pid
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$(marker_of "$1")" || return 1
  echo "$pid"
}

# Last lines of a server log, from its most recent "=== starting" marker on.
log_tail() {
  awk '/^=== .* starting /{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' "$LOGS/$1.log" 2>/dev/null |
    tail -n 40 >&2 || true
}

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Starts "$@" fully detached (own session, no stdin, log file) so it outlives
# the calling shell. The child writes its own pid before exec'ing the server,
# and closes fd 9 so it does not inherit our lock.
start_detached() {
  local name="$1"; shift
  local port; port="$(port_of "$name")"
  port_open "$port" &&
    die "$name: port $port is already in use by a process not started by this script; stop it or choose another port (KAFKA_PORT/MONGO_PORT/REDIS_PORT/NGINX_PORT/PROMETHEUS_PORT)"
  # keep one previous log generation once a log grows past 50 MB
  if [[ $(stat -c %s "$LOGS/$name.log" 2>/dev/null || echo 0) -gt 52428800 ]]; then
    mv "$LOGS/$name.log" "$LOGS/$name.log.1"
  fi
  echo "=== $(date -Is) starting $name" >>"$LOGS/$name.log"
  echo "$port" >"$RUN/$name.port"
  # shellcheck disable=SC2016 # $$ and $@ are expanded by the child shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$RUN/$name.pid" "$@" \
    </dev/null >>"$LOGS/$name.log" 2>&1 9>&- &
  # wait until the pid file is written by the child (on a loaded machine a fork can take seconds: a missing pid file
  # would read as "exited during startup")
  for _ in $(seq 300); do [[ -s "$RUN/$name.pid" ]] && break; sleep 0.1; done
}

# Polls health check "$2..." until it passes; on timeout or crash prints the log tail and fails.
wait_healthy() {
  local name="$1"; shift
  local deadline=$((SECONDS + STACK_TIMEOUT))
  while true; do
    # checked twice: while a server execs or rewrites its process title (redis does) its cmdline can read empty
    if ! running_pid "$name" >/dev/null && ! { sleep 0.5; running_pid "$name" >/dev/null; }; then
      log "$name exited during startup; last log lines ($LOGS/$name.log):"
      log_tail "$name"
      die "$name failed to start"
    fi
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ((SECONDS >= deadline)); then
      log "$name not healthy after ${STACK_TIMEOUT}s; last log lines ($LOGS/$name.log):"
      log_tail "$name"
      stop_one "$name"
      die "$name did not become healthy"
    fi
    sleep 1
  done
}

stop_one() {
  local name="$1" pid
  if pid="$(running_pid "$name")"; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    # Kafka needs a few seconds for a clean shutdown; force after 30s.
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop in 30s, killing"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$RUN/$name.pid" "$RUN/$name.port"
}

# ---------------------------------------------------------------- kafka

# Runs a Kafka CLI class from our classpath: small heap, fast JVM start, bounded run time.
kafka_tool() {
  timeout 60 java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j.configuration="file:$HERE/kafka/log4j-tools.properties" \
    -cp "$KAFKA_LIB/*" "$@"
}

install_kafka() {
  command -v java >/dev/null || die "java not found (need JDK 17+)"
  command -v mvn >/dev/null || die "mvn not found"
  # Re-resolve only when the pom changes (its hash is stored next to the jars).
  local sum; sum="$(sha256sum "$HERE/kafka/pom.xml" | cut -d' ' -f1)"
  if [[ -f "$KAFKA_LIB/.pom.sha256" && "$(cat "$KAFKA_LIB/.pom.sha256")" == "$sum" ]]; then
    return 0
  fi
  log "resolving Kafka jars from Maven Central into $KAFKA_LIB"
  rm -rf "$KAFKA_LIB.tmp"
  mvn -B -ntp -f "$HERE/kafka/pom.xml" -Dmaven.repo.local="$CACHE/m2" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIB.tmp" \
    >"$LOGS/kafka-install.log" 2>&1 || {
    tail -n 40 "$LOGS/kafka-install.log" >&2
    die "mvn dependency:copy-dependencies failed (full log: $LOGS/kafka-install.log)"
  }
  echo "$sum" >"$KAFKA_LIB.tmp/.pom.sha256"
  rm -rf "$KAFKA_LIB" && mv "$KAFKA_LIB.tmp" "$KAFKA_LIB"
}

write_kafka_config() {
  # Regenerated on every start so port overrides take effect.
  cat >"$RUN/kafka.properties" <<EOF
# generated by infra/local/stack.sh -- single-node KRaft broker for local tests
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA/kafka/logs
num.partitions=3
auto.create.topics.enable=true
# single broker: every internal topic has one replica
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# consumer groups start right away instead of waiting 3s for more members
group.initial.rebalance.delay.ms=0
EOF
}

kafka_healthy() {
  # A real metadata round trip: create (idempotent) and list topics via the CLI classes.
  # The admin client retries for 60s by default, hence the port check and `timeout`.
  port_open "$KAFKA_PORT" || return 1
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
    --create --if-not-exists --topic _stack_health --partitions 1 --replication-factor 1 &&
    kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --list |
    grep -qx _stack_health
}

start_kafka() {
  mkdir -p "$DATA/kafka"
  write_kafka_config
  # KRaft storage must be formatted once with a cluster id; keep the id with the data.
  if [[ ! -f "$DATA/kafka/logs/meta.properties" ]]; then
    [[ -s "$DATA/kafka/cluster.id" ]] || kafka_tool kafka.tools.StorageTool random-uuid >"$DATA/kafka/cluster.id"
    log "formatting Kafka storage (cluster id $(cat "$DATA/kafka/cluster.id"))"
    kafka_tool kafka.tools.StorageTool format --ignore-formatted \
      -t "$(cat "$DATA/kafka/cluster.id")" -c "$RUN/kafka.properties" >>"$LOGS/kafka.log" 2>&1
  fi
  # shellcheck disable=SC2086 # KAFKA_HEAP is a list of JVM flags
  start_detached kafka java $KAFKA_HEAP -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$HERE/kafka/log4j.properties" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$RUN/kafka.properties"
  wait_healthy kafka kafka_healthy
}

# ---------------------------------------------------------------- ferretdb

install_ferretdb() {
  install_node_tools
  [[ -x "$FERRETDB_BIN" ]] && return 0
  command -v go >/dev/null || die "go not found"
  export GOPATH="$CACHE/go/path" GOCACHE="$CACHE/go/build" GOTOOLCHAIN=local
  # -modcacherw: module cache stays deletable; -buildvcs=false: do not stamp *our* repo's commit.
  export GOFLAGS="-modcacherw -buildvcs=false"
  log "building FerretDB $FERRETDB_VERSION from the Go module proxy"
  # Plain `go install .../cmd/ferretdb@VERSION` builds a binary that panics at start:
  # the module zip lacks the generated build/version/version.txt. So build from a
  # copy of the module source with that file added.
  local src dir="$CACHE/ferretdb/src-$FERRETDB_VERSION"
  src="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$src" ]] || die "go mod download of FerretDB $FERRETDB_VERSION failed"
  rm -rf "$dir" && mkdir -p "$(dirname "$dir")" && cp -r "$src" "$dir" && chmod -R u+w "$dir"
  echo "$FERRETDB_VERSION" >"$dir/build/version/version.txt"
  echo "local" >"$dir/build/version/package.txt"
  patch_ferretdb_id_lookups "$dir"
  mkdir -p "$(dirname "$FERRETDB_BIN")"
  (cd "$dir" && go build -trimpath -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb)
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  # Only the binary is needed from now on; the Go module + build caches are ~1 GB.
  go clean -cache -modcache
  rm -rf "$dir"
}

# FerretDB 1.x's SQLite backend creates the unique _id index on `_ferretdb_sjson->"_id"`
# but queries, updates and deletes by _id with `_ferretdb_sjson->'$._id'`. SQLite only
# uses an expression index for the same expression, so every _id lookup, update and
# delete scanned the whole table (the PostgreSQL backend spells both `->'_id'`; see
# FerretDB issue #4646 for the same mismatch there). One line makes them agree.
patch_ferretdb_id_lookups() {
  local f="$1/internal/backends/sqlite/metadata/metadata.go"
  grep -q "IDColumn = DefaultColumn + \"->'\$._id'\"" "$f" ||
    die "FerretDB $FERRETDB_VERSION: the _id lookup expression changed; review patch_ferretdb_id_lookups"
  sed -i "s|IDColumn = DefaultColumn + \"->'\$._id'\"|IDColumn = DefaultColumn + \"->'_id'\"|" "$f"
  grep -q "IDColumn = DefaultColumn + \"->'_id'\"" "$f" || die "patching FerretDB's _id lookups failed"
  # Its queries used that index only for a filter of `_id` alone: an update `{ _id, fence: { $lte } }` (a
  # checkpoint's or a read model's compare-and-set) scanned the table, 45 ms instead of 1.5 ms at 3,000
  # documents. Every caller applies the whole filter again to what the backend returns (a backend "may apply
  # the filter partially"), so the `_id` condition is pushed down whatever else the filter holds.
  local c="$1/internal/backends/sqlite/collection.go"
  [[ "$(grep -c 'if params.Filter.Len() == 1 {' "$c")" == 2 ]] ||
    die "FerretDB $FERRETDB_VERSION: the _id pushdown changed; review patch_ferretdb_id_lookups"
  # only Query's (the first); Explain's reports a pushdown as whole, which it is only for `_id` alone
  sed -i '0,/if params.Filter.Len() == 1 {/s//if params.Filter.Len() >= 1 {/' "$c"
  [[ "$(grep -c 'if params.Filter.Len() >= 1 {' "$c")" == 1 ]] || die "patching FerretDB's _id pushdown failed"
  log "patched FerretDB: _id lookups use the _id index, also beside other conditions"
}

install_node_tools() {
  # The MongoDB driver for the FerretDB health check, kept apart from the repo's node_modules.
  local dir="$CACHE/node-tools" have=""
  [[ -f "$dir/node_modules/mongodb/package.json" ]] &&
    have="$(node -p "require('$dir/node_modules/mongodb/package.json').version")"
  [[ "$have" == "$MONGODB_DRIVER_VERSION" ]] && return 0
  command -v npm >/dev/null || die "npm not found (need node 20+)"
  log "installing mongodb@$MONGODB_DRIVER_VERSION driver into $dir"
  mkdir -p "$dir"
  [[ -f "$dir/package.json" ]] || echo '{"private":true}' >"$dir/package.json"
  npm install --prefix "$dir" --cache "$CACHE/npm" --no-audit --no-fund --loglevel=error \
    "mongodb@$MONGODB_DRIVER_VERSION" >/dev/null
}

ferretdb_healthy() {
  NODE_PATH="$CACHE/node-tools/node_modules" timeout 15 node "$HERE/mongo-ping.js" "mongodb://127.0.0.1:$MONGO_PORT"
}

start_ferretdb() {
  mkdir -p "$DATA/ferretdb"
  # GOGC: FerretDB allocates per document converted (BSON <-> JSON); collecting less often spends its CPU on queries
  GOGC="${FERRETDB_GOGC:-400}" start_detached ferretdb "$FERRETDB_BIN" \
    --handler=sqlite --sqlite-url="file:$DATA/ferretdb/${FERRETDB_SQLITE_OPTIONS-}" \
    --state-dir="$DATA/ferretdb" \
    --listen-addr="127.0.0.1:$MONGO_PORT" \
    --debug-addr="$FERRETDB_DEBUG_ADDR" \
    --telemetry=disable \
    --log-level="$FERRETDB_LOG_LEVEL"
  wait_healthy ferretdb ferretdb_healthy
}

# ---------------------------------------------------------------- redis

install_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  [[ "$(id -u)" == 0 ]] || die "redis-server missing; install it with: sudo apt-get install -y redis-server"
  log "installing redis-server from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
}

# ---------------------------------------------------------------- nginx (the web origin)

NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)" # /usr/sbin is not on every user's PATH

install_nginx() {
  [[ -x "$NGINX_BIN" ]] && command -v envsubst >/dev/null && return 0
  [[ "$(id -u)" == 0 ]] || die "nginx or envsubst missing; install them with: sudo apt-get install -y nginx gettext-base"
  log "installing nginx from Debian"
  # Debian's package would also start the system nginx on port 80 where init scripts run; ours is separate
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx gettext-base >/dev/null
  NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)"
}

# "http://a:1,http://b:2" -> "server a:1; server b:2;" (nginx upstream lines)
upstream_servers() {
  local url servers=""
  IFS=',' read -ra urls <<<"$1"
  for url in "${urls[@]}"; do url="${url#*://}"; servers+="server ${url%/}; "; done
  printf '%s' "$servers"
}

# infra/nginx/local.conf + the shared server block, rendered on every start so port overrides take effect.
# CBME_<SERVICE>_URLS (comma-separated) lists several instances of a service; by default the one `npm start` runs.
write_nginx_config() {
  mkdir -p "$NGINX_DIR"
  cp "$REPO/infra/nginx/local.conf" "$NGINX_DIR/nginx.conf"
  CBME_LISTEN="127.0.0.1:$NGINX_PORT" CBME_WEB_ROOT="$NGINX_WEB_ROOT" \
    CBME_IDENTITY_SERVERS="$(upstream_servers "${CBME_IDENTITY_URLS:-http://127.0.0.1:$IDENTITY_PORT}")" \
    CBME_COACHING_SERVERS="$(upstream_servers "${CBME_COACHING_URLS:-http://127.0.0.1:$COACHING_PORT}")" \
    CBME_FEEDBACK_SERVERS="$(upstream_servers "${CBME_FEEDBACK_URLS:-http://127.0.0.1:$FEEDBACK_PORT}")" \
    CBME_ANALYTICS_SERVERS="$(upstream_servers "${CBME_ANALYTICS_URLS:-http://127.0.0.1:$ANALYTICS_PORT}")" \
    envsubst '${CBME_LISTEN} ${CBME_WEB_ROOT} ${CBME_IDENTITY_SERVERS} ${CBME_COACHING_SERVERS} ${CBME_FEEDBACK_SERVERS} ${CBME_ANALYTICS_SERVERS}' \
    <"$REPO/infra/nginx/cbme.conf.template" >"$NGINX_DIR/cbme.conf"
}

# Any HTTP answer: the app may not be built yet and the services may start after nginx.
nginx_healthy() { curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$NGINX_PORT/"; }

start_nginx() {
  write_nginx_config
  # As root, nginx runs its workers as "nobody", who may not read the repo: keep the caller's user.
  local globals="daemon off;"
  [[ "$(id -u)" == 0 ]] && globals+=" user $(id -un) $(id -gn);"
  start_detached nginx "$NGINX_BIN" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e stderr -g "$globals"
  wait_healthy nginx nginx_healthy
}

# ---------------------------------------------------------------- prometheus (the services' metrics)

PROMETHEUS_BIN="$(command -v prometheus || echo /usr/bin/prometheus)"

install_prometheus() {
  [[ -x "$PROMETHEUS_BIN" ]] && return 0
  [[ "$(id -u)" == 0 ]] || die "prometheus missing; install it with: sudo apt-get install -y prometheus"
  log "installing prometheus from Debian"
  # Debian's package would also start the system Prometheus on port 9090 where init scripts run; ours is separate,
  # so the install may not start services (policy-rc.d, as in container images), unless the machine has a policy already
  local policy=/usr/sbin/policy-rc.d own_policy=""
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=1
  fi
  local status=0
  DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null || status=$?
  [[ -z "$own_policy" ]] || rm -f "$policy"
  ((status == 0)) || die "apt-get install prometheus failed"
  PROMETHEUS_BIN="$(command -v prometheus || echo /usr/bin/prometheus)"
}

# infra/prometheus/prometheus.yml and the services' local ports as its targets, written on every start.
write_prometheus_config() {
  mkdir -p "$PROMETHEUS_DIR"
  cp "$REPO/infra/prometheus/prometheus.yml" "$PROMETHEUS_DIR/prometheus.yml"
  cat >"$PROMETHEUS_DIR/targets.json" <<EOF
[
  { "targets": ["127.0.0.1:$IDENTITY_PORT"], "labels": { "job": "identity" } },
  { "targets": ["127.0.0.1:$COACHING_PORT"], "labels": { "job": "coaching" } },
  { "targets": ["127.0.0.1:$FEEDBACK_PORT"], "labels": { "job": "feedback" } },
  { "targets": ["127.0.0.1:$ANALYTICS_PORT"], "labels": { "job": "analytics" } }
]
EOF
}

prometheus_healthy() { curl -sf -o /dev/null --max-time 5 "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"; }

start_prometheus() {
  write_prometheus_config
  mkdir -p "$DATA/prometheus"
  start_detached prometheus "$PROMETHEUS_BIN" --config.file="$PROMETHEUS_DIR/prometheus.yml" \
    --storage.tsdb.path="$DATA/prometheus" --storage.tsdb.retention.time=15d \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --log.level=warn
  wait_healthy prometheus prometheus_healthy
}

# ---------------------------------------------------------------- chromium (not a server: the dashboard's browser test)

install_chromium() {
  command -v chromium >/dev/null && return 0
  if [[ "$(id -u)" != 0 ]]; then
    log "chromium missing (the dashboard browser test needs it); install it with: sudo apt-get install -y chromium"
    return 0
  fi
  log "installing chromium from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
}

redis_healthy() { [[ "$(timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

start_redis() {
  mkdir -p "$DATA/redis"
  # Our own instance, not the Debian service; no persistence (test data only).
  start_detached redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 \
    --dir "$DATA/redis" --daemonize no --save '' --appendonly no
  wait_healthy redis redis_healthy
}

# ---------------------------------------------------------------- commands

status_line() {
  local name="$1" pid
  if pid="$(running_pid "$name")"; then
    printf '%-10s running  port=%-6s pid=%s\n' "$name" "$(cat "$RUN/$name.port" 2>/dev/null || echo '?')" "$pid"
  else
    printf '%-10s stopped  port=%-6s pid=-\n' "$name" "$(port_of "$name")"
  fi
}

cmd_install() {
  for s in "$@"; do "install_$s"; done
  install_chromium
}

cmd_up() {
  local s
  for s in "$@"; do
    if running_pid "$s" >/dev/null; then
      local have; have="$(cat "$RUN/$s.port" 2>/dev/null || port_of "$s")"
      [[ "$have" == "$(port_of "$s")" ]] ||
        die "$s is already running on port ${have:-?}, not $(port_of "$s"); run '$0 down $s' first"
      port_open "$have" && continue # already up: nothing to do
      log "$s (pid $(running_pid "$s")) is not listening on port $have; restarting it"
      stop_one "$s"
    fi
    rm -f "$RUN/$s.pid"
    local t=$SECONDS
    "install_$s"
    ((SECONDS - t < 2)) || log "$s installed in $((SECONDS - t))s"
    log "starting $s"
    t=$SECONDS
    "start_$s"
    log "$s healthy on port $(port_of "$s") after $((SECONDS - t))s"
  done
  for s in "$@"; do status_line "$s"; done
}

cmd_down() { for s in "$@"; do stop_one "$s"; done; }

cmd_status() { for s in "$@"; do status_line "$s"; done; }

cmd_env() {
  echo "export KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
  echo "export MONGO_URL=mongodb://127.0.0.1:$MONGO_PORT"
  echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
  echo "export PROMETHEUS_URL=http://127.0.0.1:$PROMETHEUS_PORT"
}

cmd_reset() {
  cmd_down "$@"
  for s in "$@"; do rm -rf "${DATA:?}/$s"; done
  log "data removed for: $*"
}

usage() {
  cat >&2 <<EOF
usage: $0 <command> [kafka|ferretdb|redis|nginx|prometheus ...]
  (default: kafka ferretdb redis for up; those, nginx and prometheus for the other commands)
  up       install if needed, start, wait until healthy (no-op if already running)
  down     stop (data is kept)
  status   one line per server
  env      print export lines: eval "\$($0 env)"
  reset    down + delete data (caches are kept)
  install  download/build everything without starting (CI cache warm-up), and Debian's chromium for the browser test
state dir: $STACK_DIR
EOF
  exit 2
}

main() {
  local cmd="${1:-}"
  [[ -n "$cmd" ]] || usage
  shift
  local servers=("$@")
  if ((${#servers[@]} == 0)); then
    # nginx and prometheus only start by name (infra/start.sh, after the services), but are stopped, listed and
    # installed with the rest
    servers=("${ALL[@]}")
    [[ "$cmd" == up || "$cmd" == env ]] || servers=(nginx prometheus "${servers[@]}")
  fi
  # chromium is no server (no port): it may only be named to install it
  for s in "${servers[@]}"; do [[ "$cmd" == install && "$s" == chromium ]] || port_of "$s" >/dev/null; done

  case "$cmd" in
    env) cmd_env; return ;;
    status) cmd_status "${servers[@]}"; return ;;
    up | down | reset | install) ;;
    *) usage ;;
  esac

  mkdir -p "$CACHE" "$DATA" "$LOGS" "$RUN"
  # Serialize concurrent invocations (e.g. parallel test runners calling `up`).
  exec 9>"$RUN/.lock"
  flock 9
  "cmd_$cmd" "${servers[@]}"
}

main "$@"
