#!/usr/bin/env bash
# screenshots.sh — regenerate the README's pictures of the terminal UI from the real
# program on the built-in demo state: docs/screens/{overview,fix,review}.svg.
#
# It runs `clawauth demo` in a private tmux server (100×30), drives the founding fix
# (`n`, Enter, Enter), captures each screen with its colours (`tmux capture-pane -e`)
# and renders the ANSI text to SVG with Rich (PyPI, installed into a cached venv under
# target/). Nothing outside the demo's temporary copy is read or written.
#
# Usage: scripts/screenshots.sh            (builds the release binary if missing)
# Needs: tmux, python3 (venv + pip; network: PyPI only, once).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${CLAWAUTH_BIN:-target/release/clawauth}
OUT=docs/screens
VENV=target/screenshots-venv
RICH_SPEC=${RICH_SPEC:-rich==15.0.0}
SOCK=clawauth-shots-$$
WIDTH=100 HEIGHT=30

[ -x "$BIN" ] || cargo build --release
command -v tmux >/dev/null || { echo "screenshots.sh: tmux is needed (apt-get install tmux)" >&2; exit 2; }
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import rich' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "$RICH_SPEC"
fi
mkdir -p "$OUT"
work=$(mktemp -d)
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

tmux -L "$SOCK" -f /dev/null new-session -d -x "$WIDTH" -y "$HEIGHT" \
  "env TERM=xterm-256color COLORTERM=truecolor $BIN demo"

# Waits until the screen shows every given text (10 s at most).
wait_for() {
  local screen
  for _ in $(seq 100); do
    screen=$(tmux -L "$SOCK" capture-pane -p)
    local all=1
    for want in "$@"; do [[ $screen == *"$want"* ]] || all=0; done
    [ $all = 1 ] && return 0
    sleep 0.1
  done
  echo "screenshots.sh: timed out waiting for: $*" >&2
  tmux -L "$SOCK" capture-pane -p >&2
  exit 1
}
shot() { sleep 0.3; tmux -L "$SOCK" capture-pane -e -p > "$work/$1.ans"; }

wait_for "Providers × agents"
shot overview
tmux -L "$SOCK" send-keys n Enter
wait_for "To which agents?"
shot fix
tmux -L "$SOCK" send-keys Enter
wait_for "1 change planned"
shot review
tmux -L "$SOCK" send-keys Escape Escape q

"$VENV/bin/python" - "$work" "$OUT" "$WIDTH" <<'PY'
import pathlib, sys
from rich.console import Console
from rich.text import Text
work, out, width = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
titles = {
    "overview": "clawauth demo — the overview",
    "fix": "clawauth demo — n, Enter: the founding fix in progress",
    "review": "clawauth demo — the review before anything is written",
}
for name, title in titles.items():
    console = Console(record=True, width=width, force_terminal=True, color_system="truecolor", file=open("/dev/null", "w"))
    console.print(Text.from_ansi((work / f"{name}.ans").read_text()), end="")
    console.save_svg(str(out / f"{name}.svg"), title=title)
    print(f"wrote {out / (name + '.svg')}")
PY
