// resolve.mjs: ask the REAL OpenClaw runtime key resolver, in-process, which
// credential it would use for each (agent, provider).
//
// Run with the provisioned Node 24 (see provision.sh / run.sh):
//   OPENCLAW_DIST=<pkg>/dist  node resolve.mjs  < input.json
// (or OPENCLAW_PKG=<pkg>, or OPENCLAW=<pkg>/openclaw.mjs; run.sh sets OPENCLAW_DIST).
// OPENCLAW_STATE_DIR / HOME / OPENCLAW_CONFIG_PATH / OPENCLAW_AGENT_DIR / provider
// env vars are taken from the environment exactly as the CLI would.
//
// stdin:  {"agents":["main","cronbot"],"providers":["my-proxy","openrouter"],
//          "readOnly": false,   // optional: avoid auth-store writes (4.5 copy-on-first-load)
//          "secrets": "none",   // optional: "gateway" = activate the gateway's secrets runtime
//                               // snapshot first (resolves SecretRefs like a running gateway)
//          "params": {},        // optional: extra resolver params, e.g. {"profileId":"p:id"}
//                               // or (9.6) {"modelApi":"openai-completions","modelId":"m"}
//          "models": {},        // optional: {"<agent>":{"<provider>":"<model id>"}}, the run's
//                               // model passed to isProfileInCooldown (model-scoped cooldowns)
//          "meta": false}       // optional: add a "_meta" key (version, functions, writes)
// stdout: exactly one JSON object
//   {"<agent>": {"<provider>": {"usable": bool, "source": str|null, "profileId": str|null,
//                               "mode": str|null, "error": str|null, "errorCode": str|null,
//                               "keyPresent": bool, "keyHash": str|null}}}
//   keyHash = first 12 hex chars of sha256(apiKey); the key itself is never printed.
// All OpenClaw log output is diverted to stderr. Exit 0 whenever the JSON was
// produced (per-cell failures are in "error"); non-zero on harness failure.
//
// The resolver is located at run time: we scan dist/*.js|*.mjs for the chunk
// whose `//#region src/...` section defines the function, and map it through
// the chunk's minified `export { fn as x }` list. Nothing is copied from OpenClaw.

import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { pathToFileURL } from "node:url";
import net from "node:net";
import dns from "node:dns";

// ---- defence in depth: no network from this process -------------------------
// run.sh already runs us under `unshare -rn`; this also holds when it does not
// (RESOLVE_ALLOW_NETWORK=1 turns the guard off).
if (process.env.RESOLVE_ALLOW_NETWORK !== "1") {
  const netErr = (what) =>
    Object.assign(new Error(`resolve.mjs: network disabled (${what})`), { code: "ENETUNREACH" });
  globalThis.fetch = async (url) => {
    throw new TypeError("fetch failed", { cause: netErr(`fetch ${String(url?.url ?? url)}`) });
  };
  net.Socket.prototype.connect = function connect() {
    process.nextTick(() => this.destroy(netErr("connect")));
    return this;
  };
  const failLookup = (host, opts, cb) => {
    const callback = typeof opts === "function" ? opts : cb;
    const err = Object.assign(new Error(`getaddrinfo EAI_AGAIN ${host}`), { code: "EAI_AGAIN", hostname: host });
    process.nextTick(() => callback(err));
  };
  dns.lookup = failLookup;
  dns.promises.lookup = async (host) => {
    throw Object.assign(new Error(`getaddrinfo EAI_AGAIN ${host}`), { code: "EAI_AGAIN", hostname: host });
  };
}

// ---- keep stdout clean: everything written to stdout goes to stderr --------
const realStdoutWrite = process.stdout.write.bind(process.stdout);
const toStderr = (chunk, encoding, cb) => process.stderr.write(chunk, encoding, cb);
process.stdout.write = toStderr;
for (const m of ["log", "info", "debug", "trace", "dir", "table"]) {
  console[m] = (...args) => console.error(...args);
}

const T0 = Date.now();
const debug = (msg) => {
  if (process.env.RESOLVE_DEBUG === "1") process.stderr.write(`resolve.mjs: +${Date.now() - T0}ms ${msg}\n`);
};

