"""The peer of the chart benchmark: matplotlib draws the same two charts as Leitstand's
plotters code (the data comes from `chart_bench --data`) and writes them as SVG into memory.
Prints the median time per chart in milliseconds as JSON. Usage: peer.py DATA.json REPEAT"""

import io
import json
import statistics
import sys
import time
from datetime import date

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

PALETTE = ["#0b4f8a", "#a4161a", "#1e6b34", "#6b4e00", "#5b2a86", "#00595c", "#8a3b00", "#333333"]


def day(iso):
    return date.fromisoformat(iso).toordinal()


def mta(data):
    fig, ax = plt.subplots(figsize=(9, 5.6), dpi=100)
    xs = [day(s) for s in data["stichtage"]]
    lo, hi = xs[0] - 15, xs[-1] + 30
    for line in data["lines"]:
        points = [(day(x), day(y)) for x, y in line["points"]]
        if line["reached"]:
            points.append((day(line["reached"]), day(line["reached"])))
        colour = PALETTE[(line["number"] - 1) % len(PALETTE)]
        ax.plot([p[0] for p in points], [p[1] for p in points], color=colour,
                linewidth=3 if line["is_key"] else 2, marker="o", markersize=3)
        ax.annotate(str(line["number"]), points[-1], color=colour)
        lo, hi = min(lo, min(p[1] for p in points)), max(hi, max(p[1] for p in points))
    ax.plot([lo, hi], [lo, hi], color="#595959", linewidth=2)
    ax.set_xlabel("Stichtag (Berichtsdatum)")
    ax.set_ylabel("Prognostizierter Termin")
    ax.set_title("Meilensteintrendanalyse")
    ax.grid(True, color="#e4e7eb")
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    return buffer.getvalue()


def usage(data):
    fig, ax = plt.subplots(figsize=(9, 5.2), dpi=100)
    n = len(data["months"])
    ax.axhline(data["target"], color="#595959", linewidth=2)
    for k, series in enumerate(data["services"]):
        points = [(i, r) for i, r in enumerate(series["rates"]) if r is not None]
        colour = PALETTE[(k + 1) % len(PALETTE)]
        ax.plot([p[0] for p in points], [p[1] for p in points], color=colour, linewidth=2)
        ax.annotate(str(series["number"]), points[-1], color=colour)
    overall = [(i, r) for i, r in enumerate(data["overall"]) if r is not None]
    ax.plot([p[0] for p in overall], [p[1] for p in overall], color="#1b1f24", linewidth=4)
    ax.set_xticks(range(0, n, 5), [data["months"][i] for i in range(0, n, 5)])
    ax.set_ylim(0, 100)
    ax.set_ylabel("Online-Anteil der Anträge")
    ax.grid(True, color="#e4e7eb")
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    return buffer.getvalue()


def median_ms(repeat, render, data):
    render(data)  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        render(data)
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    repeat = int(sys.argv[2])
    print(json.dumps({
        "mta_ms": median_ms(repeat, mta, data["mta"]),
        "usage_ms": median_ms(repeat, usage, data["usage"]),
        "matplotlib": matplotlib.__version__,
    }))


if __name__ == "__main__":
    main()
