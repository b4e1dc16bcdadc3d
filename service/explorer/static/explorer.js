// The explorer's playground: Send and Wire on every card, the filter, copy buttons, deep links.
// Without this script the page still reads whole (lessons open by a click, curl lines, plain links).
"use strict";

// Longer than any demo takes, shorter than Gunicorn's keep-alive (5 s): a request that never gets a
// final answer (a 103 sent as the final response) fails visibly instead of hanging.
const TIMEOUT_MS = 4000;
const BODY_TIMEOUT_MS = 10000; // once the head is in: a slow or busy page must not cut a body short
const WIRE_TIMEOUT_MS = 9000; // the wire itself waits at most 6 s for the answer it reports
const BODY_LIMIT = 8000;
// Headers that differ on every answer, so a comparison of two answers leaves them out.
const PER_ANSWER = new Set(["date", "x-request-id", "content-length"]);
const DOCS_ORIGIN = "http://127.0.0.1:8000";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function fields(form) {
  const e = form.elements;
  const headers = [];
  if (e.accept.value.trim()) headers.push(["Accept", e.accept.value.trim()]);
  for (const line of e.headers.value.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return {
    method: e.method.value.trim().toUpperCase() || "GET",
    url: e.url.value.trim() || "/",
    headers,
    body: e.body.value,
  };
}

function quote(text) {
  return /^[\w./:?=&,-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

// The curl line for what the form would send, from this page's own origin.
function curlLine(form) {
  const { method, url, headers, body } = fields(form);
  const parts = ["curl -i"];
  if (method !== "GET" && !(method === "POST" && body)) parts.push(`-X ${method}`);
  for (const [name, value] of headers) parts.push(`-H ${quote(`${name}: ${value}`)}`);
  if (body && method !== "GET" && method !== "HEAD") parts.push(`-d ${quote(body)}`);
  parts.push(quote(location.origin + url));
  return parts.join(" ");
}

// The headers a card documents for this status (or its range, 4XX), lower-cased.
function documentedFor(article, status) {
  const documented = JSON.parse(article.dataset.documented || "{}");
  const code = String(status);
  const names = [...(documented[code] || []), ...(documented[code[0] + "XX"] || [])];
  return new Set(names.map((n) => n.toLowerCase()));
}

function prettyBody(text, type) {
  if (/json/.test(type || "")) {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch (_) { /* not JSON after all: show it as it came */ }
  }
  return text.length > BODY_LIMIT ? `${text.slice(0, BODY_LIMIT)}\n… (${text.length} characters)` : text;
}

// Documented headers first and marked, Content-Type next, the rest folded.
function showHeaders(output, pairs, documented) {
  const first = pairs.filter(([n]) => documented.has(n.toLowerCase()) || n.toLowerCase() === "content-type");
  const rest = pairs.filter((pair) => !first.includes(pair));
  if (first.length) {
    const list = element("ul", "headers");
    for (const [name, value] of first) {
      const item = element("li", documented.has(name.toLowerCase()) ? "doc" : "");
      item.append(element("span", "name", `${name}: `), element("span", "value", value));
      if (documented.has(name.toLowerCase())) item.append(element("span", "tag", " documented"));
      list.append(item);
    }
    output.append(list);
  }
  if (rest.length) {
    const more = element("details", "more");
    more.append(element("summary", "", `${rest.length} more headers`));
    more.append(element("pre", "", rest.map(([n, v]) => `${n}: ${v}`).join("\n")));
    output.append(more);
  }
}

function showFailure(output, reason, timedOut, headArrived) {
  const when = headArrived ? " after the status and headers arrived: the body broke off" : "";
  const limit = (headArrived ? BODY_TIMEOUT_MS : TIMEOUT_MS) / 1000;
  const text = timedOut
    ? `The connection failed${when}: no complete answer within ${limit} s, so the page gave up.`
    : `The connection failed${when} (${reason}).`;
  output.append(element("p", "failed", text));
}

function record(form, answer) {
  form.closest("article").answer = answer;
  compare(form.closest(".pair"));
}

async function send(form) {
  const output = form.querySelector("output");
  const article = form.closest("article");
  const { method, url, headers, body } = fields(form);
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const init = {
    method,
    headers: new Headers(headers),
    redirect: "manual",
    cache: "no-store",
    // No cookies and no browser login prompt: the answer is exactly what the request earns.
    credentials: "omit",
    signal: controller.signal,
  };
  if (body && method !== "GET" && method !== "HEAD") init.body = body;
  output.replaceChildren(element("p", "note", `Sending ${method} ${url}…`));
  let response;
  try {
    response = await fetch(url, init);
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), BODY_TIMEOUT_MS);
    output.replaceChildren();
    if (response.type === "opaqueredirect") {
      output.append(element("p", "note", "A redirect: fetch() does not let a page read its status or Location. The wire shows them:"));
      clearTimeout(timer);
      await wire(form, output);
      return;
    }
    const text = await response.text();
    const pairs = [];
    response.headers.forEach((value, name) => pairs.push([name, value]));
    output.append(element("p", "answer-line", `${response.status} ${response.statusText}`));
    showHeaders(output, pairs, documentedFor(article, response.status));
    output.append(text ? element("pre", "body", prettyBody(text, response.headers.get("content-type"))) : element("p", "note", "(no body)"));
    record(form, { status: response.status, headers: pairs, body: text });
    if (hides(article)) await wire(form, output);
  } catch (error) {
    output.replaceChildren();
    if (response) output.append(element("p", "answer-line", `${response.status} ${response.statusText}`));
    showFailure(output, error.message || String(error), controller.signal.aborted, Boolean(response));
  } finally {
    clearTimeout(timer);
  }
}

// A card whose lesson is what fetch() cannot show (an interim 1xx, Set-Cookie, a redirect): marked
// by the server, so Send shows the wire too.
function hides(article) {
  return article.hasAttribute("data-wire");
}

async function wire(form, output) {
  const { method, url, headers, body } = fields(form);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), WIRE_TIMEOUT_MS);
  const section = element("div", "wire-answer");
  section.append(element("p", "note", "On the wire, as it left the server:"));
  output.append(section);
  try {
    const response = await fetch("/wire", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ url, method, headers: Object.fromEntries(headers), body }),
      credentials: "omit",
      signal: controller.signal,
    });
    const answer = await response.json();
    if (!response.ok) {
      section.append(element("p", "failed", answer.detail || `The wire answered ${response.status}.`));
      return;
    }
    const final = answer.responses[answer.responses.length - 1];
    if (final && !output.querySelector(".answer-line")) {
      // fetch() could not read this answer (a redirect): its status line comes from the wire.
      output.prepend(element("p", "answer-line", final.line.replace(/^HTTP\/1\.1 /, "")));
    }
    const lines = [];
    for (const head of answer.responses) {
      lines.push(head.line, ...head.headers.map(([n, v]) => `${n}: ${v}`), "");
    }
    if (!answer.responses.length) lines.push("(no response head arrived)", "");
    const shown = prettyBody(answer.body, "");
    if (shown) lines.push(shown);
    if (!answer.complete) lines.push("", "(the answer did not end: no final response, or cut at the wire's limits)");
    section.append(element("pre", "wire", lines.join("\n")));
  } catch (error) {
    section.append(element("p", "failed", `The wire failed (${error.message || error}).`));
  } finally {
    clearTimeout(timer);
  }
}

