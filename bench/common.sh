# Sourced by the bench scripts from the project root: a JDK 25 (found as mvnw, demo.sh and .ci/run
# find it), and the one way a bench builds the module it runs.
. .mvn/find-jdk25.sh
outrigger_find_jdk25 || exit 1

# bench_build MODULE COPY: builds MODULE with the modules it needs in this reactor (-am: nothing need
# be installed), writes MODULE's test class path to MODULE/target/bench-classpath.txt (each module
# of the reactor writes its own; the bench reads MODULE's) and copies MODULE's executable jar to
# COPY, so that rebuilding the module during a run cannot swap the jar under the processes.
bench_build() {
  local module=$1 copy=$2
  ./mvnw -B -q -pl "$module" -am package dependency:build-classpath -DskipTests \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
  cp "$(ls "$module"/target/"$(basename "$module")"-*.jar | grep -v original | head -1)" "$copy"
}
