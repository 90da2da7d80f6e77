#!/usr/bin/env bash
# Side-by-side extraction benchmark: trafilatura 2.3.1 (default and precision mode) and dyad on the
# same benchmark folder, scored by `dyad eval extraction` with one metric, in one run.
# Usage: scripts/compare_extractors.sh [DIR ...]   (default: both benchmarks in ../shared)
# Sets up a virtualenv in target/venv-trafilatura from the package index the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/venv-trafilatura
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import trafilatura' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q trafilatura==2.3.1 lxml_html_clean
fi
cargo build --release -q -p dyad-cli
dirs=("$@")
[ ${#dirs[@]} -eq 0 ] && dirs=(../shared/eval/extraction/scrapinghub ../shared/eval/extraction/wcxb-dev)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for d in "${dirs[@]}"; do
    name=$(basename "$d")
    "$venv/bin/python" -W ignore scripts/trafilatura_predictions.py "$d" "$out/$name.default.jsonl"
    "$venv/bin/python" -W ignore scripts/trafilatura_predictions.py "$d" "$out/$name.precision.jsonl" --precision
    "${CARGO_TARGET_DIR:-target}/release/dyad" eval extraction "$d" \
        --external "trafilatura 2.3.1=$out/$name.default.jsonl" \
        --external "trafilatura precision=$out/$name.precision.jsonl"
done
