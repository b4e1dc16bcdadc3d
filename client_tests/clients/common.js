// What every Node client script shares: argv, the plan, one JSON observation line per row.
// The same protocol as common.py: `node script.js BASE_URL ROW...` prints a version line, then one line
// per row with what the client measured, or `error`, the kind of failure (a name and code, never a
// message that carries an address or a port). Nothing here knows the service beyond its base URL.
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const TIMEOUT_MS = 10000;
const plan = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "plan.json"), "utf8"));
const ROWS = Object.fromEntries(plan.rows.map((row) => [row.name, row]));

function pathOf(row, key) {
  return row.path.replace("{key}", key);
}

// A pair's `pause`: seconds between the answer and the next request (a connection idle that long).
function pause(row) {
  return new Promise((resolve) => setTimeout(resolve, (row.pause || 0) * 1000));
}

function errorKind(err) {
  const code = err && (err.code || (err.cause && err.cause.code));
  const name = (err && err.name) || "Error";
  return code ? `${name} (${code})` : name;
}

function echo(body) {
  try {
    const seen = JSON.parse(body.toString("utf8"));
    if (seen && typeof seen === "object" && "method" in seen) {
      // httpbin's shape: a body sent as a form (curl's default type) is in `form`, not in `data`.
      const sent = seen.body || seen.data || (seen.form && "ping" in seen.form ? "ping" : "");
      return { method: seen.method, body: sent === "ping" };
    }
  } catch (_) {
    // not /anything's echo
  }
  return {};
}

// The fields every fetch reports from a final answer (headers: an object with lower-case names).
function answer(row, status, headers, body, more) {
  const found = { status, bytes: body.length, ...echo(body), ...more };
  if (headers["content-length"] !== undefined) found.length = Number(headers["content-length"]);
  if (row.show) found.shown = headers[row.show.toLowerCase()] ?? null;
  return found;
}

function basic(auth) {
  return "Basic " + Buffer.from(auth.join(":")).toString("base64");
}

async function main(name, version, kinds) {
  const [baseUrl, ...names] = process.argv.slice(2);
  const base = baseUrl.replace(/\/$/, "");
  console.log(JSON.stringify({ client: name, version }));
  for (const rowName of names) {
    const row = ROWS[rowName];
    const key = "matrix-" + crypto.randomBytes(6).toString("hex"); // a ?sequence= key no other run uses
    const url = base + pathOf(row, key);
    const started = performance.now();
    let found;
    try {
      found = await kinds[row.kind](row, url, row.then ? base + row.then : undefined);
    } catch (err) {
      found = { error: errorKind(err) };
    }
    if (found.waited === undefined) found.waited = Math.round(performance.now() - started) / 1000;
    if (row.path.includes("{key}")) found.sequence = key; // matrix.py reads its attempt log
    console.log(JSON.stringify({ row: rowName, ...found }));
  }
}

module.exports = { TIMEOUT_MS, answer, basic, errorKind, main, pause };
