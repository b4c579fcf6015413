#!/usr/bin/env bash
# Commits the deployment files build-push.yaml rewrote and pushes them to main, rebasing onto whatever landed
# meanwhile (three attempts). Nothing to commit is success: the files already point at this build.
#
# usage: commit-deploy.sh <message> <file>...
set -euo pipefail

message=$1
shift
git config user.name "geocrop-ci"
git config user.email "geocrop-ci@users.noreply.localhost"
git add -- "$@"
if git diff --cached --quiet; then
  echo "commit-deploy: nothing changed"
  exit 0
fi
git commit -q -m "$message"
for attempt in 1 2 3; do
  if git pull -q --rebase origin main && git push -q origin HEAD:main; then
    echo "commit-deploy: pushed $(git rev-parse --short HEAD) (attempt $attempt)"
    exit 0
  fi
  sleep 5
done
echo "commit-deploy: could not push after 3 attempts" >&2
exit 1
