#!/usr/bin/env bash
# The figures of `serve`, each against `send` of the same events from a file, in the same run on
# the same private MariaDB:
#   8a events/s through serve (bench/serve_load.js: Segment's /v1/batch, 200 events a request,
#      8 keep-alive connections) vs send of the same events from a file; target >= 0.7 of send
#   8b p50 / p99 request latency through serve at half the rate of 8a
#   8c events/s from Segment's own Node client (@segment/analytics-node, flushAt 200)
#   8d events/s from the browser's path: /v1/t, one event a request (text/plain, analytics.js's
#      standard delivery), 8 keep-alive connections, against 8a's /v1/batch of the same events
#   8e events/s from /v1/b (analytics.js's batching strategy and the mobile SDKs' shape: the key
#      and sentAt in the body, text/plain), 20 events a request, against 8a
# bench/run sources this file and calls serve_figures with its build, server and events. Run
# alone (bench/serve_bench.sh) it builds Release in build-perf, starts its own MariaDB and
# generates BENCH_SERVE_EVENTS (100000) events.

serve_settings() {  # serve_settings TABLE FILE: the bench settings, writing to TABLE
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); s["tableName"]=sys.argv[2]; json.dump(s,open(sys.argv[3],"w"))' \
    "$settings" "$1" "$2"
}

# serve_start SETTINGS LOG [ARGS...]: starts serve on a free port; sets serve_pid, serve_port.
# --ack table unless ARGS choose (figures 8a-8e measure 200 = in the table; bench/spool_bench.sh's
# 10a-10d the spool).
serve_start() {
  local extra=("${@:3}")
  [[ " ${extra[*]} " == *" --ack "* ]] || extra+=(--ack table)
  "$cli" serve --settings "$1" --listen 127.0.0.1:0 --write-key bench --quiet "${extra[@]}" 2>"$2" &
  serve_pid=$!
  serve_port=""
  for _ in $(seq 1 100); do
    serve_port=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l)
    if e.get("event")=="start" and "listen" in e: print(e["listen"].rsplit(":",1)[1])' "$2" 2>/dev/null || true)
    [[ -n $serve_port ]] && return 0
    sleep 0.1
  done
  log "serve did not start: $(cat "$2")"
  return 1
}

serve_stop() {
  kill -TERM "$serve_pid"
  wait "$serve_pid" || { log "serve exited $? after SIGTERM"; return 1; }
}

serve_count() { sql -N -e "SELECT COUNT(*) FROM $1"; }

