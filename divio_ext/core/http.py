"""The one httpx client per DivioClient, and the policy every request passes through.

``PolicyClient`` / ``AsyncPolicyClient`` subclass httpx's clients and override only ``send``:
the read-only guard, retries, the per-request deadline, the body size limits, logging and the
mapping of non-success responses to ``divio_ext.core.errors`` happen there. Transports are left to
httpx, so proxies from the environment and user-supplied transports, mounts and event hooks
keep working (except that a loopback API is never reached through a proxy).

httpx's timeouts bound each socket operation, not the exchange: a server that sends one header
line or one body byte just before each read timeout could hold a request forever. So every
attempt also gets a wall-clock deadline (the largest value of the client's ``timeout``, 30 s by
default). The async client wraps the attempt in ``anyio.fail_after``; the sync client cannot be
interrupted from outside, so its httpcore connection pools get a network backend whose socket
operations never wait past the deadline (:mod:`.network`).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import platform
import ssl
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import anyio
import httpx

from . import network, pool
from .auth import TokenAuth
from .config import Settings, is_loopback
from .errors import (
    APIConnectionError,
    APITimeoutError,
    ConfigurationError,
    ReadOnlyError,
    ResponseTooLarge,
    decode_error,
    error_from_response,
)
from .logging_ import SCRUBBER, Redactor, log_exchange, log_failure, log_refused, log_retry
from .pacing import DEFAULT_CEILING, OVERLOAD_STATUSES, Pacing
from .retry import Attempts, RetryPolicy, server_may_have_acted
from .version import __version__

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
#: What read-only mode lets through: an allow-list, so that an unusual method is refused too.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: A success body larger than this is refused (``ResponseTooLarge``): a page of 100 objects is
#: a few hundred KiB, so only a broken or hostile server sends more.
MAX_BODY_BYTES = 64 * 1024 * 1024
#: Of an error body only this much is read: enough for any DRF error and the message excerpt.
MAX_ERROR_BODY_BYTES = 64 * 1024
#: Success bodies with more opening brackets than this are checked for nesting that Python's
#: JSON parser cannot handle (it raises ``RecursionError`` near 1000 levels).
MAX_JSON_NESTING = 500
#: What a body nested deeper than a parser can read is called in its ``ResponseDecodeError``.
NESTED_TOO_DEEPLY = "JSON nested too deeply to parse"
_MANAGED_KWARGS = frozenset({"auth", "follow_redirects"})
#: The connection pool keeps alive as many connections as the client lets requests be in flight
#: (the pacing ceiling). httpx keeps 20, so a workflow with 32 pages in flight would close 12
#: connections after every round and open 12 new ones (a TLS handshake each, against the API).
POOL_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=DEFAULT_CEILING)


@dataclasses.dataclass
class CallScope:
    """Per-call state shared with the HTTP layer through a context variable.

    The generated functions give us no way to pass options to the request they make, so a
    call opens a scope: it may override the retry policy, and it receives the last success
    response (needed to describe a body the generated model then fails to parse).
    """

    retry: RetryPolicy | None = None
    response: httpx.Response | None = None
    #: Whether the call reads the body with a parser that refuses deep nesting itself
    #: (msgspec, in :mod:`.rows`), so that :func:`too_deeply_nested` need not look first.
    parser_limits_depth: bool = False


_SCOPE: ContextVar[CallScope | None] = ContextVar("divio_ext_call_scope", default=None)
_REPEATABLE: ContextVar[bool] = ContextVar("divio_ext_repeatable", default=False)


@contextmanager
def repeatable() -> Iterator[None]:
    """Requests sent inside are retried like reads, writes included, by the policy in force.

    For a write that only asks for work which changes no data (preparing a backup download):
    sending it twice costs the server a second preparation, while giving up at a proxy's 502
    costs the caller the whole command. Not for writes in general: see
    ``RetryPolicy.retry_non_idempotent``.
    """
    reset = _REPEATABLE.set(True)
    try:
        yield
    finally:
        _REPEATABLE.reset(reset)


@contextmanager
def call_scope(
    retry: RetryPolicy | None = None, *, parser_limits_depth: bool = False
) -> Iterator[CallScope]:
    scope = CallScope(retry=retry, parser_limits_depth=parser_limits_depth)
    reset = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(reset)


def user_agent() -> str:

    return f"divio-ext/{__version__} httpx/{httpx.__version__} python/{platform.python_version()}"


def deadline_of(timeout: httpx.Timeout | float | None) -> float:
    """Seconds an attempt may take in total: the largest value of the client's ``timeout``.

    ``None`` (no timeout at all, for some or every operation) is refused: a request must not be
    able to hang forever.
    """
    settings = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
    values = (settings.connect, settings.read, settings.write, settings.pool)
    if any(value is None for value in values):
        raise ConfigurationError(
            "timeout=None (no timeout) is not allowed: a stalled server would hang the request "
            "forever; pass seconds instead, e.g. timeout=120 or httpx.Timeout(60, connect=10)"
        )
    return max(float(value) for value in values if value is not None)


class _Body:
    """Collects a response body up to a limit; shared by the sync and async readers."""

    def __init__(self, response: httpx.Response, limit: int) -> None:
        self.response = response
        self.limit = limit
        self.chunks: list[bytes] = []
        self.size = 0

    def add(self, chunk: bytes) -> bool:
        """Keep ``chunk`` (cut at the limit); False once the limit is reached."""
        room = self.limit - self.size
        self.chunks.append(chunk[:room])
        self.size += len(chunk)
        return self.size <= self.limit

    def finish(self, redact: Redactor) -> None:
        """Store the body on the response; a success body over the limit is an error."""
        if self.size > self.limit and self.response.is_success:
            request = self.response.request
            raise ResponseTooLarge(
                f"{request.method} {redact(str(request.url))} returned a body larger than "
                f"{self.limit} bytes; refusing to read it — hint: a proxy or a wrong "
                "DIVIO_API_URL may be answering instead of the Divio API"
            )
        # httpx has no public way to set the content of a response read in pieces.
        self.response._content = b"".join(self.chunks)


def _limit(response: httpx.Response) -> int:
    return MAX_BODY_BYTES if response.is_success else MAX_ERROR_BODY_BYTES


def too_deeply_nested(content: bytes) -> bool:
    """Whether parsing ``content`` as JSON would exhaust Python's recursion limit.

    Counting brackets is cheap; only bodies with many of them are parsed a second time. This
    runs a few frames deeper than the generated parser will, so it errs on the safe side. A
    call whose parser limits nesting itself skips it (:attr:`CallScope.parser_limits_depth`).
    """
    if content.count(b"[") + content.count(b"{") <= MAX_JSON_NESTING:
        return False
    try:
        json.loads(content)
    except RecursionError:
        return True
    except ValueError:
        return False
    return False


@dataclasses.dataclass(frozen=True)
class _Wait:
    """A step of ``RequestPolicy.flow``: sleep this long on the retry clock, then resume it."""

    seconds: float


#: The other step of ``RequestPolicy.flow``: make one attempt, send back its response or error.
_SEND = object()
Flow = Generator["_Wait | object", "httpx.Response | httpx.RequestError | None", httpx.Response]


class RequestPolicy:
    """The rules both clients apply around each request, written once for sync and async.

    ``flow`` is the whole retry loop as a generator that yields what it needs (a pause, an
    attempt) and is sent back what happened, in the manner of httpx's ``Auth.auth_flow``: the
    sync and async clients only drive it. ``pacing`` is shared by every request of the client:
    one cool-down after a ``Retry-After`` and one adaptive limit on requests in flight (see
    ``divio_ext.core.pacing``); its times are read from the client's retry clock, whatever
    policy a single call overrides. ``exchange_deadline`` bounds one attempt as a whole.
    """

    def __init__(
        self,
        *,
        retry: RetryPolicy,
        read_only: bool,
        redact: Redactor,
        exchange_deadline: float,
        pacing: Pacing,
    ) -> None:
        self.retry = retry
        self.read_only = read_only
        self.redact = redact
        self.exchange_deadline = exchange_deadline
        self.pacing = pacing

    def start(self, request: httpx.Request) -> Attempts:
        """Refuse writes in read-only mode (before anything is sent) and begin counting."""
        if self.read_only and request.method.upper() not in READ_METHODS:
            log_refused(self.redact, request)
            raise ReadOnlyError(
                f"read-only mode: refused {request.method} {self.redact(str(request.url))} "
                "before sending it (read_only=True or DIVIO_READ_ONLY=1)"
            )
        scope = _SCOPE.get()
        policy = scope.retry if scope is not None and scope.retry is not None else self.retry
        if _REPEATABLE.get() and not policy.retry_non_idempotent:
            policy = dataclasses.replace(policy, retry_non_idempotent=True)
        return Attempts(policy, request.method)

    def flow(self, request: httpx.Request, attempts: Attempts, *, read: bool) -> Flow:
        """The attempts of one request: pauses, retries, logging, the final answer or error."""
        redact = self.redact
        while True:
            while (pause := self.pause(attempts)) > 0:
                yield _Wait(pause)
            outcome = yield _SEND
            if isinstance(outcome, httpx.RequestError):
                log_failure(redact, request, outcome, attempts.elapsed(), attempts.count)
                wait = attempts.after_error(outcome)
                if wait is None:  # raised here, outside any ``except``: no unscrubbed context
                    error = self.transport_error(request, outcome, attempts)
                    raise error from self.scrubbed(outcome)
                why = f"{type(outcome).__name__}: {outcome}"
            else:
                assert isinstance(outcome, httpx.Response)
                log_exchange(redact, request, outcome, attempts.elapsed(), attempts.count)
                wait = attempts.after_response(outcome)
                if wait is None:
                    return self.finish(outcome, attempts, read=read)
                why = f"{outcome.status_code} {outcome.reason_phrase}"
            log_retry(redact, request, wait, attempts.count, why)
            yield _Wait(wait)

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
    ) -> APIConnectionError:
        url = self.redact(str(request.url))
        tries = f" after {attempts.count} attempts" if attempts.count > 1 else ""
        timed_out = isinstance(exc, httpx.TimeoutException)
        seconds = self.exchange_deadline
        limit = f" (each attempt may take {seconds:g} s in total)" if timed_out else ""
        acted = server_may_have_acted(request.method, exc=exc)
        kind = APITimeoutError if timed_out else APIConnectionError
        error = kind(
            self.redact(
                f"{request.method} {url} got no response{tries}{limit}: {type(exc).__name__}: "
                f"{exc} — {_acted_note(acted) + ' — ' if acted is not None else ''}"
                "hint: check the network, proxy settings and DIVIO_API_URL"
            ),
            method=request.method,
            url=url,
            attempts=attempts.count,
        )
        error.server_may_have_acted = acted
        return error

    def scrubbed(self, exc: httpx.RequestError) -> httpx.RequestError:
        """A copy of ``exc`` with its message scrubbed, to chain as the connection error's cause.

        The original may quote what the server sent (h11 quotes an illegal header line, which a
        hostile server can make echo the token); the copy has no cause or context of its own.
        """
        return type(exc)(self.redact(str(exc)), request=exc.request)

    def finish(self, response: httpx.Response, attempts: Attempts, *, read: bool) -> httpx.Response:
        """Return a success response; raise the matching error for anything else."""
        if response.is_success:
            scope = _SCOPE.get()
            checked = scope is not None and scope.parser_limits_depth
            if read and not checked and too_deeply_nested(response.content):
                raise decode_error(response, NESTED_TOO_DEEPLY, scrub=self.redact)
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


class CallerCookies(httpx.Cookies):
    """A Divio client's cookies: those its caller sets, never those a response sets.

    The API authenticates by token, so no answer needs a cookie kept. A cookie that a server
    or a proxy on the way sets is therefore not sent back with every later request, and each
    response is spared httpx's reading of ``Set-Cookie`` (it rebuilds the headers as an
    ``email.message`` first): about 40 of the 360 µs of client CPU a small request costs.
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        """Keep nothing a response sets."""


