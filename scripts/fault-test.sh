#!/usr/bin/env bash
# Runs the load generator at full size without and with each fault
# (README, "Load and fault tests"). Exits non-zero on the first run with a
# lost, duplicated or reordered reply, or a ticket left open.
set -euo pipefail
cd "$(dirname "$0")/.."
chats="${1:-200}"
go build -o "${TMPDIR:-/tmp}/kuaiji-load" ./cmd/kuaiji-load
for args in "" "-think 0" "-faults telegram,bot" "-faults redis"; do
  echo "== kuaiji-load -chats $chats $args"
  # shellcheck disable=SC2086
  ./scripts/with-redis.sh "${TMPDIR:-/tmp}/kuaiji-load" -chats "$chats" $args
done