serve_figures() {
  local n; n=$(grep -c . "$work/events.ndjson")
  local node_modules=$root/test/serve/npm/node_modules
  serve_settings serve_send "$work/s_send.json"
  serve_settings serve_http "$work/s_http.json"
  serve_settings serve_latency "$work/s_latency.json"
  serve_settings serve_node "$work/s_node.json"
  serve_settings serve_t "$work/s_t.json"
  serve_settings serve_b "$work/s_b.json"
  # Each table exists before its timed run, as segment_raw_data does for send in figure 1.
  for s in send http latency node t b; do "$cli" test-auth --settings "$work/s_$s.json" >/dev/null; done

  log "figure 8a: send of $n events from a file"
  local t; t=$(now)
  "$cli" send --settings "$work/s_send.json" "$work/events.ndjson" 2>"$work/serve_send.err"
  local send_s; send_s=$(seconds_since "$t"); log "send: $send_s s"
  local send_rows; send_rows=$(serve_count serve_send)

  log "figure 8a: the same events through serve"
  serve_start "$work/s_http.json" "$work/serve_http.log"
  local load; load=$(node "$root/bench/serve_load.js" "http://127.0.0.1:$serve_port" bench "$work/events.ndjson" 200 8)
  serve_stop
  local http_rows; http_rows=$(serve_count serve_http)

  local half; half=$(python3 -c 'import json,sys; print(int(json.loads(sys.argv[1])["eventsPerSec"] / 2))' "$load")
  log "figure 8b: latency through serve at $half events/s"
  serve_start "$work/s_latency.json" "$work/serve_latency.log"
  local paced; paced=$(node "$root/bench/serve_load.js" "http://127.0.0.1:$serve_port" bench "$work/events.ndjson" 200 8 "$half")
  serve_stop
  local latency_rows; latency_rows=$(serve_count serve_latency)

  log "figure 8d: the same events through /v1/t, one a request"
  serve_start "$work/s_t.json" "$work/serve_t.log"
  local load_t; load_t=$(node "$root/bench/serve_load.js" "http://127.0.0.1:$serve_port" bench "$work/events.ndjson" 1 8 0 /v1/t)
  serve_stop
  local t_rows; t_rows=$(serve_count serve_t)

  log "figure 8e: the same events through /v1/b, 20 a request"
  serve_start "$work/s_b.json" "$work/serve_b.log"
  local load_b; load_b=$(node "$root/bench/serve_load.js" "http://127.0.0.1:$serve_port" bench "$work/events.ndjson" 20 8 0 /v1/b)
  serve_stop
  local b_rows; b_rows=$(serve_count serve_b)

  local client=""
  if [[ -d $node_modules/@segment/analytics-node ]]; then
    log "figure 8c: $n events from @segment/analytics-node"
    serve_start "$work/s_node.json" "$work/serve_node.log"
    client=$(NODE_PATH=$node_modules node "$root/test/serve/segment_client.js" "http://127.0.0.1:$serve_port" bench "$n" 0 bench)
    serve_stop
  else
    log "no $node_modules (scripts/setup installs it): figure 8c skipped"
  fi
  local node_rows; node_rows=$(serve_count serve_node)

  python3 - "$n" "$send_s" "$send_rows" "$load" "$http_rows" "$paced" "$latency_rows" "$client" "$node_rows" "$load_t" "$t_rows" "$load_b" "$b_rows" <<'PY'
import json, sys
n, send_s, send_rows, load, http_rows, paced, latency_rows, client, node_rows, load_t, t_rows, load_b, b_rows = sys.argv[1:]
n, send_s = int(n), float(send_s)
load, paced, load_t, load_b = json.loads(load), json.loads(paced), json.loads(load_t), json.loads(load_b)
def verdict(ok): return "met" if ok else "NOT met"
send_rate = n / send_s
r = load["eventsPerSec"] / send_rate
print(f"serve figures: {n:,} events; rows stored: send {send_rows}, serve {http_rows}, paced {latency_rows}, /v1/t {t_rows}, /v1/b {b_rows}"
      + (f", analytics-node {node_rows}" if client else ""))
print("| figure | serve | baseline | ratio | target |")
print("|---|---|---|---|---|")
print(f"| 8a serve (/v1/batch, 200 events a request, 8 connections) vs send from a file | {load['seconds']:.2f} s ({load['eventsPerSec']:,.0f} ev/s) | {send_s:.2f} s ({send_rate:,.0f} ev/s) | {r:.2f} of send | >= 0.70: {verdict(r >= 0.7)} |")
print(f"| 8b serve request latency at half that rate ({paced['eventsPerSec']:,.0f} ev/s achieved) | p50 {paced['p50ms']:.1f} ms, p99 {paced['p99ms']:.1f} ms (max {paced['maxms']:.1f} ms, {paced['requests']} requests) | - | - | (reported) |")
if client:
    c = json.loads(client)
    rate = c["sent"] / c["seconds"]
    print(f"| 8c serve from @segment/analytics-node (flushAt 200, {c['clientErrors']} client errors) | {c['seconds']:.2f} s ({rate:,.0f} ev/s) | {send_s:.2f} s | {rate / send_rate:.2f} of send | (reported) |")
for label, run in (("8d serve /v1/t (one event a request, 8 keep-alive connections)", load_t),
                   ("8e serve /v1/b (20 events a request, 8 connections)", load_b)):
    print(f"| {label} vs /v1/batch (8a) | {run['seconds']:.2f} s ({run['eventsPerSec']:,.0f} ev/s, p50 {run['p50ms']:.1f} ms, p99 {run['p99ms']:.1f} ms) | {load['seconds']:.2f} s ({load['eventsPerSec']:,.0f} ev/s) | {run['eventsPerSec'] / load['eventsPerSec']:.2f} of /v1/batch | (reported) |")
for name, rows in (("serve", http_rows), ("paced", latency_rows), ("/v1/t", t_rows), ("/v1/b", b_rows)):
    if int(rows) != int(send_rows):
        print(f"row counts differ: {name} {rows}, send {send_rows}")
        sys.exit(1)
PY
}

# Run alone: a build, a server and events of its own.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  root=$(cd "$(dirname "$0")/.." && pwd)
  build=${BUILD_DIR:-$root/build-perf}
  work=$(mktemp -d "${TMPDIR:-/tmp}/actions-serve-bench.XXXXXX")
  db_dir=$work/db
  log() { echo "bench: $*" >&2; }
  now() { date +%s%N; }
  seconds_since() { local end; end=$(date +%s%N); awk -v a="$1" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
  cleanup() { "$root/scripts/db" stop --dir "$db_dir" >/dev/null 2>&1 || true; rm -rf "$work"; }
  trap cleanup EXIT
  log "building Release in $build"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j2 --target actions-singlestore >/dev/null
  cli=$build/bin/actions-singlestore
  "$root/scripts/db" start --dir "$db_dir" >/dev/null
  settings=$db_dir/settings.json
  port=$(cat "$db_dir/port")
  export MYSQL_PWD
  MYSQL_PWD=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["password"])' "$settings")
  sql() { mariadb --no-defaults --default-character-set=utf8mb4 -h127.0.0.1 -P"$port" -uactions actions_test "$@"; }
  "$root/scripts/gen-events" "${BENCH_SERVE_EVENTS:-100000}" --seed 11 >"$work/events.ndjson"
  serve_figures
fi
