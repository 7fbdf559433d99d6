"""The one httpx client per DivioClient, and the policy every request passes through.

``PolicyClient`` / ``AsyncPolicyClient`` subclass httpx's clients and override only ``send``:
the read-only guard, retries, logging and the mapping of non-success responses to
``divio_ext.errors`` happen there. Transports are left to httpx, so proxies from the
environment and user-supplied transports, mounts and event hooks keep working.
"""

from __future__ import annotations

import platform
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpx

from .auth import TokenAuth
from .config import Settings
from .errors import ReadOnlyError, TransportError, error_from_response
from .logging_ import Redactor, log_exchange, log_failure, log_refused, log_retry
from .pacing import OVERLOAD_STATUSES, Pacing
from .retry import Attempts, RetryPolicy, server_may_have_acted

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_MANAGED_KWARGS = frozenset({"auth", "follow_redirects"})


@dataclass
class CallScope:
    """Per-call state shared with the HTTP layer through a context variable.

    The generated functions give us no way to pass options to the request they make, so a
    call opens a scope: it may override the retry policy, and it receives the last success
    response (needed to describe a body the generated model then fails to parse).
    """

    retry: RetryPolicy | None = None
    response: httpx.Response | None = None


_SCOPE: ContextVar[CallScope | None] = ContextVar("divio_ext_call_scope", default=None)


@contextmanager
def call_scope(retry: RetryPolicy | None = None) -> Iterator[CallScope]:
    scope = CallScope(retry=retry)
    reset = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(reset)


def user_agent() -> str:
    from . import __version__  # the package is fully imported once a client is built

    return f"divio-ext/{__version__} httpx/{httpx.__version__} python/{platform.python_version()}"


class RequestPolicy:
    """The rules both clients apply around each request; everything but the waiting.

    ``pacing`` is shared by every request of the client: one cool-down after a ``Retry-After``
    and one adaptive limit on requests in flight (see ``divio_ext.pacing``). Its times are read
    from the client's retry clock, whatever policy a single call overrides.
    """

    def __init__(
        self, *, retry: RetryPolicy, read_only: bool, redact: Redactor, pacing: Pacing
    ) -> None:
        self.retry = retry
        self.read_only = read_only
        self.redact = redact
        self.pacing = pacing

    def start(self, request: httpx.Request) -> Attempts:
        """Refuse writes in read-only mode (before anything is sent) and begin counting."""
        if self.read_only and request.method in WRITE_METHODS:
            log_refused(self.redact, request)
            raise ReadOnlyError(
                f"read-only mode: refused {request.method} {self.redact(str(request.url))} "
                "before sending it (read_only=True or DIVIO_READ_ONLY=1)"
            )
        scope = _SCOPE.get()
        policy = scope.retry if scope is not None and scope.retry is not None else self.retry
        return Attempts(policy, request.method)

    def pause(self, attempts: Attempts) -> float:
        """Seconds to wait for the client's cool-down before the next attempt (0: send now).

        A cool-down that outlasts the request's deadline is not waited for: the request goes
        out and, if the server still refuses it, fails at once instead of after a long wait.
        """
        remaining = self.pacing.cooldown.remaining(self.retry.clock.monotonic())
        return remaining if remaining <= attempts.left() else 0.0

    def observe(self, response: httpx.Response, attempts: Attempts) -> bool:
        """Start a client-wide cool-down if the server asked for one; True if it is overloaded."""
        if response.status_code in attempts.policy.retry_statuses:
            wait = attempts.retry_after(response)
            if wait is not None:
                self.pacing.cooldown.extend(self.retry.clock.monotonic() + wait)
        return response.status_code in OVERLOAD_STATUSES

    def transport_error(
        self, request: httpx.Request, exc: httpx.RequestError, attempts: Attempts
    ) -> TransportError:
        url = self.redact(str(request.url))
        tries = f" after {attempts.count} attempts" if attempts.count > 1 else ""
        acted = server_may_have_acted(request.method, exc=exc)
        error = TransportError(
            self.redact(
                f"{request.method} {url} got no response{tries}: {type(exc).__name__}: {exc} — "
                f"{_acted_note(acted) + ' — ' if acted is not None else ''}"
                "hint: check the network, proxy settings and DIVIO_API_URL"
            ),
            method=request.method,
            url=url,
            attempts=attempts.count,
        )
        error.server_may_have_acted = acted
        return error

    def finish(self, response: httpx.Response, attempts: Attempts) -> httpx.Response:
        """Return a success response; raise the matching error for anything else."""
        if response.is_success:
            scope = _SCOPE.get()
            if scope is not None:
                scope.response = response
            return response
        acted = server_may_have_acted(response.request.method, status=response.status_code)
        error = error_from_response(
            response,
            scrub=self.redact,
            retry_after=attempts.retry_after(response),
            attempts=attempts.count,
            note=_acted_note(acted) if acted is not None else None,
        )
        error.server_may_have_acted = acted
        raise error


