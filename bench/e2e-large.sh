#!/usr/bin/env bash
# The 10 km job through the four functions as separate processes at the homelab's concurrency (issue 17;
# e2e LargeAoiE2eTest, docs/reliability.md "The largest area, four processes"). Too slow for CI (21 tiles, one at a
# time), so it is a script: it builds the function jars and runs that one e2e test with GEOCROP_E2E_LARGE=true
# (no other test runs: the -Dtest pattern matches nothing upstream).
# Needs PostgreSQL + PostGIS on 127.0.0.1:5432 (GEOCROP_TEST_PG_URL) and redis-server on the PATH, as the e2e does.
# GEOCROP_E2E_LARGE_MINUTES bounds the wait for the job (default 180). Process logs: e2e/target/e2e-logs/<timestamp>/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${GEOCROP_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
GEOCROP_E2E_LARGE=true ./mvnw -B -o -pl e2e -am verify -Dtest=LargeAoiE2eTest -Dsurefire.failIfNoSpecifiedTests=false
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