// Two halves of a pair, both answered: identical on the wire, or what differs.
function compare(pair) {
  if (!pair) return;
  const [a, b] = [...pair.querySelectorAll("article")].map((node) => node.answer);
  const verdict = pair.querySelector(".verdict");
  if (!a || !b || !verdict) return;
  const clean = (answer) => answer.headers.filter(([n]) => !PER_ANSWER.has(n)).map(([n, v]) => `${n}: ${v}`);
  const differences = [];
  if (a.status !== b.status) differences.push(`status ${a.status} vs ${b.status}`);
  const [ha, hb] = [clean(a), clean(b)];
  const headers = [...ha.filter((h) => !hb.includes(h)), ...hb.filter((h) => !ha.includes(h))];
  if (headers.length) differences.push(`headers (${[...new Set(headers.map((h) => h.split(":")[0]))].join(", ")})`);
  if (a.body !== b.body) differences.push("body");
  verdict.textContent = differences.length
    ? `Different on the wire: ${differences.join("; ")}.`
    : "Identical on the wire (status, headers and body; Date and X-Request-ID aside).";
  verdict.classList.toggle("same", !differences.length);
}

async function copy(button, text) {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch (_) {
    button.textContent = "Select and copy by hand";
  }
  setTimeout(() => { button.textContent = label; }, 1500);
}

