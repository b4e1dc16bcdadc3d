// Node's built-in fetch (undici, Node 20), as a Node application calls it: no npm package.
// `node node_fetch.js BASE_URL ROW...`. Connection reuse is seen through undici's diagnostics channel
// (a pair's second request reuses the connection if no new one was opened); fetch shows no 1xx.
"use strict";
const diagnostics = require("diagnostics_channel");
const { TIMEOUT_MS, answer, basic, main, pause } = require("./common.js");

let opened = 0;
diagnostics.channel("undici:client:connected").subscribe(() => {
  opened += 1;
});

async function send(row, url) {
  const headers = { ...(row.headers || {}) };
  // fetch refuses credentials in the URL; an Authorization header is its documented way.
  if (row.auth) headers.Authorization = basic(row.auth);
  const response = await fetch(url, {
    method: row.method,
    body: row.body,
    headers,
    redirect: row.follow ? "follow" : "manual",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = Buffer.from(await response.arrayBuffer());
  return answer(row, response.status, Object.fromEntries(response.headers), body, {
    reason: response.statusText,
    ok: response.ok,
    followed: response.redirected,
  });
}

async function pair(row, url, then) {
  const found = await send(row, url);
  await pause(row);
  const before = opened;
  const following = await send({ method: "GET" }, then);
  return { ...found, next: following.status, reused: opened === before };
}

async function retry(row, url) {
  return { ...(await send(row, url)), attempts: 1 }; // fetch has no retry policy
}

main("Node fetch", `Node ${process.versions.node} (undici ${process.versions.undici})`, {
  fetch: send,
  pair,
  retry,
});
