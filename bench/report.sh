#!/usr/bin/env bash
# Times the regional reports over HTTP, one request at a time: each URL RUNS times (after one
# warm-up), printing the median and the slowest, in milliseconds, and the body's size.
# Usage: bench/report.sh [BASE_URL] [RUNS]    (default http://127.0.0.1:8080, 9 runs)
# The server must be running (any database); docs/BENCHMARKS.md has the figures.
set -euo pipefail
base=${1:-http://127.0.0.1:8080}
runs=${2:-9}
query='{"query":"{ regionalReport(region: AFRICA, from: 2019, to: 2020) { total byYear { year count } byCategory { count } bySdg { count } matrix { count } topCountries { count } byStakeholderType { count } prizes { year entry { number } } recentEntries { number title } } }"}'
printf '%-58s %9s %9s %9s\n' "request" "p50 ms" "max ms" "bytes"
one() { # label, curl arguments…
  local label=$1; shift
  curl -s -o /dev/null "$@" # warm-up
  local times=() size=0
  for _ in $(seq 1 "$runs"); do
    read -r t size < <(curl -s -o /dev/null -w '%{time_total} %{size_download}\n' "$@")
    times+=("$t")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" -v size="$size" '
    { t[NR] = $1 * 1000 } END { printf "%-58s %9.1f %9.1f %9d\n", label, t[int((NR + 1) / 2)], t[NR], size }'
}
one "GET /reports/regions/africa" "$base/reports/regions/africa"
one "GET /reports/regions/africa?from=2019&to=2020" "$base/reports/regions/africa?from=2019&to=2020"
one "GET /reports/regions/africa.csv" "$base/reports/regions/africa.csv"
one "GET /reports/regions/escap?from=2015" "$base/reports/regions/escap?from=2015"
one "POST /graphql regionalReport(AFRICA, 2019–2020)" -H 'content-type: application/json' -d "$query" "$base/graphql"
