#!/usr/bin/env bash
# Instructions per request, counted by callgrind (stable on a busy machine, unlike req/s): the
# server under valgrind answers N requests of one query over one keep-alive connection; a run
# with no requests is subtracted, so start-up does not count.
#
#   bench/callgrind.sh BIN DB QUERY [N]      # QUERY: simple (20 entries) or regional (100 Africa entries)
#
# BIN is a release binary, DB a SQLite file seeded by `BIN seed` (12,500 entries). Compare two
# builds by running it for each on the same DB. Needs valgrind and python3.
set -euo pipefail
BIN=$1; DB=$2; QUERY=$3; N=${4:-50}
export RATE_LIMIT_ANONYMOUS=0 RATE_LIMIT_KEY=0 RUST_LOG=warn
count() {
  local n=$1 out; out=$(mktemp)
  DATABASE_URL="sqlite://$DB?mode=rwc" valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$BIN" serve --bind 127.0.0.1:8556 --no-demo >/dev/null 2>&1 & local pid=$!
  for _ in $(seq 1 600); do curl -sf localhost:8556/healthz >/dev/null 2>&1 && break; sleep 0.5; done
  python3 - "$n" "$QUERY" <<'PY'
import http.client, json, sys
n, which = int(sys.argv[1]), sys.argv[2]
q = {"simple": "{ entries(first: 20) { nodes { number title } } }",
     "regional": "{ entries(filter: {regions: [AFRICA], actionLines: [C7_E_HEALTH]}, first: 100) { totalCount pageInfo { endCursor hasNextPage } nodes { number title status year organisation { name stakeholderType country { name } } countries { code name ituRegion { name } } actionLines { code name } sdgs { number title } prizes { year result category { code } } } } }"}[which]
c = http.client.HTTPConnection("127.0.0.1", 8556)
for _ in range(n):
    c.request("POST", "/graphql", json.dumps({"query": q}), {"content-type": "application/json"})
    r = c.getresponse(); d = r.read()
    assert r.status == 200 and b'"errors"' not in d, d[:200]
PY
  kill -INT "$pid"; wait "$pid" 2>/dev/null || true
  grep -m1 "^summary:\|^totals:" "$out" | awk '{print $2}'; rm -f "$out"
}
base=$(count 0); total=$(count "$N")
echo "$QUERY: $(( (total - base) / N )) instructions per request ($N requests)"
