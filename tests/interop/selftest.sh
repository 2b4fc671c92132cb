#!/usr/bin/env bash
# selftest.sh -- end-to-end check of the interop harness against the real
# OpenClaw 2026.4.5 and 2026.9.6 (fixtures (a)-(d) of README.md), offline.
# Provisions both versions if needed (npm, one-time). ~1-2 min when provisioned.
# Prints "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
RUN=$HERE/run.sh
for v in 2026.4.5 2026.9.6; do
  "$RUN" "$v" paths >/dev/null || { echo "selftest: cannot provision openclaw@$v" >&2; exit 75; }
done
NODE=$("$RUN" 2026.9.6 paths | sed -n 's/^NODE=//p')

WORK=$(mktemp -d /tmp/clawauth-interop.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
pass=0
fail=0
sha12() { printf '%s' "$1" | sha256sum | cut -c1-12; }

# check NAME JSONFILE JS-EXPR  (expr sees the parsed output as `d`)
check() {
  local name=$1 file=$2 expr=$3
  if "$NODE" -e '
      const fs = require("fs");
      const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
      const ok = (0, eval)("(d) => (" + process.argv[2] + ")")(d);
      process.exit(ok ? 0 : 1);' "$file" "$expr" 2>/dev/null; then
    pass=$((pass + 1)); echo "ok   $name"
  else
    fail=$((fail + 1)); echo "FAIL $name: $expr"; echo "     got: $(head -c 1500 "$file")"
  fi
}
check_true() { # NAME COMMAND...
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); echo "ok   $name"; else fail=$((fail + 1)); echo "FAIL $name"; fi
}

# env for one fixture dir
fx() { local d=$1; shift; env -u OPENCLAW_CONFIG_PATH -u OPENCLAW_AGENT_DIR -u OPENCLAW_HOME HOME="$d/home" OPENCLAW_STATE_DIR="$d/state" "$@"; }

MYPROXY='"my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] }'
LOCAL='"local-llm": { baseUrl: "http://127.0.0.1:11434/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] }'
CFG45="{ agents: { list: [ { id: \"main\", default: true }, { id: \"cronbot\" } ] },
  models: { providers: { $MYPROXY, $LOCAL } } }"
CFG96="{ agents: { ownership: \"explicit\", defaults: { model: { primary: \"my-proxy/m\" }, systemAgent: { agentId: \"main\" } },
           entries: { main: {}, cronbot: {} } },
  models: { providers: { $MYPROXY, $LOCAL } } }"

# ---- (a) 2026.4.5: token profile in main's store, OPENROUTER_API_KEY in env
A=$WORK/a; mkdir -p "$A/home" "$A/state/agents/main/agent"
printf '%s\n' "$CFG45" > "$A/state/openclaw.json"
cat > "$A/state/agents/main/agent/auth-profiles.json" <<'EOF'
{ "version": 1, "profiles": { "my-proxy:manual": { "type": "token", "provider": "my-proxy", "token": "sk-test-main-token-123456" } } }
EOF
chmod 600 "$A/state/agents/main/agent/auth-profiles.json"
cp -a "$A" "$WORK/a-ro"
T=$(sha12 sk-test-main-token-123456); OR=$(sha12 sk-or-test-1)
echo '{"agents":["main","cronbot"],"providers":["my-proxy","openrouter"]}' |
  fx "$A" OPENROUTER_API_KEY=sk-or-test-1 "$RUN" 2026.4.5 resolve > "$WORK/a.json" 2>"$WORK/a.err"
for ag in main cronbot; do
  check "(a) 4.5 $ag my-proxy via main token profile" "$WORK/a.json" \
    "d.$ag['my-proxy'].usable && d.$ag['my-proxy'].source === 'profile:my-proxy:manual' && d.$ag['my-proxy'].mode === 'token' && d.$ag['my-proxy'].keyHash === '$T'"
  check "(a) 4.5 $ag openrouter via env" "$WORK/a.json" \
    "d.$ag.openrouter.usable && d.$ag.openrouter.source === 'env: OPENROUTER_API_KEY' && d.$ag.openrouter.profileId === null && d.$ag.openrouter.keyHash === '$OR'"
done
check_true "(a) 4.5 copy-on-first-load wrote cronbot/auth-profiles.json" test -f "$A/state/agents/cronbot/agent/auth-profiles.json"
check_true "(a) no secret on stdout" bash -c "! grep -q sk-test-main-token '$WORK/a.json'"
echo '{"agents":["cronbot"],"providers":["my-proxy"],"readOnly":true}' |
  fx "$WORK/a-ro" "$RUN" 2026.4.5 resolve > "$WORK/a-ro.json" 2>/dev/null
