# Sourced (bash) by demo.sh and .ci/run: installs from the distribution what a command needs and
# starts a Docker engine when none answers, on Debian/Ubuntu as root or with sudo; elsewhere it
# stops with one line naming exactly what to install.

outrigger_as_root() {
  if [[ $(id -u) == 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else return 1
  fi
}

# outrigger_ensure_packages WHO COMMAND:PACKAGE... : a wanted command that is missing gets its Debian
# package installed; on other systems the missing commands are named in one line.
outrigger_ensure_packages() {
  local who=$1; shift
  local missing=() wanted
  for wanted in "$@"; do
    PATH=$PATH:/usr/sbin:/sbin command -v "${wanted%%:*}" >/dev/null 2>&1 || missing+=("$wanted")
  done
  ((${#missing[@]} == 0)) && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$who: not a Debian/Ubuntu system; install these commands yourself, then run again: ${missing[*]%%:*}" >&2
    return 1
  fi
  local packages=("${missing[@]#*:}")
  echo "$who: installing from the distribution: ${packages[*]}"
  if ! { outrigger_as_root apt-get update -qq \
      && outrigger_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${packages[@]}" >/dev/null; }; then
    echo "$who: could not install ${packages[*]}: run apt-get install ${packages[*]} as root, then again" >&2
    return 1
  fi
}

# outrigger_ensure_docker WHO : a Docker engine that answers. Where a service manager runs, the
# package's install has started one already; elsewhere (a container, a CI sandbox) it starts dockerd
# itself with no bridge and no iptables, so containers run with host networking and no traffic
# leaves loopback.
outrigger_ensure_docker() {
  local who=$1
  docker info >/dev/null 2>&1 && return 0
  if [[ $(id -u) != 0 ]] && ! outrigger_as_root true 2>/dev/null; then
    echo "$who: no Docker engine answers and starting one needs root: start dockerd (or Docker Desktop)" >&2
    return 1
  fi
  outrigger_as_root sh -c 'nohup dockerd --bridge=none --iptables=false >/var/log/outrigger-dockerd.log 2>&1 &'
  local _
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && return 0; sleep 1; done
  tail -n 20 /var/log/outrigger-dockerd.log >&2 || true
  echo "$who: dockerd did not start (log: /var/log/outrigger-dockerd.log)" >&2
  return 1
}
