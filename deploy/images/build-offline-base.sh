#!/usr/bin/env bash
# Build the Outrigger container base image without any container registry:
#   Debian bookworm rootfs (debootstrap --variant=minbase)
#   + jlink'ed Java runtime from the local JDK in /opt/java (with default CDS archive)
#   + non-root user outrigger (65532:65532)
#   -> `docker import` as ${OUTRIGGER_BASE_TAG:-outrigger/base:25-offline}
#
# Usage: deploy/images/build-offline-base.sh [--force]
#
# Environment:
#   OUTRIGGER_BASE_TAG  image tag                 (default outrigger/base:25-offline)
#   DEBIAN_MIRROR       debootstrap mirror        (default http://deb.debian.org/debian)
#   DEBIAN_SUITE        Debian suite              (default bookworm)
#   JAVA_HOME           JDK used for jlink        (default: a JDK 25 found as mvnw finds one)
#   TMPDIR              where the temp rootfs goes (default /var/tmp)
#
# Needs: root (debootstrap/chroot), debootstrap, a reachable Docker engine, $JAVA_HOME/bin/jlink.
# Never pulls from a registry.
set -Eeuo pipefail

readonly PROG=${0##*/}
# debootstrap/chroot live in sbin, which a non-login root shell may lack
export PATH=$PATH:/usr/sbin:/sbin
TAG=${OUTRIGGER_BASE_TAG:-outrigger/base:25-offline}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_SUITE=${DEBIAN_SUITE:-bookworm}
# the JDK 25 finder mvnw, demo.sh and .ci/run use (JAVA_HOME when it is a JDK 25, else an installed one)
. "$(dirname "${BASH_SOURCE[0]}")/../../.mvn/find-jdk25.sh"
outrigger_find_jdk25 || exit 1
APP_UID=65532
APP_GID=65532
APP_USER=outrigger

# Modules wanted in the runtime. Missing ones (per `java --list-modules`) are dropped with a note.
WANTED_MODULES=(
  # core / logging / XML (Spring, logback, Jackson XML, Tomcat)
  java.base java.logging java.xml java.naming java.prefs java.scripting java.instrument
  # java.beans (Spring) lives in java.desktop
  java.desktop
  # HTTP client, DNS JNDI provider, extended socket options (Netty, Kafka), extra charsets
  java.net.http jdk.naming.dns jdk.net jdk.charsets
  # JDBC / XA
  java.sql java.transaction.xa
  # security: Kafka SASL/JAAS/Kerberos, PKCS#11, EC (empty since JDK 22 but harmless)
  java.security.jgss java.security.sasl jdk.security.auth jdk.security.jgss
  jdk.crypto.cryptoki jdk.crypto.ec java.xml.crypto
  # sun.misc.Unsafe / Signal (Netty, Caffeine, ...)
  jdk.unsupported
  # JMX / management / JFR (actuator, Micrometer, remote JMX)
  java.management java.management.rmi java.rmi jdk.management jdk.management.agent
  jdk.jfr jdk.management.jfr
  # zip file system (Spring Boot fat jars, JGit), locale data (en only)
  jdk.zipfs jdk.localedata
  # operator tooling: jcmd & friends (pulls jdk.internal.jvmstat)
  jdk.attach jdk.jcmd
)

# ---------------------------------------------------------------------------------------------
log()  { printf '%s [%s] %s\n' "$(date +%H:%M:%S)" "$PROG" "$*"; }
die()  { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }
now()  { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

usage() {
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
}

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$arg' (usage: $PROG [--force])" ;;
  esac
done

T_START=$(now)

# --- prerequisites needed even for the "already built" fast path ------------------------------
command -v docker >/dev/null 2>&1 || die "docker CLI not found in PATH"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 \
  || die "Docker engine not reachable (is dockerd running and DOCKER_HOST/socket accessible?)"

if [[ $FORCE -eq 0 ]] && docker image inspect "$TAG" >/dev/null 2>&1; then
  log "image $TAG already exists ($(docker image inspect -f '{{.Id}}' "$TAG" | cut -c8-19)); nothing to do (use --force to rebuild)"
  exit 0
fi

# --- remaining prerequisites -----------------------------------------------------------------
[[ $EUID -eq 0 ]] || die "must run as root (debootstrap needs it)"
command -v debootstrap >/dev/null 2>&1 || die "debootstrap not found (apt-get install debootstrap)"
[[ -x "$JAVA_HOME/bin/jlink" ]] || die "no jlink at $JAVA_HOME/bin/jlink (set JAVA_HOME to a JDK 25)"
[[ -x "$JAVA_HOME/bin/java" ]] || die "no java at $JAVA_HOME/bin/java"
command -v tar >/dev/null 2>&1 || die "tar not found"

JDK_RUNTIME_VERSION=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$JAVA_HOME/release" 2>/dev/null || true)
JDK_IMPLEMENTOR=$(sed -n 's/^IMPLEMENTOR="\(.*\)"$/\1/p' "$JAVA_HOME/release" 2>/dev/null || true)
[[ -n $JDK_RUNTIME_VERSION ]] || JDK_RUNTIME_VERSION=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java.runtime.version = //p')
JDK_FEATURE=${JDK_RUNTIME_VERSION%%[.+-]*}
[[ $JDK_FEATURE =~ ^[0-9]+$ && $JDK_FEATURE -ge 25 ]] \
  || die "JAVA_HOME=$JAVA_HOME is Java '$JDK_RUNTIME_VERSION', need 25+"

# --- temp work dir + cleanup trap ------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/outrigger-base.XXXXXX")
ROOTFS=$WORK/rootfs
JRE=$WORK/jre
CURRENT_LOG=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ $rc -ne 0 && -n $CURRENT_LOG && -s $CURRENT_LOG ]]; then
    echo "---- last 30 lines of $(basename "$CURRENT_LOG") ----" >&2
    tail -n 30 "$CURRENT_LOG" >&2 || true
    echo "----" >&2
  fi
  if [[ -d $WORK ]]; then
    # debootstrap mounts proc/sys (and maybe more) inside the target; never rm -rf through a mount.
    local m
    while read -r m; do
      umount -l "$m" 2>/dev/null || true
    done < <(awk -v w="$WORK" 'index($2, w "/") == 1 { print $2 }' /proc/mounts | sort -r)
    if awk -v w="$WORK" 'index($2, w "/") == 1 { found = 1 } END { exit !found }' /proc/mounts; then
      echo "$PROG: warning: mounts still present under $WORK, leaving it for manual cleanup" >&2
    else
      rm -rf --one-file-system "$WORK"
    fi
  fi
  [[ $rc -eq 0 ]] || echo "$PROG: FAILED (exit $rc) after $(elapsed "$T_START")" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'echo "$PROG: command failed (line $LINENO): $BASH_COMMAND" >&2' ERR

