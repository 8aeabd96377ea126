"""Run the real server (`python -m server`) in a subprocess on a free loopback port."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from server.settings import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """One server process; it can be stopped, killed and started again on the same port."""

    def __init__(self, database: Path | str, port: int | None = None, **env: str):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            # A file for SQLite, or a database URL as it is (PostgreSQL).
            "DATABASE_URL": database if isinstance(database, str) else f"sqlite:///{database}",
            "LOG_LEVEL": "warning",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        self.process = subprocess.Popen([sys.executable, "-m", "server"], cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return self.base
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not answer /healthz within 30 s")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, as when a machine loses power to the process."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextmanager
def live_server(database: Path | str, port: int | None = None, **env: str) -> Iterator[str]:
    """Start the server, wait until /healthz answers, yield its base URL, stop it.

    Give `port` to restart a server on the same origin (a service worker and
    its caches belong to the origin).
    """
    server = LiveServer(database, port, **env)
    try:
        yield server.start()
    finally:
        server.stop()
