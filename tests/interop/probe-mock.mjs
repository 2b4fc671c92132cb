// probe-mock.mjs PORT REPLIES_JSON [LOG_FILE]
// A loopback mock of an OpenAI-compatible / Anthropic / Gemini provider for the live-check
// interop test: the answer depends on the key the request carries. REPLIES_JSON maps a
// key to {status, body}; a 200 to a POST is a minimal streamed (SSE) or plain completion,
// so a real agent turn (OpenClaw's probe) succeeds. Every request is appended to LOG_FILE
// as one JSON line {method, url, key}.
import http from "node:http";
import fs from "node:fs";

const [port, repliesPath, logPath] = process.argv.slice(2);
const replies = JSON.parse(fs.readFileSync(repliesPath, "utf8"));

function keyOf(h) {
  const a = h["authorization"];
  if (a) return a.replace(/^Bearer /, "");
  return h["x-api-key"] ?? h["x-goog-api-key"] ?? "";
}

function completion(res, body) {
  let stream = false;
  try { stream = JSON.parse(body).stream === true; } catch {}
  const chunk = { id: "c1", object: "chat.completion.chunk", created: 1, model: "m",
    choices: [{ index: 0, delta: { role: "assistant", content: "OK" }, finish_reason: null }] };
  const done = { ...chunk, choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
  if (stream) {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(`data: ${JSON.stringify(chunk)}\n\ndata: ${JSON.stringify(done)}\n\ndata: [DONE]\n\n`);
  } else {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "c1", object: "chat.completion", created: 1, model: "m",
      choices: [{ index: 0, message: { role: "assistant", content: "OK" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
  }
}

http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const key = keyOf(req.headers);
    if (logPath) fs.appendFileSync(logPath, JSON.stringify({ method: req.method, url: req.url, key }) + "\n");
    const r = replies[key] ?? { status: 401, body: { error: { message: "Incorrect API key provided" } } };
    if (r.status === 200 && req.method === "POST") return completion(res, body);
    res.writeHead(r.status, { "content-type": "application/json" });
    res.end(JSON.stringify(r.body ?? { data: [] }));
  });
}).listen(Number(port), "127.0.0.1", () => console.error(`probe-mock listening on ${port}`));
