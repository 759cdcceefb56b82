#!/usr/bin/env bash
# Gives an image Jib just built an AOT cache (JEP 483/514: classes loaded and linked), made by the image's own JVM on the image's own class path — the only cache the JVM
# will map — and rebuilds the image's tags with it:
#   1. a training container runs the image's entrypoint with -XX:AOTCacheOutput=<mounted dir>,
#      serves a few requests (its /livez, /readyz and AOT_TRAINING_PATHS) and is stopped (SIGTERM:
#      the JVM writes the cache as it exits);
#   2. a layer on top of the image adds the cache as /app/aot/app.aot and an entrypoint that is the
#      image's with -XX:AOTCache=/app/aot/app.aot before -cp (JAVA_TOOL_OPTIONS still adds to it);
#   the e2e suite (ImageIT) proves from the JVM's own log that each image maps its cache.
# Usage: deploy/images/aot-cache.sh IMAGE [MORE_TAGS...]   (IMAGE: repository:tag Jib built)
# Environment:
#   AOT_TRAINING_ENV    `K=V …` for the training container (e.g. the settings a pattern needs to
#                       start); {port2} in a value becomes a second free loopback port
#   AOT_TRAINING_PATHS  more `GET` paths to call while training (e.g. /hello)
#   AOT_WORK            working directory (default: a temporary one, removed)
#   AOT_TRAINING_MAY_EXIT=true   accept a training container that stops by itself before /livez
#                       (e.g. work-coordinator: without a broker it gives up after about a minute)
# Needs: a Docker engine, curl, python3. The class path must hold jars only (Jib's packaged
# containerizing mode): the JVM refuses to archive classes from directories.
set -Eeuo pipefail
set -f   # settings and paths below are split on spaces, never globbed
image=$1; shift
tags=("$image" "$@")
work=$(realpath -m "${AOT_WORK:-$(mktemp -d)}")
mkdir -p "$work"; rm -f "$work/app.aot" "$work/app.aot.config"
chmod 0777 "$work"
name=outrigger-aot-training-$$
cleanup() { docker rm -f "$name" >/dev/null 2>&1 || true; [[ -n ${AOT_WORK:-} ]] || rm -rf "$work"; }
trap cleanup EXIT
log() { printf '%s [aot-cache] %s\n' "$(date +%H:%M:%S)" "$*"; }

# the image's entrypoint: java, its flags, then -cp … and the main class
entrypoint_json=$(docker image inspect -f '{{json .Config.Entrypoint}}' "$image")
mapfile -t entrypoint < <(python3 -c 'import json, sys; print("\n".join(json.loads(sys.argv[1])))' "$entrypoint_json")
(( ${#entrypoint[@]} > 1 )) || { echo "aot-cache: $image has no entrypoint to train" >&2; exit 1; }
java_bin=${entrypoint[0]}
flag_list=(); rest_list=()
for ((i = 1; i < ${#entrypoint[@]}; i++)); do
  if [[ ${entrypoint[i]} == -cp ]]; then rest_list=("${entrypoint[@]:i}"); break; fi
  [[ ${entrypoint[i]} == -XX:AOTCache=* ]] || flag_list+=("${entrypoint[i]}")
done
(( ${#rest_list[@]} )) || { echo "aot-cache: no -cp in $image's entrypoint" >&2; exit 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
env_args=(-e "SERVER_PORT=$port" -e "OUTRIGGER_HTTP_PORT=$port" -e OUTRIGGER_LIFECYCLE_DRAIN_TIMEOUT=1s)
port2=$(free_port)
while [[ $port2 == "$port" ]]; do port2=$(free_port); done
for e in ${AOT_TRAINING_ENV:-}; do env_args+=(-e "${e//\{port2\}/$port2}"); done

log "training $image on port $port"
docker run -d --name "$name" --network host -v "$work:/aot" "${env_args[@]}" --entrypoint "$java_bin" "$image" \
  "${flag_list[@]}" -XX:AOTCacheOutput=/aot/app.aot "${rest_list[@]}" >/dev/null
up=0
for _ in $(seq 1 600); do
  if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/livez" || true) == 200 ]]; then up=1; break; fi
  [[ $(docker inspect -f '{{.State.Running}}' "$name") == true ]] || break
  sleep 0.2
done
if [[ $up != 1 && ${AOT_TRAINING_MAY_EXIT:-false} == true && $(docker inspect -f '{{.State.Running}}' "$name") != true && -s $work/app.aot ]]; then
  # a pattern that cannot start without its peer (work-coordinator without Kafka) still trains
  # everything up to where it gives up
  log "the training container stopped before /livez (it may: AOT_TRAINING_MAY_EXIT); using the cache it wrote"
elif [[ $up != 1 ]]; then
  docker logs "$name" 2>&1 | tail -30 >&2; echo "aot-cache: training container never answered /livez" >&2; exit 1
fi
for _ in $(seq 1 $(( up ? 20 : 0 ))); do
  for p in /livez /readyz /actuator/health /actuator/info /actuator/prometheus ${AOT_TRAINING_PATHS:-}; do
    curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$port$p" || true
  done
done
docker stop -t 300 "$name" >/dev/null 2>&1 || true
docker wait "$name" >/dev/null 2>&1 || true
if [[ ! -s $work/app.aot ]]; then docker logs "$name" 2>&1 | tail -30 >&2; echo "aot-cache: the JVM wrote no AOT cache" >&2; exit 1; fi
log "cache $(du -h "$work/app.aot" | cut -f1)"

python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' \
  "$java_bin" "${flag_list[@]}" -XX:AOTCache=/app/aot/app.aot "${rest_list[@]}" >"$work/entrypoint.json"
cat >"$work/Dockerfile" <<DOCKERFILE
FROM $image
COPY app.aot /app/aot/app.aot
ENTRYPOINT $(cat "$work/entrypoint.json")
DOCKERFILE
tag_args=(); for t in "${tags[@]}"; do tag_args+=(-t "$t"); done
DOCKER_BUILDKIT=0 docker build -q "${tag_args[@]}" -f "$work/Dockerfile" "$work" >/dev/null 2>"$work/build.log" \
  || { cat "$work/build.log" >&2; exit 1; }

log "${tags[*]}: /app/aot/app.aot added (e2e ImageIT proves from the JVM's own log that it maps it)"
