#!/usr/bin/env bash
# Lighthouse (npm, on Debian's Chromium), mobile profile with its simulated slow 4G and
# 4× slower CPU, on the pages an outreach worker opens first: sign-in, the directory
# search and a referral. Prints one table: performance and accessibility scores, time to
# interactive, first and largest contentful paint, total blocking time, bytes loaded:
# of each page, the run of median performance among RUNS.
# Run on demand; not part of the test command.
#   bench/lighthouse.sh        # RUNS=5
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8093}
RUNS=${RUNS:-5}
source bench/common.sh
[ -x /usr/bin/chromium ] || { apt-get install -y -q chromium >/dev/null || sudo apt-get install -y -q chromium >/dev/null; }
[ -d bench/lighthouse/node_modules ] || (cd bench/lighthouse && npm ci --no-audit --no-fund >/dev/null)
cargo xtask build-web >/dev/null

db="$WORK/lighthouse-demo.db"; rm -f "$db"*
export DATABASE_URL="$db" HARBOUR_WEB_DIR="$PWD/web/dist"
"$harbour" seed --demo >/dev/null
"$harbour" serve >"$WORK/lighthouse-serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
base="http://127.0.0.1:$PORT"
until curl -sf "$base/health/live" >/dev/null; do sleep 0.2; done

# A fresh session per page: the app spends the refresh cookie once when it starts.
session_cookie() {
  curl -s -D - -o /dev/null -X POST "$base/api/v1/auth/sign-in" -H 'content-type: application/json' \
    -d '{"email":"outreach_worker@youth-outreach-halifax.demo","password":"bench-password-123"}' |
    sed -n 's/^set-cookie: \(harbour_refresh=[^;]*\).*/\1/ip'
}
referral=$(curl -s "$base/api/v1/referrals?box=sent&per_page=1" -H "Authorization: Bearer $(token outreach_worker@youth-outreach-halifax.demo)" | sed 's/.*"contents":\[{"id":"\([^"]*\)".*/\1/')

export CHROME_PATH=/usr/bin/chromium
lighthouse() { # name, path, signed in (yes/no)
  local headers="{}"
  local run
  for run in $(seq "$RUNS"); do
    [ "$3" = yes ] && headers="{\"Cookie\":\"$(session_cookie)\"}"
    bench/lighthouse/node_modules/.bin/lighthouse "$base$2" --quiet --output=json --output-path="$WORK/lighthouse-$1-$run.json" \
      --only-categories=performance,accessibility --extra-headers="$headers" \
      --chrome-flags="--headless=new --no-sandbox --disable-dev-shm-usage" >/dev/null 2>&1
  done
  # The run of median performance: one run's score moves several points from the next.
  node -e '
    const [name, ...files] = process.argv.slice(1);
    const runs = files.map((f) => require(f)).sort((x, y) => x.categories.performance.score - y.categories.performance.score);
    const r = runs[(runs.length - 1) >> 1], a = r.audits, s = (k) => (a[k].numericValue / 1000).toFixed(2) + " s";
    const all = runs.map((x) => Math.round(x.categories.performance.score * 100)).join(", ");
    console.log(`| ${name.padEnd(22)} | ${Math.round(r.categories.performance.score * 100)} (${all}) | ${Math.round(r.categories.accessibility.score * 100)} | ${s("interactive")} | ${s("first-contentful-paint")} | ${s("largest-contentful-paint")} | ${Math.round(a["total-blocking-time"].numericValue)} ms | ${Math.round(a["total-byte-weight"].numericValue / 1024)} KB |`);
  ' "$1 ($2)" $(seq -f "$WORK/lighthouse-$1-%g.json" "$RUNS")
}
echo "| page | performance, median of $RUNS (each run) | accessibility | time to interactive | FCP | LCP | TBT | transferred |"
echo "|---|---|---|---|---|---|---|---|"
lighthouse sign-in / no
lighthouse search / yes
lighthouse referral "/referrals/$referral" yes
