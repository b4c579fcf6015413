#!/usr/bin/env bash
# Burst benchmark (issue 17, docs/reliability.md "Bursts"): starts the embedded server (apps/embedded jar, one JVM)
# on loopback over its own PostgreSQL database, then runs bench/burst.java's phases against it, each bounded to
# 60 s: 1,000 submissions in 10 s from 50 clients, 500 identical submissions at once, progress streams (0, 10 and
# 500, with the database's transactions per second measured during each hold), and a burst of map tiles.
#
# Usage: bench/burst.sh            (needs JDK 25, psql and the built jar:
#                                   ./mvnw -o -q -pl apps/embedded -am package -DskipTests)
# Environment:
#   BURST_IMAGERY=unreachable (default) the STAC catalogue is a closed loopback port: every accepted job fails at
#                 planning with its reason within seconds, so the run measures the front door (admission, job store,
#                 streams) without hours of tile extraction on a small machine, and every job's end can be checked.
#   BURST_IMAGERY=simulated   the embedded default (simulated DEA): accepted jobs really run (slowly: each 100 m job is
#                 a 5 km tile); the server is stopped at the end, leaving them to the next start.
#   BURST_PHASES="submit identical streams tiles" (default: all): the phases to run. The tiles phase needs baselines,
#                 which only the simulated imagery generates: BURST_IMAGERY=simulated BURST_PHASES=tiles bench/burst.sh
#   BURST_JAVA_OPTS: extra JVM options of the server, e.g. a flight recording of the run:
#                 BURST_JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/burst.jfr,settings=profile
#   BURST_END_WAIT: seconds to wait at the end for every accepted job to end (default 300).
#   BURST_PG_URL (jdbc:postgresql://127.0.0.1:5432), BURST_PG_USER (postgres), BURST_DB (geocrop_burst: dropped and
#   created again).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
PG_URL="${BURST_PG_URL:-jdbc:postgresql://127.0.0.1:5432}"
PG_USER="${BURST_PG_USER:-postgres}"
DB="${BURST_DB:-geocrop_burst}"
IMAGERY="${BURST_IMAGERY:-unreachable}"
PHASES=" ${BURST_PHASES:-submit identical streams tiles} "
PORT="${BURST_PORT:-$((20000 + RANDOM % 20000))}"
URL="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
SERVER_PID=""
HEALTH_PID=""
psql_() { psql -h 127.0.0.1 -U "$PG_USER" -X -q -t -A "$@"; }
stop() {
  if [ -n "$HEALTH_PID" ]; then kill "$HEALTH_PID" 2>/dev/null || true; fi
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
}
trap 'stop; cp "$WORK/server.log" /tmp/burst-server.log 2>/dev/null || true; rm -rf "$WORK"' EXIT

JAR="$(compgen -G "$ROOT/apps/embedded/target/geocrop-embedded-*-all.jar" | head -n 1 || true)"
[ -n "$JAR" ] || { echo "build the jar first: ./mvnw -o -q -pl apps/embedded -am package -DskipTests" >&2; exit 1; }

psql_ -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
psql_ -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS postgis" -c "CREATE SCHEMA geocrop"
job_store() { psql_ -d "$DB" -c "SELECT sum(n) || ' jobs: ' || string_agg(state || ' ' || n, ', ') FROM (SELECT state, count(*) n FROM geocrop.jobs GROUP BY state) s"; }
transactions() { psql_ -d postgres -c "SELECT pg_stat_clear_snapshot(); SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$DB'" | tail -n 1; }

ENV=(GEOCROP_HOME="$WORK/home" PORT="$PORT" GEOCROP_EMBEDDED_S3_PORT="$((PORT + 1))"
     GEOCROP_DB_URL="$PG_URL/$DB?currentSchema=geocrop,public" GEOCROP_DB_USER="$PG_USER"
     GEOCROP_INGRESS_TRUSTED_PROXY_HOPS=1
     # No in-process reconciler: the QUEUED jobs the stream phase follows must stay QUEUED while it measures.
     GEOCROP_RECONCILER_INTERVAL=0s)
