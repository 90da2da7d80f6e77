#!/usr/bin/env bash
# Private PostgreSQL and NATS JetStream servers on 127.0.0.1 for trying `dyad worker` and for
# the benchmark: `scripts/cluster.sh start DIR` prints the URLs, `scripts/cluster.sh stop DIR`
# stops both (by the PIDs recorded in DIR). Never touches a system cluster or service.
set -euo pipefail
cmd=${1:?usage: cluster.sh start|stop DIR}
dir=${2:?usage: cluster.sh start|stop DIR}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
pgbin=${pgbin:-$(dirname "$(command -v initdb)")}
nats=$(command -v nats-server || echo /usr/sbin/nats-server)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
case $cmd in
start)
  mkdir -p "$dir/pg" "$dir/nats"
  if [ "$(id -u)" = 0 ]; then chmod 755 "$dir"; chown postgres:postgres "$dir/pg"; fi
  pgport=$(free_port); natsport=$(free_port)
  as_pg "$pgbin/initdb" -D "$dir/pg/data" -U dyad --auth=trust -E UTF8 --locale=C >"$dir/pg/initdb.log"
  as_pg "$pgbin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" \
    -o "-c listen_addresses=127.0.0.1 -p $pgport -k $dir/pg" -w start >/dev/null
  "$nats" -js -a 127.0.0.1 -p "$natsport" -sd "$dir/nats" >"$dir/nats.log" 2>&1 &
  echo $! >"$dir/nats.pid"
  for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$natsport) 2>/dev/null && break; sleep 0.1; done
  echo "postgres://dyad@127.0.0.1:$pgport/postgres" >"$dir/pg.url"
  echo "nats://127.0.0.1:$natsport" >"$dir/nats.url"
  echo "DYAD_STORE=$(cat "$dir/pg.url")"
  echo "DYAD_NATS=$(cat "$dir/nats.url")"
  ;;
stop)
  [ -f "$dir/nats.pid" ] && kill "$(cat "$dir/nats.pid")" 2>/dev/null || true
  [ -d "$dir/pg/data" ] && as_pg "$pgbin/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null || true
  ;;
*) echo "usage: cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