class _CallerCookiesOnly:
    """The ``cookies`` of both policy clients, as :class:`CallerCookies` whatever is set."""

    _caller_cookies: CallerCookies

    @property
    def cookies(self) -> httpx.Cookies:
        return self._caller_cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:  # what httpx.Cookies accepts
        self._caller_cookies = CallerCookies(cookies)


def whole_url(
    base_url: httpx.URL, defaults: httpx.QueryParams, url: object, params: object
) -> str | None:
    """The URL httpx would build for ``url`` (a path from the host's root) and ``params`` on a
    client with ``base_url``, made with one parse; ``None`` where it is left to httpx.

    httpx joins a relative URL to the base URL and then merges the query parameters into it,
    parsing and re-encoding the URL three times: about 30 µs of client CPU a request (60 µs to
    build one against 32 µs), in the part of a fleet status that client CPU bounds
    (``python -m bench --only fleet``). The same join (the base URL's path, then the path,
    one ``/`` between) and httpx's own encoding of the parameters (:class:`httpx.QueryParams`)
    give the same URL. A client with default parameters or a base URL with a query, a URL that
    is not a path from the root, and parameters that are not a mapping are left to httpx.
    """
    if not isinstance(url, str) or not url.startswith("/") or url.startswith("//"):
        return None
    if defaults or base_url.query or not (params is None or isinstance(params, dict)):
        return None
    whole = f"{str(base_url).rstrip('/')}/{url.lstrip('/')}"
    return f"{whole}?{httpx.QueryParams(params)}" if params else whole


