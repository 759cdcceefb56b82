#!/usr/bin/env bash
# Runs the Outrigger demo stack in the local Docker engine.
#   ./demo.sh          build the images and start the stack, then print what to try
#   ./demo.sh check    start it, exercise every container's contract, stop it (used by CI)
#   ./demo.sh down     stop it
# Needs a JDK 25 (JAVA_HOME, or one where installers put it). On Debian/Ubuntu (root or sudo) it
# installs what else it needs (Docker engine and compose, debootstrap, curl) and starts the engine.
# With a reachable registry, OUTRIGGER_BASE_IMAGE=eclipse-temurin:25-jre skips the offline base.
set -euo pipefail
cd "$(dirname "$0")"

die() { echo "demo: $*" >&2; exit 1; }

# the one JDK 25 finder mvnw, .ci/run and the benches use too, and the host set-up .ci/run uses
. .mvn/find-jdk25.sh
. deploy/host/setup.sh

prepare_host() {
  local wanted=(curl:curl)
  docker info >/dev/null 2>&1 || wanted+=(dockerd:docker.io)
  docker compose version >/dev/null 2>&1 || wanted+=(docker-compose:docker-compose)
  [[ -n "${OUTRIGGER_BASE_IMAGE:-}" ]] || wanted+=(debootstrap:debootstrap)
  outrigger_ensure_packages demo "${wanted[@]}" || exit 1
  outrigger_ensure_docker demo || exit 1
}

compose() {
  if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi
}

choose_network() {
  export COMPOSE_PROJECT_NAME=outrigger
  if docker network inspect bridge >/dev/null 2>&1; then
    export COMPOSE_FILE=docker-compose.yml:docker-compose.ports.yml
  else
    export COMPOSE_FILE=docker-compose.yml:docker-compose.host.yml
  fi
}

build_images() {
  outrigger_find_jdk25 || exit 1
  local base="${OUTRIGGER_BASE_IMAGE:-}"
  if [[ -z "$base" ]]; then
    deploy/images/build-offline-base.sh
    base="docker://outrigger/base:25-offline"
  fi
  echo "demo: building images on $base"
  ./mvnw -B -q -Pimages package -DskipTests -Doutrigger.base.image="$base"
}

wait_ready() {
  local url=$1
  for _ in $(seq 1 120); do
    if curl -sf -o /dev/null "$url"; then return 0; fi
    sleep 0.5
  done
  compose logs --tail=50 >&2 || true
  die "$url did not become ready within 60 s"
}

up() {
  prepare_host
  build_images
  choose_network
  compose up -d
  wait_ready http://127.0.0.1:4048/readyz
  wait_ready http://127.0.0.1:4040/readyz
}

check() {
  local token="${OUTRIGGER_DEMO_ADMIN_TOKEN:-demo-admin-token}" auth
  auth="Authorization: Bearer $token"
  curl -sf http://127.0.0.1:4048/hello?name=demo | grep -q 'Hello from Outrigger, demo!'
  curl -sf -XPOST -H "$auth" http://127.0.0.1:4048/lifecycle/pause | grep -q '"PAUSED"'
  [[ $(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:4048/readyz) == 503 ]]
  curl -sf -XPOST -H "$auth" http://127.0.0.1:4048/lifecycle/resume | grep -q '"RUNNING"'
  curl -sf http://127.0.0.1:4048/actuator/prometheus | grep -q 'outrigger_lifecycle_state{pattern="hello",state="RUNNING"} 1.0'
  curl -sf http://127.0.0.1:4040/leader | grep -q '"isLeader":true'
  curl -sf http://127.0.0.1:4040/ | grep -q '"name":"demo-replica-1"'
  echo "demo: check passed"
}

case "${1:-up}" in
  up)
    up
    cat <<TXT

Outrigger demo is running. Try:
  curl -s localhost:4048/hello?name=you
  curl -s localhost:4048/readyz
  curl -s localhost:4048/lifecycle
  curl -s -XPOST -H 'Authorization: Bearer demo-admin-token' localhost:4048/lifecycle/pause
  curl -s -XPOST -H 'Authorization: Bearer demo-admin-token' localhost:4048/lifecycle/resume
  curl -s -H 'Authorization: Bearer demo-admin-token' localhost:4048/actuator/info   # config: admin callers only
  curl -s localhost:4048/actuator/prometheus | grep outrigger_
  curl -s localhost:4040/leader                      # leader-elector beside hello
  curl -sN localhost:4040/leader/events              # Server-Sent Events of leader changes
Stop it with: ./demo.sh down
TXT
    ;;
  check)
    up
    trap 'choose_network; compose down' EXIT
    check
    ;;
  down)
    choose_network
    compose down
    ;;
  *)
    die "unknown command '$1': use up, check or down"
    ;;
esac
