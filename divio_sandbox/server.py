"""``Sandbox``: run the sandbox in this process (a uvicorn thread) or as a subprocess.

In-process is fastest for tests and exposes the live clock and settings objects. The
subprocess mode runs ``python -m divio_sandbox`` exactly as a user would and controls it
through the ``/_sandbox/`` endpoints, so the same ``Sandbox`` API works for both.
"""

import socket
import sys
import threading
import time
from datetime import datetime
from subprocess import PIPE, Popen, TimeoutExpired
from types import TracebackType
from typing import Any, Protocol

import httpx
import uvicorn

from divio_sandbox.app import create_app
from divio_sandbox.clock import Clock
from divio_sandbox.runtime import Runtime, create_runtime
from divio_sandbox.seed import DEFAULT_BACKUPS

HOST = "127.0.0.1"
LISTENING = "Sandbox listening on "
TOKEN_LINE = "token "  # noqa: S105 (a line prefix, not a secret)
READY_LINE = "Press Ctrl-C to stop."
START_TIMEOUT = 30.0


class ClockControl(Protocol):
    def now(self) -> datetime: ...

    def advance(self, seconds: float) -> datetime: ...


def listening_socket(port: int) -> socket.socket:
    """A socket bound to loopback only (0 = any free port), already listening."""
    # IPPROTO_TCP explicitly: asyncio enables TCP_NODELAY only on sockets whose proto says TCP,
    # and without it every response waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    sock.listen(2048)
    return sock


def uvicorn_server(runtime: Runtime) -> uvicorn.Server:
    config = uvicorn.Config(
        create_app(runtime),
        log_config=None,  # leave the host program's logging alone (and no setup race)
        log_level="warning",
        access_log=False,
        lifespan="off",
        loop="asyncio",
        timeout_graceful_shutdown=2,
        timeout_keep_alive=30,
    )
    return uvicorn.Server(config)


class RemoteClock:
    """The clock of a sandbox subprocess, driven through its control endpoints."""

    def __init__(self, url: str) -> None:
        self._url = url
        self.mode = httpx.get(f"{url}/_sandbox/clock").json()["mode"]

    def now(self) -> datetime:
        return datetime.fromisoformat(httpx.get(f"{self._url}/_sandbox/clock").json()["now"])

    def advance(self, seconds: float) -> datetime:
        response = httpx.post(f"{self._url}/_sandbox/clock/advance", json={"seconds": seconds})
        response.raise_for_status()
        return datetime.fromisoformat(response.json()["now"])


