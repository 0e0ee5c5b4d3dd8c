#!/usr/bin/env bash
# One table of Harbour under load on this machine: for each endpoint, p50 and p99 latency,
# requests per second, and the ratio to the /health/live ceiling of the same run; for
# referral creation, also the ratio to pgbench's tpcb-like transactions per second at the
# same concurrency on the same PostgreSQL database. PostgreSQL with 100,000 services and
# 1,000,000 referral histories (the database of bench/dashboards.sh, made when missing);
# referral creation also on SQLite (the demo). Run on demand; not part of the test command.
#   bench/all.sh          # DURATION=10s CONNECTIONS=32 WRITERS=8 SERVICES=100000 REFERRALS=1000000
# (a smaller SERVICES/REFERRALS seeds in seconds, for trying a change to referral creation)
# Needs wrk and pgbench (Debian packages wrk, postgresql-client).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
WRITERS=${WRITERS:-8}
SERVICES=${SERVICES:-100000}
REFERRALS=${REFERRALS:-1000000}
PORT=${PORT:-8092}
source bench/common.sh
pg_url=$(scale_database "$SERVICES" "$REFERRALS")
# Every run adds referrals (referral creation, below): vacuumed, the next run reads them
# as a database under autovacuum would, all-visible and known to the planner.
psql "$pg_url" -qc "VACUUM ANALYZE referrals, referral_events, audit_events, webhook_deliveries"

base="http://127.0.0.1:$PORT"
ceiling=""
run() { # name, connections, path [, wrk script] → a table row
  local name=$1 connections=$2 path=$3 script=${4:-}
  local out
  out=$(wrk -t"${THREADS:-$WRK_THREADS}" -c"$connections" -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" ${script:+-s "$script"} "$base$path")
  local p50 p99 rps
  p50=$(awk '/^ +50%/{print $2}' <<<"$out"); p99=$(awk '/^ +99%/{print $2}' <<<"$out"); rps=$(awk '/^Requests\/sec/{print $2}' <<<"$out")
  [ -z "$ceiling" ] && ceiling=$rps
  printf "| %-46s | %3s | %9s | %9s | %10s | %8s |\n" "$name" "$connections" "$p50" "$p99" "$rps" "$(echo "scale=4; $rps / $ceiling" | bc)"
  LAST_RPS=$rps
}
serve() { # database url → server pid in SERVER
  DATABASE_URL="$1" "$harbour" serve >"$WORK/all-serve.log" 2>&1 &
  SERVER=$!
  until curl -sf "$base/health/live" >/dev/null; do sleep 0.2; done
}
referral_script() { # service, participants… → a wrk script that POSTs referrals, each for the next participant
  local service=$1; shift
  cat >"$WORK/referral.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local participants = { $(printf '"%s",' "$@") }
local next = math.random(#participants)
request = function()
  next = next % #participants + 1
  local body = '{"participant_id":"' .. participants[next] .. '","service_id":"$service","urgency":"soon","needs":{"note":"a bed"},"participant_confirmed":true,"send":true}'
  return wrk.format(nil, nil, nil, body)
end
LUA
  echo "$WORK/referral.lua"
}
receiving_service() { # database url → "service organization" of a Safe Harbour House service taking referrals
  local sql="SELECT s.id || ' ' || s.organization_id FROM services s JOIN organizations o ON o.id = s.organization_id WHERE o.slug = 'safe-harbour-house' AND s.accepts_referrals LIMIT 1"
  case "$1" in
    postgres*) psql "$1" -tAc "$sql" ;;
    *) python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$1" "$sql" ;;
  esac
}
prepare_referrals() { # worker token, database url → a service id, then WRITERS participant ids, for referrals
  # One young person per writer: several workers referring at once are about different
  # people (and the audit trail chains each participant's events on its own, see audit/).
  local worker=$1 service receiver participant
  read -r service receiver < <(receiving_service "$2")
  echo -n "$service"
  for _ in $(seq "$WRITERS"); do
    participant=$(curl -s -X POST "$base/api/v1/participants" -H "Authorization: Bearer $worker" -H 'content-type: application/json' -d '{"alias":"Bench"}' | sed 's/.*"id":"\([^"]*\)".*/\1/')
    curl -s -o /dev/null -X POST "$base/api/v1/consents" -H "Authorization: Bearer $worker" -H 'content-type: application/json' \
      -d "{\"participant_id\":\"$participant\",\"method\":\"verbal\",\"witness_name\":\"Bench\",\"purposes\":[\"referral\"],\"data_categories\":[\"needs\"],\"recipient_ids\":[\"$receiver\"],\"statement_language\":\"en\"}"
    echo -n " $participant"
  done
  echo
}

