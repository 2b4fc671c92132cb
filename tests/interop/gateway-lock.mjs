// gateway-lock.mjs: hold the gateway lock with the REAL OpenClaw code, as a running
// gateway does, without starting a gateway (no network).
//
//   OPENCLAW_DIST=<pkg>/dist  node gateway-lock.mjs
//
// Locates acquireGatewayLock (and, in 2026.9, resolveGatewayLockPaths) in the
// `src/infra/gateway-lock.ts` chunk of dist/, acquires the lock for the state dir and
// config of the environment (OPENCLAW_STATE_DIR, TMPDIR, ...), prints
// `LOCKED <pid> <lock path>` and holds it until stdin closes, then releases it.
// Nothing is copied from OpenClaw.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const dist = process.env.OPENCLAW_DIST;
if (!dist) {
  process.stderr.write("gateway-lock.mjs: set OPENCLAW_DIST\n");
  process.exit(2);
}

function parseExports(text) {
  const out = new Map();
  for (const m of text.matchAll(/(?:^|\n)export\s*\{([^}]*)\}\s*;?/g)) {
    for (const part of m[1].split(",")) {
      const mm = part.trim().match(/^([\w$]+)(?:\s+as\s+([\w$]+))?$/);
      if (mm) out.set(mm[1], mm[2] ?? mm[1]);
    }
  }
  return out;
}

async function find(name) {
  for (const f of fs.readdirSync(dist).sort()) {
    if (!/\.m?js$/.test(f)) continue;
    const file = path.join(dist, f);
    const text = fs.readFileSync(file, "utf8");
    if (!text.includes("//#region src/infra/gateway-lock.ts")) continue;
    if (!new RegExp(`function\\s+${name}\\s*\\(`).test(text)) continue;
    const exported = parseExports(text).get(name);
    if (exported) return (await import(pathToFileURL(file).href))[exported];
  }
  return null;
}

const acquire = await find("acquireGatewayLock");
if (!acquire) {
  process.stderr.write("gateway-lock.mjs: cannot locate acquireGatewayLock\n");
  process.exit(2);
}
const resolvePaths = await find("resolveGatewayLockPaths");
let opts = { env: process.env, allowInTests: true };
if (resolvePaths) {
  // 2026.9: the caller names the lock (the gateway's own start-up does the same).
  const p = resolvePaths(process.env);
  opts = { ...opts, lockPath: p.configLockPath, configPath: p.configPath, stateDir: p.stateDir, role: "gateway" };
}
const lock = await acquire(opts);
if (!lock) {
  process.stderr.write("gateway-lock.mjs: OpenClaw declined to take the lock\n");
  process.exit(3);
}
process.stdout.write(`LOCKED ${process.pid} ${lock.lockPath ?? opts.lockPath}\n`);
process.stdin.resume();
process.stdin.on("end", async () => {
  await lock.release?.();
  process.exit(0);
});
