"""A push "service" on the loopback address that misbehaves on purpose: it hangs,
trickles its answer a byte at a time, redirects, or sends 200 MB. It counts the
connections it holds at once, and a second server records anything that
reaches the redirect's target."""

import socket
import threading
import time
from typing import Any

HUGE = 200 * 1024 * 1024


class HostilePush:
    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.target = socket.create_server(("127.0.0.1", 0))  # where /redirect points
        self.target_port = self.target.getsockname()[1]
        self.redirected: list[bytes] = []
        self.seen: list[str] = []
        self.open = 0
        self.most_open = 0
        self.sent_bytes = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def endpoint(self, behaviour: str, n: int = 0) -> str:
        return f"http://127.0.0.1:{self.port}/{behaviour}/{n}"

    def __enter__(self) -> "HostilePush":
        threading.Thread(
            target=self._accept, args=(self.listener, self._serve), daemon=True
        ).start()
        threading.Thread(target=self._accept, args=(self.target, self._record), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.listener.close()
        self.target.close()

    def _accept(self, server: socket.socket, handle: Any) -> None:
        while not self.stopping.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(connection,), daemon=True).start()

    def _record(self, connection: socket.socket) -> None:
        with connection:
            self.redirected.append(connection.recv(65536))
            connection.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")

    def _serve(self, connection: socket.socket) -> None:
        with self.lock:
            self.open += 1
            self.most_open = max(self.most_open, self.open)
        try:
            with connection:
                request = read_request(connection)
                behaviour = request.split(b" ", 2)[1].decode().split("/")[1]
                self.seen.append(behaviour)
                getattr(self, f"_{behaviour}")(connection)
        except OSError:
            pass  # the client cut us off: what it should do
        finally:
            with self.lock:
                self.open -= 1

    def _hang(self, connection: socket.socket) -> None:
        """Answer nothing, until the client gives up and closes."""
        connection.settimeout(0.05)
        while not self.stopping.is_set():
            try:
                if not connection.recv(1):
                    return
            except TimeoutError:
                continue

    def _trickle(self, connection: socket.socket) -> None:
        connection.sendall(b"HTTP/1.1 201 Created\r\n")
        for _ in range(600):
            if self.stopping.is_set():
                return
            connection.sendall(b"X")
            time.sleep(0.1)

    def _redirect(self, connection: socket.socket) -> None:
        location = f"http://127.0.0.1:{self.target_port}/steal"
        connection.sendall(
            f"HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\n"
            "Content-Length: 0\r\n\r\n".encode()
        )

    def _huge(self, connection: socket.socket) -> None:
        connection.sendall(f"HTTP/1.1 201 Created\r\nContent-Length: {HUGE}\r\n\r\n".encode())
        block = b"\0" * 65536
        while self.sent_bytes < HUGE and not self.stopping.is_set():
            connection.sendall(block)
            self.sent_bytes += len(block)


def read_request(connection: socket.socket) -> bytes:
    """The request line and headers, and the body its Content-Length says."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return head
