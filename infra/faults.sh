#!/usr/bin/env bash
# The fault suite (`npm run test:faults`): two instances of each service from the production build against a private
# Kafka, FerretDB and Redis (infra/local/stack.sh under their own state dir and ports), a bounded load, and kill -9 of
# an instance of each service, of Kafka and of FerretDB, and a SIGSTOP of a lease holder, one at a time
# (services/fault-e2e). The private servers stop at the end, also on failure; the shared ones are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

export STACK_DIR="${FAULTS_STACK_DIR:-$PWD/tmp/faults-stack}"
# Kafka's jars and the built FerretDB of the repository's main stack (a worktree shares its main checkout's):
# reused, neither downloaded nor built again
export STACK_CACHE="${FAULTS_STACK_CACHE:-$(cd "$(git rev-parse --path-format=absolute --git-common-dir)/.." && pwd)/.local/cache}"
export KAFKA_PORT="${FAULTS_KAFKA_PORT:-19092}" KAFKA_CONTROLLER_PORT="${FAULTS_KAFKA_CONTROLLER_PORT:-19093}"
export MONGO_PORT="${FAULTS_MONGO_PORT:-27027}" REDIS_PORT="${FAULTS_REDIS_PORT:-16389}"
export KAFKA_HEAP="-Xmx384m -Xms128m"
# a restarted Kafka on a loaded machine takes longer than the default 120 s to answer its health check
export STACK_TIMEOUT="${STACK_TIMEOUT:-300}"
SERVERS=(kafka ferretdb redis)

stop_servers() { bash infra/local/stack.sh down "${SERVERS[@]}" 2>/dev/null || true; }
trap stop_servers EXIT
# every run starts from empty servers
bash infra/local/stack.sh reset "${SERVERS[@]}" >/dev/null 2>&1 || true
bash infra/local/stack.sh up "${SERVERS[@]}"
eval "$(bash infra/local/stack.sh env)"
export FAULTS_PRIVATE_STACK=1

npx nx run-many -t build --projects=identity,coaching,feedback,analytics --parallel=2 --outputStyle=stream
npx nx run fault-e2e:faults --outputStyle=stream
