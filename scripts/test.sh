#!/usr/bin/env bash
# The whole test suite: formatting, clippy for server and browser builds, unit and
# integration tests on SQLite and PostgreSQL, and the Playwright browser tests in Chromium
# with JavaScript on and off. PostgreSQL: LEITSTAND_TEST_POSTGRES (default: the local
# server on 127.0.0.1:5432 as user postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh tests
source scripts/env.sh

step() { printf '\n==> %s\n' "$*"; }

step "Formatierung (cargo fmt --check)"
cargo fmt --all -- --check

step "Clippy: Server (ssr)"
cargo clippy --no-default-features --features ssr --all-targets -- -D warnings

step "Clippy: Browser (hydrate, wasm32)"
cargo clippy --lib --no-default-features --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "Unit- und Integrationstests (SQLite und PostgreSQL)"
cargo test --no-default-features --features ssr

# After the tests: cargo-leptos passes LEPTOS_* variables at compile time, so its build of the
# server binary (the one the browser tests start) must come last.
step "Build: Server und WebAssembly (cargo leptos build)"
cargo leptos build

step "Browsertests (Playwright, Chromium, mit und ohne JavaScript)"
(cd end2end && npx playwright test)
