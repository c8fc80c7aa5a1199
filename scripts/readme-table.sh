#!/usr/bin/env bash
# Copies the stream suite's headline table into README.md, between the markers
# "<!-- streams:begin -->" and "<!-- streams:end -->". Usage: scripts/readme-table.sh [headline.md]
# (default docs/streams/headline.md, written by `expanse suite --streams --out docs/streams`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
table="${1:-$root/docs/streams/headline.md}"
readme="$root/README.md"
[[ -f $table ]] || { echo "readme-table: $table not found (run: scripts/expanse suite --streams --seeds 1,2,3 --out docs/streams)" >&2; exit 1; }
grep -q '^<!-- streams:begin -->$' "$readme" && grep -q '^<!-- streams:end -->$' "$readme" \
    || { echo "readme-table: $readme lacks the <!-- streams:begin --> / <!-- streams:end --> markers" >&2; exit 1; }
tmp="$(mktemp "$readme.XXXXXX")"
awk -v table="$table" '
    /^<!-- streams:begin -->$/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
    /^<!-- streams:end -->$/ { skip = 0 }
    !skip { print }
' "$readme" > "$tmp"
mv "$tmp" "$readme"
echo "README.md: stream table from $table"
