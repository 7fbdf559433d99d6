"""One exception tree for everything divio-ext can raise, built from what the server said.

Users catch precise classes (``NotFound``, ``RateLimited``...) instead of inspecting ``None`` or
``KeyError``; every API error carries method, URL, status, the parsed DRF body and the request id,
and its message is a single line that says what to do next. Messages and attributes are scrubbed
by the caller-supplied ``scrub`` function so that the API token can never end up in them.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, ClassVar

import httpx

REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-correlation-id", "x-amzn-requestid")
EXCERPT_LENGTH = 200

Scrub = Callable[[str], str]


class DivioError(Exception):
    """Root of every error raised by divio-ext.

    ``continuation_token`` is set when the error interrupted a pager: pass it to
    ``Pager.by_page()`` / ``Pager.items()`` to resume exactly at the failed page.

    ``server_may_have_acted`` is set when a write (``POST``, ``PATCH``) failed without a clear
    answer: True if the work may have been done (a 5xx, a lost answer), so check before sending
    it again; False if it certainly was not (a 429, no connection). None otherwise.
    """

    continuation_token: str | None = None
    server_may_have_acted: bool | None = None


class ConfigurationError(DivioError):
    """The client cannot be used as configured: no or bad token, bad base URL, unsafe settings."""


class ReadOnlyError(DivioError):
    """A write request was refused before sending because the client is read-only."""


class TimeoutError(DivioError, builtins.TimeoutError):
    """Waiting for long-running work timed out (not an HTTP timeout: see ``TransportError``)."""


class OperationFailed(DivioError):
    """Long-running work (backup, deployment...) finished, but unsuccessfully."""


class PaginationError(DivioError):
    """A list response cannot be followed safely (foreign ``next`` link, no page number, loop)."""


class InvalidArgument(DivioError, ValueError):
    """An argument of a call cannot be sent as it is (e.g. an empty id); nothing was sent."""


class RequestBodyError(InvalidArgument):
    """A ``body=`` dict does not fit the operation's request model; nothing was sent."""


class TransportError(DivioError):
    """The request got no HTTP response: connection failure, timeout, protocol error."""

    def __init__(self, message: str, *, method: str, url: str, attempts: int) -> None:
        super().__init__(message)
        self.method = method
        self.url = url
        self.attempts = attempts


class ResponseDecodeError(DivioError):
    """A 2xx response whose body is not the JSON the spec promises (e.g. a proxy's HTML page)."""

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status: int,
        request_id: str | None,
        body_excerpt: str,
    ) -> None:
        super().__init__(message)
        self.method = method
        self.url = url
        self.status = status
        self.request_id = request_id
        self.body_excerpt = body_excerpt


class APIError(DivioError):
    """The server answered with a status that is not success (or an unexpected redirect)."""

    hint: ClassVar[str] = ""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        method: str,
        url: str,
        detail: str | None = None,
        field_errors: Mapping[str, list[str]] | None = None,
        request_id: str | None = None,
        body_excerpt: str = "",
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.method = method
        self.url = url
        self.detail = detail
        self.field_errors: dict[str, list[str]] = dict(field_errors or {})
        self.request_id = request_id
        self.body_excerpt = body_excerpt
        self.attempts = attempts


class ValidationError(APIError):
    hint = "fix the fields listed above and send the request again"


class AuthenticationError(APIError):
    hint = "check DIVIO_API_TOKEN / run `divio login`"


class PermissionDenied(APIError):
    hint = "the token is valid but its account may not do this; check the organisation's roles"


class NotFound(APIError):
    hint = "check the identifier; 404 may also mean that your token is not allowed to see it"


class Conflict(APIError):
    hint = "the resource is busy or changed; retry once the running operation has finished"


class RateLimited(APIError):
    hint = "too many requests; slow down"

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(APIError):
    hint = "the server failed; retry later, and quote the request id if you contact support"


