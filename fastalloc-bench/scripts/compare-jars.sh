#!/usr/bin/env bash
# Runs the hot-path guard benchmarks on two builds of benchmarks.jar, interleaved (each group on
# the first jar, then on the second, before the next group), so that both see the same machine
# state. Writes one JMH JSON file per group and jar into the output folder and prints the tables.
#
#   fastalloc-bench/scripts/compare-jars.sh BEFORE.jar AFTER.jar OUT_DIR [extra JMH options...]
#
# Groups: FixedPoolBenchmark (fixedPool, arrayStack); PeersBenchmark for every pool kind at 1 and
# 2 threads; MixedCallSiteBenchmark (five kinds through shared call sites). Two forks each.
set -euo pipefail
before=$1; after=$2; out=$3; shift 3
mkdir -p "$out"
java=${JAVA:-java}
common=(-f 2 -wi 3 -w 1s -i 4 -r 1s -rf json "$@")
kinds=fixedPool,growingPool,threadSafePool,threadLocalPool,mpmcPool,spscPool,mpscPool,spmcPool,cachingPool
run() { # name jar args...
  local name=$1 jar=$2; shift 2
  echo "== $name ($jar)"
  "$java" -jar "$jar" "$@" "${common[@]}" -rff "$out/$name.json" 2>&1 | sed -n '/^Benchmark/,$p'
}
for group in fixed peers1 peers2 mixed; do
  for side in before after; do
    jar=$before; [ "$side" = after ] && jar=$after
    case $group in
      fixed)  run "fixed-$side" "$jar" FixedPoolBenchmark -p contender=fixedPool,arrayStack ;;
      peers1) run "peers1-$side" "$jar" PeersBenchmark -t 1 -p contender=$kinds ;;
      peers2) run "peers2-$side" "$jar" PeersBenchmark -t 2 -p contender=$kinds ;;
      mixed)  run "mixed-$side" "$jar" MixedCallSiteBenchmark ;;
    esac
  done
done
