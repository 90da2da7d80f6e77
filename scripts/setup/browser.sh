#!/usr/bin/env bash
# Installs the browser the dashboard test (crates/server/tests/browser.rs) drives headless:
# Debian's chromium package. Idempotent and quick when it is present. The test starts its own
# browser with a temporary profile; nothing here starts one.
set -euo pipefail
for exe in chromium chromium-browser; do
  if command -v "$exe" >/dev/null 2>&1; then
    echo "browser present: $("$exe" --version 2>/dev/null | head -1)"
    exit 0
  fi
done
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing chromium: install it (Debian: apt-get install chromium); the browser test skips without it" >&2
  exit 0
fi
echo "installing chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends chromium >/dev/null \
  || { apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null; }
echo "browser installed: $(chromium --version 2>/dev/null | head -1)"
