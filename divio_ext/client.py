"""``DivioClient`` and ``AsyncDivioClient``: the objects users hold.

Each owns one httpx connection pool (with auth, timeouts, retries, read-only guard and logging)
and one generated client on top of it. ``call`` runs any generated operation and returns its
parsed model or raises a ``divio_ext.errors`` exception; ``paginate`` lists lazily.
"""

from __future__ import annotations

import types
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import httpx

from . import operations
from .config import Settings, load_settings
from .http import DEFAULT_TIMEOUT, AsyncPolicyClient, PolicyClient, client_options
from .paginate import AsyncPager, Listing, Pager
from .retry import RetryPolicy

if TYPE_CHECKING:
    from divio_api.client import AuthenticatedClient

    from .bound import Application

DEFAULT_MAX_PAGE_SIZE = 100


#: The policy httpx client a Divio client owns: sync or async.
H = TypeVar("H", PolicyClient, AsyncPolicyClient)


class _ClientBase(Generic[H]):
    """Configuration, the connection pool and argument handling shared by both clients."""

    _http_class: type[H]

    def __init__(
        self,
        token: str | None = None,
        base_url: str | None = None,
        *,
        timeout: httpx.Timeout | float | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        read_only: bool | None = None,
        max_page_size: int = DEFAULT_MAX_PAGE_SIZE,
        **httpx_kwargs: Any,
    ) -> None:
        self.settings: Settings = load_settings(token=token, base_url=base_url, read_only=read_only)
        self.retry: RetryPolicy = retry if retry is not None else RetryPolicy.from_environment()
        self.max_page_size: int = max_page_size
        options = client_options(
            self.settings, retry=self.retry, timeout=timeout, httpx_kwargs=httpx_kwargs
        )
        self.http: H = self._http_class(**options)
        self._generated: AuthenticatedClient = (
            operations.build_generated_client(self.base_url, async_http=self.http)
            if isinstance(self.http, httpx.AsyncClient)
            else operations.build_generated_client(self.base_url, http=self.http)
        )

    @property
    def base_url(self) -> httpx.URL:
        return self.settings.base_url

    @property
    def read_only(self) -> bool:
        return self.settings.read_only

    def _arguments(
        self, operation: types.ModuleType, body: Any, params: dict[str, Any]
    ) -> dict[str, Any]:
        if operations.needs_token(operation):
            self.settings.require_token()
        return operations.prepare(operation, body, params)

    def _listing(
        self,
        operation: types.ModuleType,
        filters: dict[str, Any],
        page_size: int | None,
        limit: int | None,
        concurrency: int,
    ) -> Listing:
        if operations.needs_token(operation):
            self.settings.require_token()
        return Listing(
            operation,
            filters,
            base_url=self.settings.base_url,
            page_size=page_size,
            limit=limit,
            concurrency=concurrency,
            max_page_size=self.max_page_size,
        )

    def __repr__(self) -> str:
        source = self.settings.token_source
        token = f"<from {source}>" if source else "None"
        return (
            f"{type(self).__name__}(base_url={str(self.base_url)!r}, token={token}, "
            f"read_only={self.read_only})"
        )


class DivioClient(_ClientBase[PolicyClient]):
    """Synchronous Divio API client; use it as a context manager (or call ``close()``).

    Example::

        from divio_api.api.backups import get_backup, list_backups

        with DivioClient() as client:  # token from DIVIO_API_TOKEN or ~/.netrc
            backup = client.call(get_backup, uuid="vyn5jrwaenga7kzevilxs66hd4")
            for b in client.paginate(list_backups, environment=backup.environment, limit=50):
                print(b.uuid, b.state)
    """

    _http_class = PolicyClient

    def call(
        self,
        operation: types.ModuleType,
        *,
        body: Any = None,
        retry: RetryPolicy | None = None,
        **params: Any,
    ) -> Any:
        """Run a generated operation module and return its parsed success model.

        ``body`` may be a dict (converted to the operation's request model) or the model;
        ``retry`` overrides the client's policy for this call, e.g.
        ``RetryPolicy(retry_non_idempotent=True)`` to retry a POST.
        """
        arguments = self._arguments(operation, body, params)
        return operations.invoke(
            self._generated, operation, arguments, retry=retry, redact=self.http.policy.redact
        )

    def paginate(
        self,
        operation: types.ModuleType,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = 1,
        **filters: Any,
    ) -> Pager[Any]:
        """A lazy ``Pager`` over a generated list operation; filters go to the operation."""
        listing = self._listing(operation, filters, page_size, limit, concurrency)
        return Pager(lambda arguments: self.call(operation, **arguments), listing)

    def application(self, reference: str) -> Application[DivioClient]:
        """The application with this slug or uuid, as a bound object (see ``divio_ext.bound``)."""
        from . import bound  # bound builds on this module

        return bound.application(self, reference)

    def applications(self) -> list[Application[DivioClient]]:
        """Every application the token can see, sorted by slug, as bound objects."""
        from . import bound

        return bound.applications(self)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Self:
        self.http.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncDivioClient(_ClientBase[AsyncPolicyClient]):
    """Asynchronous Divio API client (asyncio); use it with ``async with``."""

    _http_class = AsyncPolicyClient

    async def call(
        self,
        operation: types.ModuleType,
        *,
        body: Any = None,
        retry: RetryPolicy | None = None,
        **params: Any,
    ) -> Any:
        """Like ``DivioClient.call``, awaited."""
        arguments = self._arguments(operation, body, params)
        return await operations.ainvoke(
            self._generated, operation, arguments, retry=retry, redact=self.http.policy.redact
        )

    def paginate(
        self,
        operation: types.ModuleType,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = 1,
        **filters: Any,
    ) -> AsyncPager[Any]:
        """A lazy ``AsyncPager`` (``async for``) over a generated list operation."""
        listing = self._listing(operation, filters, page_size, limit, concurrency)
        return AsyncPager(lambda arguments: self.call(operation, **arguments), listing)

    def application(self, reference: str) -> Awaitable[Application[AsyncDivioClient]]:
        """Like ``DivioClient.application``, awaited."""
        from . import bound

        return bound.application(self, reference)

    def applications(self) -> Awaitable[list[Application[AsyncDivioClient]]]:
        """Like ``DivioClient.applications``, awaited."""
        from . import bound

        return bound.applications(self)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> Self:
        await self.http.__aenter__()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
