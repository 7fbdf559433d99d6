from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paginated_application_list import PaginatedApplicationList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    name_search: str | Unset = UNSET,
    organisation: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    slug: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["name_search"] = name_search

    params["organisation"] = organisation

    params["page"] = page

    params["page_size"] = page_size

    params["slug"] = slug

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/apps/v3/applications/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedApplicationList | None:
    if response.status_code == 200:
        response_200 = PaginatedApplicationList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedApplicationList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    name_search: str | Unset = UNSET,
    organisation: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    slug: str | Unset = UNSET,
) -> Response[PaginatedApplicationList]:
    """List applications the token can see.

    Args:
        name_search (str | Unset):
        organisation (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedApplicationList]
    """

    kwargs = _get_kwargs(
        name_search=name_search,
        organisation=organisation,
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
    name_search: str | Unset = UNSET,
    organisation: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    slug: str | Unset = UNSET,
) -> PaginatedApplicationList | None:
    """List applications the token can see.

    Args:
        name_search (str | Unset):
        organisation (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedApplicationList
    """

    return sync_detailed(
        client=client,
        name_search=name_search,
        organisation=organisation,
        page=page,
        page_size=page_size,
        slug=slug,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    name_search: str | Unset = UNSET,
    organisation: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    slug: str | Unset = UNSET,
) -> Response[PaginatedApplicationList]:
    """List applications the token can see.

    Args:
        name_search (str | Unset):
        organisation (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedApplicationList]
    """

    kwargs = _get_kwargs(
        name_search=name_search,
        organisation=organisation,
        page=page,
        page_size=page_size,
        slug=slug,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    name_search: str | Unset = UNSET,
    organisation: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    slug: str | Unset = UNSET,
) -> PaginatedApplicationList | None:
    """List applications the token can see.

    Args:
        name_search (str | Unset):
        organisation (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedApplicationList
    """

    return (
        await asyncio_detailed(
            client=client,
            name_search=name_search,
            organisation=organisation,
            page=page,
            page_size=page_size,
            slug=slug,
        )
    ).parsed
