"""The seam to the generated package: bodies from dicts, argument checks, real operations."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import divio_api.api.backups
import httpx
import pytest
from divio_api.api.api_root import get_api_root
from divio_api.api.backups import create_backup, get_backup, list_backups
from divio_api.api.deployments import create_deployment
from divio_api.api.environments import partial_update_environment
from divio_api.models import BackupRequest

from divio_ext import RequestBodyError, errors
from divio_ext.core.operations import body_model, build_generated_client, needs_token, success_model

from .support import async_client, backup, sync_client


class Echo:
    """Answers with a backup and keeps the JSON bodies it received."""

    def __init__(self) -> None:
        self.bodies: list[Any] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(json.loads(request.content) if request.content else None)
        if request.url.path.startswith("/apps/v3/environments/"):
            return httpx.Response(200, json={"uuid": "e1", "slug": "test", "application": "a1"})
        if request.url.path.startswith("/apps/v3/deployments/"):
            return httpx.Response(201, json={"uuid": "d1", "environment": "e1"})
        return httpx.Response(201, json=backup("b1"))


def test_a_dict_body_is_converted_to_the_operations_model() -> None:
    echo = Echo()
    deletion = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    body = {
        "environment": "e1",
        "services": ["s1", "s2"],
        "trigger": "MANUAL",
        "scheduled_for_deletion_at": deletion,
    }
    with sync_client(echo) as client:
        created = client.call(create_backup, body=body)
    assert created.uuid == "b1"
    assert echo.bodies == [
        {
            "environment": "e1",
            "services": ["s1", "s2"],
            "trigger": "MANUAL",
            "scheduled_for_deletion_at": "2030-01-02T03:04:05+00:00",
        }
    ]


def test_enum_fields_accept_their_string_values() -> None:
    echo = Echo()
    with sync_client(echo) as client:
        client.call(create_deployment, body={"environment": "e1", "build_mode": "FORCE"})
    assert echo.bodies == [{"environment": "e1", "build_mode": "FORCE"}]


def test_optional_bodies_and_path_parameters_work_together() -> None:
    echo = Echo()
    with sync_client(echo) as client:
        env = client.call(partial_update_environment, uuid="e1", body={"branch": "feature"})
    assert env.slug == "test"
    assert echo.bodies == [{"branch": "feature"}]


def test_a_model_instance_is_sent_as_is() -> None:
    echo = Echo()
    with sync_client(echo) as client:
        client.call(create_backup, body=BackupRequest(environment="e1", services=["s1"]))
    assert echo.bodies == [{"environment": "e1", "services": ["s1"]}]


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"environment": "e1", "services": [], "enviroment": "typo"}, "unknown field.*enviroment"),
        ({"services": ["s1"]}, "needs the field 'environment'"),
    ],
)
def test_bodies_that_do_not_fit_are_refused_before_sending(
    body: dict[str, Any], complaint: str
) -> None:
    echo = Echo()
    with sync_client(echo) as client, pytest.raises(RequestBodyError, match=complaint):
        client.call(create_backup, body=body)
    assert echo.bodies == []


def test_invalid_enum_value_is_refused_before_sending() -> None:
    echo = Echo()
    with (
        sync_client(echo) as client,
        pytest.raises(RequestBodyError, match=r"\w+Request: 'SOMETIMES'"),
    ):
        client.call(create_deployment, body={"environment": "e1", "build_mode": "SOMETIMES"})
    assert echo.bodies == []


def test_misuse_is_reported_as_type_errors() -> None:
    with sync_client(Echo()) as client:
        with pytest.raises(TypeError, match="takes no request body"):
            client.call(get_backup, uuid="b1", body={"x": 1})
        with pytest.raises(TypeError, match="not a generated operation module"):
            client.call(divio_api.api.backups, uuid="b1")
        with pytest.raises(TypeError, match="body must be a dict"):
            client.call(create_backup, body=["e1"])
        with pytest.raises(TypeError):
            client.call(get_backup, uuid="b1", colour="blue")


def test_introspection_of_generated_operations() -> None:
    assert needs_token(get_backup) is True
    assert needs_token(get_api_root) is False
    assert body_model(create_backup) is BackupRequest
    assert body_model(get_backup) is None
    assert success_model(create_backup).__name__ == "Backup"  # type: ignore[union-attr]
    assert success_model(list_backups).__name__ == "PaginatedBackupList"  # type: ignore[union-attr]


def test_the_generated_client_holds_no_token() -> None:
    generated = build_generated_client(httpx.URL("https://api.divio.com"), http=httpx.Client())
    assert generated.token == ""
    assert "Bearer" not in repr(generated)


def test_real_generated_list_and_detail_operations() -> None:
    listing = {"count": 2, "next": None, "previous": None, "results": [backup("a"), backup("b")]}

    def api(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/apps/v3/backups/":
            assert request.url.params["environment"] == "env1"
            return httpx.Response(200, json=listing)
        return httpx.Response(200, json=backup(request.url.path.split("/")[-2]))

    with sync_client(api) as client:
        page = client.call(list_backups, environment="env1")
        detail = client.call(get_backup, uuid="a")
    assert [b.uuid for b in page.results] == ["a", "b"]
    assert detail.uuid == "a"
    assert detail.success.value == "SUCCESS"


@pytest.mark.anyio
async def test_async_call_converts_bodies_too() -> None:
    echo = Echo()
    async with async_client(echo) as client:
        created = await client.call(create_backup, body={"environment": "e1", "services": []})
        with pytest.raises(errors.RequestBodyError):
            await client.call(create_backup, body={"services": []})
    assert created.uuid == "b1"
    assert echo.bodies == [{"environment": "e1", "services": []}]
