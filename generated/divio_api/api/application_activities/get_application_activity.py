from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.application_activity import ApplicationActivity
from ...types import UNSET, Response, Unset


def _get_kwargs(
    uuid: str,
    *,
    avatar_size: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["avatar_size"] = avatar_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/apps/v3/application-activities/{uuid}/".format(
            uuid=quote(str(uuid), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApplicationActivity | None:
    if response.status_code == 200:
        response_200 = ApplicationActivity.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ApplicationActivity]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    uuid: str,
    *,
    client: AuthenticatedClient,
    avatar_size: str | Unset = UNSET,
) -> Response[ApplicationActivity]:
    """Get the details of a single application activity

    Args:
        uuid (str):
        avatar_size (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApplicationActivity]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        avatar_size=avatar_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    uuid: str,
    *,
    client: AuthenticatedClient,
    avatar_size: str | Unset = UNSET,
) -> ApplicationActivity | None:
    """Get the details of a single application activity

    Args:
        uuid (str):
        avatar_size (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApplicationActivity
    """

    return sync_detailed(
        uuid=uuid,
        client=client,
        avatar_size=avatar_size,
    ).parsed


async def asyncio_detailed(
    uuid: str,
    *,
    client: AuthenticatedClient,
    avatar_size: str | Unset = UNSET,
) -> Response[ApplicationActivity]:
    """Get the details of a single application activity

    Args:
        uuid (str):
        avatar_size (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApplicationActivity]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        avatar_size=avatar_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    uuid: str,
    *,
    client: AuthenticatedClient,
    avatar_size: str | Unset = UNSET,
) -> ApplicationActivity | None:
    """Get the details of a single application activity

    Args:
        uuid (str):
        avatar_size (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApplicationActivity
    """

    return (
        await asyncio_detailed(
            uuid=uuid,
            client=client,
            avatar_size=avatar_size,
        )
    ).parsed
