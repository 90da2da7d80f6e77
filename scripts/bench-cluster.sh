#!/usr/bin/env bash
# One worker against two: documents per second through NATS JetStream into PostgreSQL.
# usage: scripts/bench-cluster.sh [CORPUS_DIR] [DATE]
# Default corpus: the PolNeAR training articles (../shared/eval/quotes/polnear/train/text).
# PostgreSQL runs with its default durability (fsync on, synchronous_commit on).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/eval/quotes/polnear/train/text}
date=${2:-2017-01-01}
bin=${CARGO_TARGET_DIR:-target}/release/dyad
[ -x "$bin" ] || { echo "build first: cargo build --release -p dyad-cli" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'scripts/cluster.sh stop "$tmp"; rm -rf "$tmp"' EXIT
scripts/cluster.sh start "$tmp" >/dev/null
pg=$(cat "$tmp/pg.url"); nats=$(cat "$tmp/nats.url")
# CPU seconds (user + system) of a process and its reaped children: PostgreSQL's postmaster
# reaps its backends, so its children's time is the database's work.
cpu() { awk -v t="$(getconf CLK_TCK)" '{ print ($14 + $15 + $16 + $17) / t }' "/proc/$1/stat"; }
pgpid=$(head -1 "$tmp/pg/data/postmaster.pid"); natspid=$(cat "$tmp/nats.pid")
n=$(find "$corpus" -type f | wc -l)
echo "corpus $corpus: $n files; $(nproc) cores; load average before: $(cut -d" " -f1-3 /proc/loadavg)"
# The same corpus through `dyad run` into SQLite, one process: the baseline without queue and
# database server.
for j in 1 2; do
  rm -f "$tmp/run.db"
  /usr/bin/time -f "%U %S" -o "$tmp/run.cpu" "$bin" run "$corpus" --db "$tmp/run.db" --date "$date" -q -j "$j" | sed -n 's/.*total \([0-9.]*\) s/\1/p' >"$tmp/run.s"
  printf 'dyad run -j %d (SQLite, no queue): %.2f s = %.1f docs/s; CPU %.1f ms per document (models loading included)\n' "$j" "$(cat "$tmp/run.s")" "$(echo "$n / $(cat "$tmp/run.s")" | bc -l)" \
    "$(awk -v n="$n" '{ print 1000 * ($1 + $2) / n }' "$tmp/run.cpu")"
done
for workers in 1 2; do
  db=${pg%/postgres}/postgres
  stream=B$workers
  psqldb="bench$workers"
  "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql" -q "$pg" -c "CREATE DATABASE $psqldb" >/dev/null
  db=${pg%/postgres}/$psqldb
  "$bin" enqueue "$corpus" --nats "$nats" --stream "$stream" --date "$date" >/dev/null
  # Load the models before the clock starts: a worker that has started logs "started".
  t0=$(date +%s.%N)
  pg0=$(cpu "$pgpid"); nats0=$(cpu "$natspid")
  pids=()
  for w in $(seq "$workers"); do
    /usr/bin/time -f "%U %S" -o "$tmp/w$workers-$w.cpu" \
      "$bin" worker --nats "$nats" --stream "$stream" --db "$db" --drain --name "w$w" 2>"$tmp/w$workers-$w.log" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  t1=$(date +%s.%N)
  sleep 1 # let the postmaster reap the workers' backends
  pgcpu=$(echo "$(cpu "$pgpid") - $pg0" | bc -l); natscpu=$(echo "$(cpu "$natspid") - $nats0" | bc -l)
  wcpu=$(cat "$tmp"/w$workers-*.cpu | awk '{ s += $1 + $2 } END { print s }')
  # Time from the first worker's start (models loaded) to the last drain.
  first=$(grep -h '"msg":"started"' "$tmp"/w$workers-*.log | sed 's/.*"ts":"\([^"]*\)".*/\1/' | sort | head -1)
  last=$(grep -h '"msg":"drained"' "$tmp"/w$workers-*.log | sed 's/.*"ts":"\([^"]*\)".*/\1/' | sort | tail -1)
  stored=$(grep -h '"msg":"drained"' "$tmp"/w$workers-*.log | sed 's/.*"stored":\([0-9]*\).*/\1/' | paste -sd+ | bc)
  code=$(grep -h '"msg":"drained"' "$tmp"/w$workers-*.log | sed 's/.*"code_s":\([0-9.e-]*\).*/\1/' | paste -sd+ | bc -l)
  store=$(grep -h '"msg":"drained"' "$tmp"/w$workers-*.log | sed 's/.*"store_s":\([0-9.e-]*\).*/\1/' | paste -sd+ | bc -l)
  secs=$(python3 -c "from datetime import datetime as d; f=lambda s: d.fromisoformat(s.replace('Z','+00:00')); print((f('$last')-f('$first')).total_seconds())")
  wall=$(echo "$t1 - $t0" | bc -l)
  grep -h "dead-lettered" "$tmp"/w$workers-*.log | sed "s/^/  /" || true
  printf 'workers %d: %d documents in %.2f s (from models loaded to drained; %.2f s with start-up) = %.1f docs/s; summed per document: code %.1f ms, store %.1f ms\n' \
    "$workers" "$stored" "$secs" "$wall" "$(echo "$stored / $secs" | bc -l)" \
    "$(echo "1000 * $code / $stored" | bc -l)" "$(echo "1000 * $store / $stored" | bc -l)"
  printf '  CPU per document: workers %.1f ms (models loading included), PostgreSQL %.1f ms, NATS %.1f ms\n' \
    "$(echo "1000 * $wcpu / $stored" | bc -l)" "$(echo "1000 * $pgcpu / $stored" | bc -l)" "$(echo "1000 * $natscpu / $stored" | bc -l)"
done
