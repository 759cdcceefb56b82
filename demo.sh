#!/usr/bin/env bash
# Runs the Outrigger demo stack in the local Docker engine.
#   ./demo.sh          build the images and start the stack, then print what to try
#   ./demo.sh check    start it, exercise every container's contract, stop it (used by CI)
#   ./demo.sh down     stop it
# Needs a JDK 25 (JAVA_HOME, or Temurin 25 under /usr/lib/jvm) and a running Docker engine.
# With a reachable registry, OUTRIGGER_BASE_IMAGE=eclipse-temurin:25-jre skips the offline base.
set -euo pipefail
cd "$(dirname "$0")"

die() { echo "demo: $*" >&2; exit 1; }

find_java() {
  for home in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk; do
    if [[ -n "$home" && -x "$home/bin/java" ]] && "$home/bin/java" -version 2>&1 | grep -q 'version "25'; then
      echo "$home"; return
    fi
  done
  die "no JDK 25 found: set JAVA_HOME to a Java 25 JDK"
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
  export JAVA_HOME; JAVA_HOME=$(find_java)
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
  docker info >/dev/null 2>&1 || die "no Docker engine answers: start dockerd (or Docker Desktop) first"
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
  curl -s localhost:4048/actuator/info
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
