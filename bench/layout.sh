#!/usr/bin/env bash
# The layout's measures (docs/ARCHITECTURE.md), checked on the tree: prints every breach and
# exits 1 if there is one. Run by .ci/run.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0
breach() { echo "layout: $*"; fail=1; }

# No file under src/ over 400 lines (the demo's generated vocabulary aside).
while read -r n f; do
  [ "$f" = total ] && continue
  [ "$f" = src/demo/vocab.rs ] && continue
  [ "$n" -gt 400 ] && breach "$f has $n lines (at most 400)"
done < <(find src -name '*.rs' -print0 | xargs -0 wc -l)

# No sea-orm query building or raw SQL outside src/store/.
sql='Entity::|find_by_id|insert_many|update_many|delete_many|Statement::|_raw\(|execute_unprepared|sea_query|QueryFilter|QuerySelect|QueryOrder|ColumnTrait|ActiveModel|Condition::|Column::|"(SELECT|INSERT|UPDATE|DELETE|CREATE|ANALYZE) '
grep -rnE "$sql" src --include=*.rs | grep -v '^src/store/' | while read -r line; do
  echo "layout: SQL outside src/store: $line"
done | grep . && fail=1

# Only the transport layers and the app wiring import crate::graphql; the store imports
# neither the domain, GraphQL nor HTTP.
grep -rlE 'crate::graphql' src --include=*.rs \
  | grep -vE '^src/(graphql|http|cli)/|^src/app\.rs$' \
  | while read -r f; do echo "layout: $f imports crate::graphql"; done | grep . && fail=1
grep -rnE 'crate::(graphql|http|domain|ingest|cli)' src/store \
  | while read -r l; do echo "layout: the store reaches up: $l"; done | grep . && fail=1
grep -rnE 'crate::(http|cli)' src/ingest src/report \
  | while read -r l; do echo "layout: a file format reaches up: $l"; done | grep . && fail=1
grep -rnE 'crate::(graphql|http|ingest|cli|report)' src/domain \
  | while read -r l; do echo "layout: the domain reaches up: $l"; done | grep . && fail=1

# No clippy exemption for long argument lists.
grep -rn 'too_many_arguments' src tests benches entity migration \
  | while read -r l; do echo "layout: $l"; done | grep . && fail=1

# At most 4 pairs of repeated code in src/ and entity/ that are not boilerplate, where the
# workplace's `duplicates` tool is installed (it is not a crate; CI machines may lack it).
if command -v duplicates >/dev/null; then
  pairs=$(duplicates --most 200 | grep -E '^D' | grep -v boilerplate \
    | awk '$2 ~ /^(src|entity)\// || $4 ~ /^(src|entity)\//' | wc -l)
  [ "$pairs" -gt 4 ] && breach "duplicates: $pairs repeated pairs in src/ and entity/ (at most 4)"
fi

# docs/ARCHITECTURE.md is one page.
lines=$(wc -l < docs/ARCHITECTURE.md)
[ "$lines" -gt 120 ] && breach "docs/ARCHITECTURE.md has $lines lines (at most 120)"

[ "$fail" = 0 ] && echo "layout: every measure holds"
exit "$fail"