class _WholeURLs:
    """How both policy clients build a request: its URL made whole once (:func:`whole_url`)."""

    base_url: httpx.URL
    params: httpx.QueryParams

    def build_request(
        self, method: str, url: httpx.URL | str, *, params: Any = None, **kwargs: Any
    ) -> httpx.Request:
        whole = whole_url(self.base_url, self.params, url, params)
        if whole is not None:
            url, params = whole, None
        built: httpx.Request = super().build_request(  # type: ignore[misc]
            method, url, params=params, **kwargs
        )
        return built


class PolicyClient(_WholeURLs, _CallerCookiesOnly, httpx.Client):
    """``httpx.Client`` whose ``send`` drives the ``RequestPolicy`` flow."""

    def __init__(self, policy: RequestPolicy, **kwargs: Any) -> None:
        cookies = kwargs.pop("cookies", None)
        super().__init__(**kwargs)
        self.cookies = cookies
        self.policy = policy
        for transport in (self._transport, *self._mounts.values()):
            pool.fit(transport)

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        stream = bool(kwargs.pop("stream", False))
        kwargs["follow_redirects"] = False  # documented as impossible to override
        attempts = self.policy.start(request)
        flow = self.policy.flow(request, attempts, read=not stream)
        outcome: httpx.Response | httpx.RequestError | None = None
        try:
            while True:
                step = flow.send(outcome)
                if isinstance(step, _Wait):
                    attempts.policy.clock.sleep(step.seconds)
                    outcome = None
                    continue
                try:
                    outcome = self._attempt(request, attempts, stream, kwargs)
                except httpx.RequestError as exc:
                    outcome = exc
        except StopIteration as done:
            response: httpx.Response = done.value
            return response

    def _attempt(
        self, request: httpx.Request, attempts: Attempts, stream: bool, kwargs: dict[str, Any]
    ) -> httpx.Response:
        """One exchange within the deadline, holding a slot of the client's concurrency limit,
        its body read (within limits) unless the caller streams a success."""
        limit, clock = self.policy.pacing.limit, attempts.policy.clock
        queued = clock.monotonic()
        slot = limit.acquire()
        overloaded = False
        reset = network.DEADLINE.set(time.monotonic() + self.policy.exchange_deadline)
        try:
            attempts.begin(queued=clock.monotonic() - queued)
            response = super().send(request, stream=True, **kwargs)
            overloaded = self.policy.observe(response, attempts)
            if stream and response.is_success:
                return response
            body = _Body(response, _limit(response))
            try:
                for chunk in response.iter_bytes():
                    if not body.add(chunk):
                        break
            finally:
                response.close()
            body.finish(self.policy.redact)
            return response
        finally:
            network.DEADLINE.reset(reset)
            limit.release(slot, overloaded=overloaded)


