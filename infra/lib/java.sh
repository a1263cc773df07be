# Java selection. Kafka runs on the machine's default Java 17; Apicurio 3 needs
# Java 21+, which Debian 12 does not package, so the newest JDK installed under
# /usr/lib/jvm is used (or the one named by SEXTANT_REGISTRY_JAVA). Sourced.

# java_major BIN: prints the feature version (17, 21, 25, ...) of a java binary.
# Reads the JDK's `release` file when there is one, which avoids starting a JVM.
java_major() {
  local bin=$1 home version=""
  home=$(dirname "$(dirname "$(readlink -f "$bin")")")
  [[ -f $home/release ]] || home=$(dirname "$home")   # JRE layout: <jdk>/jre/bin/java
  if [[ -f $home/release ]]; then
    version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$home/release")
  fi
  if [[ -z $version ]]; then
    version=$("$bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  fi
  version=${version#1.}
  printf '%s\n' "${version%%[.+-]*}"
}

# resolve_java_override VALUE: accepts a java binary or a JDK home.
resolve_java_override() {
  if [[ -x $1/bin/java ]]; then printf '%s\n' "$1/bin/java"
  elif [[ -x $1 && ! -d $1 ]]; then printf '%s\n' "$1"
  else return 1
  fi
}

# newest_java MIN: the java binary of the newest JDK >= MIN under /usr/lib/jvm.
newest_java() {
  local min=$1 bin major best="" best_major=0
  for bin in /usr/lib/jvm/*/bin/java; do
    [[ -x $bin && ! -L $(dirname "$(dirname "$bin")") ]] || continue
    major=$(java_major "$bin") || continue
    [[ $major =~ ^[0-9]+$ ]] || continue
    if ((major >= min && major > best_major)); then best=$bin best_major=$major; fi
  done
  [[ -n $best ]] && printf '%s\n' "$best"
}

# kafka_java: SEXTANT_KAFKA_JAVA, else `java` on PATH when recent enough, else newest.
kafka_java() {
  local bin
  if [[ -n ${SEXTANT_KAFKA_JAVA} ]]; then
    resolve_java_override "${SEXTANT_KAFKA_JAVA}" || die "SEXTANT_KAFKA_JAVA=${SEXTANT_KAFKA_JAVA} is not a java binary or JDK home"
    return
  fi
  if bin=$(command -v java) && (($(java_major "$bin") >= SEXTANT_KAFKA_MIN_JAVA)); then
    printf '%s\n' "$bin"
    return
  fi
  newest_java "${SEXTANT_KAFKA_MIN_JAVA}" || die "Kafka needs Java ${SEXTANT_KAFKA_MIN_JAVA}+; none found (run infra/setup.sh, or set SEXTANT_KAFKA_JAVA)"
}

# registry_java: SEXTANT_REGISTRY_JAVA, else the newest JDK >= 21.
registry_java() {
  local bin major
  if [[ -n ${SEXTANT_REGISTRY_JAVA} ]]; then
    bin=$(resolve_java_override "${SEXTANT_REGISTRY_JAVA}") || die "SEXTANT_REGISTRY_JAVA=${SEXTANT_REGISTRY_JAVA} is not a java binary or JDK home"
    major=$(java_major "$bin")
    ((major >= SEXTANT_REGISTRY_MIN_JAVA)) || die "SEXTANT_REGISTRY_JAVA is Java ${major}; Apicurio ${SEXTANT_APICURIO_VERSION} needs ${SEXTANT_REGISTRY_MIN_JAVA}+"
    printf '%s\n' "$bin"
    return
  fi
  if bin=$(command -v java) && (($(java_major "$bin") >= SEXTANT_REGISTRY_MIN_JAVA)); then
    newest_java "${SEXTANT_REGISTRY_MIN_JAVA}" || printf '%s\n' "$bin"
    return
  fi
  newest_java "${SEXTANT_REGISTRY_MIN_JAVA}" \
    || die "Apicurio Registry ${SEXTANT_APICURIO_VERSION} needs Java ${SEXTANT_REGISTRY_MIN_JAVA}+ and none is installed under /usr/lib/jvm (Debian 12 only packages 17). Install a JDK ${SEXTANT_REGISTRY_MIN_JAVA}+ (e.g. Temurin) and/or set SEXTANT_REGISTRY_JAVA=<jdk home or java binary>."
}
