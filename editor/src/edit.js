// Edit and Run on a lesson card, loaded by explorer.js only when a learner presses Edit.
// Edit: CodeMirror 6 on the card's code (Python highlighting, indentation, undo). Run: the code with real
// Flask in a Web Worker (worker.js, Pyodide), through service/explorer/runner.py; the answer goes in the
// card's Send panel, marked as run in the browser. The service never receives the code.
import {
  EditorView, keymap, lineNumbers, highlightActiveLineGutter, highlightSpecialChars, drawSelection,
  dropCursor, highlightActiveLine,
} from "@codemirror/view";
import { EditorState } from "@codemirror/state";
import { indentOnInput, syntaxHighlighting, defaultHighlightStyle, bracketMatching } from "@codemirror/language";
import { history, defaultKeymap, historyKeymap, indentWithTab } from "@codemirror/commands";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { python } from "@codemirror/lang-python";

// CodeMirror's basic setup without its fold gutter (a lesson is a few lines, and its arrow glyphs are a
// control axe cannot check for contrast), autocompletion or lint: highlighting, indentation, undo,
// bracket matching and closing, search.
const setup = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  history(),
  drawSelection(),
  dropCursor(),
  EditorState.allowMultipleSelections.of(true),
  indentOnInput(),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
  bracketMatching(),
  closeBrackets(),
  highlightActiveLine(),
  highlightSelectionMatches(),
  keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, indentWithTab]),
];

// Longer than any lesson takes in Pyodide, short enough that an endless loop is stopped soon.
const RUN_LIMIT_MS = 5000;
// Starting Python: files from this service (about 17 MB the first time, then the browser's cache).
const START_LIMIT_MS = 60000;
const PER_ANSWER = new Set(["date", "content-length"]);
const STORE = "flask-status-codes:edit:"; // localStorage key prefix, one entry per card
const MISTAKES = "service.demos.mistakes."; // the pitfall and mistake lessons: Predict, then run
const GUESSES = [200, 201, 204, 302, 400, 404, 405, 409, 500];

const files = document.body.dataset;
// From explorer.js (hand): its reader of the Send form, the worker it started at the first Edit, when,
// and the message that starts one.
let handed = null;
let worker = null;
let ready = null; // a promise of the versions, once Python has started
let waiting = null; // the Run in progress: {id, resolve, reject, timer}
let sequence = 0;
let started = false; // Python has answered a Run since the page loaded: later Runs are "warm"

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const css = `
.editing .editor { border: 1px solid #8a8a8a; border-radius: 4px; margin: 0.4rem 0; background: #fff; }
.cm-editor { max-height: 60vh; font-size: 0.85rem; }
.cm-editor.cm-focused { outline: 3px solid #1a5fb4; outline-offset: 1px; }
.run-tools { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; margin: 0.4rem 0; }
.run-tools label { display: inline-flex; gap: 0.3rem; align-items: center; }
.run-tools button:disabled { opacity: 0.55; cursor: default; }
.run-tools .hint { flex-basis: 100%; margin: 0; font-size: 0.85rem; color: #444; }
.ran { font-weight: bold; color: #1c5e20; margin: 0.3rem 0; }
.changed { background: #fff6d6; border-left: 4px solid #b58900; padding: 0.2rem 0.5rem; }
.python-error { background: #fdecea; border-left: 4px solid #b3261e; padding: 0.3rem 0.5rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.prediction { border-left: 4px solid #1a5fb4; padding: 0.2rem 0.5rem; }
.printed { margin: 0.4rem 0; }
.printed h5 { margin: 0; font-size: 0.9rem; }
.printed pre { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 12rem; overflow: auto; }
`;

const sheet = new CSSStyleSheet();
sheet.replaceSync(css);