class AsyncPolicyClient(_WholeURLs, _CallerCookiesOnly, httpx.AsyncClient):
    """``httpx.AsyncClient`` whose ``send`` drives the ``RequestPolicy`` flow."""

    def __init__(self, policy: RequestPolicy, **kwargs: Any) -> None:
        cookies = kwargs.pop("cookies", None)
        super().__init__(**kwargs)
        self.cookies = cookies
        self.policy = policy
        for transport in (self._transport, *self._mounts.values()):
            pool.fit(transport)

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        stream = bool(kwargs.pop("stream", False))
        kwargs["follow_redirects"] = False  # documented as impossible to override
        attempts = self.policy.start(request)
        flow = self.policy.flow(request, attempts, read=not stream)
        outcome: httpx.Response | httpx.RequestError | None = None
        try:
            while True:
                step = flow.send(outcome)
                if isinstance(step, _Wait):
                    await attempts.policy.clock.asleep(step.seconds)
                    outcome = None
                    continue
                try:
                    outcome = await self._attempt(request, attempts, stream, kwargs)
                except httpx.RequestError as exc:
                    outcome = exc
        except StopIteration as done:
            response: httpx.Response = done.value
            return response

    async def _attempt(
        self, request: httpx.Request, attempts: Attempts, stream: bool, kwargs: dict[str, Any]
    ) -> httpx.Response:
        """Like ``PolicyClient._attempt``; the deadline is an anyio cancel scope here."""
        limit, clock = self.policy.pacing.limit, attempts.policy.clock
        queued = clock.monotonic()
        slot = await limit.acquire_async()
        overloaded = False
        try:
            attempts.begin(queued=clock.monotonic() - queued)
            with anyio.fail_after(self.policy.exchange_deadline):
                response = await super().send(request, stream=True, **kwargs)
                overloaded = self.policy.observe(response, attempts)
                if stream and response.is_success:
                    return response
                body = _Body(response, _limit(response))
                try:
                    async for chunk in response.aiter_bytes():
                        if not body.add(chunk):
                            break
                finally:
                    await response.aclose()
        except TimeoutError:
            raise httpx.ReadTimeout(
                "the per-request deadline has passed", request=request
            ) from None
        finally:
            limit.release(slot, overloaded=overloaded)
        body.finish(self.policy.redact)
        return response


