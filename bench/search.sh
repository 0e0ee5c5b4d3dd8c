#!/usr/bin/env bash
# Directory search under load: 100,000 synthetic services, 32 concurrent clients, on
# SQLite (default) or PostgreSQL (BACKEND=postgres), beside the same words run straight
# in PostgreSQL full-text search. Run on demand; not part of the test command.
#   bench/search.sh            # SERVICES=100000 DURATION=10s CONNECTIONS=32 BACKEND=sqlite
# Needs wrk (Debian package) and, for the PostgreSQL comparison, pgbench and psql.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${SERVICES:-100000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
BACKEND=${BACKEND:-sqlite}
PORT=${PORT:-8090}
source bench/common.sh

if [ "$BACKEND" = postgres ]; then
  url="$PG/harbour_bench_$SERVICES"
  if ! psql "$PG/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = 'harbour_bench_$SERVICES'" | grep -q 1; then
    psql "$PG/postgres" -qc "CREATE DATABASE harbour_bench_$SERVICES"
    fresh=1
  fi
else
  url="$WORK/search-$SERVICES.db"
  [ -f "$url" ] || fresh=1
fi
export DATABASE_URL="$url"
if [ "${fresh:-0}" = 1 ]; then
  "$harbour" seed --demo >/dev/null
  "$harbour" seed --synthetic "$SERVICES"
fi

"$harbour" serve >"$WORK/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
started=$(date +%s.%N)
until curl -sf "127.0.0.1:$PORT/health/live" >/dev/null; do sleep 0.2; done
echo "start-up with index build: $(echo "$(date +%s.%N) - $started" | bc | cut -c1-5) s; resident memory: $(( $(ps -o rss= -p $server) / 1024 )) MB"
token=$(curl -s -X POST "127.0.0.1:$PORT/api/v1/auth/sign-in" -H 'content-type: application/json' \
  -d '{"email":"outreach_worker@youth-outreach-halifax.demo","password":"bench-password-123"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')

run() { # name, url → p50 p99 rps
  wrk -t"${THREADS:-$WRK_THREADS}" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $token" "$2" \
    | awk -v name="$1" '/^ +50%/{p50=$2} /^ +99%/{p99=$2} /^Requests\/sec/{rps=$2} END{printf "%-44s %10s %10s %10s\n", name, p50, p99, rps}'
}
printf "%-44s %10s %10s %10s\n" "query ($SERVICES services, $CONNECTIONS clients)" p50 p99 req/s
THREADS=2 run "ceiling: /health/live" "http://127.0.0.1:$PORT/health/live"
base="http://127.0.0.1:$PORT/api/v1/services/search"
run "q=shelter" "$base?q=shelter"
run "q=sheltr&open_now=true (typo, filter)" "$base?q=sheltr&open_now=true"
run "q=legal clinic near Halifax, 25 km, by distance" "$base?q=legal%20clinic&near=44.65,-63.57&radius_km=25&sort=distance"
run "open_now + no ID (no words)" "$base?open_now=true&attributes=fit:no_id_required"
run "q=youth (matches every service)" "$base?q=youth"

if [ "$BACKEND" = postgres ] && command -v pgbench >/dev/null; then
  cat >"$WORK/fts.sql" <<'SQL'
SELECT s.id, s.name FROM services s JOIN organizations o ON o.id = s.organization_id
WHERE to_tsvector('english', s.name || ' ' || s.description || ' ' || o.name) @@ plainto_tsquery('english', 'shelter')
ORDER BY ts_rank(to_tsvector('english', s.name || ' ' || s.description || ' ' || o.name), plainto_tsquery('english', 'shelter')) DESC, s.name LIMIT 25;
SQL
  pgbench -n -c "$CONNECTIONS" -j 2 -T "${DURATION%s}" -f "$WORK/fts.sql" "$url" 2>/dev/null \
    | awk '/latency average/{lat=$4} /^tps/{tps=$3} END{printf "%-44s %10s %10s %10s\n", "PostgreSQL FTS q=shelter (no index, avg)", lat "ms", "-", tps}'
fi
