#!/usr/bin/env bash
# Kotlin bindings: generates ls.gov.eservices from the debug cdylib, compiles it into a jar with
# kotlinc (cached by content), compiles and runs the tests on the JVM with JNA, then the example.
#
# Usage: bash bindings/kotlin/test.sh [tests|example|all]        (default: all)
set -euo pipefail
# shellcheck source=bindings/lib.sh
. "$(dirname "$0")/../lib.sh"
what=${1:-all}
case "$what" in tests | example | all) ;; *) die "usage: $0 [tests|example|all]" ;; esac

bash "$REPO/bindings/toolchains.sh" kotlin
build_rust
generate kotlin

KOTLINC=$KOTLIN_HOME/bin/kotlinc
STDLIB=$KOTLIN_HOME/lib/kotlin-stdlib.jar
JARS=$STAGE/kotlin-jars
mkdir -p "$JARS"

# kotlinc_jar OUT.jar CLASSPATH SOURCES...: compiles unless OUT.jar exists (names carry a
# content hash, so a changed source or dependency makes a new jar).
kotlinc_jar() {
  local out=$1 cp=$2
  shift 2
  [ -f "$out" ] && return 0
  timed "kotlinc $(basename "$out")" "$KOTLINC" -nowarn -classpath "$cp" "$@" -d "$out.tmp.jar" </dev/null
  mv -f "$out.tmp.jar" "$out"
}

mapfile -t GEN < <(find "$STAGE/kotlin" -name '*.kt' | sort)
BIND_JAR=$JARS/eservices-$(hash_files "${GEN[@]}" "$KOTLIN_HOME/package.json").jar
kotlinc_jar "$BIND_JAR" "$JNA_JAR" "${GEN[@]}"

run_jvm() { # run_jvm JAR MAINCLASS
  java -Djna.library.path="$STAGE/lib" -Deservices.repo="$REPO" \
    -cp "$1:$BIND_JAR:$JNA_JAR:$STDLIB" "$2" </dev/null
}

# The tests and the example compile together (one kotlinc start-up, ~10 s, instead of two).
mapfile -t SRC < <(find "$REPO/bindings/kotlin/tests" "$REPO/bindings/kotlin/examples" -name '*.kt' | sort)
APP_JAR=$JARS/app-$(hash_files "${SRC[@]}" "$BIND_JAR").jar
kotlinc_jar "$APP_JAR" "$BIND_JAR:$JNA_JAR" "${SRC[@]}"
# Drop jars of earlier sources.
find "$JARS" -name '*.jar' ! -name "$(basename "$BIND_JAR")" ! -name "$(basename "$APP_JAR")" -delete
if [ "$what" != example ]; then
  timed "kotlin tests" run_jvm "$APP_JAR" ls.gov.eservices.tests.MainKt
fi
if [ "$what" != tests ]; then
  timed "kotlin example" run_jvm "$APP_JAR" QuickstartKt
fi
