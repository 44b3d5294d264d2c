#!/usr/bin/env bash
# Holds the release server at saturation with wrk and reports requests/s, p50/p99, errors and the
# server's RSS at start and end.
#
#   bench/load.sh                      # SQLite, a fresh demo database (12,500 entries), the mix
#   DATABASE_URL=postgres://postgres@127.0.0.1/stk_load bench/load.sh
#   QUERY=regional DURATION=30s bench/load.sh
#
# QUERY: `mix` (default: the benchmark's read queries in turn, regional page, search, facets,
# a page, a node lookup, plus 5% writes, createEntry as a partner), or one of regional, search,
# facets, page, node. Environment: CONNECTIONS (16), DURATION (60s), WARMUP (15s), THREADS (2),
# PORT (8181).
# Errors count transport errors, non-200 answers and answers carrying GraphQL errors: they must
# be 0. Rate limits are off for the run. Needs `wrk` (apt-get install -y wrk), `curl` and
# `cargo build --release`.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-60s}
THREADS=${THREADS:-2}
QUERY=${QUERY:-mix}
PORT=${PORT:-8181}
BIN=target/release/stocktaking
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 1; }
command -v wrk >/dev/null || { echo "install wrk: apt-get install -y wrk" >&2; exit 1; }

if [ -z "${DATABASE_URL:-}" ]; then
  rm -f target/load.db target/load.db-wal target/load.db-shm
  export DATABASE_URL="sqlite://target/load.db?mode=rwc"
fi
if [[ "$DATABASE_URL" == postgres* ]]; then
  # A fresh PostgreSQL database named by the URL, with the demo dataset.
  ADMIN_URL="${DATABASE_URL%/*}/postgres"
  NAME="${DATABASE_URL##*/}"
  psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" -c "CREATE DATABASE $NAME"
  RUST_LOG=warn "$BIN" seed >/dev/null
fi
export RATE_LIMIT_ANONYMOUS=0 RATE_LIMIT_KEY=0
RUST_LOG=warn "$BIN" serve --bind "127.0.0.1:$PORT" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT
for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
URL="http://127.0.0.1:$PORT/graphql"

# A partner key for the writes: the organisation of the first entry.
ORG=$(curl -fs "$URL" -H 'content-type: application/json' \
  -d '{"query":"{ entries(first: 1) { nodes { organisation { id } } } }"}' |
  sed -E 's/.*"id":"([^"]+)".*/\1/')
KEY=$("$BIN" api-key create --role partner --organisation "$ORG" --label load 2>/dev/null | tail -n 1)
NODE_ID=$(curl -fs "$URL" -H 'content-type: application/json' \
  -d '{"query":"{ entries(first: 1, after: null) { nodes { id } } }"}' | sed -E 's/.*"id":"([^"]+)".*/\1/')

REGIONAL='{"query":"{ entries(filter: {regions: [AFRICA], actionLines: [C7_E_HEALTH]}, first: 100) { totalCount pageInfo { endCursor hasNextPage } nodes { number title status year organisation { name stakeholderType country { name } } countries { code name ituRegion { name } } actionLines { code name } sdgs { number title } prizes { year result category { code } } } } }"}'
SEARCH='{"query":"{ entries(filter: {search: \"mobile health\"}, first: 20) { totalCount nodes { number title organisation { name } countries { code } } } }"}'
FACETS='{"query":"{ entryStats(filter: {regions: [AFRICA]}) { total byActionLine { actionLine { code } count } bySdg { sdg { number } count } byRegion { region { code } count } byCountry(first: 10) { country { code } count } byStakeholderType { stakeholderType count } byStatus { status count } byYear { year count } matrix { category { code } sdg { number } count } } }"}'
PAGE='{"query":"{ entries(first: 20, orderBy: {field: UPDATED_AT, direction: DESC}) { pageInfo { endCursor } nodes { number title organisation { name } countries { code } } } }"}'
NODE="{\"query\":\"query(\$id: ID!) { node(id: \$id) { id ... on Entry { number title organisation { name } } } }\",\"variables\":{\"id\":\"$NODE_ID\"}}"
WRITE='{"query":"mutation($input: EntryInput!) { createEntry(input: $input) { number } }","variables":{"input":{"title":"Load test telecentres","description":"Community telecentres bringing broadband to rural districts.","activityType":"PROJECT","status":"ONGOING","coverage":"NATIONAL","startDate":"2024-03-01","countries":["KE"],"actionLines":["C2"],"sdgs":[9]}}}'

case "$QUERY" in
  mix) READS="[[$REGIONAL]], [[$SEARCH]], [[$FACETS]], [[$PAGE]], [[$NODE]]"; WRITES=1 ;;
  regional) READS="[[$REGIONAL]]"; WRITES=0 ;;
  search) READS="[[$SEARCH]]"; WRITES=0 ;;
  facets) READS="[[$FACETS]]"; WRITES=0 ;;
  page) READS="[[$PAGE]]"; WRITES=0 ;;
  node) READS="[[$NODE]]"; WRITES=0 ;;
  *) echo "unknown QUERY $QUERY" >&2; exit 1 ;;
esac
SCRIPT=$(mktemp --suffix=.lua)
cat > "$SCRIPT" <<LUA
local reads = { $READS }
local write = [[$WRITE]]
local writes = $WRITES
local n = 0
local threads = {}
bad = 0
wrote = 0
setup = function(thread) table.insert(threads, thread) end
request = function()
  n = n + 1
  if writes == 1 and n % 20 == 0 then
    wrote = wrote + 1
    return wrk.format("POST", "/graphql",
      { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer $KEY" }, write)
  end
  return wrk.format("POST", "/graphql", { ["Content-Type"] = "application/json" }, reads[(n % #reads) + 1])
end
response = function(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then bad = bad + 1 end
end
done = function(summary, latency, requests)
  local errors, writes_sent = 0, 0
  for _, t in ipairs(threads) do
    errors = errors + t:get("bad")
    writes_sent = writes_sent + t:get("wrote")
  end
  local transport = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("requests/s %.1f  p50 %.2f ms  p99 %.2f ms  requests %d  writes %d  errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, writes_sent, errors + transport))
end
LUA
rss() { awk '/VmRSS/ { printf "%.0f MB", $2 / 1024 }' "/proc/$SERVER/status"; }
echo "query=$QUERY connections=$CONNECTIONS duration=$DURATION database=${DATABASE_URL%%\?*}"
# A short warm-up, so that the start figure is the server at work rather than idle.
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP:-15s}" -s "$SCRIPT" "$URL" >/dev/null
echo "RSS at start: $(rss)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$SCRIPT" "$URL" | tail -n 1
echo "RSS at end:   $(rss)"
rm -f "$SCRIPT"
