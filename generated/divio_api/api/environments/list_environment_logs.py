import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paginated_log_entry_list import PaginatedLogEntryList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    uuid: str,
    *,
    from_ts: datetime.datetime | Unset = UNSET,
    to_ts: datetime.datetime | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_ts: str | Unset = UNSET
    if not isinstance(from_ts, Unset):
        json_from_ts = from_ts.isoformat()
    params["from_ts"] = json_from_ts

    json_to_ts: str | Unset = UNSET
    if not isinstance(to_ts, Unset):
        json_to_ts = to_ts.isoformat()
    params["to_ts"] = json_to_ts

    params["page"] = page

    params["page_size"] = page_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/apps/v3/environments/{uuid}/logs/".format(
            uuid=quote(str(uuid), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedLogEntryList | None:
    if response.status_code == 200:
        response_200 = PaginatedLogEntryList.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PaginatedLogEntryList]:
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
    from_ts: datetime.datetime | Unset = UNSET,
    to_ts: datetime.datetime | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> Response[PaginatedLogEntryList]:
    """Runtime logs; `next` and `previous` are cursors (follow them as given).

    Args:
        uuid (str):
        from_ts (datetime.datetime | Unset):
        to_ts (datetime.datetime | Unset):
        page (int | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedLogEntryList]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        from_ts=from_ts,
        to_ts=to_ts,
        page=page,
        page_size=page_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    uuid: str,
    *,
    client: AuthenticatedClient,
    from_ts: datetime.datetime | Unset = UNSET,
    to_ts: datetime.datetime | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> PaginatedLogEntryList | None:
    """Runtime logs; `next` and `previous` are cursors (follow them as given).

    Args:
        uuid (str):
        from_ts (datetime.datetime | Unset):
        to_ts (datetime.datetime | Unset):
        page (int | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedLogEntryList
    """

    return sync_detailed(
        uuid=uuid,
        client=client,
        from_ts=from_ts,
        to_ts=to_ts,
        page=page,
        page_size=page_size,
    ).parsed


async def asyncio_detailed(
    uuid: str,
    *,
    client: AuthenticatedClient,
    from_ts: datetime.datetime | Unset = UNSET,
    to_ts: datetime.datetime | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> Response[PaginatedLogEntryList]:
    """Runtime logs; `next` and `previous` are cursors (follow them as given).

    Args:
        uuid (str):
        from_ts (datetime.datetime | Unset):
        to_ts (datetime.datetime | Unset):
        page (int | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedLogEntryList]
    """

    kwargs = _get_kwargs(
        uuid=uuid,
        from_ts=from_ts,
        to_ts=to_ts,
        page=page,
        page_size=page_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    uuid: str,
    *,
    client: AuthenticatedClient,
    from_ts: datetime.datetime | Unset = UNSET,
    to_ts: datetime.datetime | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> PaginatedLogEntryList | None:
    """Runtime logs; `next` and `previous` are cursors (follow them as given).

    Args:
        uuid (str):
        from_ts (datetime.datetime | Unset):
        to_ts (datetime.datetime | Unset):
        page (int | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedLogEntryList
    """

    return (
        await asyncio_detailed(
            uuid=uuid,
            client=client,
            from_ts=from_ts,
            to_ts=to_ts,
            page=page,
            page_size=page_size,
        )
    ).parsed
