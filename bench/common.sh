# Sourced by the bench scripts: where their data lives, wrk, the release binary, and the
# PostgreSQL database at scale. Expects PORT to be set by the script.
WORK=${WORK:-$HOME/.cache/harbour/bench}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/harbour/target}"
# As the image runs it (README, Memory).
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-131072}
export HARBOUR_DEMO_PASSWORD=bench-password-123 HARBOUR_LISTEN="127.0.0.1:$PORT" HARBOUR_LOG=warn HARBOUR_RATE_LIMIT_PER_MINUTE=0
# wrk's threads for an endpoint: one. wrk runs on the server's two cores, and where the
# server is the bottleneck a second wrk thread only takes a core from it; its scheduling
# showed in the server's tail (search q=shelter, 100,000 services, 32 connections: p99
# 17 and 82 ms with two threads, 12 and 11 ms with one, at 4,600-5,000 and 4,700-5,200
# req/s). The ceiling is measured with two (THREADS=2): there one thread is the bottleneck
# (/health/live: 58-63k req/s with one, 69-77k with two).
WRK_THREADS=${WRK_THREADS:-1}
command -v wrk >/dev/null || { apt-get install -y -q wrk >/dev/null || sudo apt-get install -y -q wrk >/dev/null; }
cargo build --quiet --release -p harbour-api
harbour="$CARGO_TARGET_DIR/release/harbour"
mkdir -p "$WORK"

# The access token of a demo user (e-mail), from the server listening on PORT.
token() {
  curl -s -X POST "http://127.0.0.1:$PORT/api/v1/auth/sign-in" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$HARBOUR_DEMO_PASSWORD\"}" | sed 's/.*"access_token":"\([^"]*\)".*/\1/'
}

# The URL of a PostgreSQL database with the demo, SERVICES synthetic services and
# REFERRALS synthetic referral histories; made (once, kept between runs) when missing.
scale_database() { # services referrals
  local name="harbour_dash_$1_$2"
  if ! psql "$PG/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql "$PG/postgres" -qc "CREATE DATABASE $name"
    DATABASE_URL="$PG/$name" "$harbour" seed --demo >/dev/null
    DATABASE_URL="$PG/$name" "$harbour" seed --synthetic "$1" >&2
    DATABASE_URL="$PG/$name" "$harbour" seed --synthetic-referrals "$2" >&2
    psql "$PG/$name" -qc "VACUUM ANALYZE"
  fi
  echo "$PG/$name"
}
