// Build step (node, in the Dockerfile's editor stage): a zip of Python modules with bytecode for Pyodide's
// Python. The image's Python is not Pyodide's (3.13 against 3.14), so Pyodide itself compiles. Run imports
// from two zips, in place (zipimport, nothing unpacked): Pyodide's standard library, which its npm package
// ships as source only (compiling it at every start was most of Python's start in the browser), and
// python.zip (scripts/python_zip.py: Flask, its dependencies and the lessons). Not optimized: Flask's
// asserts are part of what it does.
// Every module keeps only its bytecode, beside where the source was (zipimport's layout), except below
// KEEP: the service's lesson modules keep their source too, which the runner reads; their bytecode is
// marked "unchecked" so zipimport never compares it with that source. Python's messages show only frames
// of the learner's code, so no other source is needed.
// Usage: node src/compile.mjs IN.zip OUT.zip [KEEP]
import { readFileSync, writeFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [source, target, keep = ""] = process.argv.slice(2);
const pyodide = await loadPyodide();
pyodide.unpackArchive(new Uint8Array(readFileSync(source)), "zip", { extractDir: "/in" });
pyodide.globals.set("keep", keep);
pyodide.runPython(`
import os, py_compile, zipfile

for folder, _, files in os.walk("/in"):
    for name in files:
        if not name.endswith(".py"):
            continue
        path = os.path.join(folder, name)
        relative = os.path.relpath(path, "/in")
        try:
            py_compile.compile(path, path + "c", relative, doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        except py_compile.PyCompileError:
            continue  # not Python 3.14 (a test fixture): left as it is, never imported
        if not (keep and relative.startswith(keep + "/")):
            os.remove(path)
with zipfile.ZipFile("/out.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    for folder, folders, files in sorted(os.walk("/in")):
        folders.sort()
        if folder != "/in":  # a folder's own entry: how zipimport finds a namespace package
            archive.writestr(zipfile.ZipInfo(os.path.relpath(folder, "/in") + "/", date_time=(2020, 1, 1, 0, 0, 0)), b"")
        for name in sorted(files):
            path = os.path.join(folder, name)
            # A fixed date: the same files make the same zip, so its URL (its content hash) is stable.
            info = zipfile.ZipInfo(os.path.relpath(path, "/in"), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as file:
                archive.writestr(info, file.read())
`);
writeFileSync(target, pyodide.FS.readFile("/out.zip"));
