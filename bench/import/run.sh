#!/usr/bin/env bash
# Benchmark of `leitstand import` against a bare read of the same workbook by Python's
# openpyxl (read_only) and python-calamine, and against the floor of its own stack
# (examples/import_floor.rs: calamine read plus sqlx insert, no checks). See bench/README.md.
#
# Usage: bash bench/import/run.sh [ROUNDS] [--build] [--keep]
#   ROUNDS   interleaved rounds, default 5; the table shows medians
#   --build  run `cargo build --release ...` first (otherwise the binary must exist)
#   --keep   keep the work directory (databases, workbook, raw outputs)
# Environment:
#   LEITSTAND_BIN     binary to measure (default ${CARGO_TARGET_DIR:-target}/release/leitstand)
#   FLOOR_BIN         the floor (default ${CARGO_TARGET_DIR:-target}/release/examples/import_floor)
#   BENCH_SEED        seed for the generated workbook (default 1)
# Exit status: 0 = measured and all checks passed (the goals are reported, not enforced),
#              1 = something failed (missing binary, an import error, a failed check).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BUILD_CMD=(cargo build --release --no-default-features --features ssr --bin leitstand --example import_floor)
AS_OF=2026-11-01

rounds=5
build=0
keep=0
for arg in "$@"; do
    case "$arg" in
        --build) build=1 ;;
        --keep) keep=1 ;;
        -h | --help)
            sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        '' | *[!0-9]*)
            echo "run.sh: unknown argument '$arg' (try --help)" >&2
            exit 1
            ;;
        *) rounds=$arg ;;
    esac
done
if ((rounds < 1)); then
    echo "run.sh: ROUNDS must be at least 1" >&2
    exit 1
fi
seed="${BENCH_SEED:-1}"

