// Test instrumentation for tests/interop_unlocked.rs, loaded into the real OpenClaw with
// NODE_OPTIONS=--require. It changes no OpenClaw logic: just before OpenClaw renames its
// finished temp file over an auth-profiles.json (the last step of its unlocked
// read-modify-write), it creates HOLD_DIR/reached and waits (at most 20 s) until
// HOLD_DIR/go exists. That widens OpenClaw's own race window from about a millisecond to
// as long as the test needs, so a clawauth write lands inside it every time.
"use strict";
const fs = require("node:fs");
const dir = process.env.HOLD_DIR;
const rename = fs.renameSync;
fs.renameSync = function (from, to, ...rest) {
  if (dir && String(to).endsWith("auth-profiles.json")) {
    fs.writeFileSync(`${dir}/reached`, String(process.pid));
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const start = Date.now();
    while (!fs.existsSync(`${dir}/go`) && Date.now() - start < 20000) {
      Atomics.wait(cell, 0, 0, 5);
    }
  }
  return rename.call(this, from, to, ...rest);
};
