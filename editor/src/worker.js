// Run's worker: Pyodide with Flask, Werkzeug and the lessons, every file from this service
// (scripts/python_zip.py writes python.zip; the Dockerfile copies Pyodide from the npm package).
// The page ends this worker (terminate) to stop code that runs too long: a worker has no DOM and,
// under its own Content-Security-Policy (service/pipeline/security_headers.py), no other origin.
"use strict";

let runJson = null;

async function start({ pyodide: base, zip }) {
  const began = performance.now();
  const { loadPyodide } = await import(`${base}pyodide.mjs`);
  // packageBaseUrl: never the CDN Pyodide defaults to; Run loads no Pyodide package anyway.
  const pyodide = await loadPyodide({
    indexURL: base,
    packageBaseUrl: base,
    stdout: () => {},
    stderr: () => {},
  });
  const loaded = performance.now();
  const response = await fetch(zip);
  if (!response.ok) throw new Error(`${zip} answered ${response.status}`);
  pyodide.unpackArchive(await response.arrayBuffer(), "zip", { extractDir: "/run" });
  pyodide.runPython("import sys; sys.path.insert(0, '/run')");
  const runner = pyodide.pyimport("service.explorer.runner");
  // Flask and every lesson imported now, so the first Run pays only for the app and the request.
  pyodide.runPython("import flask, werkzeug.test, service.demos");
  const versions = runner.versions().toJs({ dict_converter: Object.fromEntries });
  // Where a cold start goes, for the browser suite's figures (docs/performance.md).
  versions.startMs = { pyodide: Math.round(loaded - began), flask: Math.round(performance.now() - loaded) };
  runJson = runner.run_json;
  // The learner's code needs no JavaScript: no way to the page's globals from Python.
  pyodide.runPython("import sys; [sys.modules.pop(name, None) for name in ('js', 'pyodide_js')]");
  pyodide.unregisterJsModule("js");
  pyodide.unregisterJsModule("pyodide_js");
  return versions;
}

self.onmessage = async ({ data }) => {
  if (data.type === "start") {
    try {
      self.postMessage({ type: "ready", versions: await start(data) });
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error && error.message || error) });
    }
  } else if (data.type === "run") {
    const began = performance.now();
    try {
      const answer = JSON.parse(runJson(JSON.stringify(data.asked)));
      self.postMessage({ type: "answer", id: data.id, answer, ms: performance.now() - began });
    } catch (error) {
      self.postMessage({ type: "answer", id: data.id, answer: { status: null, headers: [], body: "", error: String(error && error.message || error) }, ms: 0 });
    }
  }
};