class Sandbox:
    """A local Divio-compatible API server; use it as a context manager.

    ``url`` is ``http://127.0.0.1:<port>``; ``tokens`` maps ``alice``, ``mallory``, ``victor``
    (read-only) and ``nora`` (in no organisation) to their API tokens; ``clock.advance(seconds)``
    makes long-running work progress; ``configure(...)`` changes latency, chaos and the other
    settings of ``Knobs`` while it runs; ``stats()`` counts the requests served.
    """

    def __init__(
        self,
        seed: int = 0,
        backups: int = DEFAULT_BACKUPS,
        latency: float = 0.0,
        chaos: float = 0.0,
        ignore_filters: bool = False,
        clock: str = "fixed",
        port: int = 0,
        subprocess: bool = False,
        extra_applications: int = 0,
        **settings: Any,
    ) -> None:
        self.seed, self.backups, self.port = seed, backups, port
        self.extra_applications = extra_applications
        self._clock_mode = clock
        self._settings = {
            "latency": latency,
            "chaos": chaos,
            "ignore_filters": ignore_filters,
            **settings,
        }
        self._subprocess = subprocess
        self.url = ""
        self.tokens: dict[str, str] = {}
        self.clock: ClockControl = Clock(clock)
        self.runtime: Runtime | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._process: Popen[str] | None = None

    def __repr__(self) -> str:
        mode = "subprocess" if self._subprocess else "in-process"
        return f"<Sandbox {self.url or 'stopped'} ({mode})>"

    def __enter__(self) -> "Sandbox":
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        if self._subprocess:
            self._start_process()
        else:
            self._start_thread()

    def stop(self) -> None:
        """Shut the server down (idempotent)."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._server.force_exit = True  # do not wait for idle keep-alive connections
            self._thread.join(timeout=10)
            self._server = self._thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except TimeoutExpired:
                self._process.kill()
                self._process.wait()
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None

    @property
    def process_id(self) -> int | None:
        """The server's process id while it runs as a subprocess (``None`` in-process or
        stopped), to profile it or to choose the CPUs it runs on."""
        return None if self._process is None else self._process.pid

    def configure(self, **changes: Any) -> dict[str, Any]:
        """Change settings at run time (see ``Knobs``); returns them all."""
        if self.runtime is not None:
            self.runtime.knobs.update(**changes)
            return self.runtime.knobs.as_dict()
        if "faults" in changes:
            changes["faults"] = list(changes["faults"])
        response = httpx.post(f"{self.url}/_sandbox/configure", json=changes)
        if response.status_code == 400:
            raise ValueError(response.json()["detail"])
        response.raise_for_status()
        settings: dict[str, Any] = response.json()["settings"]
        return settings

    def reset(self) -> None:
        """Back to the state right after start: seeded data, clock, settings and counters."""
        if self.runtime is not None:
            self.runtime.reset()
            self.clock = self.runtime.clock
        else:
            httpx.post(f"{self.url}/_sandbox/reset", json={}).raise_for_status()

    def stats(self) -> dict[str, Any]:
        """``{"total": n, "requests": {"GET /apps/v3/backups/": n, ...}, "faults": {...}}``."""
        if self.runtime is not None:
            return self.runtime.stats.snapshot()
        snapshot: dict[str, Any] = httpx.get(f"{self.url}/_sandbox/stats").json()
        return snapshot

    def reset_stats(self) -> None:
        if self.runtime is not None:
            self.runtime.stats.reset()
        else:
            httpx.post(f"{self.url}/_sandbox/stats/reset", json={}).raise_for_status()

    def _start_thread(self) -> None:
        runtime = create_runtime(
            self.seed, self.backups, self._clock_mode, self._settings, self.extra_applications
        )
        self.runtime = runtime
        self.clock = runtime.clock
        self.tokens = dict(runtime.store.user_tokens)
        self._socket = listening_socket(self.port)
        self.url = f"http://{HOST}:{self._socket.getsockname()[1]}"
        self._server = uvicorn_server(runtime)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the sandbox server did not start")
            time.sleep(0.005)

    def _start_process(self) -> None:
        command = [sys.executable, "-m", "divio_sandbox", *self._arguments()]
        self._process = Popen(command, stdout=PIPE, text=True)  # noqa: S603 (our own module)
        assert self._process.stdout is not None
        for line in self._process.stdout:
            text = line.strip()
            if text.startswith(LISTENING):
                self.url = text.removeprefix(LISTENING)
            elif text.startswith(TOKEN_LINE):
                name, _, token = text.removeprefix(TOKEN_LINE).partition(": ")
                self.tokens[name] = token
            elif text == READY_LINE:
                break
        else:
            self.stop()
            raise RuntimeError("the sandbox subprocess exited before it was ready")
        self.clock = RemoteClock(self.url)

    def _arguments(self) -> list[str]:
        settings = dict(self._settings)
        arguments = [
            f"--seed={self.seed}",
            f"--backups={self.backups}",
            f"--extra-applications={self.extra_applications}",
            f"--clock={self._clock_mode}",
            f"--port={self.port}",
            f"--latency={settings.pop('latency')}",
            f"--chaos={settings.pop('chaos')}",
        ]
        if settings.pop("ignore_filters"):
            arguments.append("--ignore-filters")
        return arguments if not settings else [*arguments, *_extra(settings)]


def _extra(settings: dict[str, Any]) -> list[str]:
    """Other settings are passed on the command line only if the CLI knows them."""
    if "failure_rate" in settings:
        return [f"--failure-rate={settings.pop('failure_rate')}", *_extra(settings)]
    if settings:
        raise ValueError(f"not settable at start in subprocess mode: {', '.join(settings)}")
    return []
