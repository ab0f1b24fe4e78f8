#!/usr/bin/env bash
# Benchmark of Leitstand's server-side charts (plotters, SVG) against matplotlib drawing the
# same charts to SVG in the same run: the milestone trend analysis (30 milestones × 24
# Stichtage) and the usage chart (36 months, overall and six services). See bench/README.md.
#
# Usage: bash bench/charts/run.sh [REPEAT]
#   REPEAT   renders per chart and tool, default 200; the medians are compared
# Needs: a Rust toolchain (builds the `chart_bench` example in release mode) and Python 3 with
# matplotlib (installed with pip into the user's site if missing).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
repeat="${1:-200}"
target="${CARGO_TARGET_DIR:-$REPO/target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -c 'import matplotlib' 2>/dev/null || python3 -m pip install --quiet --break-system-packages matplotlib
(cd "$REPO" && cargo build --quiet --release --no-default-features --features ssr --example chart_bench)

"$target/release/examples/chart_bench" --repeat "$repeat" --data "$work/data.json" > "$work/plotters.json"
python3 "$HERE/peer.py" "$work/data.json" "$repeat" > "$work/matplotlib.json"

python3 - "$work/plotters.json" "$work/matplotlib.json" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))
peer = json.load(open(sys.argv[2]))
print(f"{'Diagramm':<22}{'plotters (ms)':>15}{'matplotlib (ms)':>17}{'Faktor':>9}  Ziel ≥ 20×")
for key, name in (("mta_ms", "MTA 30 × 24"), ("usage_ms", "Nutzungsquote 36 Mon.")):
    ratio = peer[key] / ours[key]
    print(f"{name:<22}{ours[key]:>15.3f}{peer[key]:>17.3f}{ratio:>8.1f}×  {'erfüllt' if ratio >= 20 else 'verfehlt'}")
print(f"matplotlib {peer['matplotlib']}; SVG-Größe plotters: MTA {ours['mta_bytes']} B, Nutzung {ours['usage_bytes']} B")
PY