_CLASS_BY_STATUS: dict[int, type[APIError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    429: RateLimited,
}


def error_class(status: int) -> type[APIError]:
    """The most precise class for ``status``; other statuses get the generic ``APIError``."""
    if status >= 500:
        return ServerError
    return _CLASS_BY_STATUS.get(status, APIError)


def one_line(text: str) -> str:
    """Collapse whitespace so that a server message cannot break a log line in two."""
    return " ".join(text.split())


def body_excerpt(response: httpx.Response, scrub: Scrub) -> str:
    """The start of the body, on one line and scrubbed, for messages about odd responses."""
    text = one_line(response.content[: EXCERPT_LENGTH * 4].decode("utf-8", errors="replace"))
    text = scrub(text)
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def request_id(headers: httpx.Headers, scrub: Scrub) -> str | None:
    """The id the server (or its proxy) gave this request, so support can find it.

    Scrubbed like everything else taken from a response: a proxy may echo request headers.
    """
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return scrub(one_line(value))
    return None


def _flatten(value: Any, prefix: str, out: dict[str, list[str]]) -> None:
    """DRF nests errors for nested serializers and lists; flatten to ``a.b[0].c`` paths."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and any(isinstance(item, Mapping | list) for item in value):
        for index, inner in enumerate(value):
            _flatten(inner, f"{prefix}[{index}]", out)
    elif isinstance(value, list):
        out.setdefault(prefix, []).extend(one_line(str(item)) for item in value)
    elif value is not None:
        out.setdefault(prefix, []).append(one_line(str(value)))


def parse_drf_body(content: bytes) -> tuple[str | None, dict[str, list[str]]]:
    """Read DRF's error shapes: ``{"detail": ...}``, field errors, or a bare list of messages."""
    try:
        data = json.loads(content)
    except ValueError:
        return None, {}
    if isinstance(data, Mapping):
        detail = data.get("detail")
        fields: dict[str, list[str]] = {}
        _flatten({k: v for k, v in data.items() if k != "detail"}, "", fields)
        return (one_line(str(detail)) if detail is not None else None), fields
    if isinstance(data, list):
        return one_line("; ".join(str(item) for item in data)), {}
    return None, {}


def _describe(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def error_from_response(
    response: httpx.Response,
    *,
    scrub: Scrub,
    retry_after: float | None = None,
    attempts: int = 1,
    note: str | None = None,
) -> APIError:
    """Build the exception for a non-success response (the body must already be read).

    ``note`` is a sentence of the caller's, placed before the hint (e.g. whether the server
    may have acted on a failed write).
    """
    request = response.request
    method, url = request.method, scrub(str(request.url))
    status = response.status_code
    detail, fields = parse_drf_body(response.content)
    detail = scrub(detail) if detail is not None else None
    fields = {scrub(key): [scrub(m) for m in messages] for key, messages in fields.items()}
    rid = request_id(response.headers, scrub)
    cls = error_class(status)

    parts = [f"{method} {url} returned {_describe(status)}"]
    if 300 <= status < 400:
        location = scrub(response.headers.get("location", "?"))
        parts.append(
            f"redirect to {location} not followed (a token must not follow redirects); "
            "check DIVIO_API_URL"
        )
    if detail:
        parts.append(detail)
    if fields:
        parts.append("; ".join(f"{key}: {' '.join(msgs)}" for key, msgs in fields.items()))
    if not detail and not fields and response.content and status >= 400:
        parts.append(f"body: {body_excerpt(response, scrub)}")
    if note:
        parts.append(note)
    if cls.hint:
        parts.append(f"hint: {cls.hint}")
    if retry_after is not None:
        parts.append(f"retry after {retry_after:g} s")
    if attempts > 1:
        parts.append(f"after {attempts} attempts")
    if rid:
        parts.append(f"request id {rid}")

    kwargs: dict[str, Any] = {
        "status": status,
        "method": method,
        "url": url,
        "detail": detail,
        "field_errors": fields,
        "request_id": rid,
        "body_excerpt": body_excerpt(response, scrub),
        "attempts": attempts,
    }
    if cls is RateLimited:
        kwargs["retry_after"] = retry_after
    return cls(" — ".join(parts), **kwargs)


def decode_error(response: httpx.Response, problem: str, *, scrub: Scrub) -> ResponseDecodeError:
    """Build the exception for a success response whose body the generated model cannot read."""
    request = response.request
    url = scrub(str(request.url))
    excerpt = body_excerpt(response, scrub)
    content_type = scrub(one_line(response.headers.get("content-type", "no content type")))
    message = (
        f"{request.method} {url} returned {_describe(response.status_code)} but the body is not "
        f"the JSON the API promises ({scrub(one_line(problem))}; {content_type}): {excerpt!r} — "
        "hint: a proxy or a wrong DIVIO_API_URL may be answering instead of the Divio API"
    )
    return ResponseDecodeError(
        message,
        method=request.method,
        url=url,
        status=response.status_code,
        request_id=request_id(response.headers, scrub),
        body_excerpt=excerpt,
    )
