#!/usr/bin/env bash
# Property-based API testing with schemathesis against a live `trellis start-all`.
#
# Starts the server on 127.0.0.1 (kernel-chosen port) over a temporary home holding a copy of
# the bundled dags/, points schemathesis at the served /openapi.json and fails when a response
# is a 5xx or does not match the document (status code, content type, schema). Bounded: a few
# examples per operation and an overall time limit.
#
#   scripts/schemathesis.sh                 # uses .build/debug/trellis
#   TRELLIS_BIN=path/to/trellis MAX_EXAMPLES=25 SCHEMATHESIS_SEED=7 scripts/schemathesis.sh
#
# Exit status: 0 when every check passed, 1 on a failure, 2 when the server did not start,
# 3 when schemathesis is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${TRELLIS_BIN:-.build/debug/trellis}"
max_examples="${MAX_EXAMPLES:-20}"
seed="${SCHEMATHESIS_SEED:-20261129}"
time_limit="${SCHEMATHESIS_TIME_LIMIT:-240}"
# One worker: with several, hypothesis describes strategies from several threads at once and
# CPython 3.11's ast.parse fails ("AST constructor recursion depth mismatch", a tool error).
workers="${SCHEMATHESIS_WORKERS:-1}"

if command -v schemathesis >/dev/null 2>&1; then
  st=(schemathesis)
elif python3 -c 'import schemathesis' >/dev/null 2>&1; then
  st=(python3 -m schemathesis.cli)
else
  echo "schemathesis is not installed (python3 -m pip install schemathesis)" >&2
  exit 3
fi
[[ -x "$bin" ]] || { echo "no trellis binary at $bin (run swift build)" >&2; exit 2; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

home="$(mktemp -d "${TMPDIR:-/tmp}/trellis-schemathesis.XXXXXX")"
cp -R dags "$home/dags"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  if [[ "${KEEP_HOME:-0}" == 1 ]]; then echo "home kept: $home"; else rm -rf "$home"; fi
}
trap cleanup EXIT

(cd "$home" && TRELLIS_HOME="$home" exec "$bin" start-all --host 127.0.0.1 --port 0 >"$home/server.log" 2>&1) &
server_pid=$!
port=""
for _ in $(seq 1 600); do
  port="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$home/server.log" | head -n 1)"
  [[ -n "$port" ]] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z "$port" ]]; then
  echo "trellis start-all did not start:" >&2
  cat "$home/server.log" >&2
  exit 2
fi
echo "trellis start-all on 127.0.0.1:$port (home $home); schemathesis $("${st[@]}" --version 2>/dev/null | tail -n 1)"

# An operation the document lists but this build does not route yet (GET /event-logs before the
# event log lands) answers "no route": leave it out, loudly, rather than fail on a known gap.
excluded=()
base="http://127.0.0.1:$port/api/v1"
while read -r method path; do
  reply="$(curl --noproxy '*' -s -X "$method" "$base$path" || true)"
  if [[ "$reply" == *'"no route for '* ]]; then
    echo "!!! $method $path is in the OpenAPI document but not routed by this build: excluded from the run"
    excluded+=(--exclude-path "$path")
  fi
done < <(curl --noproxy '*' -s "$base/openapi.json" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
for path, item in doc["paths"].items():
    if "{" not in path and "get" in item:
        print("GET", path)
')

status=0
# From inside the home, so that schemathesis's cache (.schemathesis/) stays out of the checkout.
(cd "$home" && exec timeout --signal=INT --kill-after=20 "$time_limit" \
  "${st[@]}" run "http://127.0.0.1:$port/api/v1/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing \
    --max-examples "$max_examples" \
    --seed "$seed" \
    --workers "$workers" \
    --request-timeout 30 \
    --suppress-health-check all \
    --no-color \
    --report junit --report-dir "$home/report" \
    ${excluded[@]+"${excluded[@]}"}) \
  || status=$?

if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "the server died during the run:" >&2
  tail -n 50 "$home/server.log" >&2
  status=1
fi
if grep -qiE 'fatal error|stack dump|panic' "$home/server.log"; then
  echo "the server log reports a crash:" >&2
  grep -iE -m 20 'fatal error|stack dump|panic' "$home/server.log" >&2
  status=1
fi
if [[ $status -eq 124 ]]; then echo "schemathesis hit the ${time_limit}s time limit" >&2; fi
echo "schemathesis finished with status $status"
exit $status
