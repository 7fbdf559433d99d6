from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paginated_service_list import PaginatedServiceList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    region: str | Unset = UNSET,
    website: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["page"] = page

    params["page_size"] = page_size

    params["region"] = region

    params["website"] = website

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/apps/v3/services/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedServiceList | None:
    if response.status_code == 200:
        response_200 = PaginatedServiceList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedServiceList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    region: str | Unset = UNSET,
    website: str | Unset = UNSET,
) -> Response[PaginatedServiceList]:
    """The service catalogue.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        region (str | Unset):
        website (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedServiceList]
    """

    kwargs = _get_kwargs(
        page=page,
        page_size=page_size,
        region=region,
        website=website,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    region: str | Unset = UNSET,
    website: str | Unset = UNSET,
) -> PaginatedServiceList | None:
    """The service catalogue.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        region (str | Unset):
        website (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedServiceList
    """

    return sync_detailed(
        client=client,
        page=page,
        page_size=page_size,
        region=region,
        website=website,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    region: str | Unset = UNSET,
    website: str | Unset = UNSET,
) -> Response[PaginatedServiceList]:
    """The service catalogue.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        region (str | Unset):
        website (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedServiceList]
    """

    kwargs = _get_kwargs(
        page=page,
        page_size=page_size,
        region=region,
        website=website,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    region: str | Unset = UNSET,
    website: str | Unset = UNSET,
) -> PaginatedServiceList | None:
    """The service catalogue.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        region (str | Unset):
        website (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedServiceList
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            page_size=page_size,
            region=region,
            website=website,
        )
    ).parsed
