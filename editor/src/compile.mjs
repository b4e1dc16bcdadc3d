// Build step (node, in the Dockerfile's editor stage): python.zip with bytecode for Pyodide's Python.
// The image's Python is not Pyodide's (3.13 against 3.14), so Pyodide itself compiles: importing Flask
// from source was half of Run's first start. Not optimized: Flask's asserts are part of what it does.
// The packages keep only their bytecode, beside where the
// source was (Python's messages show only frames of the learner's code); the service's lesson modules
// keep their source, which the runner reads.
// Usage: node src/compile.mjs IN.zip OUT.zip
import { readFileSync, writeFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [source, target] = process.argv.slice(2);
const pyodide = await loadPyodide();
pyodide.unpackArchive(new Uint8Array(readFileSync(source)), "zip", { extractDir: "/run" });
pyodide.runPython(`
import compileall, os, zipfile

for package in os.listdir("/run"):
    if package != "service" and os.path.isdir(f"/run/{package}"):
        compileall.compile_dir(f"/run/{package}", quiet=1, legacy=True)
        for folder, _, files in os.walk(f"/run/{package}"):
            for name in files:
                if name.endswith(".py"):
                    os.remove(os.path.join(folder, name))
with zipfile.ZipFile("/python.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    for folder, folders, files in sorted(os.walk("/run")):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            # A fixed date: the same files make the same zip, so its URL (its content hash) is stable.
            info = zipfile.ZipInfo(os.path.relpath(path, "/run"), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as file:
                archive.writestr(info, file.read())
`);
writeFileSync(target, pyodide.FS.readFile("/python.zip"));
