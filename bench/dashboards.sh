#!/usr/bin/env bash
# Coordinator dashboards at scale: 100,000 synthetic services and 1,000,000 referral
# histories on PostgreSQL, each dashboard endpoint under 8 concurrent clients; prints
# p50, p95 and p99 latency and requests per second. Target: p95 ≤ 500 ms for each.
# Run on demand; not part of the test command.
#   bench/dashboards.sh        # SERVICES=100000 REFERRALS=1000000 DURATION=15s CONNECTIONS=8
# Needs wrk (Debian package) and psql. The database is kept between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${SERVICES:-100000}
REFERRALS=${REFERRALS:-1000000}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-8}
PORT=${PORT:-8091}
source bench/common.sh
url=$(scale_database "$SERVICES" "$REFERRALS")
export DATABASE_URL="$url"
echo "referrals: $(psql "$url" -tAc 'SELECT count(*) FROM referrals'), services: $(psql "$url" -tAc 'SELECT count(*) FROM services')"

"$harbour" serve >"$WORK/dashboards-serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
until curl -sf "127.0.0.1:$PORT/health/live" >/dev/null; do sleep 0.2; done
token=$(curl -s -X POST "127.0.0.1:$PORT/api/v1/auth/sign-in" -H 'content-type: application/json' \
  -d '{"email":"coordinator@partnership-office.demo","password":"bench-password-123"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
region=$(psql "$url" -tAc "SELECT id FROM regions WHERE slug = 'halifax'")

run() { # name, path → p50 p95 p99 rps
  curl -sf -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT$2" || { echo "$1: request failed"; return; }
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT$2" -s <(cat <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("P95 %.2fms\n", latency:percentile(95) / 1000))
end
LUA
) | awk -v name="$1" '/^ +50%/{p50=$2} /^ +99%/{p99=$2} /^P95/{p95=$2} /^Requests\/sec/{rps=$2} END{printf "%-48s %9s %9s %9s %8s\n", name, p50, p95, p99, rps}'
}
printf "%-48s %9s %9s %9s %8s\n" "endpoint (last 90 days unless said)" p50 p95 p99 req/s
run "ceiling: /health/live" "/health/live"
d=/api/v1/dashboards
run "funnel" "$d/referrals/funnel"
run "funnel, one region" "$d/referrals/funnel?region_id=$region"
run "funnel, whole year" "$d/referrals/funnel?from=$(date -d '-364 days' +%F)"
run "response times by urgency" "$d/referrals/response-times?by=urgency"
run "response times by organization" "$d/referrals/response-times?by=organization"
run "response times by category, whole year" "$d/referrals/response-times?by=category&from=$(date -d '-364 days' +%F)"
run "declines" "$d/referrals/declines"
run "outcomes" "$d/referrals/outcomes"
run "overdue now" "$d/referrals/overdue"
run "trends by week" "$d/referrals/trends"
run "trends by week, whole year" "$d/referrals/trends?from=$(date -d '-364 days' +%F)"
run "consents expiring" "$d/consents/expiring"
run "coverage gap map" "$d/coverage"
run "stale listings" "$d/stale-listings"
echo "server resident memory: $(( $(ps -o rss= -p $server) / 1024 )) MB"
