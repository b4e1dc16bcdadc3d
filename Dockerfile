# The service image: Gunicorn + Flask from the hashed lock file, run as a fixed non-root UID.
# PYTHON_IMAGE lets CI or an offline machine substitute a locally built stand-in for the official image.
ARG PYTHON_IMAGE=python:3.13-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
# Dependencies get their own layer, rebuilt only when the lock file changes. The test suites some wheels
# ship (gevent, greenlet, zope.interface: about 2 MB here) are never imported at run time: removed.
COPY requirements.lock /tmp/requirements.lock
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-deps --require-hashes --only-binary=:all: -r /tmp/requirements.lock \
 && /opt/venv/bin/pip uninstall -y pip \
 && find /opt/venv -name __pycache__ -prune -exec rm -rf {} + \
 && rm -rf /opt/venv/lib/python3*/site-packages/gevent/tests /opt/venv/lib/python3*/site-packages/greenlet/tests \
    /opt/venv/lib/python3*/site-packages/zope/interface/tests /opt/venv/lib/python3*/site-packages/zope/interface/common/tests

# The explorer's Edit and Run (editor/): CodeMirror bundled by esbuild, and Pyodide's own files, from the
# npm registry through the committed lock file (integrity hashes, no registry URL in it). Debian's node and
# npm exist only in this stage; the image gets the built files. The npm layers rebuild only when
# editor/package*.json changes.
FROM ${PYTHON_IMAGE} AS editor
# DL3008: the build tools are trixie's node and npm, whatever revision the mirror has; what reaches the
# image is pinned by package-lock.json's integrity hashes, not by npm's version.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /editor
COPY editor/package.json editor/package-lock.json editor/.npmrc ./
# --ignore-scripts: no package runs code at install (esbuild's binary comes as its own package).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY editor/src/ src/
# Only the Pyodide files Run loads (no source maps, consoles, type files, nor its standard library as
# source: compiled below), in a folder named by its version: a new Pyodide is a new URL, so the old files
# may stay cached for a year.
RUN npm run build \
 && version="$(node -p 'require("pyodide/package.json").version')" \
 && mkdir -p "/out/run/pyodide-$version" \
 && cp dist/edit.js src/worker.js /out/run/ \
 && for name in pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm pyodide-lock.json; do \
      cp "node_modules/pyodide/$name" "/out/run/pyodide-$version/"; done
# What Run imports in the browser, compiled to bytecode by Pyodide's own Python (editor/src/compile.mjs):
# its standard library, and python.zip (Flask and its dependencies as the build stage installed them from
# requirements.lock, and the lesson modules: scripts/python_zip.py). Then every larger file but the zips (already compressed inside) is kept only gzipped, which the service sends as it is
# (service/explorer/assets.py).
COPY --from=build /opt/venv /opt/venv
COPY service/ /src/service/
COPY scripts/python_zip.py /src/scripts/python_zip.py
WORKDIR /src
RUN PYTHONPATH=/src /opt/venv/bin/python scripts/python_zip.py /tmp/source
WORKDIR /editor
RUN node src/compile.mjs /tmp/source/python.zip /out/run/python.zip service \
 && node src/compile.mjs node_modules/pyodide/python_stdlib.zip /out/run/python_stdlib.zip \
 && find /out/run -type f -size +100k ! -name '*.zip' -exec gzip -9 -n {} +

FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY service/ service/
COPY --from=editor /out/run/ service/explorer/static/run/
# Bytecode for what a worker imports (scripts/precompile.py): a shorter cold start (docs/performance.md).
COPY scripts/precompile.py /tmp/precompile.py
RUN PYTHONPATH=/app python /tmp/precompile.py && rm /tmp/precompile.py
USER 10001:10001
# 8000: the service; 9100: its Prometheus metrics (METRICS_PORT), for the host or a scraper only.
EXPOSE 8000 9100
# The health check is bash's /dev/tcp, no Python process and no curl in the image: one GET /healthz,
# healthy on a 200 status line (about 1 ms of CPU against about 40 ms for `python -c urllib...`;
# docs/running.md measures it). Every 10 s, as Kubernetes probes default to.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-8000} && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && read -r -t 2 _ code _ <&3 && [ \"$code\" = 200 ]"]
# Exec form: Gunicorn is PID 1 and receives SIGTERM itself, which it treats as a graceful stop.
CMD ["gunicorn", "--config", "service/server/gunicorn.conf.py"]
