#!/usr/bin/env bash
# Trains a JDK AOT cache (JEP 483/514) for a function image during `docker build` / Kaniko: starts the jar
# with -XX:AOTCacheOutput, waits for its HTTP port, sends the given GET requests so the request path's
# classes are loaded and linked too, stops it with SIGTERM (the JVM writes the cache at exit) and checks the
# cache exists. The cache is only valid for the same JDK, the same jar path and the same GC, so the image's
# ENTRYPOINT must use the same java, jar path and JVM flags as passed here.
#
# usage: aot-train.sh <jar> <cache-out> "<jvm flags>" <path>...
# AOT_TRAIN_PORT: the port the training run listens on (default 18080; the deploy tests pass a free one).
set -euo pipefail

jar=$1 cache=$2 flags=$3
shift 3
port=${AOT_TRAIN_PORT:-18080}
workdir=$(mktemp -d)
log="$workdir/train.log"

# The embedded defaults (local storage, H2, in-process events) need no outside service; the classes of
# Micronaut, Netty, Jackson and GeoCrop that every start loads are the same in both modes.
# shellcheck disable=SC2086
GEOCROP_HOME="$workdir/home" PORT=$port java $flags -XX:AOTCacheOutput="$cache" -jar "$jar" >"$log" 2>&1 &
pid=$!

up=false
for _ in $(seq 1 240); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "aot-train: the application exited during start-up" >&2
    cat "$log" >&2
    exit 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    up=true
    break
  fi
  sleep 0.5
done
if [ "$up" != true ]; then
  echo "aot-train: port $port never opened" >&2
  cat "$log" >&2
  kill -KILL "$pid" 2>/dev/null || true
  exit 1
fi

# Plain HTTP/1.0 over bash's /dev/tcp: the JRE image has no curl.
for path in "$@"; do
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nAccept: */*\r\n\r\n' "$path" >&3
  status=$(head -n 1 <&3 | tr -d '\r')
  exec 3<&- 3>&-
  echo "aot-train: GET $path -> $status"
done

kill -TERM "$pid"
wait "$pid" || true
if [ ! -s "$cache" ]; then
  echo "aot-train: no AOT cache was written" >&2
  cat "$log" >&2
  exit 1
fi
grep -i "AOTCache creation is complete" "$log" || true
rm -rf "$workdir"
