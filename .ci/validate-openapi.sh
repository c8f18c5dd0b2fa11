#!/usr/bin/env bash
# Validates the OpenAPI document that a running Moon node serves at /openapi/v1.json with Redocly CLI, a validator
# that did not write it (OpenAPI 3.1 structure plus the recommended rules in .ci/redocly.yaml). Needs the Release
# build and Node.js with npm. Exit 0 when valid.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$tmp"; }
trap cleanup EXIT

dotnet Lunar.Dtn.MoonNode/bin/Release/net10.0/Lunar.Dtn.MoonNode.dll --Node:Id=moon --Node:DataDir="$tmp/data" --Urls=https://127.0.0.1:0 >"$tmp/node.log" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 120); do
  url=$(grep -oE 'Now listening on: https://127\.0\.0\.1:[0-9]+' "$tmp/node.log" | head -1 | sed 's/Now listening on: //') || true
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "the node exited:"; cat "$tmp/node.log"; exit 1; }
  sleep 0.5
done
[ -n "$url" ] || { echo "the node did not start listening:"; cat "$tmp/node.log"; exit 1; }
# The node made its own development constellation: its CA and an admin certificate (the document needs a viewer).
dev="$tmp/data/dev-constellation"
curl -sSf --cacert "$dev/ca.crt" --cert "$dev/admin.pem" "$url/openapi/v1.json" -o "$tmp/openapi.json"
echo "fetched $url/openapi/v1.json ($(wc -c <"$tmp/openapi.json") bytes)"

(cd "$tmp" && npm install --no-audit --no-fund --silent @redocly/cli@2.77.0 >/dev/null)
"$tmp/node_modules/.bin/redocly" lint --config .ci/redocly.yaml --format=summary "$tmp/openapi.json" 2>&1 | grep -v -E '^\s*(║|╔|╚)' | grep -v '^\s*$'
