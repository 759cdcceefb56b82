# Sourced (POSIX sh) by mvnw, demo.sh, .ci/run and the bench scripts: every build runs on a JDK 25.
# Keeps JAVA_HOME when it is a JDK 25, else looks where installers put one (Debian/Ubuntu packages,
# SDKMAN, macOS) and exports it; when none is found it prints one line saying what to install.
outrigger_java_major() {
  "$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\).*/\1/p' | head -n 1
}

outrigger_find_jdk25() {
  outrigger_on_path=$(command -v javac 2>/dev/null || true)
  [ -n "$outrigger_on_path" ] && outrigger_on_path=$(dirname "$(dirname "$(readlink -f "$outrigger_on_path")")")
  for outrigger_home in "${JAVA_HOME:-}" "${OUTRIGGER_JAVA_HOME:-}" "$outrigger_on_path" \
      /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 /usr/lib/jvm/temurin-25-jdk \
      /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-25-openjdk-arm64 /usr/lib/jvm/*-25* \
      "${HOME:-}"/.sdkman/candidates/java/25* /Library/Java/JavaVirtualMachines/*25*/Contents/Home; do
    if [ -n "$outrigger_home" ] && [ -x "$outrigger_home/bin/javac" ] \
        && [ "$(outrigger_java_major "$outrigger_home")" = 25 ]; then
      JAVA_HOME=$outrigger_home
      export JAVA_HOME
      return 0
    fi
  done
  command -v java >/dev/null 2>&1 && outrigger_path_java=$(java -version 2>&1 | head -n 1) || outrigger_path_java=none
  echo "Outrigger builds with a JDK 25 and found none (JAVA_HOME=${JAVA_HOME:-unset}, java on PATH: $outrigger_path_java): install Temurin 25 (e.g. apt-get install temurin-25-jdk from Adoptium's repository) or set JAVA_HOME to a JDK 25" >&2
  return 1
}
