from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paginated_application_activity_list import (
    PaginatedApplicationActivityList,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    application: str | Unset = UNSET,
    avatar_size: str | Unset = UNSET,
    organisation: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    type_: str | Unset = UNSET,
    user_name: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["application"] = application

    params["avatar_size"] = avatar_size

    params["organisation"] = organisation

    params["page"] = page

    params["page_size"] = page_size

    params["type"] = type_

    params["user_name"] = user_name

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/apps/v3/application-activities/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedApplicationActivityList | None:
    if response.status_code == 200:
        response_200 = PaginatedApplicationActivityList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedApplicationActivityList]:
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
    avatar_size: str | Unset = UNSET,
    organisation: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    type_: str | Unset = UNSET,
    user_name: str | Unset = UNSET,
) -> Response[PaginatedApplicationActivityList]:
    """List application activities

    Args:
        application (str | Unset):
        avatar_size (str | Unset):
        organisation (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        type_ (str | Unset):
        user_name (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedApplicationActivityList]
    """

    kwargs = _get_kwargs(
        application=application,
        avatar_size=avatar_size,
        organisation=organisation,
        page=page,
        page_size=page_size,
        type_=type_,
        user_name=user_name,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    application: str | Unset = UNSET,
    avatar_size: str | Unset = UNSET,
    organisation: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    type_: str | Unset = UNSET,
    user_name: str | Unset = UNSET,
) -> PaginatedApplicationActivityList | None:
    """List application activities

    Args:
        application (str | Unset):
        avatar_size (str | Unset):
        organisation (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        type_ (str | Unset):
        user_name (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedApplicationActivityList
    """

    return sync_detailed(
        client=client,
        application=application,
        avatar_size=avatar_size,
        organisation=organisation,
        page=page,
        page_size=page_size,
        type_=type_,
        user_name=user_name,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    application: str | Unset = UNSET,
    avatar_size: str | Unset = UNSET,
    organisation: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    type_: str | Unset = UNSET,
    user_name: str | Unset = UNSET,
) -> Response[PaginatedApplicationActivityList]:
    """List application activities

    Args:
        application (str | Unset):
        avatar_size (str | Unset):
        organisation (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        type_ (str | Unset):
        user_name (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedApplicationActivityList]
    """

    kwargs = _get_kwargs(
        application=application,
        avatar_size=avatar_size,
        organisation=organisation,
        page=page,
        page_size=page_size,
        type_=type_,
        user_name=user_name,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    application: str | Unset = UNSET,
    avatar_size: str | Unset = UNSET,
    organisation: str | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    type_: str | Unset = UNSET,
    user_name: str | Unset = UNSET,
) -> PaginatedApplicationActivityList | None:
    """List application activities

    Args:
        application (str | Unset):
        avatar_size (str | Unset):
        organisation (str | Unset):
        page (int | Unset):
        page_size (int | Unset):
        type_ (str | Unset):
        user_name (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedApplicationActivityList
    """

    return (
        await asyncio_detailed(
            client=client,
            application=application,
            avatar_size=avatar_size,
            organisation=organisation,
            page=page,
            page_size=page_size,
            type_=type_,
            user_name=user_name,
        )
    ).parsed
