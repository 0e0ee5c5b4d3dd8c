#!/usr/bin/env bash
# How long directory writes take, and how soon search shows them, with SERVICES synthetic
# services (default 100,000) on SQLite, release build: a service edit and a place edit
# (each patches a copy of the search index), a one-tap capacity update (changes it in
# place), and how long until a second instance on the same database finds an edit (its
# poll, then a patch from the change log). Each write is timed REPEAT times; median and worst printed.
# Run on demand; not part of the test command.
#   bench/writes.sh            # SERVICES=100000 REPEAT=7
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${SERVICES:-100000}
REPEAT=${REPEAT:-7}
PORT=${PORT:-8093}
source bench/common.sh
base="http://127.0.0.1:$PORT"
other_port=$((PORT + 1))
db="$WORK/writes_$SERVICES.db"
if [ ! -f "$db" ]; then
  DATABASE_URL="sqlite://$db" "$harbour" seed --demo >/dev/null
  DATABASE_URL="sqlite://$db" "$harbour" seed --synthetic "$SERVICES" >&2
fi
export DATABASE_URL="sqlite://$db"
"$harbour" serve >"$WORK/writes-serve.log" 2>&1 &
SERVER=$!
HARBOUR_LISTEN="127.0.0.1:$other_port" "$harbour" serve >"$WORK/writes-other.log" 2>&1 &
OTHER=$!
trap 'kill $SERVER $OTHER 2>/dev/null' EXIT
until curl -sf "$base/health/live" >/dev/null && curl -sf "http://127.0.0.1:$other_port/health/live" >/dev/null; do sleep 0.5; done

ADMIN=$(token agency_admin@safe-harbour-house.demo)
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
org=$(curl -s "$base/api/v1/organizations?search=safe%20harbour%20house" -H "Authorization: Bearer $ADMIN" | json 'd["contents"][0]["id"]')
read -r service place < <(curl -s "$base/api/v1/services?organization_id=$org&per_page=1" -H "Authorization: Bearer $ADMIN" \
  | json '" ".join([d["contents"][0]["id"], d["contents"][0]["service_at_locations"][0]["location_id"]])')

# The ETag of the service, and of its place (the place's version, as the service shows it).
service_etag() { curl -s -D - -o /dev/null "$base/api/v1/services/$service" -H "Authorization: Bearer $ADMIN" | awk 'tolower($1)=="etag:"{print $2}' | tr -d '\r'; }
place_etag() { curl -s "$base/api/v1/services/$service" -H "Authorization: Bearer $ADMIN" | json '"\"%d\"" % d["service_at_locations"][0]["location"]["version"]'; }
# Times one PUT: "status seconds".
timed_put() { # path, body, etag
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X PUT "$base$1" -H "Authorization: Bearer $ADMIN" -H "If-Match: $3" \
    -H 'content-type: application/json' -d "$2"
}
summary() { # name, then "status seconds" lines on stdin → a table row
  sort -k2 -n | awk -v name="$1" '{ if ($1 != 200) bad++; t[NR] = $2 } END {
    printf "| %-44s | %5d | %9.1f ms | %9.1f ms |%s\n", name, NR, t[int((NR + 1) / 2)] * 1000, t[NR] * 1000, bad ? " (" bad " not 200)" : "" }'
}
service_body() { echo "{\"name\":\"Bench edit $1\",\"description\":\"Beds.\",\"location_ids\":[\"$place\"]}"; }
place_body() { echo "{\"name\":\"Bench place\",\"visibility\":\"confidential\",\"address_1\":\"$1 Main St\",\"city\":\"Halifax\",\"latitude\":44.65,\"longitude\":-63.57}"; }

echo "SQLite: $SERVICES synthetic services + the demo; $(nproc) cores; release build"
echo "| write | runs | median | worst |"
echo "|---|---|---|---|"
for i in $(seq "$REPEAT"); do timed_put "/api/v1/services/$service" "$(service_body "$i")" "$(service_etag)"; done | summary "service edit (index patched)"
for i in $(seq "$REPEAT"); do timed_put "/api/v1/locations/$place" "$(place_body "$i")" "$(place_etag)"; done | summary "place edit (its services patched)"
for i in $(seq "$REPEAT"); do timed_put "/api/v1/services/$service/capacity" "{\"status\":\"waitlist\",\"available\":$i}" "$(service_etag)"; done | summary "capacity update (in place)"
found=$(curl -s "$base/api/v1/services/search?q=bench%20edit%20$REPEAT" -H "Authorization: Bearer $ADMIN" | json 'd["total_items"]')
echo "found by search on the same instance right after the last edit: $found"

# The other instance: from an edit's response to its search finding the new name.
timed_put "/api/v1/services/$service" "$(service_body seen-elsewhere)" "$(service_etag)" >/dev/null
started=$(date +%s.%N)
until [ "$(curl -s "http://127.0.0.1:$other_port/api/v1/services/search?q=seen-elsewhere" -H "Authorization: Bearer $ADMIN" | json 'd["total_items"]')" = 1 ]; do sleep 0.05; done
echo "found by search on a second instance after: $(echo "($(date +%s.%N) - $started) * 1000 / 1" | bc) ms (its poll, then a patch of its index)"
echo "server resident memory: $(( $(ps -o rss= -p $SERVER) / 1024 )) MB (this instance), $(( $(ps -o rss= -p $OTHER) / 1024 )) MB (the other)"
