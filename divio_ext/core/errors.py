"""One exception tree for everything divio-ext can raise, built from what the server said.

In the style of openai-python's ``_exceptions.py``::

    DivioError
    ├── APIError                      talking to the API went wrong (``method``, ``url``)
    │   ├── APIStatusError            a non-success status; one class per status:
    │   │   ├── ValidationError 400, AuthenticationError 401, PermissionDenied 403,
    │   │   ├── NotFound 404 ── LookupNotFound ── ApplicationNotFound, EnvironmentNotFound,
    │   │   │                                     ServiceInstanceNotFound, NoUsableBackup
    │   │   └── Conflict 409, RateLimited 429, ServerError 5xx
    │   ├── APIConnectionError        no HTTP response (connection, protocol, proxy)
    │   │   └── APITimeoutError       ... because a timeout or the request's deadline passed
    │   ├── ResponseDecodeError       a success body that is not what the spec promises
    │   └── ResponseTooLarge          a success body over the size limit
    ├── PaginationError               a listing that cannot be followed safely
    ├── ConfigurationError ── OperationUnavailable
    ├── ReadOnlyError                 a write refused before sending
    ├── InvalidArgument ── RequestBodyError          (also ValueError)
    ├── AmbiguousServiceInstance      a lookup that matched more than one
    └── WorkError                     long-running work (backups, deployments, restores)
        ├── WaitTimeout               waiting gave up (also the builtin TimeoutError)
        ├── OperationFailed ── WorkFailed
        ├── DownloadFailed            a backup file transfer that could not be completed
        └── UploadFailed              a backup file the upload target did not take
            ├── UnsupportedUploadHandler   an upload target divio-ext cannot use
            └── UploadTooLarge        a file over the upload target's size limit

Users catch precise classes (``NotFound``, ``RateLimited``...) instead of inspecting ``None`` or
``KeyError``; every API error carries method, URL, status, the parsed DRF body and the request id,
and its message is a single line that says what to do next. Messages and attributes are scrubbed
by the caller-supplied ``scrub`` function so that the API token can never end up in them.
"""

from __future__ import annotations

import builtins
import contextlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from http import HTTPStatus
from typing import Any, ClassVar

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AmbiguousServiceInstance",
    "ApplicationNotFound",
    "AuthenticationError",
    "ConfigurationError",
    "Conflict",
    "DivioError",
    "DownloadFailed",
    "EnvironmentNotFound",
    "InvalidArgument",
    "LookupNotFound",
    "NoUsableBackup",
    "NotFound",
    "OperationFailed",
    "OperationUnavailable",
    "PaginationError",
    "PermissionDenied",
    "RateLimited",
    "ReadOnlyError",
    "RequestBodyError",
    "ResponseDecodeError",
    "ResponseTooLarge",
    "ServerError",
    "ServiceInstanceNotFound",
    "UnsupportedUploadHandler",
    "UploadExtraMissing",
    "UploadFailed",
    "UploadTooLarge",
    "ValidationError",
    "WaitTimeout",
    "WorkError",
    "WorkFailed",
]

REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-correlation-id", "x-amzn-requestid")
EXCERPT_LENGTH = 200
#: How much of a body is scrubbed before the excerpt is cut from it: far more than the excerpt,
#: so that no secret can straddle the cut and survive the scrubbing in part.
SCRUB_WINDOW = 64 * 1024

Scrub = Callable[[str], str]


@contextlib.contextmanager
def noted(note: str, *, unless: tuple[type[BaseException], ...] = ()) -> Iterator[None]:
    """Add ``note`` (:meth:`BaseException.add_note`) to whatever is raised inside, Ctrl-C and
    cancellation included, except ``unless`` (an error that says it already) and a generator
    being closed: what the work had done when it stopped (a copy left in an environment, a
    restore still running), which the command line prints after the error's message."""
    try:
        yield
    except BaseException as error:
        if not isinstance(error, (*unless, GeneratorExit)):
            error.add_note(note)
        raise


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


class OperationUnavailable(ConfigurationError):
    """The generated client has no operation at this method and path.

    Raised by the feature that needs it, never at import time: the rest of divio-ext keeps
    working with a client generated from a spec that lacks an operation.
    """


class ReadOnlyError(DivioError):
    """A write request was refused before sending because the client is read-only."""


class WorkError(DivioError):
    """Long-running work (a backup, a deployment, a restore) did not end well."""


class WaitTimeout(WorkError, builtins.TimeoutError):
    """Waiting for long-running work gave up (an HTTP timeout is ``APITimeoutError``).

    It does not shadow the builtin ``TimeoutError``: it *is* one, so ``except TimeoutError``
    catches it too.
    """


