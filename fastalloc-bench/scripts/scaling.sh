#!/usr/bin/env bash
# How the contenders scale with threads: runs PeersBenchmark at 1, 2, 4, 8, ... threads up to
# max_threads (and at max_threads itself when it is not a power of two), then HandOffBenchmark once
# (one producer and one consumer thread), and draws the results (scaling-chart.py): OUT_DIR/scaling.md,
# a table of total throughput (million operations per second over all threads) per contender and
# thread count, and OUT_DIR/scaling.svg, the same as a line chart.
#
#   fastalloc-bench/scripts/scaling.sh BENCH_JAR OUT_DIR [max_threads]
#
#   BENCH_JAR    the shaded benchmarks jar: a copy of fastalloc-bench/target/benchmarks.jar, so that a
#                rebuild does not change it under a running JMH
#   OUT_DIR      made if missing; gets peers-tN.json per thread count, handoff.json, scaling.md, scaling.svg
#                (the chart takes every peers-t*.json there: use a fresh folder per run)
#   max_threads  default: nproc
#
# Environment:
#   CONTENDERS      PeersBenchmark contenders, comma-separated
#                   (default: arrayStack,mpmcQueue,threadLocalPool,cachingPool,cachingPoolView,mpmcPool,
#                   stormpotVirtualThreadSafeTap,nettyPinned; the Stormpot taps need a jar built on JDK 21+)
#   JMH_OPTS        JMH options for every run (default: -f 2 -wi 2 -w 1s -i 3 -r 1s); a -t in them is ignored
#   JVM_ARGS        extra JVM options for the forks, passed as -jvmArgsPrepend (on JDK 24+:
#                   --sun-misc-unsafe-memory-access=allow)
#   HANDOFF_FORKS   forks of the hand-off run (default: 10); it takes JMH_OPTS less their -f
#   JAVA            the java to run JMH with (default: java on the PATH)
#
# Thread counts above the number of processors oversubscribe the machine: keep max_threads <= nproc
# for figures worth reading. Only one JMH runs at a time (it takes a lock): run nothing else meanwhile.
set -euo pipefail

usage() {
  awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}" >&2
  exit 2
}

[ $# -ge 2 ] && [ $# -le 3 ] || usage
jar=$1
out=$2
max=${3:-$(nproc)}
[ -f "$jar" ] || { echo "scaling.sh: no such jar: $jar" >&2; exit 2; }
[[ $max =~ ^[1-9][0-9]*$ ]] || { echo "scaling.sh: max_threads: $max (expected: a positive integer)" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
java=${JAVA:-java}
default_contenders=arrayStack,mpmcQueue,threadLocalPool,cachingPool,cachingPoolView,mpmcPool
default_contenders+=,stormpotVirtualThreadSafeTap,nettyPinned
contenders=${CONTENDERS:-$default_contenders}
read -r -a given_opts <<< "${JMH_OPTS:--f 2 -wi 2 -w 1s -i 3 -r 1s}"
jmh_opts=() # JMH_OPTS less any -t: the thread counts are this script's
for ((i = 0; i < ${#given_opts[@]}; i++)); do
  if [ "${given_opts[i]}" = -t ]; then
    echo "scaling.sh: ignoring -t ${given_opts[i + 1]:-} in JMH_OPTS" >&2
    i=$((i + 1))
  else
    jmh_opts+=("${given_opts[i]}")
  fi
done
jvm_args=()
if [ -n "${JVM_ARGS:-}" ]; then
  jvm_args=(-jvmArgsPrepend "$JVM_ARGS")
fi
mkdir -p "$out"

# 1, 2, 4, ... <= max, then max itself when it is not a power of two
counts=()
for ((n = 1; n <= max; n *= 2)); do
  counts+=("$n")
done
if [ "${counts[${#counts[@]}-1]}" != "$max" ]; then
  counts+=("$max")
fi

failed=0
run() { # name, JMH arguments...
  local name=$1
  shift
  echo "== $name: $java -jar $jar $*" >&2
  local rc=0
  "$java" -jar "$jar" "$@" -rf json -rff "$out/$name.json" || rc=$?
  if [ $rc -ne 0 ]; then
    echo "scaling.sh: $name: JMH failed (exit $rc); going on with the others" >&2
    failed=1
  fi
}

for n in "${counts[@]}"; do
  run "peers-t$n" PeersBenchmark -t "$n" -p contender="$contenders" "${jmh_opts[@]}" "${jvm_args[@]}"
done

# the hand-off's threads are fixed (its @Group: one producer, one consumer); JMH_OPTS less their forks
handoff_opts=()
for ((i = 0; i < ${#jmh_opts[@]}; i++)); do
  if [ "${jmh_opts[i]}" = -f ]; then
    i=$((i + 1))
  else
    handoff_opts+=("${jmh_opts[i]}")
  fi
done
run handoff HandOffBenchmark -f "${HANDOFF_FORKS:-10}" "${handoff_opts[@]}" "${jvm_args[@]}"

python3 "$here/scaling-chart.py" "$out"
echo "scaling.sh: wrote $out/scaling.md and $out/scaling.svg" >&2
exit $failed
