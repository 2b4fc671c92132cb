#!/usr/bin/env bash
# probe.sh VERSION REPLIES_JSON PORT AGENT -- the live check, OpenClaw vs clawauth, offline.
#
# In a new user + network namespace whose only interface is loopback (brought up here),
# starts probe-mock.mjs on 127.0.0.1:PORT, then runs the real OpenClaw VERSION
# `models status --probe --json --agent AGENT` and `clawauth probe --json --agent AGENT`
# ($CLAWAUTH) against the same state (HOME, OPENCLAW_STATE_DIR from the environment).
# Prints OpenClaw's JSON, a line `----clawauth----`, then clawauth's JSON; the mock's
# request log goes to $PROBE_MOCK_LOG. Exit 75 if OpenClaw cannot be provisioned.
set -euo pipefail
[ $# -eq 4 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
VERSION=$1 REPLIES=$2 PORT=$3 AGENT=$4
HERE=$(cd "$(dirname "$0")" && pwd)
paths=$(OPENCLAW_INTEROP_QUIET=1 "$HERE/provision.sh" "$VERSION") || exit 75
NODE=$(printf '%s\n' "$paths" | sed -n 's/^NODE=//p')
OC=$(printf '%s\n' "$paths" | sed -n 's/^OPENCLAW=//p')
: "${CLAWAUTH:?set CLAWAUTH to the clawauth binary}" "${OPENCLAW_STATE_DIR:?}"
export NODE OC HERE REPLIES PORT AGENT
exec unshare -rn -- bash -c '
  set -euo pipefail
  ip link set lo up
  "$NODE" "$HERE/probe-mock.mjs" "$PORT" "$REPLIES" "${PROBE_MOCK_LOG:-/dev/null}" 2>/dev/null &
  mock=$!
  trap "kill $mock 2>/dev/null || true" EXIT
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
  NO_COLOR=1 "$NODE" "$OC" models status --probe --json --agent "$AGENT" 2>/dev/null |
    awk "f || /^[[:space:]]*[{[]/ { f = 1; print }"
  echo "----clawauth----"
  "$CLAWAUTH" probe --json --agent "$AGENT" || true
'