def _acted_note(acted: bool) -> str:
    """The sentence that tells whether sending a failed write again could do it twice."""
    if acted:
        return "the server may have acted on it: check before sending it again"
    return "the server did not act on it: it is safe to send again"


class PolicyClient(httpx.Client):
    """``httpx.Client`` whose ``send`` applies a ``RequestPolicy``."""

    def __init__(self, policy: RequestPolicy, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.policy = policy

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        attempts = self.policy.start(request)
        clock = attempts.policy.clock
        redact = self.policy.redact
        while True:
            while (pause := self.policy.pause(attempts)) > 0:
                self.policy.retry.clock.sleep(pause)
            try:
                response = self._attempt(request, attempts, kwargs)
            except httpx.RequestError as exc:
                log_failure(redact, request, exc, attempts.elapsed(), attempts.count)
                wait = attempts.after_error(exc)
                if wait is None:
                    raise self.policy.transport_error(request, exc, attempts) from exc
            else:
                log_exchange(redact, request, response, attempts.elapsed(), attempts.count)
                wait = attempts.after_response(response)
                if wait is None:
                    if not response.is_success:
                        response.read()
                    return self.policy.finish(response, attempts)
                response.close()
            log_retry(redact, request, wait, attempts.count)
            clock.sleep(wait)

    def _attempt(
        self, request: httpx.Request, attempts: Attempts, kwargs: dict[str, Any]
    ) -> httpx.Response:
        """One attempt, holding a slot of the client's concurrency limit while it is in flight."""
        limit = self.policy.pacing.limit
        slot = limit.acquire()
        overloaded = False
        try:
            attempts.begin()
            response = super().send(request, **kwargs)
            overloaded = self.policy.observe(response, attempts)
            return response
        finally:
            limit.release(slot, overloaded=overloaded)


class AsyncPolicyClient(httpx.AsyncClient):
    """``httpx.AsyncClient`` whose ``send`` applies a ``RequestPolicy``."""

    def __init__(self, policy: RequestPolicy, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.policy = policy

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        attempts = self.policy.start(request)
        clock = attempts.policy.clock
        redact = self.policy.redact
        while True:
            while (pause := self.policy.pause(attempts)) > 0:
                await self.policy.retry.clock.async_sleep(pause)
            try:
                response = await self._attempt(request, attempts, kwargs)
            except httpx.RequestError as exc:
                log_failure(redact, request, exc, attempts.elapsed(), attempts.count)
                wait = attempts.after_error(exc)
                if wait is None:
                    raise self.policy.transport_error(request, exc, attempts) from exc
            else:
                log_exchange(redact, request, response, attempts.elapsed(), attempts.count)
                wait = attempts.after_response(response)
                if wait is None:
                    if not response.is_success:
                        await response.aread()
                    return self.policy.finish(response, attempts)
                await response.aclose()
            log_retry(redact, request, wait, attempts.count)
            await clock.async_sleep(wait)

    async def _attempt(
        self, request: httpx.Request, attempts: Attempts, kwargs: dict[str, Any]
    ) -> httpx.Response:
        """One attempt, holding a slot of the client's concurrency limit while it is in flight."""
        limit = self.policy.pacing.limit
        slot = await limit.acquire_async()
        overloaded = False
        try:
            attempts.begin()
            response = await super().send(request, **kwargs)
            overloaded = self.policy.observe(response, attempts)
            return response
        finally:
            limit.release(slot, overloaded=overloaded)


def client_options(
    settings: Settings,
    *,
    retry: RetryPolicy,
    timeout: httpx.Timeout | float | None,
    httpx_kwargs: dict[str, Any],
) -> dict[str, Any]:
    """Constructor arguments for a Policy client: ours, merged with the user's httpx ones."""
    managed = sorted(_MANAGED_KWARGS & httpx_kwargs.keys())
    if managed:
        raise TypeError(
            f"{', '.join(managed)} cannot be passed to DivioClient: the client manages them "
            "(redirects are never followed so the token cannot leak to another host)"
        )
    options = dict(httpx_kwargs)
    headers = httpx.Headers(options.pop("headers", None))
    headers.setdefault("User-Agent", user_agent())
    headers.setdefault("Accept", "application/json")
    return {
        **options,
        "policy": RequestPolicy(
            retry=retry,
            read_only=settings.read_only,
            redact=Redactor([settings.token]),
            pacing=Pacing(),
        ),
        "base_url": settings.base_url,
        "auth": TokenAuth(settings.token, settings.base_url),
        "follow_redirects": False,
        "timeout": timeout,
        "headers": headers,
    }
