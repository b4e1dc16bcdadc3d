"""What a suite, a script or the bench needs from this host: a free loopback port, a child stopped politely.

Standard library only. `python -m testkit.host` prints a free port (the Makefile's and CI's one helper).
"""

import signal
import socket
import subprocess


def free_port() -> int:
    """A port the kernel says is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def stop(process: "subprocess.Popen[bytes]", seconds: float = 25.0) -> None:
    """SIGTERM (a graceful stop for Gunicorn and Prometheus alike), then SIGKILL after `seconds`."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


if __name__ == "__main__":
    print(free_port())