function addStyles() {
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

// --- Python in a worker --------------------------------------------------------------------------------

function stopWorker() {
  if (worker) worker.terminate();
  worker = null;
  ready = null;
}

export function hand(given) {
  handed = given;
  handed.loaded = performance.now(); // this module fetched and run: for the figures, as "editor"
}

function startWorker() {
  if (ready) return ready;
  // The first from explorer.js, already starting; after a Stop, a new one.
  let began = performance.now();
  if (handed.worker) {
    ({ worker, began } = handed);
    handed.worker = null;
  } else {
    worker = new Worker(files.runWorker, { type: "module", name: "run" });
  }
  ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stopWorker();
      reject(new Error(`Python did not start within ${START_LIMIT_MS / 1000} s.`));
    }, START_LIMIT_MS);
    worker.onmessage = ({ data }) => {
      if (data.type === "ready") {
        clearTimeout(timer);
        resolve({ ...data.versions, readyMs: Math.round(performance.now() - began) });
      } else if (data.type === "failed") {
        clearTimeout(timer);
        stopWorker();
        reject(new Error(`Python did not start: ${data.message}`));
      } else if (data.type === "answer" && waiting && data.id === waiting.id) {
        clearTimeout(waiting.timer);
        const { resolve: done } = waiting;
        waiting = null;
        done({ ...data.answer, ms: data.ms });
      }
    };
    worker.onerror = (event) => {
      clearTimeout(timer);
      stopWorker();
      reject(new Error(`Python did not start: ${event.message || "the worker failed"}`));
    };
  });
  worker.postMessage(handed.start); // Python starts once: a second "start" only asks for the answer
  return ready;
}

// One Run: resolves with the answer, or rejects when stopped (by the limit or by Stop).
async function runInWorker(asked) {
  await startWorker();
  return new Promise((resolve, reject) => {
    const id = ++sequence;
    const timer = setTimeout(() => stop(`Stopped after ${RUN_LIMIT_MS / 1000} s: the code did not finish (an endless loop?).`), RUN_LIMIT_MS);
    waiting = { id, resolve, reject, timer };
    worker.postMessage({ type: "run", id, asked });
  });
}

function stop(reason) {
  if (!waiting) return;
  clearTimeout(waiting.timer);
  const { reject } = waiting;
  waiting = null;
  stopWorker(); // the only way to end Python mid-loop; the next Run starts it again (from the cache)
  reject(new Error(`${reason} Python was stopped; the next Run starts it again.`));
}

// --- The card -------------------------------------------------------------------------------------------

function differences(before, after) {
  const found = [];
  if (before.status !== after.status) found.push(`status ${before.status ?? "none"} → ${after.status ?? "none"}`);
  const list = (answer) => answer.headers.filter(([n]) => !PER_ANSWER.has(n.toLowerCase())).map(([n, v]) => `${n}: ${v}`);
  const [a, b] = [list(before), list(after)];
  const headers = [...a.filter((h) => !b.includes(h)), ...b.filter((h) => !a.includes(h))];
  if (headers.length) found.push(`headers (${[...new Set(headers.map((h) => h.split(":")[0]))].join(", ")})`);
  if (before.body !== after.body) found.push("body");
  if (Boolean(before.error) !== Boolean(after.error)) found.push(after.error ? "Python raised an error" : "no error any more");
  return found;
}

// The lesson's own "why": the first paragraph under the summary, else the summary (never a copy).
function why(article) {
  const paragraph = article.querySelector(".summary + p:not(.statuses)") || article.querySelector(".summary");
  const text = paragraph.textContent.trim();
  const sentence = text.match(/^.+?[.!?](?=\s|$)/);
  return sentence ? sentence[0] : text;
}