class DownloadFailed(WorkError):
    """A backup file could not be downloaded whole: the transfer broke off more often than
    allowed, the server answered with an error, or the size differs from what it stated.
    Nothing is left under the destination's name."""


class UploadFailed(WorkError):
    """A backup file could not be uploaded: the upload target refused it or the transfer broke
    off. The message never quotes the pre-signed upload URL (whoever holds it may write)."""


class UnsupportedUploadHandler(UploadFailed):
    """The server offered an upload ``handler`` divio-ext cannot use; raised before any file
    is downloaded or uploaded. ``handler`` is the name the server gave."""

    def __init__(self, handler: str, supported: Sequence[str], message: str | None = None) -> None:
        self.handler = handler
        self.supported = tuple(supported)
        super().__init__(
            message
            or f"the server offered the upload handler {handler!r}, which divio-ext cannot use "
            f"(it supports {', '.join(self.supported)}); nothing was downloaded or uploaded"
        )


class UploadExtraMissing(UnsupportedUploadHandler):
    """The offered upload ``handler`` needs an optional dependency that is not installed (the
    ``extra`` of divio-ext that brings it); raised before any file is downloaded or uploaded."""

    def __init__(self, handler: str, extra: str, package: str) -> None:
        self.extra = extra
        super().__init__(
            handler,
            (),
            f"the server offered the upload handler {handler!r}, which needs {package}: install "
            f"it with pip install 'divio-ext[{extra}]'; nothing was downloaded or uploaded",
        )


class UploadTooLarge(UploadFailed):
    """The file is larger than the upload target takes in one request; nothing was uploaded."""

    def __init__(self, size: int, limit: int, handler: str) -> None:
        self.size = size
        self.limit = limit
        self.handler = handler
        super().__init__(
            f"the backup file is {size} bytes, more than the {limit} bytes the {handler} upload "
            "takes in one request; nothing was uploaded"
        )


class OperationFailed(WorkError):
    """Long-running work (backup, deployment...) finished, but unsuccessfully."""


class PaginationError(DivioError):
    """A list response cannot be followed safely (foreign ``next`` link, no page number, loop)."""


class InvalidArgument(DivioError, ValueError):
    """An argument of a call cannot be sent as it is (e.g. an empty id); nothing was sent."""


class RequestBodyError(InvalidArgument):
    """A ``body=`` dict does not fit the operation's request model; nothing was sent."""


class APIError(DivioError):
    """Talking to the API went wrong: the base of status, connection and decoding errors."""

    method: str | None = None
    url: str | None = None


class APIConnectionError(APIError):
    """The request got no HTTP response: connection failure, protocol error, proxy."""

    def __init__(self, message: str, *, method: str, url: str, attempts: int) -> None:
        super().__init__(message)
        self.method = method
        self.url = url
        self.attempts = attempts


class APITimeoutError(APIConnectionError):
    """The request got no HTTP response in time: an httpx timeout or the request's deadline."""


class ResponseTooLarge(APIError):
    """A success body larger than ``divio_ext.core.http.MAX_BODY_BYTES``; the rest was not read."""


class ResponseDecodeError(APIError):
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


class APIStatusError(APIError):
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


class ValidationError(APIStatusError):
    hint = "fix the fields listed above and send the request again"


class AuthenticationError(APIStatusError):
    hint = "check DIVIO_API_TOKEN / run `divio login`"


class PermissionDenied(APIStatusError):
    hint = "the token is valid but its account may not do this; check the organisation's roles"


class NotFound(APIStatusError):
    hint = "check the identifier; 404 may also mean that your token is not allowed to see it"


class Conflict(APIStatusError):
    hint = "the resource is busy or changed; retry once the running operation has finished"


class RateLimited(APIStatusError):
    hint = "too many requests; slow down"

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(APIStatusError):
    hint = "the server failed; retry later, and quote the request id if you contact support"


_CLASS_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    429: RateLimited,
}


def error_class(status: int) -> type[APIStatusError]:
    """The most precise class for ``status``; other statuses get the generic ``APIStatusError``."""
    if status >= 500:
        return ServerError
    return _CLASS_BY_STATUS.get(status, APIStatusError)


def one_line(text: str) -> str:
    """Collapse whitespace so that a server message cannot break a log line in two."""
    return " ".join(text.split())


