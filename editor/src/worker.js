// Run's worker: Pyodide with Flask, Werkzeug and the lessons, every file from this service
// (scripts/python_zip.py writes python.zip, editor/src/compile.mjs compiles it and Pyodide's standard
// library to bytecode; the Dockerfile copies Pyodide from the npm package).
// The page ends this worker (terminate) to stop code that runs too long: a worker has no DOM and,
// under its own Content-Security-Policy (service/pipeline/security_headers.py), no other origin.
// The explorer's script starts it at the first Edit, before the editor has loaded; the editor then sends
// "start" again: Python starts once, and every "start" gets the answer.
"use strict";

// Where a cold start goes, in ms since this worker began, for the browser suite's figures
// (docs/performance.md): each step's end, and when each file arrived.
const marks = { origin: performance.timeOrigin }; // when this worker began, for the page's clock
const mark = (name) => { marks[name] = Math.round(performance.now()); };
// Pyodide compiles its WebAssembly with this call (streamed, as the file arrives): its end is a mark.
const instantiateStreaming = WebAssembly.instantiateStreaming;
WebAssembly.instantiateStreaming = async (...args) => {
  const result = await instantiateStreaming(...args);
  mark("wasm");
  return result;
};

let booting = null;
let runJson = null;

function download(url) {
  const bytes = fetch(url).then((response) => {
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return response.arrayBuffer();
  });
  bytes.catch(() => {}); // reported where it is awaited
  return bytes;
}

async function start({ pyodide: base, zip, stdlib }) {
  mark("begun");
  // python.zip comes beside Pyodide's own files, not after them.
  const modules = download(zip);
  const { loadPyodide } = await import(`${base}pyodide.mjs`);
  // packageBaseUrl: never the CDN Pyodide defaults to; Run loads no Pyodide package anyway.
  const pyodide = await loadPyodide({
    indexURL: base,
    packageBaseUrl: base,
    stdLibURL: stdlib,
    stdout: () => {},
    stderr: () => {},
  });
  mark("python");
  // Imported in place (zipimport, as the standard library is), never unpacked: a lesson's source is read
  // from it too. Flask, Werkzeug's test client and every lesson are imported here, while the learner
  // still reads or edits, so the first Run pays only for the app and the request.
  pyodide.FS.writeFile("/python.zip", new Uint8Array(await modules));
  pyodide.runPython("import sys; sys.path.insert(0, '/python.zip')");
  pyodide.runPython("import flask, werkzeug.test, service.demos");
  const runner = pyodide.pyimport("service.explorer.runner");
  mark("flask");
  const versions = runner.versions().toJs({ dict_converter: Object.fromEntries });
  for (const entry of performance.getEntriesByType("resource")) {
    marks[new URL(entry.name).pathname.split("/").pop()] = Math.round(entry.responseEnd);
  }
  versions.marks = marks;
  runJson = runner.run_json;
  // The learner's code needs no JavaScript: no way to the page's globals from Python.
  pyodide.runPython("import sys; [sys.modules.pop(name, None) for name in ('js', 'pyodide_js')]");
  pyodide.unregisterJsModule("js");
  pyodide.unregisterJsModule("pyodide_js");
  return versions;
}

self.onmessage = async ({ data }) => {
  if (data.type === "start") {
    booting = booting || start(data);
    try {
      self.postMessage({ type: "ready", versions: await booting });
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error && error.message || error) });
    }
  } else if (data.type === "run") {
    const began = performance.now();
    try {
      const answer = JSON.parse(runJson(JSON.stringify(data.asked)));
      self.postMessage({ type: "answer", id: data.id, answer, ms: performance.now() - began });
    } catch (error) {
      self.postMessage({ type: "answer", id: data.id, answer: { status: null, headers: [], body: "", printed: "", error: String(error && error.message || error) }, ms: 0 });
    }
  }
};