check "(a) 4.5 readOnly still resolves" "$WORK/a-ro.json" "d.cronbot['my-proxy'].keyHash === '$T'"
check_true "(a) 4.5 readOnly wrote no cronbot store" test ! -e "$WORK/a-ro/state/agents/cronbot/agent/auth-profiles.json"

# ---- (b) 2026.4.5: auth.profiles says mode token, store has api_key
B=$WORK/b; mkdir -p "$B/home" "$B/state/agents/main/agent"
cat > "$B/state/openclaw.json" <<EOF
{ agents: { list: [ { id: "main", default: true }, { id: "cronbot" } ] },
  models: { providers: { $MYPROXY } },
  auth: { profiles: { "my-proxy:manual": { provider: "my-proxy", mode: "token" } } } }
EOF
cat > "$B/state/agents/main/agent/auth-profiles.json" <<'EOF'
{ "version": 1, "profiles": { "my-proxy:manual": { "type": "api_key", "provider": "my-proxy", "key": "sk-main-apikey-1" } } }
EOF
echo '{"agents":["main","cronbot"],"providers":["my-proxy"]}' |
  fx "$B" "$RUN" 2026.4.5 resolve > "$WORK/b.json" 2>/dev/null
for ag in main cronbot; do
  check "(b) 4.5 $ag mode mismatch -> not usable" "$WORK/b.json" \
    "!d.$ag['my-proxy'].usable && d.$ag['my-proxy'].error.startsWith('No API key found for provider \"my-proxy\"')"
done
fx "$B" "$RUN" 2026.4.5 cli-json models status --json --agent cronbot > "$WORK/b-status.json" 2>/dev/null
check "(b) 4.5 models status nevertheless reports profiles" "$WORK/b-status.json" \
  "d.auth.providers.some(p => p.provider === 'my-proxy' && p.effective.kind === 'profiles')"

# ---- (c) 2026.9.6: state written by the real CLI (paste-api-key for cronbot)
C=$WORK/c; mkdir -p "$C/home" "$C/state"
printf '%s\n' "$CFG96" > "$C/state/openclaw.json"
printf '%s\n' sk-test | fx "$C" "$RUN" 2026.9.6 cli models auth paste-api-key \
  --provider my-proxy --profile-id my-proxy:cron --agent cronbot >/dev/null 2>"$WORK/c-paste.err"
check_true "(c) 9.6 paste-api-key wrote cronbot's sqlite" test -f "$C/state/agents/cronbot/agent/openclaw-agent.sqlite"
echo '{"agents":["main","cronbot"],"providers":["my-proxy"]}' |
  fx "$C" "$RUN" 2026.9.6 resolve > "$WORK/c.json" 2>/dev/null
check "(c) 9.6 cronbot my-proxy via own profile" "$WORK/c.json" \
  "d.cronbot['my-proxy'].usable && d.cronbot['my-proxy'].source === 'profile:my-proxy:cron' && d.cronbot['my-proxy'].mode === 'api-key' && d.cronbot['my-proxy'].keyHash === '$(sha12 sk-test)'"
check "(c) 9.6 main my-proxy missing" "$WORK/c.json" \
  "!d.main['my-proxy'].usable && d.main['my-proxy'].errorCode === 'missing-provider-auth'"
fx "$C" "$RUN" 2026.9.6 cli-json models status --json --agent cronbot > "$WORK/c-status.json" 2>/dev/null
check "(c) 9.6 models status --agent cronbot sees the profile" "$WORK/c-status.json" \
  "d.auth.providers.some(p => p.provider === 'my-proxy' && p.effective.kind === 'profiles')"

# ---- (d) both: keyless localhost provider -> synthetic custom-local key
for v in 2026.4.5 2026.9.6; do
  D=$WORK/d-$v; mkdir -p "$D/home" "$D/state"
  if [ $v = 2026.4.5 ]; then printf '%s\n' "$CFG45"; else printf '%s\n' "$CFG96"; fi > "$D/state/openclaw.json"
  echo '{"agents":["main","cronbot"],"providers":["local-llm"]}' |
    fx "$D" "$RUN" $v resolve > "$WORK/d-$v.json" 2>/dev/null
  for ag in main cronbot; do
    check "(d) $v $ag local-llm synthetic key" "$WORK/d-$v.json" \
      "d.$ag['local-llm'].usable && d.$ag['local-llm'].source === 'models.providers.local-llm (synthetic local key)' && d.$ag['local-llm'].keyHash === '$(sha12 custom-local)'"
  done
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
