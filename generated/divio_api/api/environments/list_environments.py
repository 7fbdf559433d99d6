from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paginated_environment_list import PaginatedEnvironmentList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    application: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    slug: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["application"] = application

    params["page"] = page

    params["page_size"] = page_size

    params["slug"] = slug

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/apps/v3/environments/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedEnvironmentList | None:
    if response.status_code == 200:
        response_200 = PaginatedEnvironmentList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedEnvironmentList]:
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
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    slug: str | Unset = UNSET,
) -> Response[PaginatedEnvironmentList]:
    """List environments. Items leave out `last_finished_deployment` and `ssh_endpoint`: get the
    environment for those.

    Args:
        application (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedEnvironmentList]
    """

    kwargs = _get_kwargs(
        application=application,
        page=page,
        page_size=page_size,
        slug=slug,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    application: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    slug: str | Unset = UNSET,
) -> PaginatedEnvironmentList | None:
    """List environments. Items leave out `last_finished_deployment` and `ssh_endpoint`: get the
    environment for those.

    Args:
        application (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedEnvironmentList
    """

    return sync_detailed(
        client=client,
        application=application,
        page=page,
        page_size=page_size,
        slug=slug,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    application: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    slug: str | Unset = UNSET,
) -> Response[PaginatedEnvironmentList]:
    """List environments. Items leave out `last_finished_deployment` and `ssh_endpoint`: get the
    environment for those.

    Args:
        application (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedEnvironmentList]
    """

    kwargs = _get_kwargs(
        application=application,
        page=page,
        page_size=page_size,
        slug=slug,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    application: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    slug: str | Unset = UNSET,
) -> PaginatedEnvironmentList | None:
    """List environments. Items leave out `last_finished_deployment` and `ssh_endpoint`: get the
    environment for those.

    Args:
        application (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedEnvironmentList
    """

    return (
        await asyncio_detailed(
            client=client,
            application=application,
            page=page,
            page_size=page_size,
            slug=slug,
        )
    ).parsed
