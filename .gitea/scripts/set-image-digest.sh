#!/usr/bin/env bash
# Pins one image of a kustomization by digest: in <dir>/kustomization.yaml, the `images:` entry
# `- name: <image>` gets `newName: <new-name>` and `digest: <sha256:...>`. Used by build-push.yaml for the MLflow
# image (infra/k8s), whose Deployment names it `geocrop/mlflow`. Plain awk, like set-image-tags.sh; the deploy
# tests run it on a copy.
#
# usage: set-image-digest.sh <dir> <image> <new-name> <digest>
set -euo pipefail

dir=$1 image=$2 newname=${3%/} digest=$4
file="$dir/kustomization.yaml"
[ -f "$file" ] || { echo "set-image-digest: $file not found" >&2; exit 1; }
if ! printf '%s' "$digest" | grep -Eq '^sha256:[0-9a-f]{64}$'; then
  echo "set-image-digest: '$digest' is not a sha256 digest" >&2
  exit 1
fi

tmp=$(mktemp)
awk -v image="$image" -v newname="$newname" -v digest="$digest" '
  /^images:[[:space:]]*$/ { in_images = 1; print; next }
  in_images && /^[^[:space:]#-]/ { in_images = 0 }
  in_images && match($0, /^[[:space:]]*-[[:space:]]*name:[[:space:]]*/) {
    name = $0; sub(/^[[:space:]]*-[[:space:]]*name:[[:space:]]*/, "", name); gsub(/["[:space:]]/, "", name)
    current = (name == image); print; next
  }
  in_images && current && match($0, /^[[:space:]]+newName:/) {
    print substr($0, 1, index($0, "newName:") - 1) "newName: " newname; found_name = 1; next
  }
  in_images && current && match($0, /^[[:space:]]+digest:/) {
    print substr($0, 1, index($0, "digest:") - 1) "digest: " digest; found_digest = 1; next
  }
  { print }
  END {
    if (!found_name || !found_digest) {
      print "set-image-digest: no images entry for " image " with newName and digest" > "/dev/stderr"; exit 2
    }
  }
' "$file" > "$tmp"
mv "$tmp" "$file"
grep -E "name: $image|newName: $newname|digest:" "$file"
