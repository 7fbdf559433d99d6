"""What the generated resource classes share: the client they call through.

A resource only forwards to its client's ``call`` and ``paginate`` with an operation named by
method and path (a :class:`~divio_ext.core.contract.Endpoint`), so every request passes through
the one seam and the one HTTP policy.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol, TypeVar

from divio_api.types import Unset

from divio_ext.core.contract import Endpoint
from divio_ext.core.engine import Plan
from divio_ext.core.paginate import ASYNC_CONCURRENCY, SYNC_CONCURRENCY, AsyncPager, Pager

T = TypeVar("T")


class SyncCaller(Protocol):
    """The part of :class:`~divio_ext.DivioClient` that resources and bound objects use.

    Naming the protocol rather than the client class keeps the resources free of an import of
    the client module that mixes them in.
    """

    def run(self, plan: Plan[T]) -> T: ...

    def call(self, operation: Endpoint, *, body: Any = None, **params: Any) -> Any: ...

    def paginate(
        self,
        operation: Endpoint,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
        **filters: Any,
    ) -> Pager[Any]: ...


class AsyncCaller(Protocol):
    """The part of :class:`~divio_ext.AsyncDivioClient` that resources and bound objects use."""

    async def run(self, plan: Plan[T]) -> T: ...

    def call(self, operation: Endpoint, *, body: Any = None, **params: Any) -> Awaitable[Any]: ...

    def paginate(
        self,
        operation: Endpoint,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
        **filters: Any,
    ) -> AsyncPager[Any]: ...


class SyncResource:
    """Base of every generated sync resource."""

    __slots__ = ("_client",)

    def __init__(self, client: SyncCaller) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} resource>"


class AsyncResource:
    """Base of every generated async resource."""

    __slots__ = ("_client",)

    def __init__(self, client: AsyncCaller) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} resource>"


def given(**filters: Any) -> dict[str, Any]:
    """The filters the caller actually set (generated signatures default them to ``UNSET``)."""
    return {name: value for name, value in filters.items() if not isinstance(value, Unset)}