if [ "$IMAGERY" = unreachable ]; then
  ENV+=(GEOCROP_IMAGERY_SOURCE=stac GEOCROP_IMAGERY_STAC_ENDPOINT=http://127.0.0.1:9/stac/)
fi
echo "server: $URL, imagery $IMAGERY, database $DB; log copied to /tmp/burst-server.log at the end"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086 # the options are words on purpose
env "${ENV[@]}" "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx2g ${BURST_JAVA_OPTS:-} -jar "$JAR" serve > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
  curl -sf "$URL/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died:" >&2; tail -50 "$WORK/server.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$URL/health" >/dev/null || { echo "server did not start" >&2; tail -50 "$WORK/server.log" >&2; exit 1; }

# The health probe twice a second throughout: every answer that is not 200 within 2 s is counted.
( ok=0; bad=0; while true; do
    if curl -sf -m 2 -o /dev/null "$URL/health"; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
    echo "$ok $bad" > "$WORK/health"; sleep 0.5
  done ) &
HEALTH_PID=$!

B=("$JAVA" "$ROOT/bench/burst.java")
: > "$WORK/accepted.txt"
if [[ "$PHASES" == *" submit "* ]]; then
echo; echo "## 1,000 submissions in 10 s from 50 clients"
"${B[@]}" submit --url "$URL" --count 1000 --clients 50 --seconds 10 --radius 100 --ids-out "$WORK/accepted.txt"
"${B[@]}" check --url "$URL" --ids-in "$WORK/accepted.txt"
echo "job store: $(job_store)"
fi

if [[ "$PHASES" == *" identical "* ]]; then
echo; echo "## 500 identical submissions at once"
"${B[@]}" identical --url "$URL" --count 500
echo "job store rows for that request: $(psql_ -d "$DB" -c "SELECT count(*) FROM geocrop.jobs WHERE lon = 31.0611 AND lat = -17.8222")"
fi

if [[ "$PHASES" == *" streams "* ]]; then
echo; echo "## progress streams: database transactions per second during a 10 s window of each hold"
# The streams follow 100 live (QUEUED) jobs written straight into the job store: the jobs the bursts submitted have
# all ended by now, and a stream of an ended job ends at once.
psql_ -d "$DB" -c "INSERT INTO geocrop.jobs (id, lon, lat, radius_m, season_year, model_ref, state, created_at, updated_at, enqueued_at)
  SELECT gen_random_uuid(), 31.0 + g * 0.001, -17.9, 100, 2024, 'bench@followed', 'QUEUED', now(), now(), now()
  FROM generate_series(1, 100) g RETURNING id" | grep -E '^[0-9a-f-]{36}$' > "$WORK/followed.txt"
head -n 10 "$WORK/followed.txt" > "$WORK/ten.txt"
stream_run() { # $1 streams, $2 ids file (or empty)
  local args=(streams --url "$URL" --count "$1" --hold 20 --connect-seconds 4)
  [ -n "$2" ] && args+=(--ids-in "$2")
  "${B[@]}" "${args[@]}" > "$WORK/streams.out" 2>&1 &
  local pid=$!
  # The window starts 5 s after every stream has its first event (each connect's job look-up is one transaction, and
  # a starved server takes a while to answer 500 connects) and ends before the streams close.
  for _ in $(seq 1 80); do grep -q HOLD-START "$WORK/streams.out" 2>/dev/null && break; sleep 0.5; done
  sleep 5
  local t0; t0=$(transactions)
  sleep 10
  local t1; t1=$(transactions)
  wait "$pid" || true
  cat "$WORK/streams.out"
  echo "=> $1 streams: $(( (t1 - t0) / 10 )) database transactions/s ($((t1 - t0)) in 10 s)"
}
t0=$(transactions); sleep 10; t1=$(transactions)
echo "=> no streams: $(( (t1 - t0) / 10 )) database transactions/s ($((t1 - t0)) in 10 s)"
stream_run 10 "$WORK/ten.txt"
stream_run 500 "$WORK/ten.txt"
stream_run 500 "$WORK/followed.txt"
echo "followed jobs still live: $(psql_ -d "$DB" -c "SELECT count(*) FROM geocrop.jobs WHERE model_ref = 'bench@followed' AND state = 'QUEUED'") of 100"
fi

if [[ "$PHASES" == *" tiles "* ]]; then
echo; echo "## map tiles: 1,000 in 10 s from 50 clients"
"${B[@]}" tiles --url "$URL" --count 1000 --clients 50 --seconds 10 --layer dw-2024 --z 13
fi

echo; echo "## at the end"
# Every accepted job must end (completed, or failed with its reason): wait for them, bounded. With the unreachable
# catalogue a job fails after the planner's retried search, a few seconds on one of the event threads.
"${B[@]}" check --url "$URL" --ids-in "$WORK/accepted.txt" --wait-seconds "${BURST_END_WAIT:-300}"
echo "job store: $(job_store)"
read -r ok bad < "$WORK/health"
echo "health probes during the run: $ok answered 200, $bad failed or slower than 2 s"
