#!/usr/bin/env bash
# Installs the servers the cluster test (crates/cli/tests/cluster.rs) starts on loopback:
# nats-server (Debian package, JetStream-capable) and PostgreSQL's initdb/pg_ctl. Idempotent:
# does nothing when they are present. The test itself starts and stops private instances in
# temporary directories; nothing here starts a service.
set -euo pipefail
need=()
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || need+=(nats-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -eq 0 ]; then
  echo "cluster servers present: $( (nats-server --version || /usr/sbin/nats-server --version) 2>/dev/null ), $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | head -1)"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing ${need[*]}: install them (Debian: apt-get install ${need[*]}); the cluster test skips without them" >&2
  exit 0
fi
echo "installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends "${need[@]}" >/dev/null || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
# The package may start a system service; the tests use their own instances on free ports, so
# stop the packaged one when it was started by this install (systemd is usually absent here).
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nats-server 2>/dev/null; then
  systemctl stop nats-server || true
fi
