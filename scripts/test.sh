#!/usr/bin/env bash
# The test command (README, second set-up command; .ci/run calls it).
# Installs and starts what the tests need, then runs every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
for s in scripts/setup/*.sh; do
  [ -e "$s" ] || continue
  echo "== setup: $s"
  bash "$s"
done
# Release mode: the NLP models and the benchmarks-sized tests are too slow unoptimised.
cargo test --workspace --release "$@"
