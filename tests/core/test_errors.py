"""Every non-success response becomes a precise, readable, token-free exception."""

from __future__ import annotations

import builtins
from typing import Any

import httpx
import pytest
from divio_api.api.backups import create_backup, get_backup

import divio_ext
from divio_ext import errors

from .support import TOKEN, async_client, sync_client


def fail_with(response: httpx.Response) -> errors.DivioError:
    with sync_client(lambda request: response) as client, pytest.raises(errors.DivioError) as c:
        client.call(get_backup, uuid="b1")
    return c.value


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, errors.ValidationError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDenied),
        (404, errors.NotFound),
        (409, errors.Conflict),
        (429, errors.RateLimited),
        (500, errors.ServerError),
        (502, errors.ServerError),
        (418, errors.APIStatusError),
    ],
)
def test_each_status_maps_to_its_exception(status: int, cls: type[errors.APIError]) -> None:
    error = fail_with(httpx.Response(status, json={"detail": "Something specific."}))
    assert type(error) is cls
    assert isinstance(error, errors.APIStatusError)
    assert isinstance(error, errors.APIError)
    assert error.status == status
    assert error.method == "GET"
    assert error.url == "https://api.divio.com/apps/v3/backups/b1/"
    assert error.detail == "Something specific."
    message = str(error)
    assert message.startswith(f"GET https://api.divio.com/apps/v3/backups/b1/ returned {status}")
    assert "Something specific." in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("status", "advice"),
    [
        (401, "check DIVIO_API_TOKEN / run `divio login`"),
        (403, "may not do this"),
        (404, "not allowed to see it"),
        (429, "slow down"),
        (503, "retry later"),
    ],
)
def test_messages_say_what_to_do_next(status: int, advice: str) -> None:
    assert advice in str(fail_with(httpx.Response(status, json={"detail": "x"})))


def test_drf_field_errors_and_non_field_errors_are_parsed() -> None:
    body = {
        "environment": ["This field is required."],
        "non_field_errors": ["Backups are disabled.", "Try later."],
        "release_commands": [{}, {"label": ["Labels must be unique."]}],
    }
    error = fail_with(httpx.Response(400, json=body))
    assert isinstance(error, errors.ValidationError)
    assert error.detail is None
    assert error.field_errors == {
        "environment": ["This field is required."],
        "non_field_errors": ["Backups are disabled.", "Try later."],
        "release_commands[1].label": ["Labels must be unique."],
    }
    assert "environment: This field is required." in str(error)
    assert "release_commands[1].label: Labels must be unique." in str(error)


def test_a_bare_list_of_messages_becomes_the_detail() -> None:
    error = fail_with(httpx.Response(400, json=["Invalid state.", "Really."]))
    assert error.detail == "Invalid state.; Really."  # type: ignore[attr-defined]


@pytest.mark.parametrize("header", ["X-Request-ID", "X-Request-Id", "x-request-id", "Request-Id"])
def test_request_id_is_read_from_the_headers(header: str) -> None:
    error = fail_with(httpx.Response(500, json={"detail": "Oops"}, headers={header: "req-42"}))
    assert error.request_id == "req-42"  # type: ignore[attr-defined]
    assert "request id req-42" in str(error)


def test_non_json_error_bodies_are_shown_as_a_short_scrubbed_excerpt() -> None:
    page = "<html>\n<body>Bad gateway for Token " + TOKEN + " " + "x" * 500 + "</body></html>"
    error = fail_with(httpx.Response(502, text=page))
    assert isinstance(error, errors.ServerError)
    assert error.detail is None
    assert len(error.body_excerpt) <= 200
    assert error.body_excerpt.startswith("<html> <body>Bad gateway")
    assert TOKEN not in error.body_excerpt
    assert TOKEN not in str(error)
    assert "\n" not in str(error)


def test_rate_limited_carries_retry_after() -> None:
    response = httpx.Response(429, json={"detail": "Throttled."}, headers={"Retry-After": "120"})
    error = fail_with(response)
    assert isinstance(error, errors.RateLimited)
    assert error.retry_after == 120
    assert "retry after 120 s" in str(error)