# --- (a) the release binary ------------------------------------------------------------
target_dir="${CARGO_TARGET_DIR:-target}"
[[ "$target_dir" == /* ]] || target_dir="$REPO/$target_dir"
BIN="${LEITSTAND_BIN:-$target_dir/release/leitstand}"
if ((build)); then
    echo "Building: ${BUILD_CMD[*]}"
    (cd "$REPO" && "${BUILD_CMD[@]}")
    if [[ -n "${LEITSTAND_BIN:-}" ]]; then
        echo "Note: LEITSTAND_BIN is set, measuring $BIN rather than the fresh build." >&2
    fi
fi
if [[ ! -x "$BIN" ]]; then
    echo "No leitstand binary at $BIN." >&2
    echo "Build the release binary first (or pass --build, or set LEITSTAND_BIN):" >&2
    echo "  cd $REPO && ${BUILD_CMD[*]}" >&2
    exit 1
fi
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
FLOOR="${FLOOR_BIN:-$target_dir/release/examples/import_floor}"
if [[ ! -x "$FLOOR" ]]; then
    echo "No import_floor binary at $FLOOR." >&2
    echo "Build it with the release binary (or pass --build, or set FLOOR_BIN):" >&2
    echo "  cd $REPO && ${BUILD_CMD[*]}" >&2
    exit 1
fi

# --- tools --------------------------------------------------------------------------------
if ! python3 -c 'import openpyxl, python_calamine' 2>/dev/null; then
    echo "python3 needs openpyxl and python-calamine: python3 -m pip install openpyxl python-calamine" >&2
    exit 1
fi
if [[ ! -x /usr/bin/time ]]; then
    if command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
        echo "Installing GNU time (/usr/bin/time) ..."
        apt-get update -qq && apt-get install -y -qq time >/dev/null
    else
        echo "run.sh needs GNU time at /usr/bin/time: sudo apt-get install -y time" >&2
        exit 1
    fi
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/leitstand-bench.XXXXXX")"
cleanup() {
    if ((keep)); then
        echo "Work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# Seconds since the epoch with microseconds; EPOCHREALTIME uses the locale's decimal mark.
now() {
    local t="$EPOCHREALTIME"
    echo "${t/,/.}"
}

# measure ROUND NAME OUT CMD...: runs CMD under /usr/bin/time with stdout to OUT and stderr
# to OUT.err, appends "round name wall_s elapsed_s maxrss_kib" to results.tsv. Wall time is
# taken around the call in microseconds (GNU time's %e has only 10 ms resolution and is
# kept for cross-checking); peak RSS is GNU time's %M.
measure() {
    local round="$1" name="$2" out="$3"
    shift 3
    local t0 t1 rc=0 elapsed kib
    t0="$(now)"
    /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$@" >"$out" 2>"$out.err" || rc=$?
    t1="$(now)"
    if ((rc != 0)); then
        echo "FAIL: $name exited with status $rc: $*" >&2
        tail -n 20 "$out.err" >&2 || true
        if [[ "$name" == leitstand ]]; then
            python3 "$HERE/report.py" first "$out" >&2 || true # the errors, if it wrote a report
        else
            tail -n 20 "$out" >&2 || true
        fi
        exit 1
    fi
    read -r elapsed kib < <(tail -n 1 "$WORK/time.txt")
    awk -v r="$round" -v n="$name" -v a="$t0" -v b="$t1" -v e="$elapsed" -v k="$kib" \
        'BEGIN { printf "%s %s %.4f %s %s\n", r, n, b - a, e, k }' >>"$WORK/results.tsv"
}

# A fresh copy of the demo database for one import.
fresh_db() {
    rm -f "$WORK/run.db" "$WORK/run.db-wal" "$WORK/run.db-shm"
    cp "$WORK/base.db" "$WORK/run.db"
    # Write the copy out now, so that its writeback does not land in the measured import.
    sync
}

checks_failed=0
# check WHAT ARGS...: runs report.py; exit 1 = failed check, 3 = could not tell (warning).
check() {
    local rc=0
    python3 "$HERE/report.py" "$@" || rc=$?
    case "$rc" in
        0) ;;
        3) echo "WARNING: check '$1' could not be completed (see above)" ;;
        *) checks_failed=1 ;;
    esac
}

# --- machine ------------------------------------------------------------------------------
echo "== Leitstand import benchmark"
echo "Date:       $(date -Iseconds)"
echo "Machine:    $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
    "$(awk '/^MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
echo "Load:       $(cut -d ' ' -f 1-3 /proc/loadavg) (1/5/15 min at start)"
echo "Binary:     $BIN ($("$BIN" --version 2>/dev/null || echo 'version unknown'))"
echo "Floor:      $FLOOR"
echo "Commit:     $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
echo "Python:     $(python3 -c 'import sys, importlib.metadata as m; print(sys.version.split()[0], "openpyxl", m.version("openpyxl"), "python-calamine", m.version("python-calamine"))')"
echo "Rounds:     $rounds, seed $seed, work dir $WORK"
echo

# --- (b) demo city --------------------------------------------------------------------------
echo "== Demo city (as of $AS_OF)"
if ! "$BIN" --database-url "sqlite://$WORK/base.db" demo --as-of "$AS_OF" >"$WORK/demo.out" 2>&1; then
    echo "FAIL: loading the demo city failed:" >&2
    tail -n 20 "$WORK/demo.out" >&2
    exit 1
fi
tail -n 3 "$WORK/demo.out"
# Fold a leftover WAL into the main file, so that one plain copy is a complete database.
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA wal_checkpoint(TRUNCATE)"); c.close()' "$WORK/base.db"
if [[ -s "$WORK/base.db-wal" ]]; then
    echo "FAIL: $WORK/base.db still has a write-ahead log after the checkpoint" >&2
    exit 1
fi
echo

# --- (c) workbook ---------------------------------------------------------------------------
echo "== Workbook"
XLSX="$WORK/bench.xlsx"
python3 "$HERE/generate.py" "$WORK/base.db" "$XLSX" --seed "$seed"
echo "Size: $(du -k "$XLSX" | cut -f 1) KiB"
echo

# --- (d) interleaved rounds -----------------------------------------------------------------
echo "round contender wall_s elapsed_s maxrss_kib" >"$WORK/results.tsv"
for ((r = 1; r <= rounds; r++)); do
    fresh_db
    measure "$r" leitstand "$WORK/import-$r.json" \
        "$BIN" --database-url "sqlite://$WORK/run.db" import "$XLSX" --json

    if ((r == 1)); then
        # --- (e) the first import must be clean, complete and repeatable --------------------
        echo "== Checks after the first import"
        check first "$WORK/import-1.json"
        check db "$WORK/run.db"
        if ((checks_failed)); then
            echo "Aborting: without a clean, committed first import the timings mean nothing." >&2
            exit 1
        fi
        rc=0
        "$BIN" --database-url "sqlite://$WORK/run.db" import "$XLSX" --json \
            >"$WORK/repeat.json" 2>"$WORK/repeat.json.err" || rc=$?
        if ((rc != 0)); then
            echo "FAIL: the second import of the same file exited with status $rc" >&2
            tail -n 20 "$WORK/repeat.json.err" >&2 || true
            checks_failed=1
        else
            check repeat "$WORK/repeat.json"
        fi
        echo
        echo "== Rounds"
    fi

    rm -f "$WORK/floor.db" "$WORK/floor.db-wal" "$WORK/floor.db-shm"
    measure "$r" floor "$WORK/floor-$r.out" "$FLOOR" "$XLSX" "$WORK/floor.db"
    measure "$r" openpyxl "$WORK/openpyxl-$r.out" python3 "$HERE/peers.py" openpyxl "$XLSX"
    measure "$r" calamine "$WORK/calamine-$r.out" python3 "$HERE/peers.py" calamine "$XLSX"
    measure "$r" python "$WORK/python-$r.out" python3 -c pass
    awk -v r="$r" '$1 == r { s = s sep $2 sprintf(" %.3f s %.1f MiB", $3, $5 / 1024); sep = " | " }
        END { print "  round " r ": " s }' "$WORK/results.tsv"
done
echo
check peers "$WORK"/openpyxl-1.out "$WORK"/calamine-1.out
check floor "$WORK"/floor-1.out "$WORK"/openpyxl-1.out
echo "Cells read: $(cat "$WORK/openpyxl-1.out"); $(cat "$WORK/calamine-1.out"); floor rows written: $(cat "$WORK/floor-1.out")"
echo

# --- (f) table ------------------------------------------------------------------------------
echo "== Results"
goals=0
python3 "$HERE/report.py" table "$WORK/results.tsv" || goals=$?
echo
echo "Command: bash bench/import/run.sh $rounds  (import: leitstand --database-url sqlite://DB import FILE --json; floor: import_floor FILE NEW.db)"
if ((goals != 0)); then
    echo "Not all goals are met (see FAIL above)."
fi
if ((checks_failed)); then
    echo "Some checks FAILED (see above); the figures may not mean what they seem to."
    exit 1
fi
