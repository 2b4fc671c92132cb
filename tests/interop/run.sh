#!/usr/bin/env bash
# run.sh VERSION MODE [ARGS...]  -- run the real OpenClaw VERSION offline.
#
#   run.sh 2026.4.5 resolve < input.json      in-process runtime key resolver (resolve.mjs)
#   run.sh 2026.9.6 cli models status --json --agent X     the real CLI (openclaw.mjs)
#   run.sh 2026.9.6 cli-json models status --json --agent X
#                                              same, but stdout is cut to start at the
#                                              first line beginning with '{' or '['
#   run.sh 2026.9.6 node script.mjs ...        the provisioned node (for ad-hoc scripts)
#   run.sh 2026.9.6 paths                      print NODE=... / OPENCLAW=... (no run)
#
# Provisions VERSION first (quietly; one-time ~1 min, see provision.sh), then runs
# the command under `unshare -rn` (new user+network namespace: no network at all,
# not even loopback). The environment (HOME, OPENCLAW_STATE_DIR,
# OPENCLAW_CONFIG_PATH, OPENCLAW_AGENT_DIR, provider env vars, ...) is inherited.
#
# Exit codes: the command's own; 75 if provisioning failed (npm unreachable:
# tests may treat that as "skip"); 2 for usage errors / unsafe environment.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}
[ $# -ge 2 ] || usage
VERSION=$1
MODE=$2
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)

set +e
paths=$(OPENCLAW_INTEROP_QUIET=1 "$HERE/provision.sh" "$VERSION")
prc=$?
set -e
if [ $prc -ne 0 ]; then
  [ $prc -eq 2 ] && exit 2   # unsupported version / usage
  echo "run.sh: provisioning openclaw@$VERSION failed (see above)" >&2
  exit 75
fi
NODE=$(printf '%s\n' "$paths" | sed -n 's/^NODE=//p')
OC=$(printf '%s\n' "$paths" | sed -n 's/^OPENCLAW=//p')

if [ "$MODE" = paths ]; then
  printf '%s\n' "$paths"
  exit 0
fi

# Refuse to touch the real ~/.openclaw by accident.
real_home=$(getent passwd "$(id -u)" | cut -d: -f6 || true)
if [ -z "${OPENCLAW_STATE_DIR:-}" ] && [ -z "${OPENCLAW_HOME:-}" ] &&
   [ "${HOME:-}" = "$real_home" ] && [ "${OPENCLAW_INTEROP_ALLOW_REAL_HOME:-0}" != 1 ]; then
  echo "run.sh: refusing to run with the real HOME ($real_home) and no OPENCLAW_STATE_DIR;" \
       "set a throwaway HOME/OPENCLAW_STATE_DIR (or OPENCLAW_INTEROP_ALLOW_REAL_HOME=1)" >&2
  exit 2
fi

offline() {
  if [ "${OPENCLAW_INTEROP_NO_UNSHARE:-0}" = 1 ]; then
    "$@"
  else
    unshare -rn -- "$@"
  fi
}

case "$MODE" in
  resolve)
    OPENCLAW_DIST=$(dirname "$OC")/dist
    export OPENCLAW_DIST
    exec_cmd=("$NODE" "$HERE/resolve.mjs" "$@")
    ;;
  cli|cli-json)
    exec_cmd=("$NODE" "$OC" "$@")
    ;;
  node)
    exec_cmd=("$NODE" "$@")
    ;;
  *) usage ;;
esac

if [ "$MODE" = cli-json ]; then
  # 2026.4.5 can print log lines on stdout before the JSON document.
  set +e
  offline "${exec_cmd[@]}" | awk 'f || /^[[:space:]]*[{[]/ { f = 1; print }'
  rc=${PIPESTATUS[0]}
  exit "$rc"
fi
offline "${exec_cmd[@]}"
