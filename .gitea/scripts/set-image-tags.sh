#!/usr/bin/env bash
# Points a kustomize overlay at freshly pushed images: for every `- name: geocrop/<function>` entry of the
# overlay's `images:` list, rewrites its newName to <registry>/geocrop/<function> and its newTag to <tag>. Entries
# pinned by `digest:` (the MLflow image, set-image-digest.sh) are left alone. Two spellings for the native overlay
# (knative/overlays/homelab-native): a tag that ends in -native keeps that suffix (<tag>-native, the GraalVM image of
# the same commit), and an entry named geocrop/<function>-jvm is the JVM image of <function> (newName
# <registry>/geocrop/<function>), for what must stay on a JVM there (the model-bootstrap Job runs java -cp).
# Plain awk, so the workflow needs no kustomize or yq binary; the deploy tests run it on a copy of the overlay.
#
# usage: set-image-tags.sh <overlay-dir> <registry> <tag>
set -euo pipefail

overlay=$1 registry=${2%/} tag=$3
file="$overlay/kustomization.yaml"
[ -f "$file" ] || { echo "set-image-tags: $file not found" >&2; exit 1; }
[ -n "$registry" ] || { echo "set-image-tags: empty registry" >&2; exit 1; }
# A commit SHA (or another immutable tag): never a moving tag such as latest.
if ! printf '%s' "$tag" | grep -Eq '^[0-9a-f]{40}$'; then
  echo "set-image-tags: '$tag' is not a 40-hex commit SHA" >&2
  exit 1
fi

tmp=$(mktemp)
awk -v registry="$registry" -v tag="$tag" '
  # Inside the images: list, remember which image the current entry names.
  /^images:[[:space:]]*$/ { in_images = 1; print; next }
  in_images && /^[^[:space:]#-]/ { in_images = 0 }
  in_images && match($0, /^[[:space:]]*-[[:space:]]*name:[[:space:]]*geocrop\//) {
    name = $0; sub(/^[[:space:]]*-[[:space:]]*name:[[:space:]]*/, "", name); gsub(/["[:space:]]/, "", name)
    current = name; changed[current] = 0; print; next
  }
  in_images && current != "" && !(current in pinned) && match($0, /^[[:space:]]+newName:/) {
    image = current; sub(/-jvm$/, "", image)
    print substr($0, 1, index($0, "newName:") - 1) "newName: " registry "/" image; changed[current]++; next
  }
  in_images && current != "" && match($0, /^[[:space:]]+digest:/) { pinned[current] = 1; print; next }
  in_images && current != "" && match($0, /^[[:space:]]+newTag:/) {
    suffix = ($0 ~ /-native"?[[:space:]]*$/) ? "-native" : ""
    print substr($0, 1, index($0, "newTag:") - 1) "newTag: \"" tag suffix "\""; changed[current]++; next
  }
  { print }
  END {
    n = 0
    for (c in changed) { if (c in pinned) continue; n++; if (changed[c] != 2) { print "set-image-tags: " c " lacks newName or newTag" > "/dev/stderr"; exit 2 } }
    if (n == 0) { print "set-image-tags: no geocrop/ images in the overlay" > "/dev/stderr"; exit 2 }
  }
' "$file" > "$tmp"
mv "$tmp" "$file"
grep -E 'name: geocrop/|newName:|newTag:' "$file"
