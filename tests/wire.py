"""A raw TCP server on loopback for tests that need real sockets (deadlines, proxies).

``httpx.MockTransport`` never touches a socket, so it cannot show how long a slow server holds
a request, nor which address a request really went to. ``WireServer`` accepts connections on
``127.0.0.1``, records the bytes of each request head, and answers with a script: a list of
``(bytes, pause)`` steps, sent in order with a pause after each, so a test can play a server
that trickles its answer.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

Script = Sequence[tuple[bytes, float]]


def json_answer(body: bytes, status: str = "200 OK") -> bytes:
    """A complete HTTP/1.1 response with a JSON body."""
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


class WireServer:
    """Answers every connection with ``script``; ``requests`` holds each request head."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[bytes] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            with connection:
                self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = connection.recv(65536)
            if not chunk:
                return
            head += chunk
        self.requests.append(head)
        for data, pause in self.script:
            if self._stop.is_set():
                return
            try:
                connection.sendall(data)
            except OSError:  # the client gave up and closed the connection
                return
            time.sleep(pause)


@contextmanager
def serving(script: Script) -> Iterator[WireServer]:
    server = WireServer(script)
    server._thread.start()
    try:
        yield server
    finally:
        server._stop.set()
        server._thread.join()
        server._listener.close()
