#!/usr/bin/env bash
# Starts Leitstand for the browser tests: a fresh SQLite demo city under target/e2e, on the
# port given as $1. Playwright starts this script and stops it after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-3100}"
bin="${LEITSTAND_BIN:-${CARGO_TARGET_DIR:-target}/debug/leitstand}"
mkdir -p target/e2e
rm -f target/e2e/e2e.db target/e2e/e2e.db-wal target/e2e/e2e.db-shm
export DATABASE_URL="sqlite://target/e2e/e2e.db"
"$bin" demo
exec "$bin" serve --addr "127.0.0.1:$port"
