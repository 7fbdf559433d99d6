"""Each error class from a real server answer, recorded: what users catch is what servers send.

Other organisations' objects are hidden behind 404 (as DRF's per-user querysets do); 403 is
what a member without write permission gets for a write (the sandbox's read-only ``victor``).
"""

from __future__ import annotations

import pytest
from divio_api.api.applications import get_application, list_applications
from divio_api.api.backups import create_backup, get_backup, list_backups
from divio_api.api.environment_variables import list_environment_variables
from divio_api.api.me import get_current_user
from recorded_support import Target

from divio_ext import (
    AuthenticationError,
    DivioClient,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    ValidationError,
)

pytestmark = pytest.mark.vcr

#: Looks like a Divio id, names nothing.
MISSING = "aaaaaaaaaaaaaaaaaaaaaaaaaa"


def test_a_wrong_token_is_an_authentication_error(target: Target) -> None:
    wrong = DivioClient(token="not-a-valid-token", **target.options())
    with wrong, pytest.raises(AuthenticationError) as raised:
        wrong.call(get_current_user)
    assert raised.value.status == 401
    assert raised.value.detail == "Invalid token."
    assert raised.value.method == "GET"


def test_an_unknown_uuid_is_not_found(client: DivioClient) -> None:
    with pytest.raises(NotFound) as raised:
        client.call(get_backup, uuid=MISSING)
    assert raised.value.status == 404
    assert raised.value.url.endswith(f"/apps/v3/backups/{MISSING}/")


@pytest.mark.sandbox_only
def test_another_organisations_application_is_not_found(target: Target) -> None:
    with target.client("alice") as alice:
        (app,) = alice.paginate(list_applications, slug="example-application", limit=1)
    with target.client("mallory") as mallory, pytest.raises(NotFound):
        mallory.call(get_application, uuid=app.uuid)


@pytest.mark.sandbox_only
def test_a_write_without_permission_is_permission_denied(target: Target) -> None:
    with target.client("alice") as alice:
        (backup,) = alice.paginate(list_backups, limit=1)
    with target.client("victor") as victor, pytest.raises(PermissionDenied) as raised:
        victor.call(create_backup, body={"environment": backup.environment, "services": []})
    assert raised.value.status == 403
    assert raised.value.detail == "You do not have permission to perform this action."
    assert raised.value.method == "POST"


def test_a_listing_without_its_required_filter_is_a_validation_error(client: DivioClient) -> None:
    with pytest.raises(ValidationError) as raised:
        client.call(list_environment_variables)
    assert raised.value.status == 400
    assert raised.value.field_errors["non_field_errors"]


@pytest.mark.recorded_write
def test_a_bad_body_is_a_validation_error_with_field_errors(client: DivioClient) -> None:
    body = {"environment": MISSING, "services": [], "trigger": "MANUAL"}
    with pytest.raises(ValidationError) as raised:
        client.call(create_backup, body=body)
    assert raised.value.status == 400
    assert {"environment", "services"} <= set(raised.value.field_errors)
    assert all(raised.value.field_errors[name] for name in ("environment", "services"))


@pytest.mark.sandbox_only
@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [("429", RateLimited, 429), ("502", ServerError, 502), ("503", ServerError, 503)],
)
def test_a_server_fault_without_retries(
    target: Target, fault: str, error: type[Exception], status: int
) -> None:
    target.configure(chaos=1.0, faults=[fault])  # every request fails: this test sends one
    with target.client(retry=target.retry(max_attempts=1)) as c, pytest.raises(error) as raised:
        c.call(list_backups, page_size=1)
    target.configure(chaos=0.0)
    assert getattr(raised.value, "status", None) == status
    if isinstance(raised.value, RateLimited):
        assert raised.value.retry_after == 1


@pytest.mark.anyio
async def test_async_errors_are_the_same_classes(target: Target) -> None:
    async with target.async_client() as aclient:
        with pytest.raises(NotFound):
            await aclient.call(get_backup, uuid=MISSING)
