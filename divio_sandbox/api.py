"""The API as an ASGI application: counting, latency, chaos, auth, routing, DRF errors.

It is a raw ASGI callable rather than a Starlette endpoint because one chaos fault, the dropped
connection, must start a response and abandon it, which only the ASGI ``send`` channel can do.
The order of checks is DRF's: authentication, then permission (401), then the method (405).
"""

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from divio_sandbox.chaos import fault_response
from divio_sandbox.clock import EPOCH
from divio_sandbox.context import Context
from divio_sandbox.records import User
from divio_sandbox.responses import ApiError, detail, not_authenticated, not_found
from divio_sandbox.routing import ApiRequest, Route
from divio_sandbox.runtime import Runtime
from divio_sandbox.store import Store

UNMATCHED = "(unmatched)"
#: The caller of the public API root: a member of no organisation.
ANONYMOUS = User("", "", "", "", "", "UTC", EPOCH, frozenset())
#: uvicorn logs this when a response is abandoned; for a chaos "drop" that is the point.
ABANDONED = "ASGI callable returned without completing response."


class _HideAbandoned(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != ABANDONED


logging.getLogger("uvicorn.error").addFilter(_HideAbandoned())


def authenticate(store: Store, header: str | None) -> User | None:
    """DRF's ``TokenAuthentication``: None for no (or another) scheme, 401 for a bad token."""
    parts = (header or "").split()
    if not parts or parts[0].lower() != "token":
        return None
    if len(parts) == 1:
        raise not_authenticated("Invalid token header. No credentials provided.")
    if len(parts) > 2:
        raise not_authenticated("Invalid token header. Token string should not contain spaces.")
    user = store.user_for_token(parts[1])
    if user is None:
        raise not_authenticated("Invalid token.")
    return user


#: DRF's ``SAFE_METHODS``: what a read-only user may still do.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiApp:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        runtime = self.runtime
        request = Request(scope, receive)
        method = request.method
        found = runtime.router.match(request.url.path)
        runtime.stats.count_request(method, found[0].template if found else UNMATCHED)
        knobs = runtime.knobs
        if knobs.latency > 0:
            await asyncio.sleep(knobs.latency)
        fault = runtime.chaos.draw(knobs)
        if fault is not None:
            runtime.stats.count_fault(fault)
            if fault == "drop":
                await _abandon(send)
                return
            if fault == "slow":
                await asyncio.sleep(knobs.slow_seconds)
            else:
                await fault_response(fault, knobs)(scope, receive, send)
                return
        try:
            response = await self._handle(request, found)
        except ApiError as error:
            response = error.response()
        if found is not None:
            response.headers["Allow"] = ", ".join(found[0].allowed)
        response.headers["Vary"] = "Accept"
        await response(scope, receive, send)

    async def _handle(
        self, request: Request, found: tuple[Route, dict[str, str]] | None
    ) -> Response:
        if found is None:
            raise not_found()
        route, params = found
        store = self.runtime.store
        user = authenticate(store, request.headers.get("authorization"))
        method = "GET" if request.method == "HEAD" else request.method
        handler = route.handlers.get(method)
        if user is None and not route.public:
            raise not_authenticated("Authentication credentials were not provided.")
        if user is not None and not user.can_write and method not in SAFE_METHODS:
            # DRF checks permissions before it looks for the method's handler.
            raise detail(403, "You do not have permission to perform this action.")
        if handler is None:
            raise detail(405, f'Method "{request.method}" not allowed.')
        raw = await request.body() if method in ("POST", "PUT", "PATCH") else b""
        base_url = f"{request.url.scheme}://{request.url.netloc}"
        ctx = Context(store, self.runtime.knobs, store.clock.now(), base_url, user or ANONYMOUS)
        api_request = ApiRequest(
            str(request.url),
            request.query_params,
            params,
            request.headers.get("content-type", ""),
            raw,
        )
        return route.handlers[method](ctx, api_request)


async def _abandon(send: Send) -> None:
    """Start a response announcing a body, then stop: the server closes the connection."""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
        }
    )
    await send({"type": "http.response.body", "body": b'{"count":', "more_body": True})