# step NAME CMD... : run a step, print its timing
step() {
  local name=$1; shift
  local t0; t0=$(now)
  log "==> $name"
  "$@"
  log "    $name done in $(elapsed "$t0")"
}

# --- steps -----------------------------------------------------------------------------------
do_debootstrap() {
  CURRENT_LOG=$WORK/debootstrap.log
  log "    debootstrap --variant=minbase $DEBIAN_SUITE $ROOTFS $DEBIAN_MIRROR (log: $CURRENT_LOG)"
  debootstrap --variant=minbase "$DEBIAN_SUITE" "$ROOTFS" "$DEBIAN_MIRROR" >"$CURRENT_LOG" 2>&1
  CURRENT_LOG=""
}

MODULES=""
do_jlink() {
  local available m missing=()
  available=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//')
  local chosen=()
  for m in "${WANTED_MODULES[@]}"; do
    if grep -qx -- "$m" <<<"$available"; then chosen+=("$m"); else missing+=("$m"); fi
  done
  ((${#missing[@]} == 0)) || log "    dropping modules not in this JDK: ${missing[*]}"
  MODULES=$(IFS=,; echo "${chosen[*]}")
  log "    modules: $MODULES"

  local compress=(--compress=zip-6)
  "$JAVA_HOME/bin/jlink" --help 2>&1 | grep -q 'zip-\[0-9\]' || compress=(--compress=2)

  local locale_opt=()
  [[ ,$MODULES, == *,jdk.localedata,* ]] && locale_opt=(--include-locales=en)

  CURRENT_LOG=$WORK/jlink.log
  "$JAVA_HOME/bin/jlink" \
    --add-modules "$MODULES" \
    "${locale_opt[@]}" \
    --strip-debug --no-man-pages --no-header-files "${compress[@]}" \
    --generate-cds-archive \
    --output "$JRE" >"$CURRENT_LOG" 2>&1
  CURRENT_LOG=""
  [[ -f $JRE/lib/server/classes.jsa ]] || die "jlink produced no CDS archive ($JRE/lib/server/classes.jsa)"
  "$JRE/bin/java" -Xshare:on -version >/dev/null 2>&1 || die "jlinked runtime fails 'java -Xshare:on -version' on the host"
  log "    runtime size: $(du -sh "$JRE" | cut -f1)"
}

do_assemble() {
  # Java runtime (cp -a keeps mtimes: the CDS archive validates lib/modules by size+mtime)
  mkdir -p "$ROOTFS/opt"
  cp -a "$JRE" "$ROOTFS/opt/java"

  # non-root user
  grep -q ":$APP_UID:" "$ROOTFS/etc/passwd" && die "uid $APP_UID already used in rootfs /etc/passwd"
  echo "$APP_USER:x:$APP_GID:" >>"$ROOTFS/etc/group"
  echo "$APP_USER:!::" >>"$ROOTFS/etc/gshadow"
  echo "$APP_USER:x:$APP_UID:$APP_GID:Outrigger:/home/$APP_USER:/usr/sbin/nologin" >>"$ROOTFS/etc/passwd"
  echo "$APP_USER:!:$(($(date +%s) / 86400)):0:99999:7:::" >>"$ROOTFS/etc/shadow"
  mkdir -p "$ROOTFS/home/$APP_USER"
  chown "$APP_UID:$APP_GID" "$ROOTFS/home/$APP_USER"
  chmod 0755 "$ROOTFS/home/$APP_USER"

  chmod 1777 "$ROOTFS/tmp" "$ROOTFS/var/tmp"

  # host-specific files copied in by debootstrap (docker bind-mounts its own at run time)
  : >"$ROOTFS/etc/resolv.conf"
  : >"$ROOTFS/etc/hostname"
}

do_slim() {
  local before after
  before=$(du -sm "$ROOTFS" | cut -f1)
  rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/* \
         "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
         "$ROOTFS"/var/cache/debconf/*-old "$ROOTFS"/var/cache/ldconfig/aux-cache \
         "$ROOTFS"/var/log/apt/* "$ROOTFS"/var/log/*.log \
         "$ROOTFS"/tmp/* "$ROOTFS"/var/tmp/*
  # docs: keep only the per-package copyright files (licence obligations), drop everything else
  find "$ROOTFS/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete
  # translations: keep en* and top-level files (locale.alias); C/C.UTF-8 is built into glibc
  find "$ROOTFS/usr/share/locale" -mindepth 1 -maxdepth 1 -type d ! -name 'en*' -exec rm -rf {} +
  # keep it slim for images derived from this one too (like Debian's "slim" images)
  mkdir -p "$ROOTFS/etc/dpkg/dpkg.cfg.d"
  cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/outrigger-slim" <<'EOF'
# outrigger/base: do not install docs, man pages, info pages or non-English translations
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-include /usr/share/locale/en*
EOF
  after=$(du -sm "$ROOTFS" | cut -f1)
  log "    rootfs ${before}M -> ${after}M (incl. /opt/java)"
}

IMAGE_ID=""
do_import() {
  local created; created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  IMAGE_ID=$(tar --numeric-owner -C "$ROOTFS" \
      --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
      -c . \
    | docker import \
      -c "ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
      -c "ENV JAVA_HOME=/opt/java" \
      -c "ENV LANG=C.UTF-8" \
      -c "LABEL org.opencontainers.image.title=\"outrigger-base\"" \
      -c "LABEL org.opencontainers.image.description=\"Outrigger offline base: Debian $DEBIAN_SUITE minbase + jlinked Java $JDK_RUNTIME_VERSION\"" \
      -c "LABEL org.opencontainers.image.created=\"$created\"" \
      -c "LABEL org.opencontainers.image.base.name=\"debian:$DEBIAN_SUITE (debootstrap minbase)\"" \
      -c "LABEL io.outrigger.source=\"outrigger\"" \
      -c "LABEL io.outrigger.jdk.version=\"$JDK_RUNTIME_VERSION\"" \
      -c "LABEL io.outrigger.jdk.vendor=\"$JDK_IMPLEMENTOR\"" \
      -c "LABEL io.outrigger.jdk.modules=\"$MODULES\"" \
      -c "LABEL io.outrigger.user=\"$APP_USER:$APP_UID:$APP_GID\"" \
      -c 'CMD ["/bin/bash"]' \
      -m "outrigger offline base ($DEBIAN_SUITE + Java $JDK_RUNTIME_VERSION)" \
      - )
  log "    imported $IMAGE_ID"
}

do_smoke_test() {
  # test the untagged image first, so a broken build never takes the tag
  if ! docker run --rm --network host --user "$APP_UID" "$IMAGE_ID" java -Xshare:on -version >"$WORK/smoke.log" 2>&1 \
     || ! docker run --rm --network host --user "$APP_UID" "$IMAGE_ID" bash -c 'ls / >/dev/null && test -w "$HOME" && test -w /tmp'  >>"$WORK/smoke.log" 2>&1; then
    cat "$WORK/smoke.log" >&2
    docker rmi "$IMAGE_ID" >/dev/null 2>&1 || true
    die "smoke test failed in new image (java -Xshare:on -version / shell as uid $APP_UID)"
  fi
  sed 's/^/    | /' "$WORK/smoke.log"
}

do_tag() {
  local old=""
  old=$(docker image inspect -f '{{.Id}}' "$TAG" 2>/dev/null || true)
  docker tag "$IMAGE_ID" "$TAG"
  # drop the replaced image if nothing else references it (ignore errors: tagged elsewhere / in use)
  if [[ -n $old && $old != "$IMAGE_ID" ]]; then
    docker rmi "$old" >/dev/null 2>&1 || true
  fi
}

log "building $TAG from $DEBIAN_SUITE ($DEBIAN_MIRROR) + $JAVA_HOME (Java $JDK_RUNTIME_VERSION), work dir $WORK"
step "debootstrap"        do_debootstrap
step "jlink"              do_jlink
step "assemble rootfs"    do_assemble
step "slim rootfs"        do_slim
step "docker import"      do_import
step "smoke test"         do_smoke_test
step "tag"                do_tag

SIZE_BYTES=$(docker image inspect -f '{{.Size}}' "$TAG")
log "built $TAG ($(awk -v b="$SIZE_BYTES" 'BEGIN { printf "%.1f MB", b / 1000 / 1000 }')) in $(elapsed "$T_START")"
