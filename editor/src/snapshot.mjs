// Build step (node, in the Dockerfile's editor stage, after compile.mjs): python.snapshot, Pyodide's memory
// once Python has started and imported Flask, Werkzeug's test client and every lesson, as the worker
// would. The worker starts from it instead (loadPyodide's _loadSnapshot): Python's own start and those
// imports were most of the first Run's wait in the browser (docs/performance.md). A snapshot only fits
// the Pyodide build that made it (Pyodide checks its build id) and the very zips it imported from (their
// tables of contents are in that memory), so all three are made in one build.
// Usage: node src/snapshot.mjs python_stdlib.zip python.zip OUT
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadPyodide } from "pyodide";

// The memory Pyodide's WebAssembly declares it starts with, in bytes: its memory section's first limit.
function initialMemory(wasm) {
  const number = (at) => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = wasm[at++];
      value += (byte & 127) * 2 ** shift;
      if (!(byte & 128)) return [value, at];
    }
  };
  for (let at = 8; at < wasm.length;) {
    const id = wasm[at++];
    const [size, body] = number(at);
    if (id === 5) return number(number(body)[1] + 1)[0] * 65536; // count, flags, then the initial pages
    at = body + size;
  }
  throw new Error("no memory section");
}

const [stdlib, zip, target] = process.argv.slice(2);
const pyodide = await loadPyodide({ stdLibURL: stdlib, _makeSnapshot: true });
// Pyodide restores a snapshot into the memory its WebAssembly starts with, which does not grow first: a
// snapshot of a memory that grew cannot load ("offset is out of bounds"). Checked here, not in a browser.
const initial = initialMemory(readFileSync(createRequire(import.meta.url).resolve("pyodide/pyodide.asm.wasm")));
// The same path as in the worker (editor/src/worker.js), which writes the same file there before any import.
pyodide.FS.writeFile("/python.zip", new Uint8Array(readFileSync(zip)));
pyodide.runPython("import sys; sys.path.insert(0, '/python.zip')");
pyodide.runPython("import service.explorer.runner, flask, werkzeug.test, service.demos");
if (pyodide._module.HEAP8.length > initial) {
  throw new Error(`Python's memory grew past the ${initial} bytes it starts with: a snapshot of it would not load`);
}
writeFileSync(target, pyodide.makeMemorySnapshot());