function die(msg) {
  process.stderr.write(`resolve.mjs: ${msg}\n`);
  process.exit(2);
}

function resolveDistDir() {
  if (process.env.OPENCLAW_DIST) return path.resolve(process.env.OPENCLAW_DIST);
  if (process.env.OPENCLAW_PKG) return path.resolve(process.env.OPENCLAW_PKG, "dist");
  if (process.env.OPENCLAW) return path.resolve(path.dirname(process.env.OPENCLAW), "dist");
  die("set OPENCLAW_DIST=<openclaw package>/dist (or OPENCLAW_PKG=<package dir>)");
}

// ---- locating functions inside the hashed bundle chunks ---------------------
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function parseExports(text) {
  // map local name -> exported name, from every `export { a as b, c };` clause
  const out = new Map();
  for (const m of text.matchAll(/(?:^|\n)export\s*\{([^}]*)\}\s*;?/g)) {
    for (const part of m[1].split(",")) {
      const p = part.trim();
      if (!p) continue;
      const mm = p.match(/^([\w$]+)(?:\s+as\s+([\w$]+))?$/);
      if (mm) out.set(mm[1], mm[2] ?? mm[1]);
    }
  }
  return out;
}

// One pass over dist/: keep the text of every chunk that mentions a wanted name.
const WANTED = [
  "resolveApiKeyForProvider", // also matches resolveApiKeyForProviderCore
  "loadConfig",
  "resolveAgentDir",
  "loadAuthProfileStoreForRuntime",
  "SecretsRuntimeSnapshot",
  "isProfileInCooldown",
  "ensureAuthProfileStore",
];
let chunkTexts = null;
function chunks(distDir) {
  if (!chunkTexts) {
    chunkTexts = [];
    for (const f of fs.readdirSync(distDir).sort()) {
      if (!f.endsWith(".js") && !f.endsWith(".mjs")) continue;
      const file = path.join(distDir, f);
      const text = fs.readFileSync(file, "utf8");
      if (WANTED.some((w) => text.includes(w))) chunkTexts.push({ file, text });
    }
    debug(`scanned dist: ${chunkTexts.length} candidate chunks`);
  }
  return chunkTexts;
}

