// Node's http module with a keep-alive Agent (one socket), as a Node service calls another: no npm.
// `node node_http.js BASE_URL ROW...`. It follows no redirect (the module never does), shows 1xx
// through its 'information' event, waits for 'continue' before a body sent with Expect: 100-continue,
// and says whether a request went out on a reused socket (request.reusedSocket).
"use strict";
const http = require("http");
const { TIMEOUT_MS, answer, main, pause } = require("./common.js");

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function send(row, url) {
  return new Promise((resolve, reject) => {
    const interim = [];
    const request = http.request(url, {
      method: row.method,
      headers: row.headers || {},
      auth: row.auth ? row.auth.join(":") : undefined,
      agent,
      timeout: TIMEOUT_MS,
    });
    request.on("information", (info) => interim.push(info.statusCode));
    request.on("timeout", () => request.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    request.on("error", reject);
    request.on("response", (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("error", reject);
      response.on("aborted", () => reject(Object.assign(new Error("aborted"), { code: "ECONNRESET" })));
      response.on("end", () => {
        const found = answer(row, response.statusCode, response.headers, Buffer.concat(chunks), {
          reason: response.statusMessage,
          hops: 0,
          interim,
          complete: response.complete,
        });
        resolve({ found, reused: request.reusedSocket });
      });
    });
    const expects = Object.keys(row.headers || {}).some((name) => name.toLowerCase() === "expect");
    if (row.body && expects) request.on("continue", () => request.end(row.body));
    else request.end(row.body);
  });
}

async function fetch(row, url) {
  return (await send(row, url)).found;
}

async function pair(row, url, then) {
  const { found } = await send(row, url);
  await pause(row);
  const following = await send({ method: "GET" }, then);
  return { ...found, next: following.found.status, reused: following.reused };
}

async function retry(row, url) {
  return { ...(await fetch(row, url)), attempts: 1 }; // the http module has no retry policy
}

main("Node http", `Node ${process.versions.node}`, { fetch, pair, retry }).finally(() => agent.destroy());