function openTarget() {
  const id = decodeURIComponent(location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (!target) return;
  for (let node = target; node; node = node.parentElement) {
    if (node.tagName === "DETAILS") node.open = true;
  }
  target.scrollIntoView({ block: "start" });
}

function filter(query) {
  const q = query.trim().toLowerCase();
  let rows = 0;
  let lessons = 0;
  for (const group of document.querySelectorAll(".index-group details")) {
    if (q && !("wasOpen" in group.dataset)) group.dataset.wasOpen = group.open ? "1" : "";
    if (q) group.open = true;
    else if ("wasOpen" in group.dataset) {
      group.open = Boolean(group.dataset.wasOpen);
      delete group.dataset.wasOpen;
    }
  }
  for (const row of document.querySelectorAll(".index tbody tr")) {
    row.hidden = Boolean(q) && !row.dataset.filter.includes(q);
    rows += row.hidden ? 0 : 1;
  }
  for (const lesson of document.querySelectorAll("details.lesson")) {
    lesson.hidden = Boolean(q) && !lesson.dataset.filter.includes(q);
    lessons += lesson.hidden ? 0 : 1;
  }
  // A part (For testing clients) opens while a query matches a group in it, and closes back after.
  for (const part of document.querySelectorAll("details.part")) {
    if (q && !("wasOpen" in part.dataset)) part.dataset.wasOpen = part.open ? "1" : "";
    if (q) part.open = [...part.querySelectorAll("details.lesson")].some((lesson) => !lesson.hidden);
    else if ("wasOpen" in part.dataset) {
      part.open = Boolean(part.dataset.wasOpen);
      delete part.dataset.wasOpen;
    }
  }
  document.querySelector(".filter output").textContent = q ? `${rows} statuses, ${lessons} lessons match.` : "";
}

for (const form of document.querySelectorAll("form.send")) {
  form.hidden = false;
  const example = form.closest(".example");
  const curl = example.querySelector(".curl code");
  const submit = form.querySelector("button[type=submit]");
  const refresh = () => {
    curl.textContent = curlLine(form);
    const { method, url } = fields(form);
    submit.textContent = `Send ${method} ${url}`;
  };
  curl.textContent = curl.textContent.replace(DOCS_ORIGIN, location.origin);
  form.addEventListener("input", refresh);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(form);
  });
  form.querySelector("button.wire").addEventListener("click", () => {
    const output = form.querySelector("output");
    output.replaceChildren();
    wire(form, output);
  });
  const tools = example.querySelector(".curl-tools");
  tools.hidden = false;
  tools.querySelector("button").addEventListener("click", (event) => copy(event.target, curl.textContent));
}

for (const button of document.querySelectorAll("button.copy")) {
  button.hidden = false;
  // The helpers first, then the view: pasted in that order, the names exist before they are used.
  const blocks = [...button.closest(".code").querySelectorAll("pre")].map((pre) => pre.textContent);
  button.addEventListener("click", () => copy(button, [...blocks.slice(1), blocks[0]].join("\n\n")));
}

// Edit and Run (run/edit.js, with CodeMirror and a Pyodide worker): fetched only when a learner presses
// Edit, or follows a link that carries an edit. Python starts in its worker at that first press, while
// edit.js and the editor load (docs/performance.md); edit.js is handed the worker, the message that starts
// one, and this script's reader of the Send form: Run sends the request Send would.
const run = document.body.dataset;
if (run.runEditor) {
  const start = { type: "start", pyodide: run.runPyodide, zip: run.runZip, stdlib: run.runStdlib };
  let loading = null;
  const load = () => {
    if (!loading) {
      const worker = new Worker(run.runWorker, { type: "module", name: "run" });
      worker.postMessage(start);
      const began = performance.now();
      loading = import(run.runEditor).then((module) => {
        module.hand({ fields, worker, began, start });
        return module;
      });
    }
    return loading;
  };
  for (const article of document.querySelectorAll("article[data-run]")) {
    const button = element("button", "edit", "Edit");
    button.type = "button";
    button.setAttribute("aria-label", `Edit and run ${article.querySelector("h4").textContent.trim()}`);
    button.addEventListener("click", async () => (await load()).edit(article));
    article.querySelector(".code-head").append(" ", button);
  }
  if (location.hash.startsWith("#edit:")) load().then((module) => module.fromLink());
}

for (const trial of document.querySelectorAll(".try")) {
  trial.hidden = false;
  const form = trial.closest(".example").querySelector("form.send");
  trial.addEventListener("click", (event) => {
    const chip = event.target.closest("button.chip");
    if (!chip) return;
    form.elements.method.value = "GET";
    form.elements.url.value = `/status/${chip.dataset.code}`;
    form.dispatchEvent(new Event("input"));
    form.requestSubmit();
    form.querySelector("output").scrollIntoView({ block: "start" });
  });
}

for (const node of document.querySelectorAll(".origin")) node.textContent = location.origin;

const box = document.querySelector("form.filter");
box.hidden = false;
box.addEventListener("submit", (event) => event.preventDefault());
box.elements[0].addEventListener("input", (event) => filter(event.target.value));

window.addEventListener("hashchange", openTarget);
openTarget();