def test_html_instead_of_json_on_success_is_a_decode_error() -> None:
    response = httpx.Response(200, text="<html>Login</html>", headers={"X-Request-Id": "r1"})
    error = fail_with(response)
    assert isinstance(error, errors.ResponseDecodeError)
    assert (error.status, error.method, error.request_id) == (200, "GET", "r1")
    assert error.url.endswith("/apps/v3/backups/b1/")
    assert "<html>Login</html>" in str(error)
    assert "proxy" in str(error)


def test_json_missing_a_required_field_is_a_decode_error() -> None:
    error = fail_with(httpx.Response(200, json={"environment": "e1"}))
    assert isinstance(error, errors.ResponseDecodeError)
    assert "uuid" in str(error)


def test_an_undocumented_success_status_is_still_parsed() -> None:
    """The spec says 201 for creation; a 200 with the same body must not look like failure."""
    created = {"uuid": "b1", "environment": "e1", "state": "WORKING"}
    body = {"environment": "e1", "services": ["s1"]}
    with sync_client(lambda request: httpx.Response(200, json=created)) as client:
        assert client.call(create_backup, body=body).uuid == "b1"


def test_an_undocumented_empty_success_returns_none() -> None:
    with sync_client(lambda request: httpx.Response(204)) as client:
        assert client.call(get_backup, uuid="b1") is None


def test_connection_failures_are_transport_errors() -> None:
    def refuse(request: httpx.Request) -> Any:
        raise httpx.ConnectError("Connection refused", request=request)

    error = fail_with_handler(refuse)
    assert isinstance(error, errors.APIConnectionError)
    assert (error.method, error.url) == ("GET", "https://api.divio.com/apps/v3/backups/b1/")
    assert "ConnectError: Connection refused" in str(error)
    assert "proxy" in str(error)


def fail_with_handler(handler: Any) -> errors.DivioError:
    with sync_client(handler) as client, pytest.raises(errors.DivioError) as caught:
        client.call(get_backup, uuid="b1")
    return caught.value


@pytest.mark.anyio
async def test_async_errors_are_the_same() -> None:
    async with async_client(lambda r: httpx.Response(404, json={"detail": "Not found."})) as c:
        with pytest.raises(errors.NotFound, match="not allowed to see it"):
            await c.call(get_backup, uuid="b1")
    async with async_client(lambda r: httpx.Response(200, text="<html>")) as c:
        with pytest.raises(errors.ResponseDecodeError):
            await c.call(get_backup, uuid="b1")


def test_errors_form_one_tree() -> None:
    for cls in (
        errors.ConfigurationError,
        errors.ReadOnlyError,
        errors.APIConnectionError,
        errors.ResponseDecodeError,
        errors.WaitTimeout,
        errors.OperationFailed,
        errors.PaginationError,
        errors.RequestBodyError,
    ):
        assert issubclass(cls, errors.DivioError)
    assert issubclass(errors.WaitTimeout, TimeoutError)


@pytest.mark.parametrize(
    ("cls", "parents"),
    [
        (errors.APIStatusError, (errors.APIError,)),
        (errors.APIConnectionError, (errors.APIError,)),
        (errors.APITimeoutError, (errors.APIConnectionError, errors.APIError)),
        (errors.ResponseDecodeError, (errors.APIError,)),
        (errors.ResponseTooLarge, (errors.APIError,)),
        (errors.ApplicationNotFound, (errors.LookupNotFound, errors.NotFound)),
        (errors.NoUsableBackup, (errors.LookupNotFound, errors.NotFound)),
        (errors.WaitTimeout, (errors.WorkError, TimeoutError)),
        (errors.WorkFailed, (errors.OperationFailed, errors.WorkError)),
        (errors.OperationUnavailable, (errors.ConfigurationError,)),
        (errors.RequestBodyError, (errors.InvalidArgument, ValueError)),
    ],
)
def test_one_tree_rooted_at_divio_error(cls: type[Exception], parents: tuple[type, ...]) -> None:
    assert issubclass(cls, errors.DivioError)
    assert all(issubclass(cls, parent) for parent in parents)


def test_no_error_shadows_a_builtin_name() -> None:
    shadowing = [name for name in errors.__all__ if hasattr(builtins, name)]
    assert shadowing == []
    assert not hasattr(divio_ext, "TimeoutError")
