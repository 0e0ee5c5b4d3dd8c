#!/usr/bin/env bash
# A participant's page with a long history (issue 31's budget: ≤ 20 ms p99 at 32
# clients): a participant with GOALS goals of an individualized plan (each with STEPS
# steps), three stages of change and REVISIONS safety plan revisions; wrk reads the
# record, the plan and the safety plan as the participant's screens do, each read audited
# as in production. On SQLite and on PostgreSQL, each a fresh demo database.
# Run on demand; not part of the test command.
#   bench/plan.sh          # DURATION=10s CONNECTIONS=32 GOALS=50 STEPS=2 REVISIONS=20
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8096}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
GOALS=${GOALS:-50}
STEPS=${STEPS:-2}
REVISIONS=${REVISIONS:-20}
source bench/common.sh
base="http://127.0.0.1:$PORT"

row() { # backend, name, path → a table row
  local out
  out=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "$base$3")
  grep -q "Non-2xx" <<<"$out" && { echo "$2: answers that are not 2xx" >&2; echo "$out" >&2; return 1; }
  printf "| %-10s | %-34s | %3s | %9s | %9s | %10s |\n" "$1" "$2" "$CONNECTIONS" "$(awk '/^ +50%/{print $2}' <<<"$out")" "$(awk '/^ +99%/{print $2}' <<<"$out")" "$(awk '/^Requests\/sec/{print $2}' <<<"$out")"
}

measure() { # backend, database url → table rows
  DATABASE_URL="$2" "$harbour" seed --demo >/dev/null
  DATABASE_URL="$2" "$harbour" serve >"$WORK/plan-serve.log" 2>&1 &
  local server=$!
  until curl -sf "$base/health/live" >/dev/null; do sleep 0.2; done
  TOKEN=$(token outreach_worker@youth-outreach-halifax.demo)
  local participant
  participant=$(BASE="$base" TOKEN="$TOKEN" GOALS="$GOALS" STEPS="$STEPS" REVISIONS="$REVISIONS" python3 - <<'PY'
import json, os, urllib.request

base, token = os.environ["BASE"], os.environ["TOKEN"]
def call(method, path, body=None, headers=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("content-type", "application/json")
    request.add_header("authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        request.add_header(k, v)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")

participant = call("POST", "/api/v1/participants", {"alias": "Bench", "needs": {"note": "a room"}})["id"]
for revision in range(int(os.environ["REVISIONS"])):
    call("PUT", f"/api/v1/participants/{participant}/safety-plan", {"content": {"warning_signs": f"revision {revision}", "if_found": "call Sam"}}, {"if-match": f'"{revision}"'})
domains = ["housing", "health", "mental_health", "substance_use", "education", "employment", "income", "legal", "family", "cultural_spiritual", "peer_support"]
for g in range(int(os.environ["GOALS"])):
    goal = call("POST", f"/api/v1/participants/{participant}/plan/goals", {"domain": domains[g % len(domains)], "title": f"goal {g} in their own words"})["id"]
    for s in range(int(os.environ["STEPS"])):
        call("POST", f"/api/v1/participants/{participant}/plan/goals/{goal}/steps", {"description": f"step {s} of goal {g}", "owner": {"kind": "participant"}, "due_on": "2027-02-01"})
for stage in ["contemplation", "preparation", "action"]:
    call("POST", f"/api/v1/participants/{participant}/plan/stages", {"stage": stage})
print(participant)
PY
) || { kill "$server"; return 1; }
  row "$1" "participant record" "/api/v1/participants/$participant" || { kill "$server"; return 1; }
  row "$1" "plan ($GOALS goals × $STEPS steps)" "/api/v1/participants/$participant/plan" || { kill "$server"; return 1; }
  row "$1" "safety plan ($REVISIONS revisions)" "/api/v1/participants/$participant/safety-plan" || { kill "$server"; return 1; }
  kill "$server"; wait "$server" 2>/dev/null || true
}

echo "| backend    | read                               |   c |       p50 |       p99 |      req/s |"
echo "|------------|------------------------------------|-----|-----------|-----------|------------|"
sqlite_file="$WORK/plan-bench.db"
rm -f "$sqlite_file"*
measure sqlite "sqlite://$sqlite_file"
pg_name="harbour_plan_bench"
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $pg_name" -qc "CREATE DATABASE $pg_name"
measure postgres "$PG/$pg_name"
psql "$PG/postgres" -qc "DROP DATABASE $pg_name"
