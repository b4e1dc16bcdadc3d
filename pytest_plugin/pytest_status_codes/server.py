"""The service under Gunicorn on a loopback port, as an object shaped like pytest-httpbin's Server.

The server is the real one: `service/` (bundled in the wheel, or the checkout's own folder when this
package runs from a checkout) started by the same interpreter with the container's Gunicorn settings
(service/server/gunicorn.conf.py), its worker included. Nothing is mocked or run in-process: a client
suite talks to what `docker compose up` serves, minus the container around it.
"""

import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Self
from urllib.parse import urljoin

# How long the service may take to answer /healthz after Gunicorn starts (it imports Flask, gevent and
# the lessons, then forks one worker): seconds, far above the second or two it takes on a laptop.
START_TIMEOUT = 60.0
# The hosts the two fixture servers run on: each may redirect a client to the other.
LOOPBACK_HOSTS = "127.0.0.1,localhost"
# How long a graceful stop (SIGTERM) may take before the server is killed.
STOP_TIMEOUT = 15.0


def service_root() -> Path:
    """The folder that holds `service/`: the copy inside the installed wheel, else this checkout's."""
    here = Path(__file__).resolve().parent
    for root in (here / "_service", here.parent.parent):
        if (root / "service" / "server" / "gunicorn.conf.py").is_file():
            return root
    raise RuntimeError(
        f"pytest_status_codes: no service/ beside {here}: install the plugin from a checkout "
        "(pip install ./pytest_plugin) or run it from one"
    )


class Server:
    """One Gunicorn serving the service on 127.0.0.1, started by start() and stopped by stop().

    `url`, `host`, `port`, `protocol`, `join()` and `+` behave as pytest-httpbin's Server's do. With
    `external_url`, nothing is started: the object points at a service already running (a container).
    """

    # As pytest-httpbin: a fixed port from the environment, else a free one.
    port_envvar = "HTTPBIN_HTTP_PORT"
    protocol = "http"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, external_url: str | None = None) -> None:
        self.host = host
        self.port = int(os.environ.get(self.port_envvar, port))
        self.external_url = external_url.rstrip("/") if external_url else None
        self.ca_bundle: str | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._workdir: str | None = None

    @property
    def url(self) -> str:
        return self.external_url or f"{self.protocol}://{self.host}:{self.port}"

    def join(self, url: str, allow_fragments: bool = True) -> str:
        return urljoin(self.url, url, allow_fragments=allow_fragments)

    def __add__(self, other: str) -> str:
        return self.url + other

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _environment(self, workdir: Path) -> dict[str, str]:
        """The service's settings (README's configuration table): one worker, no metrics port, and
        /redirect-to may send a client to the other fixture's server (loopback, another port), as a
        suite written for pytest-httpbin does (unless REDIRECT_ALLOWED_HOSTS is set already)."""
        root = service_root()
        path = os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p)
        return {
            **os.environ,
            "PYTHONPATH": path,
            "METRICS_PORT": "0",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_LOGLEVEL": "warning",
            "REDIRECT_ALLOWED_HOSTS": os.environ.get("REDIRECT_ALLOWED_HOSTS", LOOPBACK_HOSTS),
        }

    def start(self) -> None:
        if self.external_url or self._process is not None:
            return
        self._workdir = tempfile.mkdtemp(prefix="pytest-status-codes-")
        workdir = Path(self._workdir)
        env = self._environment(workdir)
        # A socket bound here and handed to Gunicorn (fd://): the port is ours before the server starts,
        # so no other process can take it between choosing and binding, as with pytest-httpbin's port 0.
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        env["GUNICORN_BIND"] = f"fd://{listener.fileno()}"
        root = service_root()
        log = open(workdir / "server.log", "wb")  # noqa: SIM115 - closed when the process is stopped
        try:
            self._process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--config",
                    str(root / "service" / "server" / "gunicorn.conf.py"),
                    "--access-logfile",
                    "/dev/null",
                ],
                cwd=root,
                env=env,
                stdout=log,
                stderr=log,
                pass_fds=(listener.fileno(),),
            )
        finally:
            listener.close()
            log.close()
        self._wait_healthy(self._process, workdir / "server.log")

    def _open(self, url: str, timeout: float) -> Any:
        context = ssl.create_default_context(cafile=self.ca_bundle) if self.ca_bundle else None
        return urllib.request.urlopen(url, timeout=timeout, context=context)  # noqa: S310 - our own URL

    def _wait_healthy(self, process: "subprocess.Popen[bytes]", log: Path) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                with self._open(self.join("/healthz"), timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        self.stop(keep_log=True)
        tail = log.read_text(errors="replace").splitlines()[-30:] if log.exists() else []
        raise RuntimeError(
            f"pytest_status_codes: the service did not answer {self.url}/healthz within "
            f"{START_TIMEOUT:g} s; its log ({log}) ends:\n" + "\n".join(tail)
        )

    def stop(self, keep_log: bool = False) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
            self._process = None
        if self._workdir is not None and not keep_log:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None


class SecureServer(Server):
    """The same service over HTTPS: a CA and a certificate for 127.0.0.1 and localhost made at start
    (trustme), handed to the service as TLS_CERT/TLS_KEY; `ca_bundle` is the CA's PEM file to trust."""

    port_envvar = "HTTPBIN_HTTPS_PORT"
    protocol = "https"

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        external_url: str | None = None,
        ca_bundle: str | None = None,
    ) -> None:
        super().__init__(host, port, external_url)
        self.ca_bundle = ca_bundle

    def _environment(self, workdir: Path) -> dict[str, str]:
        import trustme  # only the secure server needs it

        authority = trustme.CA(organization_name="pytest-status-codes")
        leaf = authority.issue_cert("127.0.0.1", "localhost")
        self.ca_bundle = str(workdir / "ca.pem")
        authority.cert_pem.write_to_path(self.ca_bundle)
        cert, key = workdir / "cert.pem", workdir / "key.pem"
        for blob in leaf.cert_chain_pems:
            blob.write_to_path(str(cert), append=True)
        leaf.private_key_pem.write_to_path(str(key))
        return {**super()._environment(workdir), "TLS_CERT": str(cert), "TLS_KEY": str(key)}

    def stop(self, keep_log: bool = False) -> None:
        super().stop(keep_log)
        if not self.external_url:
            self.ca_bundle = None