function showAnswer(output, answer, versions, article, changes, guess) {
  output.replaceChildren();
  const names = versions ? ` (Flask ${versions.flask}, Werkzeug ${versions.werkzeug} in Pyodide)` : "";
  output.append(element("p", "ran", `Ran in your browser${names}: this code never left the page.`));
  if (answer.status !== null) {
    output.append(element("p", "answer-line", `${answer.status} ${answer.reason}`));
    const list = element("ul", "headers");
    for (const [name, value] of answer.headers) {
      const item = element("li", "");
      item.append(element("span", "name", `${name}: `), element("span", "value", value));
      list.append(item);
    }
    output.append(list);
    output.append(answer.body ? element("pre", "body", answer.body) : element("p", "note", "(no body)"));
  }
  if (answer.status !== null && (answer.status < 100 || answer.status > 599)) {
    output.append(element("p", "note invalid-status", `Flask made a response with status ${answer.status}, which no HTTP status line can carry (100-599): the server refuses it, and Gunicorn sends its own 500 Internal Server Error instead. Send shows what arrives.`));
  }
  if (answer.error) {
    const lead = answer.status === null ? "Python could not run it:" : `Your code raised an exception, so Flask answered ${answer.status}. Python says:`;
    output.append(element("p", "note", lead), element("pre", "python-error", answer.error));
  }
  if (answer.printed) {
    // What the code printed (stdout and stderr): bounded by the runner, labelled apart from the answer.
    const part = element("section", "printed");
    part.setAttribute("aria-label", "What your code printed");
    part.append(element("h5", "", "Printed (stdout and stderr, not part of the answer)"), element("pre", "", answer.printed));
    output.append(part);
  }
  if (changes) {
    output.append(element("p", "changed", changes.length ? `Your edit changed what Flask sends: ${changes.join("; ")}.` : "Your edit changed nothing Flask sends."));
  }
  if (guess) {
    const agreed = Number(guess) === answer.status;
    const said = `You predicted ${guess}; Flask sent ${answer.status ?? "nothing"}. ${agreed ? "Flask agreed." : "Flask did not agree."}`;
    output.append(element("p", "prediction", `${said} Why: ${why(article)}`));
  }
  output.append(notHere());
}

// The headers Run's answer lacks, as the page names them (service/pipeline's and Gunicorn's).
function notHere() {
  const note = element("p", "note not-here", "Not here: the headers the service adds after every view (");
  const names = (text) => text.split(" ").filter(Boolean).map((name) => element("code", "", name));
  const list = (nodes) => nodes.flatMap((node, i) => (i ? [", ", node] : [node]));
  note.append(...list(names(files.runAdds)), ") and its server adds (", ...list(names(files.runServerAdds)), "); Send shows them.");
  return note;
}

