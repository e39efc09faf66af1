#!/usr/bin/env bash
# The figures of `serve --ack spool` (docs/performance.md, "The spool"), in one run on one private
# MariaDB, each against `serve --ack table` and `send` of the same events from a file:
#   10a events/s through serve --ack spool (fsync on; Segment's /v1/batch, 200 events a request,
#      8 keep-alive connections, bench/serve_load.js): accepted, and stored in the table; against
#      --ack table and send from a file. Target: the spool accepts at least as fast as --ack table
#   10b p50 / p99 request latency, --ack spool and --ack table, both paced at half the rate
#      --ack table reached in 10a
#   10c how long a backlog of BENCH_BACKLOG (1,000,000) events in the spool takes to drain into
#      the table once serve starts (bench/spool/spool_backlog fills it)
#   10d the spool's store against SQLite (WAL), LMDB and RocksDB (bench/spool/spool_stores, when
#      built: Debian's liblmdb-dev, libsqlite3-dev, librocksdb-dev)
# bench/run sources this file (after serve_bench.sh) and calls spool_figures. Run alone
# (bench/spool_bench.sh) it builds Release in build-perf, starts its own MariaDB and generates
# BENCH_SERVE_EVENTS (100000) events.

# Waits until serve's spool has nothing waiting (its /metrics, read every 0.1 s), then checks the
# table: a COUNT(*) every few tenths of a second would scan a growing table and take the server's
# time from the very inserts being timed.
spool_waiting() {
  { exec 3<>"/dev/tcp/127.0.0.1/$serve_port" && printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3 && cat <&3; exec 3<&-; } 2>/dev/null |
    awk '$1 == "actions_serve_spool_events_waiting" { print $2 }'
}
spool_wait_rows() {  # spool_wait_rows TABLE ROWS TIMEOUT_S: waits until TABLE has ROWS rows
  local until=$(( $(date +%s) + $3 ))
  while (( $(date +%s) < until )); do
    if [[ $(spool_waiting) == 0 ]]; then
      [[ $(serve_count "$1" 2>/dev/null || echo 0) -ge $2 ]] && return 0
      sleep 0.2
    else
      sleep 0.1
    fi
  done
  return 1
}

