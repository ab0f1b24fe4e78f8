#!/usr/bin/env bash
# Sets up the machine, builds Leitstand and starts it with the demo city on
# http://127.0.0.1:3000. Data stays in leitstand-demo.db; delete the file to start afresh.
# It uses the same (debug) build as the test suite, so both commands share one warm target;
# for production use `cargo leptos build --release` (wasm-opt comes from end2end/node_modules).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo leptos build
export DATABASE_URL="${DATABASE_URL:-sqlite://leitstand-demo.db}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
exec "${CARGO_TARGET_DIR:-target}/debug/leitstand" serve --demo --addr "${LEITSTAND_ADDR:-127.0.0.1:3000}"
