#!/usr/bin/env bash
# Writes Kaniko's registry credentials (a Docker config.json) for the docker:// Kaniko step of build-push.yaml,
# which reads it through DOCKER_CONFIG=<dir>. The credentials come from the environment (REGISTRY_USERNAME,
# REGISTRY_PASSWORD), never from arguments, so they do not show in the process list or the log.
#
# usage: REGISTRY_USERNAME=... REGISTRY_PASSWORD=... kaniko-auth.sh <registry> <dir>
set -euo pipefail

registry=${1:-} dir=${2:-}
[ -n "$registry" ] || { echo "kaniko-auth: set the REGISTRY repository variable" >&2; exit 1; }
[ -n "$dir" ] || { echo "kaniko-auth: no output directory given" >&2; exit 1; }
: "${REGISTRY_USERNAME:?kaniko-auth: REGISTRY_USERNAME is not set}"
: "${REGISTRY_PASSWORD:?kaniko-auth: REGISTRY_PASSWORD is not set}"

mkdir -p "$dir"
umask 077
auth=$(printf '%s:%s' "$REGISTRY_USERNAME" "$REGISTRY_PASSWORD" | base64 | tr -d '\n')
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$registry" "$auth" > "$dir/config.json"
echo "kaniko-auth: credentials for $registry in $dir/config.json"
