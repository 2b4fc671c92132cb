#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/seeds/<target>/ (committed; regenerate with
`python3 fuzz/make_seeds.py`). Seeds are small, realistic OpenClaw files plus the
shapes the hostile-input tests use, so the fuzzer starts from every parser branch."""
import json, os, pathlib

ROOT = pathlib.Path(__file__).resolve().parent
DEMO = ROOT.parent / "assets" / "demo"
SEP = b"\n@@\n"


def write(target, name, data):
    d = ROOT / "seeds" / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (d / name).write_bytes(data)


def store(profiles, **extra):
    return json.dumps({"version": 1, "profiles": profiles, **extra}, indent=2)


STORES = {
    "demo_main": (DEMO / "agents/main/agent/auth-profiles.json").read_text(),
    "demo_assistant": (DEMO / "agents/assistant/agent/auth-profiles.json").read_text(),
    "demo_reporter": (DEMO / "agents/reporter/agent/auth-profiles.json").read_text(),
    "all_types": store({
        "p:key": {"type": "api_key", "provider": "p", "key": "sk-1"},
        "p:ref": {"type": "api_key", "provider": "P", "keyRef": {"source": "env", "provider": "default", "id": "P_KEY"}},
        "p:tok": {"type": "token", "provider": "p", "token": "t", "expires": 4102444800000},
        "p:tokref": {"type": "token", "provider": "p", "tokenRef": {"source": "file", "provider": "vault", "id": "/p/t"}},
        "o:me": {"type": "oauth", "provider": "o", "access": "a", "refresh": "r", "expires": 1767225600000, "email": "me@example.com"},
    }, order={"p": ["p:tok", "p:key", "p:gone"]}, lastGood={"p": "p:key"},
       usageStats={"p:key": {"lastUsed": 1767139200000, "errorCount": 2, "cooldownUntil": 4102444800000}}),
    "aliases_and_drops": store({
        "a:1": {"type": "api-key", "provider": "a", "key": "k"},
        "a:2": {"mode": "api_key", "provider": "a", "apiKey": "k"},
        "a:3": {"type": "apiKey", "provider": "a", "key": "${A_KEY}"},
        "b:1": {"type": "bearer", "provider": "b", "token": "t"},
        "c:1": {"type": "token", "provider": "c", "token": "t", "expires": 1767225600},
        "c:2": {"type": "token", "provider": "c", "token": "t", "expires": "2026-12-31"},
        "c:3": {"type": "token", "provider": "c", "token": "t", "expires": 0},
        "d:1": {"type": "oauth", "provider": "d", "token": "sk-ant-oat01-x"},
        "e:1": {"type": "api_key", "key": "k"},
        "f:1": {"type": "api_key", "provider": "f", "key": "export F_KEY=sk-1"},
        "g:1": {"type": "api_key", "provider": "z.ai", "key": "  "},
        "h:1": "oops",
        "i:1": {"type": "oauth", "provider": "i", "access": "a", "keyRef": {"source": "env", "provider": "default", "id": "I"}},
        "j:1": {"type": "api_key", "provider": "bedrock", "key": "k", "copyToAgents": False},
    }, order={"A": ["a:1", " a:2 ", "", 3], "b": []}),
    "flat_legacy": json.dumps({"anthropic": {"apiKey": "sk-ant-x", "baseUrl": "https://x"}, "openai": {"type": "api_key", "key": "sk-o"}}),
    "oauth_file": json.dumps({"anthropic": {"access": "a", "refresh": "r", "expires": 1767225600000}}),
    "config_piece": json.dumps({"auth": {"profiles": {"x:1": {"provider": "x", "mode": "token"}}}}),
    "numbers": '{"version":1,"profiles":{"p:1":{"type":"token","provider":"p","token":"t","expires":-1},"p:2":{"type":"token","provider":"p","token":"t","expires":123456789012345678901234567890},"p:3":{"type":"token","provider":"p","token":"t","expires":1.5e12}}}',
    "duplicates": '{"version":1,"profiles":{"p:1":{"type":"api_key","provider":"p","key":"a"},"p:1":{"type":"api_key","provider":"p","key":"b"}}}',
    "unicode": store({"ü:1": {"type": "api_key", "provider": "Ünï\u0000", "key": "k\u2028"}}),
    "not_a_store": "[1,2,3]",
    "empty_store": '{"version":1,"profiles":{}}',
}

for name, text in STORES.items():
    write("store", name + ".json", text)

CONFIGS = {
    "demo": (DEMO / "openclaw.json").read_text(),
    "two_agents": """{
  agents: { list: [ { id: "main", default: true }, { id: "cronbot", model: "my-proxy/m" } ] },
  models: { providers: { "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", api: "openai-completions", models: [ { id: "m", name: "m" } ] } } },
}""",
    "entries": """{ agents: { ownership: "explicit", entries: { main: { default: true, agentDir: "~/agents/main" }, cronbot: { model: { primary: "my-proxy/m", fallbacks: ["openrouter/auto"] } } },
  defaults: { model: "anthropic/claude", authInheritance: { agentId: "main" } } },
  models: { providers: { "my-proxy": { baseUrl: "https://my-proxy.invalid/v1", apiKey: "${MY_PROXY_KEY}" } } } }""",
    "auth_block": """// comment
{
  auth: {
    profiles: { "p:manual": { provider: "p", mode: "token" }, "q:1": { provider: "q", mode: "api_key", key: "oops" } },
    order: { p: ["p:manual", 'p:default'] }, /* block comment */
  },
  env: { vars: { P_KEY: "sk-env" }, Q_KEY: 'sk-q', shellEnv: { enabled: true } },
  meta: { lastTouchedVersion: "2026.9.6" },
  $include: ["./models.json5"],
}""",
    "json5_features": """{unquoted: 'single', "escaped \\" quote": "a\\nb", hex: 0xFF, inf: Infinity, nan: NaN, neg: -.5, plus: +1, trailing: [1,2,],
  multi: 'line \\
continued', nested: {a: {b: {c: [{d: null}]}}}, bool: true,}""",
    "empty_object": "{}",
    "escaped_dollar": """{ models: { providers: { x: { apiKey: "$${NOT_SUBSTITUTED}", baseUrl: "http://127.0.0.1:1/v1" } } } }""",
    "deep_ok": "{a:" * 100 + "1" + "}" * 100,
    "bom": "\ufeff{ agents: { list: [] } }",
    "broken": "{ agents: { list: [ { id: \"main\" ",
}