spool_figures() {
  local n; n=$(grep -c . "$work/events.ndjson")
  local backlog=${BENCH_BACKLOG:-1000000}
  local s
  for s in send table spool lat_table lat_spool backlog; do
    serve_settings "spool_$s" "$work/sp_$s.json"
    "$cli" test-auth --settings "$work/sp_$s.json" >/dev/null
  done

  log "figure 10a: send of $n events from a file"
  local t; t=$(now)
  "$cli" send --settings "$work/sp_send.json" "$work/events.ndjson" 2>"$work/spool_send.err"
  local send_s; send_s=$(seconds_since "$t")
  local rows; rows=$(serve_count spool_send)

  log "figure 10a: serve --ack table"
  serve_start "$work/sp_table.json" "$work/spool_table.log" --ack table
  local table_load; table_load=$(node "$root/bench/serve_load.js" "http://127.0.0.1:$serve_port" bench "$work/events.ndjson" 200 8)
  serve_stop

  log "figure 10a: serve --ack spool"
  serve_start "$work/sp_spool.json" "$work/spool_spool.log" --ack spool --spool "$work/spool-10a"
  t=$(now)
  local spool_load; spool_load=$(node "$root/bench/serve_load.js" "http://127.0.0.1:$serve_port" bench "$work/events.ndjson" 200 8)
  spool_wait_rows spool_spool "$rows" 600 || log "serve --ack spool did not store $rows rows"
  local spool_stored_s; spool_stored_s=$(seconds_since "$t")
  serve_stop

  local half; half=$(python3 -c 'import json,sys; print(int(json.loads(sys.argv[1])["eventsPerSec"] / 2))' "$table_load")
  log "figure 10b: latency at $half events/s, --ack table then --ack spool"
  serve_start "$work/sp_lat_table.json" "$work/spool_lat_table.log" --ack table
  local table_paced; table_paced=$(node "$root/bench/serve_load.js" "http://127.0.0.1:$serve_port" bench "$work/events.ndjson" 200 8 "$half")
  serve_stop
  serve_start "$work/sp_lat_spool.json" "$work/spool_lat_spool.log" --ack spool --spool "$work/spool-10b"
  local spool_paced; spool_paced=$(node "$root/bench/serve_load.js" "http://127.0.0.1:$serve_port" bench "$work/events.ndjson" 200 8 "$half")
  spool_wait_rows spool_lat_spool "$rows" 600 || true
  serve_stop

  log "figure 10c: a backlog of $backlog events drained from the spool"
  local filled; filled=$("$build/bin/spool_backlog" "$work/spool-10c" "$work/sp_backlog.json" "$work/events.ndjson" "$backlog")
  serve_start "$work/sp_backlog.json" "$work/spool_backlog.log" --ack spool --spool "$work/spool-10c"
  t=$(now)
  spool_wait_rows spool_backlog "$backlog" 3600 || log "the backlog did not drain within an hour"
  local drain_s; drain_s=$(seconds_since "$t")
  serve_stop
  local backlog_rows; backlog_rows=$(serve_count spool_backlog)
  rm -rf "$work/spool-10a" "$work/spool-10b" "$work/spool-10c"

  local stores=""
  if [[ -x $build/bin/spool_stores ]]; then
    log "figure 10d: the spool's log against SQLite, LMDB and RocksDB"
    stores=$("$build/bin/spool_stores" 5 16 100 50 "$work" 2>/dev/null)
  fi

  python3 - "$n" "$rows" "$send_s" "$table_load" "$spool_load" "$spool_stored_s" "$table_paced" "$spool_paced" \
    "$filled" "$drain_s" "$backlog_rows" "$(serve_count spool_table)" "$(serve_count spool_spool)" "$stores" <<'PY'
import json, sys
(n, rows, send_s, table_load, spool_load, stored_s, table_paced, spool_paced, filled, drain_s,
 backlog_rows, table_rows, spool_rows, stores) = sys.argv[1:]
n, rows, send_s, stored_s, drain_s = int(n), int(rows), float(send_s), float(stored_s), float(drain_s)
tl, sl, tp, sp, fill = (json.loads(x) for x in (table_load, spool_load, table_paced, spool_paced, filled))
def verdict(ok): return "met" if ok else "NOT met"
send_rate = n / send_s
print(f"spool figures: {n:,} events ({rows:,} valid); rows stored: --ack table {table_rows}, --ack spool {spool_rows}")
print("| figure | --ack spool | baseline | ratio | target |")
print("|---|---|---|---|---|")
r = sl["eventsPerSec"] / tl["eventsPerSec"]
print(f"| 10a events/s accepted through serve (/v1/batch, 200 a request, 8 connections) | {sl['eventsPerSec']:,.0f} ev/s ({sl['seconds']:.2f} s, all stored after {stored_s:.2f} s: {n/stored_s:,.0f} ev/s) | --ack table {tl['eventsPerSec']:,.0f} ev/s ({tl['seconds']:.2f} s); send from a file {send_rate:,.0f} ev/s ({send_s:.2f} s) | {r:.2f} of --ack table, {sl['eventsPerSec']/send_rate:.2f} of send | >= 1.00 of --ack table: {verdict(r >= 1.0)} |")
print(f"| 10b request latency, both paced at {tp['eventsPerSec']:,.0f} ev/s | p50 {sp['p50ms']:.1f} ms, p99 {sp['p99ms']:.1f} ms (max {sp['maxms']:.1f} ms) | --ack table p50 {tp['p50ms']:.1f} ms, p99 {tp['p99ms']:.1f} ms (max {tp['maxms']:.1f} ms) | p99 {sp['p99ms']/tp['p99ms']:.2f} of --ack table | (reported) |")
print(f"| 10c a backlog of {fill['records']:,} events ({fill['bytes']/2**20:,.0f} MiB of spool) drained into the table | {drain_s:.1f} s ({fill['records']/drain_s:,.0f} ev/s, {int(backlog_rows):,} rows) | send from a file {send_rate:,.0f} ev/s | {fill['records']/drain_s/send_rate:.2f} of send | (reported) |")
if stores:
    print("10d the spool's store, the same durable-queue workload on each (bench/spool/spool_stores):")
    print(stores)
else:
    print("10d not measured: bench/spool/spool_stores is built when liblmdb-dev, libsqlite3-dev and librocksdb-dev are installed")
if int(table_rows) != rows or int(spool_rows) != rows or int(backlog_rows) != fill["records"]:
    print("row counts differ from what was sent")
    sys.exit(1)
PY
}

# Run alone: a build, a server and events of its own.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  root=$(cd "$(dirname "$0")/.." && pwd)
  build=${BUILD_DIR:-$root/build-perf}
  work=$(mktemp -d "${TMPDIR:-/tmp}/actions-spool-bench.XXXXXX")
  db_dir=$work/db
  log() { echo "bench: $*" >&2; }
  now() { date +%s%N; }
  seconds_since() { local end; end=$(date +%s%N); awk -v a="$1" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
  cleanup() { "$root/scripts/db" stop --dir "$db_dir" >/dev/null 2>&1 || true; rm -rf "$work"; }
  trap cleanup EXIT
  log "building Release in $build"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j2 --target actions-singlestore spool_backlog >/dev/null
  cmake --build "$build" -j2 --target spool_stores >/dev/null 2>&1 || true
  cli=$build/bin/actions-singlestore
  "$root/scripts/db" start --dir "$db_dir" >/dev/null
  settings=$db_dir/settings.json
  port=$(cat "$db_dir/port")
  export MYSQL_PWD
  MYSQL_PWD=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["password"])' "$settings")
  sql() { mariadb --no-defaults --default-character-set=utf8mb4 -h127.0.0.1 -P"$port" -uactions actions_test "$@"; }
  source "$root/bench/serve_bench.sh"
  "$root/scripts/gen-events" "${BENCH_SERVE_EVENTS:-100000}" --seed 11 >"$work/events.ndjson"
  spool_figures
fi
