#!/usr/bin/env bash
# Sets up the machine, builds Leitstand (release) and starts it with the demo city on
# http://127.0.0.1:3000. Data stays in leitstand-demo.db; delete the file to start afresh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo leptos build --release
export DATABASE_URL="${DATABASE_URL:-sqlite://leitstand-demo.db}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
exec target/release/leitstand serve --demo --addr "${LEITSTAND_ADDR:-127.0.0.1:3000}"