echo "PostgreSQL: $(psql "$pg_url" -tAc 'SELECT count(*) FROM services') services, $(psql "$pg_url" -tAc 'SELECT count(*) FROM referrals') referrals; $(nproc) cores"
serve "$pg_url"
trap 'kill $SERVER 2>/dev/null' EXIT
echo "server resident memory after start-up: $(( $(ps -o rss= -p $SERVER) / 1024 )) MB"
printf "| %-46s | %3s | %9s | %9s | %10s | %8s |\n|---|---|---|---|---|---|\n" endpoint c p50 p99 req/s "/ceiling"
TOKEN=$(token outreach_worker@youth-outreach-halifax.demo)
THREADS=2 run "/health/live (ceiling)" "$CONNECTIONS" /health/live
run "search q=shelter ($SERVICES services)" "$CONNECTIONS" "/api/v1/services/search?q=shelter"
run "search q=sheltr&open_now=true" "$CONNECTIONS" "/api/v1/services/search?q=sheltr&open_now=true"
service=$(psql "$pg_url" -tAc "SELECT id FROM services ORDER BY id LIMIT 1")
run "service page" "$CONNECTIONS" "/api/v1/services/$service"
INTAKE=$(token intake_worker@safe-harbour-house.demo)
# Each run's referral creation adds ~10,000 unanswered referrals to this inbox, printed
# with the figure (since migration 18 a page adds up the inbox's tallies, not its history).
inbox_size=$(psql "$pg_url" -tAc "SELECT count(*) || ' received, ' || count(*) FILTER (WHERE r.status IN ('sent', 'received')) || ' awaiting an answer' FROM referrals r JOIN organizations o ON o.id = r.to_organization_id WHERE o.slug = 'safe-harbour-house' AND r.status <> 'draft'")
TOKEN=$INTAKE run "received inbox (Safe Harbour House)" "$CONNECTIONS" "/api/v1/referrals?box=received"
TOKEN=$(token coordinator@partnership-office.demo)
run "dashboard: funnel (90 days)" "$WRITERS" "/api/v1/dashboards/referrals/funnel"
TOKEN=$(token outreach_worker@youth-outreach-halifax.demo)
read -r -a referral_ids < <(prepare_referrals "$TOKEN" "$pg_url")
# Each write run, Harbour's and pgbench's, starts just after a checkpoint: after one, the
# first change to each page writes the whole page to the WAL, so a checkpoint falling
# inside one run and not the other (the seed or the run before leaves many dirty pages)
# would weigh on that one alone.
psql "$pg_url" -qc CHECKPOINT
run "referral creation, PostgreSQL" "$WRITERS" /api/v1/referrals "$(referral_script "${referral_ids[@]}")"
harbour_tps=$LAST_RPS
pgbench -i -q "$pg_url" >/dev/null 2>&1
# One pgbench run here varies up to 1.8× from the next (checkpoints): the median of three.
pg_tps=$(for _ in 1 2 3; do psql "$pg_url" -qc CHECKPOINT; pgbench -n -c "$WRITERS" -j 2 -T "${DURATION%s}" "$pg_url" 2>/dev/null | awk '/^tps/{print $3}'; done | sort -n | sed -n 2p)
printf "| %-46s | %3s | %9s | %9s | %10s | %8s |\n" "pgbench tpcb-like, same database (median of 3)" "$WRITERS" - - "$pg_tps" "-"
echo "referral creation / pgbench tpcb-like: $(echo "scale=3; $harbour_tps / $pg_tps" | bc)"
echo "the received inbox held $inbox_size"
echo "server resident memory after the run: $(( $(ps -o rss= -p $SERVER) / 1024 )) MB"
kill $SERVER; wait $SERVER 2>/dev/null || true

# Referral creation on SQLite (the demo partnership), with its own ceiling.
sqlite="$WORK/all-demo.db"; rm -f "$sqlite"*
DATABASE_URL="$sqlite" "$harbour" seed --demo >/dev/null
serve "$sqlite"
TOKEN=$(token outreach_worker@youth-outreach-halifax.demo)
ceiling=""
printf "| %-46s | %3s | %9s | %9s | %10s | %8s |\n|---|---|---|---|---|---|\n" "SQLite (demo)" c p50 p99 req/s "/ceiling"
THREADS=2 run "/health/live (ceiling)" "$WRITERS" /health/live
read -r -a referral_ids < <(prepare_referrals "$TOKEN" "$sqlite")
run "referral creation, SQLite" "$WRITERS" /api/v1/referrals "$(referral_script "${referral_ids[@]}")"
kill $SERVER; wait $SERVER 2>/dev/null || true

# Erasing a participant with 100 referrals and 50 plan revisions, on both backends.
echo
PORT=$((PORT + 2)) bench/erasure.sh

# A participant's screens with a 50-goal plan and 20 safety plan revisions, on both backends.
echo
PORT=$((PORT + 4)) bench/plan.sh
