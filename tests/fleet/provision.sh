#!/usr/bin/env bash
# provision.sh
#
# Idempotently installs ansible-core from PyPI into a virtual environment at
# <repo>/target/fleet-ansible/venv, using only the machine's `python3 -m venv`
# and pip (network: PyPI only). Used by tests/fleet_ansible.rs.
#
# On success prints exactly one line on stdout:
#   BIN=<abs path of the venv's bin dir (ansible-playbook, ansible-vault, python)>
# Everything else goes to stderr. A marker file makes re-runs instant; it is
# trusted only if it names the same spec and the tools are still there.
#
# Exit codes: 0 ok, 75 ansible-core could not be installed (registry, pip,
# python too old), 2 usage.
#
# Env knobs:
#   FLEET_ANSIBLE_SPEC       pip spec (default ansible-core==2.19.14: the newest
#                            line that still runs on Python 3.11)
#   FLEET_ANSIBLE_QUIET=1    no progress messages on stderr
set -euo pipefail

[ $# -eq 0 ] || { echo "usage: $0   (no arguments)" >&2; exit 2; }

SPEC=${FLEET_ANSIBLE_SPEC:-ansible-core==2.19.14}
say() { [ "${FLEET_ANSIBLE_QUIET:-0}" = 1 ] || echo "provision.sh: $*" >&2; }
die() { echo "provision.sh: $*" >&2; exit 75; }

HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$HERE/../../target/fleet-ansible"
BASE=$(cd "$HERE/../../target/fleet-ansible" && pwd)
VENV=$BASE/venv
MARKER=$VENV/.provisioned
LOG=$BASE/install.log

fast_path() {
  [ -f "$MARKER" ] || return 1
  [ "$(sed -n 's/^SPEC=//p' "$MARKER")" = "$SPEC" ] || return 1
  local t
  for t in python ansible-playbook ansible-vault; do
    [ -x "$VENV/bin/$t" ] || return 1
  done
  echo "BIN=$VENV/bin"
}

fast_path && exit 0

command -v python3 >/dev/null 2>&1 || die "'python3' not found in PATH"
command -v flock >/dev/null 2>&1 || die "'flock' not found in PATH"
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || die "ansible-core 2.19 needs Python >= 3.11 on the controller; python3 is $(python3 --version 2>&1)"

# Serialise concurrent provisioning (cargo may run several test binaries at once).
exec 9>"$BASE/.provision.lock"
flock 9
fast_path && exit 0

say "installing $SPEC into $VENV (one-time, ~10 s)"
START=$(date +%s)
# A venv is not relocatable (scripts carry its absolute path), so it is built in
# place; the marker is written last, so a half-built venv is never trusted.
rm -rf "$VENV"
if ! python3 -m venv "$VENV" >"$LOG" 2>&1; then
  die "python3 -m venv failed (is the venv module installed?), see $LOG"
fi
# Fail fast without a registry instead of pip's default long retries.
if ! "$VENV/bin/python" -m pip install --no-input --disable-pip-version-check \
      --retries 1 --timeout 30 "$SPEC" >>"$LOG" 2>&1; then
  # The last error, plus the network cause when pip had to retry.
  reason=$(grep -E '^ERROR' "$LOG" | tail -1)
  net=$(grep -E '^WARNING: Retrying' "$LOG" | head -1 | grep -oE "[A-Za-z]*Error\([^)]*\)?|Failed to establish[^']*|Temporary failure[^']*" | tail -1 || true)
  [ -z "$net" ] || reason="$reason (network: $net)"
  die "cannot install $SPEC from PyPI: ${reason:-pip install failed} (full log: $LOG)"
fi

# Smoke test: both tools start.
"$VENV/bin/ansible-playbook" --version >>"$LOG" 2>&1 || die "ansible-playbook does not start (see $LOG)"
"$VENV/bin/ansible-vault" --version >>"$LOG" 2>&1 || die "ansible-vault does not start (see $LOG)"

printf 'SPEC=%s\n' "$SPEC" > "$MARKER"
say "done in $(( $(date +%s) - START ))s: $("$VENV/bin/ansible-playbook" --version | head -1)"
echo "BIN=$VENV/bin"
