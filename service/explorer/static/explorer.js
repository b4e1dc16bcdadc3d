// The explorer's Send buttons: make the documented request from the page, show the answer as received.
// Without this script the page still reads whole (curl lines, plain links); with it, each form appears.
"use strict";

// Longer than any demo takes, shorter than Gunicorn's keep-alive (5 s): a request that never gets a
// final answer (a 103 sent as the final response) fails visibly instead of hanging.
const TIMEOUT_MS = 4000;
const BODY_LIMIT = 8000;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function requestHeaders(text) {
  const headers = new Headers();
  for (const line of (text || "").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}

function showFailure(output, reason, timedOut, headArrived) {
  const seconds = TIMEOUT_MS / 1000;
  const when = headArrived ? " after the status and headers arrived: the body broke off" : "";
  const text = timedOut
    ? `The connection failed${when}: no complete answer within ${seconds} s, so the page gave up.`
    : `The connection failed${when} (${reason}).`;
  output.append(element("p", "failed", text));
}

function showResponse(output, response) {
  const line = response.type === "opaqueredirect"
    ? "A redirect (3xx): fetch() does not let a page read a redirect's status or Location."
    : `${response.status} ${response.statusText}`;
  output.append(element("p", "answer-line", line));
  const lines = [];
  response.headers.forEach((value, name) => lines.push(`${name}: ${value}`));
  if (lines.length) output.append(element("pre", "headers", lines.join("\n")));
}

async function send(form) {
  const output = form.querySelector("output");
  const button = form.querySelector("button");
  const method = form.elements.method.value.trim().toUpperCase() || "GET";
  const url = form.elements.url.value.trim() || "/";
  const bodyField = form.elements.body;
  const init = {
    method,
    headers: requestHeaders(form.elements.headers ? form.elements.headers.value : ""),
    redirect: "manual",
    cache: "no-store",
    // No cookies and no browser login prompt: the answer is exactly what the request earns.
    credentials: "omit",
  };
  if (bodyField && bodyField.value && method !== "GET" && method !== "HEAD") init.body = bodyField.value;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  init.signal = controller.signal;
  output.replaceChildren(element("p", "note", `Sending ${method} ${url}…`));
  button.disabled = true;
  let response;
  try {
    response = await fetch(url, init);
    const body = response.type === "opaqueredirect" ? "" : await response.text();
    output.replaceChildren();
    showResponse(output, response);
    if (body) {
      const shown = body.length > BODY_LIMIT ? `${body.slice(0, BODY_LIMIT)}\n… (${body.length} characters)` : body;
      output.append(element("pre", "body", shown));
    } else if (response.type !== "opaqueredirect") {
      output.append(element("p", "note", "(no body)"));
    }
  } catch (error) {
    output.replaceChildren();
    if (response) showResponse(output, response); // the head arrived; the body broke off
    showFailure(output, error.message || String(error), controller.signal.aborted, Boolean(response));
  } finally {
    clearTimeout(timer);
    button.disabled = false;
  }
}

for (const form of document.querySelectorAll("form.send")) {
  form.hidden = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(form);
  });
}
