from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paginated_environment_variable_list import (
    PaginatedEnvironmentVariableList,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    application: str | Unset = UNSET,
    environment: list[str] | Unset = UNSET,
    name: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["application"] = application

    json_environment: list[str] | Unset = UNSET
    if not isinstance(environment, Unset):
        json_environment = environment

    params["environment"] = json_environment

    params["name"] = name

    params["page"] = page

    params["page_size"] = page_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/apps/v3/environment-variables/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedEnvironmentVariableList | None:
    if response.status_code == 200:
        response_200 = PaginatedEnvironmentVariableList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedEnvironmentVariableList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    application: str | Unset = UNSET,
    environment: list[str] | Unset = UNSET,
    name: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> Response[PaginatedEnvironmentVariableList]:
    """List environment variables; `application` or `environment` is required.

    Args:
        application (str | Unset):
        environment (list[str] | Unset):
        name (str | Unset):
        page (int | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedEnvironmentVariableList]
    """

    kwargs = _get_kwargs(
        application=application,
        environment=environment,
        name=name,
        page=page,
        page_size=page_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    application: str | Unset = UNSET,
    environment: list[str] | Unset = UNSET,
    name: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> PaginatedEnvironmentVariableList | None:
    """List environment variables; `application` or `environment` is required.

    Args:
        application (str | Unset):
        environment (list[str] | Unset):
        name (str | Unset):
        page (int | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedEnvironmentVariableList
    """

    return sync_detailed(
        client=client,
        application=application,
        environment=environment,
        name=name,
        page=page,
        page_size=page_size,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    application: str | Unset = UNSET,
    environment: list[str] | Unset = UNSET,
    name: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> Response[PaginatedEnvironmentVariableList]:
    """List environment variables; `application` or `environment` is required.

    Args:
        application (str | Unset):
        environment (list[str] | Unset):
        name (str | Unset):
        page (int | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedEnvironmentVariableList]
    """

    kwargs = _get_kwargs(
        application=application,
        environment=environment,
        name=name,
        page=page,
        page_size=page_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    application: str | Unset = UNSET,
    environment: list[str] | Unset = UNSET,
    name: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> PaginatedEnvironmentVariableList | None:
    """List environment variables; `application` or `environment` is required.

    Args:
        application (str | Unset):
        environment (list[str] | Unset):
        name (str | Unset):
        page (int | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedEnvironmentVariableList
    """

    return (
        await asyncio_detailed(
            client=client,
            application=application,
            environment=environment,
            name=name,
            page=page,
            page_size=page_size,
        )
    ).parsed
