#!/usr/bin/env python3
"""Draws scaling.sh's results: OUT_DIR/scaling.md (tables) and OUT_DIR/scaling.svg (a line chart).

    python3 fastalloc-bench/scripts/scaling-chart.py OUT_DIR

Reads every OUT_DIR/peers-t*.json (PeersBenchmark at one thread count each, JMH JSON) and, when
present, OUT_DIR/handoff.json (HandOffBenchmark). For each contender and thread count it takes the
median of the per-fork means of the time per operation (ns/op, per thread; see median-per-fork.py)
and turns it into total throughput: threads x 1000 / ns_per_op million operations per second, summed
over all threads, which is what grows when a contender scales.

scaling.md: the throughput table (contender x threads), the ns/op table it came from, and the
hand-off's per-fork summary. scaling.svg: x = threads (log2 scale), y = total Mops/s, one line per
contender, with a legend. Standard library only.
"""

import glob
import importlib.util
import json
import math
import os
import sys
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))


def load_median_per_fork():
    """median-per-fork.py, beside this script (its name is not an importable module name)."""
    spec = importlib.util.spec_from_file_location("median_per_fork", os.path.join(HERE, "median-per-fork.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mpf = load_median_per_fork()


def read_peers(out_dir):
    """{contender: {threads: ns_per_op}} and the sorted thread counts, from every peers-t*.json."""
    data = {}
    order = []
    threads_seen = set()
    for path in sorted(glob.glob(os.path.join(out_dir, "peers-t*.json"))):
        for e in mpf.load(path):
            if not e["benchmark"].endswith("PeersBenchmark.allocateWriteClose"):
                continue
            s = mpf.summary(e["primaryMetric"])
            if s is None:
                continue
            unit = e["primaryMetric"].get("scoreUnit", "ns/op")
            if unit != "ns/op":
                raise SystemExit("%s: unit %s (expected: ns/op, the benchmark's default)" % (path, unit))
            contender = (e.get("params") or {}).get("contender", "?")
            threads = int(e.get("threads", 1))
            if contender not in data:
                data[contender] = {}
                order.append(contender)
            data[contender][threads] = s[1]
            threads_seen.add(threads)
    return {c: data[c] for c in order}, sorted(threads_seen)


def mops(threads, ns_per_op):
    """Total million operations per second over all threads."""
    return threads * 1000.0 / ns_per_op if ns_per_op > 0 else float("nan")


def markdown(data, threads, handoff_rows):
    lines = ["# Scaling", "",
             "PeersBenchmark (allocate + write a field + close), total throughput over all threads in million "
             "operations per second (threads x 1000 / ns per operation; ns/op is the median of the per-fork "
             "means). Higher is better.", ""]
    if data:
        lines.append("| contender | " + " | ".join("%d thr" % t for t in threads) + " |")
        lines.append("|---|" + "---:|" * len(threads))
        for c, by_threads in data.items():
            cells = [mpf.fmt(mops(t, by_threads[t])) if t in by_threads else "" for t in threads]
            lines.append("| %s | %s |" % (c, " | ".join(cells)))
        lines += ["", "Time per operation per thread (ns/op, median of the per-fork means). Lower is better.", ""]
        lines.append("| contender | " + " | ".join("%d thr" % t for t in threads) + " |")
        lines.append("|---|" + "---:|" * len(threads))
        for c, by_threads in data.items():
            cells = [mpf.fmt(by_threads[t]) if t in by_threads else "" for t in threads]
            lines.append("| %s | %s |" % (c, " | ".join(cells)))
    else:
        lines.append("(no PeersBenchmark results: no peers-t*.json)")
    if handoff_rows:
        lines += ["", "## Hand-off", "",
                  "HandOffBenchmark: one producer and one consumer thread; every score is ns per object "
                  "(`handOff` is the mean of `produce` and `consume`).", "",
                  mpf.table(handoff_rows)]
    return "\n".join(lines) + "\n"


# colour-blind-safe palette (Okabe-Ito, then Tol's), cycled with dash patterns beyond its length
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#882255",
           "#44AA99", "#999933", "#AA4499", "#F0E442"]
DASHES = ["", "6,3", "2,3", "8,3,2,3"]


def nice_step(span, ticks=5):
    """A round tick step (1, 2 or 5 x 10^k) giving about `ticks` ticks over `span`."""
    raw = span / max(ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def svg(data, threads):
    width, height = 900, 520
    left, right, top, bottom = 70, 250, 40, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [mops(t, ns) for by_t in data.values() for t, ns in by_t.items()]
    values = [v for v in values if not math.isnan(v)]
    y_max = max(values) if values else 1.0
    step = nice_step(y_max)
    y_top = step * math.ceil(y_max / step) if y_max > 0 else 1.0
    lo, hi = (math.log2(threads[0]), math.log2(threads[-1])) if threads else (0.0, 1.0)

    def x_of(t):
        if hi == lo:
            return left + plot_w / 2.0
        return left + (math.log2(t) - lo) / (hi - lo) * plot_w

    def y_of(v):
        return top + plot_h - v / y_top * plot_h

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="sans-serif" font-size="12">' % (width, height, width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="15" font-weight="bold">PeersBenchmark: total throughput by threads'
           '</text>' % left]
    # grid and y axis
    v = 0.0
    while v <= y_top + step / 2:
        y = y_of(v)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (left, y, left + plot_w, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (left - 6, y + 4, "%g" % round(v, 6)))
        v += step
    # x axis: a tick per measured thread count
    for t in threads:
        x = x_of(t)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x, top, x, top + plot_h))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>' % (x, top + plot_h + 18, t))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333"/>'
               % (left, top, plot_w, plot_h))
    out.append('<text x="%.1f" y="%d" text-anchor="middle">threads (log2 scale)</text>'
               % (left + plot_w / 2.0, height - 15))
    out.append('<text transform="translate(18,%.1f) rotate(-90)" text-anchor="middle">'
               'total million operations per second</text>' % (top + plot_h / 2.0))
    # one line per contender, and its legend entry
    for i, (c, by_t) in enumerate(data.items()):
        colour = COLOURS[i % len(COLOURS)]
        dash = DASHES[(i // len(COLOURS)) % len(DASHES)]
        dash_attr = ' stroke-dasharray="%s"' % dash if dash else ""
        points = [(x_of(t), y_of(mops(t, by_t[t]))) for t in threads if t in by_t and by_t[t] > 0]
        if len(points) > 1:
            out.append('<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>'
                       % (colour, dash_attr, " ".join("%.1f,%.1f" % p for p in points)))
        for x, y in points:
            out.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (x, y, colour))
        ly = top + 10 + i * 20
        lx = left + plot_w + 20
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>'
                   % (lx, ly, lx + 28, ly, colour, dash_attr))
        out.append('<text x="%d" y="%d">%s</text>' % (lx + 36, ly + 4, escape(c)))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out_dir = argv[1]
    data, threads = read_peers(out_dir)
    handoff_path = os.path.join(out_dir, "handoff.json")
    handoff_rows = mpf.rows(mpf.load(handoff_path)) if os.path.exists(handoff_path) else []
    with open(os.path.join(out_dir, "scaling.md"), "w", encoding="utf-8") as f:
        f.write(markdown(data, threads, handoff_rows))
    with open(os.path.join(out_dir, "scaling.svg"), "w", encoding="utf-8") as f:
        f.write(svg(data, threads))
    if not data:
        print("scaling-chart.py: no PeersBenchmark results in " + out_dir, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
