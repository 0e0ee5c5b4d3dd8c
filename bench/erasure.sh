#!/usr/bin/env bash
# Erasing a participant with 100 referrals and 50 safety plan revisions (issue 37's
# budget: 200 ms): the time of POST /api/v1/participants/{id}/erasure, on SQLite and on
# PostgreSQL, each a fresh demo database, over ROUNDS participants (median and worst).
# Run on demand; not part of the test command.
#   bench/erasure.sh          # ROUNDS=5 REFERRALS=100 REVISIONS=50
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8094}
ROUNDS=${ROUNDS:-5}
REFERRALS=${REFERRALS:-100}
REVISIONS=${REVISIONS:-50}
source bench/common.sh
base="http://127.0.0.1:$PORT"

measure() { # backend, database url → a table row
  DATABASE_URL="$2" "$harbour" seed --demo >/dev/null
  DATABASE_URL="$2" "$harbour" serve >"$WORK/erasure-serve.log" 2>&1 &
  local server=$!
  until curl -sf "$base/health/live" >/dev/null; do sleep 0.2; done
  local row
  row=$(BASE="$base" ROUNDS="$ROUNDS" REFERRALS="$REFERRALS" REVISIONS="$REVISIONS" PASSWORD="$HARBOUR_DEMO_PASSWORD" python3 - "$1" <<'PY'
import json, os, statistics, sys, time, urllib.request

base, password = os.environ["BASE"], os.environ["PASSWORD"]
def call(method, path, token=None, body=None, headers=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        request.add_header(k, v)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")
def sign_in(email):
    return call("POST", "/api/v1/auth/sign-in", body={"email": email, "password": password})["access_token"]

worker = sign_in("outreach_worker@youth-outreach-halifax.demo")
admin = sign_in("agency_admin@youth-outreach-halifax.demo")
organizations = call("GET", "/api/v1/organizations?per_page=100", worker)["contents"]
receiver = next(o["id"] for o in organizations if o["slug"] == "safe-harbour-house")
page, service = 1, None
while service is None:
    listed = call("GET", f"/api/v1/services?per_page=100&page={page}", worker)
    service = next((s["id"] for s in listed["contents"] if s["organization_id"] == receiver), None)
    page += 1
timings = []
for round in range(int(os.environ["ROUNDS"])):
    participant = call("POST", "/api/v1/participants", worker, {"alias": f"Bench {round}", "identity": {"legal_name": "Bench Person"}, "safety": {"notes": "bench"}})["id"]
    call("POST", "/api/v1/consents", worker, {"participant_id": participant, "method": "verbal", "witness_name": "Bench Witness", "purposes": ["referral"], "data_categories": ["identity", "needs"], "recipient_ids": [receiver], "statement_language": "en"})
    for _ in range(int(os.environ["REFERRALS"])):
        referral = call("POST", "/api/v1/referrals", worker, {"participant_id": participant, "service_id": service, "urgency": "routine", "needs": {"note": "bench"}, "participant_confirmed": True, "send": True})
        call("POST", f"/api/v1/referrals/{referral['id']}/messages", worker, {"body": "bench message"})
    for revision in range(int(os.environ["REVISIONS"])):
        call("PUT", f"/api/v1/participants/{participant}/safety-plan", worker, {"content": {"warning_signs": f"revision {revision}"}}, {"if-match": f'"{revision}"'})
    started = time.perf_counter()
    receipt = call("POST", f"/api/v1/participants/{participant}/erasure", admin, {"method": "in_person", "reason": "participant_request"})
    timings.append((time.perf_counter() - started) * 1000)
    assert receipt["referrals_redacted"] == int(os.environ["REFERRALS"]) and receipt["plan_revisions_destroyed"] == int(os.environ["REVISIONS"]), receipt
print(f"| {sys.argv[1]:<10} | {os.environ['REFERRALS']:>9} | {os.environ['REVISIONS']:>9} | {statistics.median(timings):9.1f} | {max(timings):9.1f} |")
PY
) || { kill "$server"; return 1; }
  kill "$server"; wait "$server" 2>/dev/null || true
  echo "$row"
}

echo "| backend    | referrals | revisions | median ms |  worst ms |"
echo "|------------|-----------|-----------|-----------|-----------|"
sqlite_file="$WORK/erasure-bench.db"
rm -f "$sqlite_file"*
measure sqlite "sqlite://$sqlite_file"
pg_name="harbour_erasure_bench"
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $pg_name" -qc "CREATE DATABASE $pg_name"
measure postgres "$PG/$pg_name"
psql "$PG/postgres" -qc "DROP DATABASE $pg_name"
