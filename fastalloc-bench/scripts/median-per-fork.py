#!/usr/bin/env python3
"""Summarises JMH JSON results by fork: the median of the per-fork means, and their spread.

    python3 fastalloc-bench/scripts/median-per-fork.py RESULT.json [MORE.json ...]

RESULT.json is what JMH writes with `-rf json -rff RESULT.json`. For each benchmark and parameter set
it prints one Markdown table row: the number of forks, the median of the per-fork means (each fork's
mean over its measurement iterations), the smallest and largest fork mean, the unit, and
gc.alloc.rate.norm (B/op, the median of its per-fork means) when the run had `-prof gc`.

Why per fork: where a benchmark's figure depends on something fixed for a JVM's lifetime (the
placement of its threads on the host's cores, code layout), the iterations of one fork agree with
each other and the forks do not, so JMH's error over all iterations understates the spread. The
median of the fork means is robust to one odd fork, and min..max shows the spread.

Group benchmarks (@Group, such as HandOffBenchmark) also get a row per member method
(`handOff:produce`, `handOff:consume`): JMH's secondary metrics in the primary metric's unit.

Standard library only; JMH 1.x JSON, with secondary metric names written either plain
("gc.alloc.rate.norm", JMH 1.37) or with the middle-dot prefix of older versions ("\u00b7gc.alloc.rate.norm").
"""

import json
import statistics
import sys

GC_NORM = "gc.alloc.rate.norm"


def metric_name(name):
    """A secondary metric's name without the middle dot older JMH versions put in front."""
    return name.lstrip("\u00b7")


def fork_means(metric):
    """The mean of each fork's iteration scores (forks without a number are left out)."""
    means = []
    for fork in metric.get("rawData") or []:
        scores = [float(s) for s in fork if s is not None and str(s) != "NaN"]
        if scores:
            means.append(statistics.fmean(scores))
    return means


def summary(metric):
    """(forks, median, min, max) of the per-fork means, or None when the metric has no raw data."""
    means = fork_means(metric)
    if not means:
        return None
    return len(means), statistics.median(means), min(means), max(means)


def short_name(benchmark):
    """io.fastalloc.bench.PeersBenchmark.allocateWriteClose -> PeersBenchmark.allocateWriteClose"""
    parts = benchmark.split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else benchmark


def params_text(entry):
    params = entry.get("params") or {}
    return ", ".join("%s=%s" % (k, v) for k, v in params.items())


def fmt(x):
    """A figure with about four significant digits, as a table wants it."""
    if x is None:
        return ""
    ax = abs(x)
    if ax >= 1000:
        return "%.0f" % x
    if ax >= 100:
        return "%.1f" % x
    if ax >= 10:
        return "%.2f" % x
    return "%.3f" % x


def gc_norm(entry):
    """The median of the per-fork means of gc.alloc.rate.norm, or None without -prof gc."""
    for name, metric in (entry.get("secondaryMetrics") or {}).items():
        if metric_name(name) == GC_NORM:
            s = summary(metric)
            if s is not None:
                return s[1]
            score = metric.get("score")
            return None if score is None else float(score)
    return None


def rows(entries):
    """One row per benchmark + params, then one per group member method (same unit as the primary)."""
    out = []
    for e in entries:
        primary = e["primaryMetric"]
        unit = primary.get("scoreUnit", "")
        base = dict(benchmark=short_name(e["benchmark"]), params=params_text(e), threads=e.get("threads", 1),
                    unit=unit)
        s = summary(primary)
        if s is not None:
            out.append(dict(base, stats=s, norm=gc_norm(e)))
        for name, metric in sorted((e.get("secondaryMetrics") or {}).items()):
            if metric.get("scoreUnit") != unit or metric_name(name).startswith(("gc.", "safepoints", "compiler")):
                continue
            s = summary(metric)
            if s is not None:
                out.append(dict(base, benchmark=base["benchmark"] + ":" + metric_name(name), stats=s, norm=None))
    return out


def table(all_rows):
    lines = ["| benchmark | params | threads | forks | median of fork means | min fork mean | max fork mean "
             "| unit | B/op |",
             "|---|---|---:|---:|---:|---:|---:|---|---:|"]
    for r in all_rows:
        forks, median, lo, hi = r["stats"]
        lines.append("| %s | %s | %s | %d | %s | %s | %s | %s | %s |" % (
            r["benchmark"], r["params"], r["threads"], forks, fmt(median), fmt(lo), fmt(hi), r["unit"],
            fmt(r["norm"])))
    return "\n".join(lines)


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return json.loads(text) if text.strip() else []


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    entries = []
    for path in argv[1:]:
        entries.extend(load(path))
    if not entries:
        print("no results in " + ", ".join(argv[1:]), file=sys.stderr)
        return 1
    print(table(rows(entries)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