for name, text in CONFIGS.items():
    write("config", name + ".json5", text)

JOBS = (DEMO / "cron/jobs.json").read_text()
MODELS = json.dumps({"providers": {"only-json": {"baseUrl": "https://b.invalid", "apiKey": "sk-literal"}, "my-proxy": {"apiKey": "OPENAI_API_KEY"}}})


def state(selector, parts):
    return bytes([selector]) + SEP.join(p.encode() if isinstance(p, str) else p for p in parts)


write("status", "demo_json", state(1, [CONFIGS["demo"], STORES["demo_main"], STORES["demo_assistant"], "", JOBS, MODELS, "", "X=1"]))
write("status", "demo_unknown_version", state(0, [CONFIGS["demo"], STORES["demo_main"], STORES["demo_reporter"], STORES["flat_legacy"], JOBS]))
write("status", "sqlite_generation", state(2, [CONFIGS["entries"], STORES["all_types"], STORES["aliases_and_drops"], "", JOBS]))
write("status", "two_agents_cron", state(1, [CONFIGS["two_agents"], STORES["all_types"], STORES["empty_store"], "", '{"version":1,"jobs":[{"id":"daily","agentId":"cronbot","sessionTarget":"isolated","payload":{"kind":"agentTurn","model":"my-proxy/m"}},{"sessionKey":"agent:ghost:cron:x"}]}']))
write("status", "auth_block", state(0, [CONFIGS["auth_block"], STORES["aliases_and_drops"], STORES["duplicates"], STORES["oauth_file"], "", "", STORES["oauth_file"], "export P_KEY='sk-dotenv'\n# c\nQ=\"v\""]))
write("status", "broken_everything", state(4, ["{ agents: ", '{"version":1,"profiles":', "[]", "null", "{", "\u0000", "x", "="]))
