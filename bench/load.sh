#!/usr/bin/env bash
# Loads the release server over HTTP with wrk and reports requests/s and latency percentiles.
#
#   bench/load.sh                      # SQLite, a fresh demo database (12,500 entries)
#   DATABASE_URL=postgres://postgres@127.0.0.1/stk_bench bench/load.sh
#
# Environment: CONNECTIONS (16), DURATION (30s), THREADS (2), QUERY (regional|search|page|node),
# PORT (8181). Needs `wrk` (apt-get install -y wrk) and `cargo build --release`.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-30s}
THREADS=${THREADS:-2}
QUERY=${QUERY:-regional}
PORT=${PORT:-8181}
BIN=target/release/stocktaking
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 1; }
command -v wrk >/dev/null || { echo "install wrk: apt-get install -y wrk" >&2; exit 1; }

if [ -z "${DATABASE_URL:-}" ]; then
  export DATABASE_URL="sqlite://target/load.db?mode=rwc"
fi
RUST_LOG=warn "$BIN" serve --bind "127.0.0.1:$PORT" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done

case "$QUERY" in
  regional) BODY='{"query":"{ entries(filter: {regions: [AFRICA], actionLines: [C7_E_HEALTH]}, first: 100) { totalCount pageInfo { endCursor hasNextPage } nodes { number title status year organisation { name stakeholderType country { name } } countries { code name ituRegion { name } } actionLines { code name } sdgs { number title } prizes { year result category { code } } } } }"}' ;;
  search) BODY='{"query":"{ entries(filter: {search: \"mobile health\"}, first: 20) { totalCount nodes { number title organisation { name } countries { code } } } }"}' ;;
  page) BODY='{"query":"{ entries(first: 20) { pageInfo { endCursor } nodes { number title organisation { name } countries { code } } } }"}' ;;
  node) BODY='{"query":"{ entry(number: 1000100) { number title organisation { name } } }"}' ;;
  *) echo "unknown QUERY $QUERY" >&2; exit 1 ;;
esac
SCRIPT=$(mktemp --suffix=.lua)
cat > "$SCRIPT" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[$BODY]]
done = function(summary, latency, requests)
  io.write(string.format("requests/s %.1f  p50 %.2f ms  p99 %.2f ms  errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
echo "query=$QUERY connections=$CONNECTIONS duration=$DURATION database=${DATABASE_URL%%\?*}"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$SCRIPT" "http://127.0.0.1:$PORT/graphql" | tail -n 1
rm -f "$SCRIPT"