def _direct_to_loopback(base_url: httpx.URL) -> dict[str, None]:
    """A mount that takes a loopback API past any proxy set in the environment.

    ``HTTP_PROXY``/``ALL_PROXY`` would otherwise receive the request, token included, over
    plain http; a loopback server is on this machine, so a proxy has no business seeing it.
    (A mount of ``None`` means httpx's own transport, without proxy.)
    """
    if not is_loopback(base_url.host):
        return {}
    host = f"[{base_url.host}]" if ":" in base_url.host else base_url.host
    return {f"all://{host}": None}


def shared_ssl_context(trust_env: bool = True) -> ssl.SSLContext:
    """The TLS settings every client of this process verifies the API with: httpx's defaults,
    made once.

    Making them loads the whole CA bundle, about 15 ms, which httpx does for every client it
    builds: more than a small fleet status takes on a fast network, and part of every command
    line run. A context is safe to share between connections and threads; it is made again
    when ``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` change (httpx reads them when ``trust_env``).
    """
    if not trust_env:
        return _ssl_context(False, None, None)
    return _ssl_context(True, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.cache
def _ssl_context(trust_env: bool, cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    del cert_file, cert_dir  # the cache's key: httpx reads them from the environment
    return httpx.create_ssl_context(trust_env=trust_env)


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
    if "verify" not in options and "cert" not in options:  # ``cert`` would load into the context
        options["verify"] = shared_ssl_context(bool(options.get("trust_env", True)))
    headers = httpx.Headers(options.pop("headers", None))
    headers.setdefault("User-Agent", user_agent())
    headers.setdefault("Accept", "application/json")
    redact = Redactor([settings.token])
    SCRUBBER.register(redact)
    return {
        **options,
        "policy": RequestPolicy(
            retry=retry,
            read_only=settings.read_only,
            redact=redact,
            exchange_deadline=deadline_of(timeout),
            pacing=Pacing(),
        ),
        "limits": options.get("limits", POOL_LIMITS),
        "mounts": {**_direct_to_loopback(settings.base_url), **(options.get("mounts") or {})},
        "base_url": settings.base_url,
        "auth": TokenAuth(settings.token, settings.base_url),
        "follow_redirects": False,
        "timeout": timeout,
        "headers": headers,
    }