def body_excerpt(response: httpx.Response, scrub: Scrub) -> str:
    """The start of the body, on one line and scrubbed, for messages about odd responses.

    Scrubbed first and cut afterwards: cutting first could leave the start of a secret that
    the scrubber no longer recognises.
    """
    text = scrub(one_line(response.content[:SCRUB_WINDOW].decode("utf-8", errors="replace")))
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
    """Read DRF's error shapes: ``{"detail": ...}``, field errors, or a bare list of messages.

    A body that is not JSON, or nested too deeply for Python to parse or flatten (a hostile
    server's ``[[[[...]]]]``), has no detail or fields: it is shown as an excerpt instead.
    """
    try:
        data = json.loads(content)
        if isinstance(data, Mapping):
            detail = data.get("detail")
            fields: dict[str, list[str]] = {}
            _flatten({k: v for k, v in data.items() if k != "detail"}, "", fields)
            return (one_line(str(detail)) if detail is not None else None), fields
        if isinstance(data, list):
            return one_line("; ".join(str(item) for item in data)), {}
    except (ValueError, RecursionError):
        pass
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
) -> APIStatusError:
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


# --- lookups: what was asked for, and what exists instead -------------------------------------
# A plain 404 says only "not found"; these say *why* (an unknown environment slug lists the slugs
# the application has, an unknown application says whether the token can see any application at
# all), so that a user can fix the command without opening the Control Panel. They subclass
# NotFound, so ``except NotFound`` catches them too.


class LookupNotFound(NotFound):
    """Something a workflow was asked for does not exist (or the token may not see it)."""

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message, status=404, method="GET", url=url, detail=message)


class ApplicationNotFound(LookupNotFound):
    """No application with that slug or uuid is visible to the token.

    ``visible`` holds the slugs of (some of) the applications the token can see; an empty
    tuple means the token sees no application at all (wrong organisation or account).
    """

    def __init__(self, reference: str, *, visible: Sequence[str], total: int) -> None:
        self.reference = reference
        self.visible = tuple(visible)
        self.total = total
        if total == 0:
            message = (
                f"application {reference!r} not found: this token cannot see any application "
                "(check that it belongs to an account of the right organisation)"
            )
        else:
            shown = ", ".join(self.visible)
            more = f" and {total - len(self.visible)} more" if total > len(self.visible) else ""
            message = (
                f"application {reference!r} not found among the {total} applications this "
                f"token can see ({shown}{more})"
            )
        super().__init__(message, url="/apps/v3/applications/")


class EnvironmentNotFound(LookupNotFound):
    """The application has no environment with that slug; ``available`` lists its slugs.

    ``application`` is ``None`` when several applications were looked at (a fleet status) and
    none of them has it; ``available`` then lists all their slugs.
    """

    def __init__(
        self, application: str | None, reference: str, *, available: Sequence[str]
    ) -> None:
        self.application = application
        self.reference = reference
        self.available = tuple(available)
        have = ", ".join(self.available) if self.available else "none"
        where = (
            f"application {application!r} has no environment {reference!r} (its environments"
            if application is not None
            else f"no application looked at has an environment {reference!r} (their environments"
        )
        super().__init__(f"{where}: {have})", url="/apps/v3/environments/")


class ServiceInstanceNotFound(LookupNotFound):
    """The environment has no service instance of that type and prefix.

    ``available`` lists the (type, prefix) pairs that the environment does have.
    """

    def __init__(
        self,
        environment: str,
        service_type: str,
        prefix: str,
        *,
        available: Sequence[tuple[str, str]],
    ) -> None:
        self.environment = environment
        self.service_type = service_type
        self.prefix = prefix
        self.available = tuple(available)
        have = ", ".join(f"{kind}/{name}" for kind, name in self.available) or "none"
        super().__init__(
            f"environment {environment} has no {service_type} service instance with prefix "
            f"{prefix} (it has: {have})",
            url="/apps/v3/service-instances/",
        )


class NoUsableBackup(LookupNotFound):
    """The service instance has no backup that completed successfully (yet).

    ``seen`` counts the service-instance backups looked at, by reason they did not qualify.
    """

    def __init__(self, service: str, environment: str, *, seen: dict[str, int]) -> None:
        self.service = service
        self.environment = environment
        self.seen = dict(seen)
        if seen:
            counts = ", ".join(f"{count} {reason}" for reason, count in sorted(seen.items()))
            why = f"none of its {sum(seen.values())} backups qualifies ({counts})"
        else:
            why = "it has never been backed up"
        super().__init__(
            f"no successful backup of {service} in {environment} yet: {why}",
            url="/apps/v3/service-instance-backups/",
        )


class AmbiguousServiceInstance(DivioError):
    """A lookup matched more than one: several service instances have that type and prefix."""


class WorkFailed(OperationFailed):
    """Long-running work finished unsuccessfully; ``messages`` are the server's own words."""

    def __init__(self, kind: str, uuid: str, outcome: str, messages: Sequence[str]) -> None:
        self.kind = kind
        self.uuid = uuid
        self.outcome = outcome
        self.messages = tuple(messages)
        said = "; ".join(self.messages) if self.messages else "the server gave no reason"
        super().__init__(f"{kind} {uuid} finished with {outcome}: {said}")
