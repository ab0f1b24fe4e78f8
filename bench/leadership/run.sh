#!/usr/bin/env bash
# Benchmark of the leadership page (/leitung) on the demo city under wrk, against nginx serving
# the very same bytes as a static file, in the same run. See bench/README.md.
#
# Usage: bash bench/leadership/run.sh [SECONDS]
#   SECONDS  duration of each wrk run, default 10
# Measures (1) requests per second at full load (wrk -t2 -c32) for both servers and their
# ratio (goal: Leitstand ≥ 25 % of nginx), and (2) the latency percentiles of Leitstand at a
# paced 200 requests per second (wrk with a Lua delay, 10 connections × 20/s; goal p99 < 25 ms).
# Needs: wrk and nginx (Debian packages `wrk`, `nginx-light` or `nginx`), a Rust toolchain.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
seconds="${1:-10}"
target="${CARGO_TARGET_DIR:-$REPO/target}"
bin="${LEITSTAND_BIN:-$target/release/leitstand}"
work="$(mktemp -d)"
chmod 755 "$work" # nginx workers run as an unprivileged user and must read the page
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool fehlt (apt-get install wrk nginx-light curl)" >&2; exit 1; }
done
(cd "$REPO" && cargo build --quiet --release --no-default-features --features ssr --bin leitstand)

ours=3217
theirs=3218
export DATABASE_URL="sqlite://$work/demo.db"
"$bin" demo >/dev/null
"$bin" serve --addr "127.0.0.1:$ours" >"$work/leitstand.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$ours/healthz" >/dev/null && break; sleep 0.1; done
mkdir -p "$work/www"
curl -fs "http://127.0.0.1:$ours/leitung" -o "$work/www/leitung"
grep -q "Lagebild" "$work/www/leitung" || { echo "run.sh: /leitung lieferte keine Lagebild-Seite" >&2; exit 1; }

cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    default_type text/html;
    client_body_temp_path $work/tmp;
    server {
        listen 127.0.0.1:$theirs;
        root $work/www;
        location / { try_files \$uri =404; }
    }
}
CONF
mkdir -p "$work/tmp"
nginx -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$theirs/leitung" >/dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$theirs/leitung" -o "$work/check" || { echo "run.sh: nginx antwortet nicht ($(tail -2 "$work/nginx-error.log"))" >&2; exit 1; }
cmp -s "$work/check" "$work/www/leitung" || { echo "run.sh: nginx liefert andere Bytes" >&2; exit 1; }

rps() { wrk -t2 -c32 -d"${seconds}s" "$1" | awk '/Requests\/sec/ { print $2 }'; }
ours_rps=$(rps "http://127.0.0.1:$ours/leitung")
# The same server with its page cache turned off: what one render of the page costs.
uncached=3219
LEITSTAND_PAGE_CACHE_SECONDS=0 "$bin" serve --addr "127.0.0.1:$uncached" >"$work/uncached.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$uncached/healthz" >/dev/null && break; sleep 0.1; done
uncached_rps=$(rps "http://127.0.0.1:$uncached/leitung")
kill "${pids[-1]}"
theirs_rps=$(rps "http://127.0.0.1:$theirs/leitung")

cat >"$work/paced.lua" <<'LUA'
-- 10 connections, each waiting 50 ms between its requests: about 200 requests per second.
function delay() return 50 end
LUA
wrk -t2 -c10 -d"${seconds}s" --latency -s "$work/paced.lua" "http://127.0.0.1:$ours/leitung" >"$work/paced.txt"
paced_rps=$(awk '/Requests\/sec/ { print $2 }' "$work/paced.txt")
p50=$(awk '$1 == "50%" { print $2 }' "$work/paced.txt")
p99=$(awk '$1 == "99%" { print $2 }' "$work/paced.txt")

python3 - "$ours_rps" "$theirs_rps" "$paced_rps" "$p50" "$p99" "$(wc -c <"$work/www/leitung")" "$uncached_rps" <<'PY'
import sys
ours, theirs, paced = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
def ms(text):
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)
p50, p99 = ms(sys.argv[4]), ms(sys.argv[5])
ratio = ours / theirs
print(f"Seite /leitung: {sys.argv[6]} Bytes")
print(f"Volllast (wrk -t2 -c32):  Leitstand {ours:,.0f} Anfragen/s, nginx {theirs:,.0f} Anfragen/s, Verhältnis {ratio:.1%} (Ziel ≥ 25 %: {'erfüllt' if ratio >= 0.25 else 'verfehlt'})")
print(f"Ohne Seiten-Cache (LEITSTAND_PAGE_CACHE_SECONDS=0): {float(sys.argv[7]):,.0f} Anfragen/s, {float(sys.argv[7]) / theirs:.1%} von nginx")
print(f"Getaktet (~200/s, erreicht {paced:,.0f}/s): p50 {p50:.2f} ms, p99 {p99:.2f} ms (Ziel p99 < 25 ms: {'erfüllt' if p99 < 25 else 'verfehlt'})")
PY