// Find the chunk that defines `name` at top level (inside one of `regions`)
// and exports it. Returns {file, exportName, region}.
function locate(distDir, name, regions) {
  const defRe = new RegExp(
    `(?:^|\\n)(?:export\\s+)?(?:async\\s+)?(?:function\\*?\\s+${escapeRe(name)}\\s*\\(|(?:const|let|var|class)\\s+${escapeRe(name)}\\b)`,
  );
  const candidates = [];
  for (const { file, text } of chunks(distDir)) {
    if (!text.includes(name)) continue;
    const def = defRe.exec(text);
    if (!def) continue;
    const exportName = parseExports(text).get(name);
    if (!exportName) continue;
    const before = text.slice(0, def.index);
    const rm = [...before.matchAll(/\/\/#region (\S+)/g)].pop();
    candidates.push({ file, exportName, region: rm ? rm[1] : null });
  }
  // Re-exported from a destructuring (2026.9's store-runtime): found by export + region.
  if (candidates.length === 0) {
    for (const { file, text } of chunks(distDir)) {
      const exportName = text.includes(name) ? parseExports(text).get(name) : undefined;
      const rm = [...text.matchAll(/\/\/#region (\S+)/g)][0];
      if (exportName && rm && regions.includes(rm[1])) candidates.push({ file, exportName, region: rm[1] });
    }
  }
  const hinted = candidates.filter((c) => regions.includes(c.region));
  if (hinted.length === 1) return hinted[0];
  if (hinted.length === 0 && candidates.length === 1) {
    process.stderr.write(
      `resolve.mjs: warning: ${name} found outside expected regions (${candidates[0].region})\n`,
    );
    return candidates[0];
  }
  const list = candidates.map((c) => `${path.basename(c.file)}[${c.region}]`).join(", ");
  return { error: `cannot locate ${name} (regions ${regions.join("|")}); candidates: ${list || "none"}` };
}

async function importExport(distDir, name, regions) {
  const loc = locate(distDir, name, regions);
  debug(`located ${name} in ${loc.file ?? "-"}`);
  if (loc.error) return loc;
  const mod = await import(pathToFileURL(loc.file).href);
  debug(`imported ${path.basename(loc.file)}`);
  const fn = mod[loc.exportName];
  if (typeof fn !== "function") return { error: `${name}: export ${loc.exportName} of ${loc.file} is not a function` };
  return { fn, file: path.basename(loc.file), exportName: loc.exportName, region: loc.region };
}

// ---- state-dir write detection ---------------------------------------------
function snapshotTree(roots) {
  const seen = new Map();
  const walk = (p, depth) => {
    let st;
    try {
      st = fs.lstatSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      if (depth > 8) return;
      let names = [];
      try {
        names = fs.readdirSync(p);
      } catch {}
      for (const n of names) walk(path.join(p, n), depth + 1);
    } else {
      // SQLite sidecars: the real CLI leaves an empty -wal and a -shm behind too.
      if (p.endsWith("-shm") || (p.endsWith("-wal") && st.size === 0)) return;
      seen.set(p, `${st.size}:${st.mtimeMs}`);
    }
  };
  for (const r of new Set(roots)) walk(r, 0);
  return seen;
}
function diffTrees(a, b) {
  const out = [];
  for (const [p, v] of b) {
    if (!a.has(p)) out.push(`+${p}`);
    else if (a.get(p) !== v) out.push(`~${p}`);
  }
  for (const p of a.keys()) if (!b.has(p)) out.push(`-${p}`);
  return out.sort((x, y) => x.slice(1).localeCompare(y.slice(1)));
}

// ---- main -------------------------------------------------------------------
const firstLine = (s) => String(s ?? "").split("\n")[0];
const CELL_TIMEOUT_MS = Number(process.env.RESOLVE_CELL_TIMEOUT_MS || 30000);

async function main() {
  const distDir = resolveDistDir();
  if (!fs.existsSync(distDir)) die(`dist dir not found: ${distDir}`);
  let pkgVersion = null;
  try {
    pkgVersion = JSON.parse(fs.readFileSync(path.join(distDir, "..", "package.json"), "utf8")).version;
  } catch {}

  let input;
  try {
    input = JSON.parse(fs.readFileSync(0, "utf8"));
  } catch (e) {
    die(`stdin must be JSON {"agents":[...],"providers":[...]}: ${e.message}`);
  }
  const agents = input.agents ?? ["main"];
  const providers = input.providers ?? [];
  if (!Array.isArray(agents) || !Array.isArray(providers)) die("agents and providers must be arrays");
  const readOnly = input.readOnly === true || process.env.CLAWAUTH_RESOLVE_READONLY === "1";
  const extraParams = input.params ?? {};
  if (typeof extraParams !== "object" || Array.isArray(extraParams)) die("params must be an object");

  // 2026.9.x+: resolveApiKeyForProviderCore; 2026.4.x: resolveApiKeyForProvider.
  let resolver = await importExport(distDir, "resolveApiKeyForProviderCore", ["src/agents/model-auth-provider.ts"]);
  if (resolver.error) {
    const old = await importExport(distDir, "resolveApiKeyForProvider", ["src/agents/model-auth.ts"]);
    if (old.error) die(`${resolver.error}; ${old.error}`);
    resolver = old;
  }
  const loadConfig = await importExport(distDir, "loadConfig", ["src/config/io.ts", "src/config/io.runtime.ts"]);
  if (loadConfig.error) die(loadConfig.error);
  const resolveAgentDir = await importExport(distDir, "resolveAgentDir", [
    "src/agents/agent-scope.ts",
    "src/agents/agent-scope-config.ts",
  ]);
  if (resolveAgentDir.error) die(resolveAgentDir.error);

  // readOnly on 2026.4.x: pre-load the merged (main + agent) store with
  // readOnly:true and hand it to the resolver, which then skips its own
  // ensureAuthProfileStore() (the one that copies main's store into a
  // sub-agent's missing auth-profiles.json).
  let loadStoreReadOnly = null;
  if (readOnly && resolver.exportName && resolver.region === "src/agents/model-auth.ts") {
    const l = await importExport(distDir, "loadAuthProfileStoreForRuntime", ["src/agents/auth-profiles/store.ts"]);
    if (l.error) die(`readOnly: ${l.error}`);
    loadStoreReadOnly = (agentDir) => l.fn(agentDir, { readOnly: true, allowKeychainPrompt: false });
  }
  if (readOnly) process.env.OPENCLAW_AUTH_STORE_READONLY = "1";

  const home = process.env.OPENCLAW_HOME || process.env.HOME || "";
  const stateDir = process.env.OPENCLAW_STATE_DIR || path.join(home, ".openclaw");
  const baseRoots = [stateDir];
  if (process.env.OPENCLAW_AGENT_DIR) baseRoots.push(process.env.OPENCLAW_AGENT_DIR);
  const roots = [...baseRoots];

  let cfg = null;
  let cfgError = null;
  const before0 = snapshotTree(roots);
  try {
    cfg = loadConfig.fn();
  } catch (e) {
    cfgError = e;
  }
  debug("config loaded");

  // secrets:"gateway": resolve SecretRefs the way a running gateway does at
  // start-up (prepare + activate the secrets runtime snapshot), so the resolver
  // sees the resolved config and the runtime auth-store snapshots.
  const secretsMode = input.secrets ?? process.env.RESOLVE_SECRETS ?? "none";
  if (!["none", "gateway"].includes(secretsMode)) die(`unknown secrets mode ${secretsMode} (none|gateway)`);
  let secretsInfo = null;
  if (cfg && secretsMode === "gateway") {
    const prep = await importExport(distDir, "prepareSecretsRuntimeSnapshot", ["src/secrets/runtime.ts"]);
    const act = await importExport(distDir, "activateSecretsRuntimeSnapshot", ["src/secrets/runtime.ts"]);
    if (prep.error || act.error) die(`secrets gateway mode: ${prep.error ?? act.error}`);
    try {
      const snap = await prep.fn({ config: cfg });
      act.fn(snap);
      cfg = snap.config;
      secretsInfo = { warnings: (snap.warnings ?? []).map((w) => firstLine(w?.message ?? JSON.stringify(w))) };
    } catch (e) {
      cfgError = new Error(`secrets runtime snapshot failed: ${firstLine(e?.message ?? e)}`);
      cfgError.code = e?.code;
    }
    debug("secrets runtime snapshot activated");
  }

  // The embedded runner skips profiles in cooldown / disabled (isProfileInCooldown):
  // when the resolver's pick is one of them, every earlier candidate failed, so a run
  // fails with "all profiles in cooldown or unavailable". Cells get runnerUsable.
  const cooldownFn = await importExport(distDir, "isProfileInCooldown", [
    "src/agents/auth-profiles/usage.ts",
    "src/agents/auth-profiles/usage-state.ts",
  ]);
  const ensureStore = await importExport(distDir, "ensureAuthProfileStore", [
    "src/agents/auth-profiles/store.ts",
    "src/agents/auth-profiles/store-runtime.ts",
  ]);
  // The runner passes the run's model id (`forModel`): a cooldown scoped to another
  // model does not count. `models[agent][provider]` names it (absent: no model given).
  const runModels = input.models ?? {};
  const runnerCheck = cooldownFn.error || ensureStore.error ? null : (agentDir, profileId, forModel) => {
    const store = ensureStore.fn(agentDir, { config: cfg, allowKeychainPrompt: false });
    return cooldownFn.fn(store, profileId, undefined, forModel);
  };
  if (!runnerCheck) process.stderr.write(`resolve.mjs: runner emulation off: ${cooldownFn.error ?? ensureStore.error}\n`);

  const agentDirs = {};
  if (cfg) {
    for (const a of agents) {
      try {
        agentDirs[a] = resolveAgentDir.fn(cfg, a);
        roots.push(agentDirs[a]);
      } catch (e) {
        agentDirs[a] = e;
      }
    }
  }
  // Agent dirs outside the state dir are only known after loading the config.
  const before = new Map(before0);
  const inBase = (p) => baseRoots.some((r) => p === r || p.startsWith(r + path.sep));
  const extra = roots.filter((r) => !inBase(r));
  for (const [p, v] of snapshotTree(extra)) if (!before.has(p)) before.set(p, v);

  const result = {};
  for (const agent of agents) {
    result[agent] = {};
    for (const provider of providers) {
      const cell = {
        usable: false,
        source: null,
        profileId: null,
        mode: null,
        error: null,
        errorCode: null,
        keyPresent: false,
        keyHash: null,
        runnerUsable: false,
        runnerError: null,
      };
      try {
        if (cfgError) throw cfgError;
        const agentDir = agentDirs[agent];
        if (agentDir instanceof Error) throw agentDir;
        const params = { ...extraParams, provider, cfg, agentDir };
        if (loadStoreReadOnly) params.store = loadStoreReadOnly(agentDir);
        let timer;
        const res = await Promise.race([
          resolver.fn(params),
          new Promise((_, rej) => {
            timer = setTimeout(() => rej(new Error(`resolve.mjs: resolver timed out after ${CELL_TIMEOUT_MS} ms`)), CELL_TIMEOUT_MS);
          }),
        ]).finally(() => clearTimeout(timer));
        const key = typeof res?.apiKey === "string" ? res.apiKey : "";
        cell.source = res?.source ?? null;
        cell.profileId = res?.profileId ?? null;
        cell.mode = res?.mode ?? null;
        cell.keyPresent = key.trim().length > 0;
        cell.keyHash = cell.keyPresent ? crypto.createHash("sha256").update(key).digest("hex").slice(0, 12) : null;
        cell.usable = Boolean(res) && (cell.keyPresent || cell.mode === "aws-sdk");
        if (res && !cell.usable) cell.error = "resolver returned no key";
        cell.runnerUsable = cell.usable;
        if (cell.usable && cell.profileId && runnerCheck) {
          try {
            if (runnerCheck(agentDir, cell.profileId, runModels[agent]?.[provider])) {
              cell.runnerUsable = false;
              cell.runnerError = `profile ${cell.profileId} is in cooldown or disabled: all profiles in cooldown or unavailable`;
            }
          } catch (e) {
            cell.runnerError = `runner emulation failed: ${firstLine(e?.message ?? e)}`;
          }
        }
      } catch (e) {
        cell.error = firstLine(e?.message ?? e);
        cell.errorCode = typeof e?.code === "string" ? e.code : null;
      }
      result[agent][provider] = cell;
      debug(`resolved ${agent}/${provider}`);
    }
  }

  const writes = diffTrees(before, snapshotTree(roots));
  if (writes.length) process.stderr.write(`resolve.mjs: files changed during resolution:\n  ${writes.join("\n  ")}\n`);
  if (input.meta === true) {
    result._meta = {
      openclawVersion: pkgVersion,
      node: process.version,
      resolver: `${resolver.file}#${resolver.exportName} (${resolver.region})`,
      loadConfig: `${loadConfig.file}#${loadConfig.exportName} (${loadConfig.region})`,
      resolveAgentDir: `${resolveAgentDir.file}#${resolveAgentDir.exportName} (${resolveAgentDir.region})`,
      readOnly,
      secrets: secretsMode,
      secretsWarnings: secretsInfo?.warnings ?? null,
      agentDirs: Object.fromEntries(Object.entries(agentDirs).map(([k, v]) => [k, v instanceof Error ? null : v])),
      configError: cfgError ? String(cfgError.message).slice(0, 4000) : null,
      writes,
    };
  }
  await new Promise((resolve, reject) =>
    realStdoutWrite(JSON.stringify(result) + "\n", (err) => (err ? reject(err) : resolve())),
  );
}

main().then(
  () => process.exit(0),
  (e) => die(e?.stack ?? String(e)),
);
