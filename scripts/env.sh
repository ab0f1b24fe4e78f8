# Sourced by the scripts: puts the npm tools (wasm-opt from binaryen) first on PATH, so that
# cargo-leptos finds them instead of trying to download its own.
LEITSTAND_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$LEITSTAND_ROOT/end2end/node_modules/.bin:$PATH"
