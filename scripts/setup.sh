#!/usr/bin/env bash
# Installs what Leitstand needs on a fresh Debian/Ubuntu machine that has Rust (rustup):
# Chromium for the browser tests, the wasm target,
# cargo-leptos, wasm-bindgen-cli matching Cargo.lock, and the npm packages (Playwright,
# binaryen's wasm-opt); with the argument `tests` also what only the test suite uses
# (poppler-utils, LibreOffice Calc). Each tool is installed only when the right version is
# missing, so running this again is quick.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
log() { printf '\n==> %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
# Only the test suite (`setup.sh tests`, called by scripts/test.sh) needs these: the PDF
# tests read the server's reports back with pdftotext, pdfinfo and pdfimages; the office test
# (tests/office.rs) lets LibreOffice open and save the exported workbook.
if [ "${1:-}" = tests ]; then
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  log "Debian-Pakete installieren: ${missing[*]}"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "Rust-Ziel wasm32-unknown-unknown hinzufügen"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "cargo-leptos $CARGO_LEPTOS_VERSION installieren (dauert etwa 12 Minuten)"
  cargo install --locked "cargo-leptos@$CARGO_LEPTOS_VERSION"
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wasm_bindgen_version\$"; then
  log "wasm-bindgen-cli $wasm_bindgen_version installieren"
  cargo install wasm-bindgen-cli --version "=$wasm_bindgen_version"
fi

if [ ! -f end2end/node_modules/.package-lock.json ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  log "npm-Pakete installieren (Playwright, binaryen)"
  (cd end2end && npm ci --no-audit --no-fund)
fi
log "Einrichtung vollständig."
