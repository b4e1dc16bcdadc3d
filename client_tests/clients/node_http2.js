// Node's http2 module over cleartext HTTP/2 (prior knowledge), one session per row: no npm package.
// `node node_http2.js BASE_URL ROW...`. Interim (1xx) heads arrive as the stream's 'headers' event;
// a pair's second request is a new stream on the same session (reused unless the session died).
"use strict";
const http2 = require("http2");
const { TIMEOUT_MS, answer, basic, main, pause } = require("./common.js");

function send(session, row, url) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const headers = { ":method": row.method, ":path": target.pathname + target.search };
    for (const [name, value] of Object.entries(row.headers || {})) headers[name.toLowerCase()] = value;
    if (row.auth) headers.authorization = basic(row.auth);
    const stream = session.request(headers, { endStream: !row.body });
    const interim = [];
    let head = null;
    const chunks = [];
    stream.setTimeout(TIMEOUT_MS, () => stream.close(http2.constants.NGHTTP2_CANCEL));
    stream.on("headers", (informational) => interim.push(Number(informational[":status"])));
    stream.on("response", (fields) => {
      head = fields;
    });
    stream.on("data", (chunk) => chunks.push(chunk));
    stream.on("error", reject);
    stream.on("close", () => {
      if (head === null) {
        reject(Object.assign(new Error("stream closed"), { name: "Error", code: stream.rstCode === 0 ? "NO_RESPONSE" : `RST_STREAM ${stream.rstCode}` }));
        return;
      }
      const status = Number(head[":status"]);
      resolve(answer(row, status, head, Buffer.concat(chunks), { reason: "", hops: 0, interim }));
    });
    if (row.body) stream.end(row.body);
  });
}

function withSession(url, work) {
  const session = http2.connect(new URL(url).origin);
  return new Promise((resolve, reject) => {
    session.on("error", reject);
    work(session).then(resolve, reject);
  }).finally(() => session.close());
}

async function pair(row, url, then) {
  return withSession(url, async (session) => {
    const found = await send(session, row, url);
    await pause(row);
    const following = await send(session, { method: "GET" }, then);
    return { ...found, next: following.status, reused: !session.destroyed };
  });
}

main("Node http2", `Node ${process.versions.node} (nghttp2 ${process.versions.nghttp2})`, {
  fetch: (row, url) => withSession(url, (session) => send(session, row, url)),
  pair,
  retry: (row, url) => withSession(url, (session) => send(session, row, url)).then((f) => ({ ...f, attempts: 1 })),
});