function encode(text) {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decode(text) {
  const bytes = Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

let styled = false;

export function edit(article, startWith) {
  if (article.classList.contains("editing")) {
    article.querySelector(".editor").shadowRoot.querySelector(".cm-content").focus();
    return;
  }
  if (!styled) addStyles();
  styled = true;
  article.classList.add("editing");
  const pre = article.querySelector(".code pre");
  const original = pre.textContent;
  const title = article.querySelector("h4").textContent.trim();
  const stored = localStorage.getItem(STORE + article.id);
  const holder = element("div", "editor");
  pre.after(holder);
  pre.hidden = true;
  const form = article.querySelector("form.send");
  const output = form.querySelector("output");
  const tools = element("div", "run-tools");
  const run = element("button", "run", `Run ${title} in your browser`);
  const stopButton = element("button", "stop", "Stop");
  const reset = element("button", "reset", "Reset the code");
  for (const button of [run, stopButton, reset]) button.type = "button";
  stopButton.disabled = true;
  const keep = element("select", "keep");
  for (const [value, label] of [["", "nowhere"], ["local", "in this browser"], ["link", "in the page's link"]]) {
    const option = element("option", "", label);
    option.value = value;
    keep.append(option);
  }
  const keepLabel = element("label", "", "Keep my edit ");
  keepLabel.append(keep);
  tools.append(run, stopButton, reset, keepLabel);
  let predict = null;
  if (article.dataset.run.startsWith(MISTAKES)) {
    predict = element("select", "predict");
    const codes = [...article.querySelectorAll(".statuses .status")].map((node) => Number(node.textContent));
    predict.append(element("option", "", "no guess"));
    predict.firstChild.value = "";
    for (const code of [...new Set([...GUESSES, ...codes])].sort()) {
      const option = element("option", "", String(code));
      option.value = String(code);
      predict.append(option);
    }
    const label = element("label", "", "Predict, then run: which status will Flask send? ");
    label.append(predict);
    tools.append(label);
  }
  tools.append(element("p", "hint", "Tab indents in the editor; press Escape, then Tab, to leave it. Ctrl+Z undoes."));
  holder.after(tools);

  const save = (code) => {
    const changed = code !== original;
    if (keep.value === "local" && changed) localStorage.setItem(STORE + article.id, code);
    else localStorage.removeItem(STORE + article.id);
    if (keep.value === "link" && changed) window.history.replaceState(null, "", `#edit:${article.id}:${encode(code)}`);
    else if (location.hash.startsWith(`#edit:${article.id}:`)) window.history.replaceState(null, "", `#${article.id}`);
  };
  // In a shadow root: there CodeMirror's styles are constructed stylesheets, which the page's CSP
  // (style-src 'self', nothing inline) allows; in the document it would add a <style> element.
  const shadow = holder.attachShadow({ mode: "open" });
  shadow.adoptedStyleSheets = [sheet];
  const view = new EditorView({
    doc: startWith ?? stored ?? original,
    root: shadow,
    parent: shadow,
    extensions: [
      setup,
      python(),
      EditorView.contentAttributes.of({ "aria-label": `The code of ${title}, editable` }),
      EditorView.updateListener.of((update) => { if (update.docChanged) save(update.state.doc.toString()); }),
    ],
  });
  keep.value = startWith !== undefined ? "link" : stored !== null ? "local" : "";
  keep.addEventListener("change", () => save(view.state.doc.toString()));
  reset.addEventListener("click", () => {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: original } });
    view.focus();
  });
  stopButton.addEventListener("click", () => stop("Stopped by you."));

  let unchanged = null; // the unchanged card's answer, for "what your edit changed"
  run.addEventListener("click", async () => {
    const code = view.state.doc.toString();
    const asked = { card: article.dataset.run, lessons: files.runLessons.split(" "), ...handed.fields(form) };
    run.disabled = true;
    stopButton.disabled = false;
    const cold = !started;
    output.replaceChildren(element("p", "note", cold ? "Starting Python in your browser (the first time, about 17 MB from this service)…" : "Running in your browser…"));
    const began = performance.now();
    try {
      const versions = await startWorker();
      started = true;
      const answer = await runInWorker({ ...asked, code });
      output.dataset.pythonMs = String(Math.round(answer.ms));
      let changes = null;
      if (code !== original) {
        unchanged = unchanged || await runInWorker({ ...asked, code: original });
        changes = differences(unchanged, answer);
      }
      showAnswer(output, answer, versions, article, changes, predict && predict.value);
      output.dataset.ranMs = String(Math.round(performance.now() - began));
      output.dataset.cold = String(cold);
      if (cold) {
        // The worker's marks (ms since it began), and the page's since the Edit press: this module loaded,
        // the editor shown, Python ready, Run pressed.
        const since = (time) => Math.round(time - handed.began);
        const { origin, ...marks } = versions.marks;
        const page = {
          worker: since(origin - performance.timeOrigin),
          editor: since(handed.loaded),
          shown: since(handed.shown),
          ready: versions.readyMs,
          run: since(began),
        };
        output.dataset.startMs = JSON.stringify({ ...marks, page });
      }
    } catch (error) {
      output.replaceChildren(element("p", "failed", error.message || String(error)));
    } finally {
      run.disabled = false;
      stopButton.disabled = true;
    }
  });
  view.focus();
  handed.shown = handed.shown || performance.now();
  // Python starts while the learner reads and edits: the first Run then waits only for what is left.
  startWorker().catch(() => {}); // a failure to start is reported by Run, which tries again
}

// A link made by "Keep my edit: in the page's link": #edit:<card>:<code>.
export function fromLink() {
  const match = location.hash.match(/^#edit:([\w-]+):([\w-]*)$/);
  const article = match && document.getElementById(match[1]);
  if (!article || !article.dataset.run) return;
  for (let node = article; node; node = node.parentElement) if (node.tagName === "DETAILS") node.open = true;
  edit(article, decode(match[2]));
  article.scrollIntoView({ block: "start" });
}
