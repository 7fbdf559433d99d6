"""``DivioClient`` and ``AsyncDivioClient``: the objects users hold.

Each owns one httpx connection pool (with auth, timeouts, retries, read-only guard and logging)
and one generated client on top of it. The typed resources (``client.backups.list(...)``,
``client.environments.copy(uuid, ...)``, written by ``make generate``) are attributes; ``call``
and ``paginate`` are the escape hatch underneath them: any operation, named by method and path
(``divio_ext.core.contract.Endpoint``) or as a generated module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, overload

import httpx
from divio_api.types import Response

from divio_ext._generated.resources import AsyncResources, SyncResources
from divio_ext.core import operations
from divio_ext.core import rows as json_rows
from divio_ext.core.config import Settings, load_settings
from divio_ext.core.engine import Plan, run_async, run_sync
from divio_ext.core.http import DEFAULT_TIMEOUT, AsyncPolicyClient, PolicyClient, client_options
from divio_ext.core.operations import Operation
from divio_ext.core.paginate import (
    ASYNC_CONCURRENCY,
    DEFAULT_MAX_PAGE_SIZE,
    SYNC_CONCURRENCY,
    AsyncPager,
    Listing,
    Pager,
)
from divio_ext.core.retry import RetryPolicy
from divio_ext.core.rows import Rows

if TYPE_CHECKING:
    from divio_api.client import AuthenticatedClient

#: The policy httpx client a Divio client owns: sync or async.
H = TypeVar("H", PolicyClient, AsyncPolicyClient)
T = TypeVar("T")
#: What a generated function's ``Response[...]`` holds: the type ``call`` returns for it.
R = TypeVar("R")


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

    def _arguments(self, operation: Operation, body: Any, params: dict[str, Any]) -> dict[str, Any]:
        generated = operations.module(operation)
        if operations.needs_token(generated):
            self.settings.require_token()
        return operations.prepare(generated, body, params)

    def _listing(
        self,
        operation: Operation,
        filters: dict[str, Any],
        page_size: int | None,
        limit: int | None,
        concurrency: int,
    ) -> Listing:
        if operations.needs_token(operations.module(operation)):
            self.settings.require_token()
        return Listing(
            operation,
            filters,
            base_url=self.settings.base_url,
            page_size=page_size,
            limit=limit,
            concurrency=concurrency,
            max_page_size=self.max_page_size,
            redact=self.http.policy.redact,
        )

    def __repr__(self) -> str:
        source = self.settings.token_source
        token = f"<from {source}>" if source else "None"
        return (
            f"{type(self).__name__}(base_url={str(self.base_url)!r}, token={token}, "
            f"read_only={self.read_only})"
        )


class DivioClient(_ClientBase[PolicyClient], SyncResources):
    """Synchronous Divio API client; use it as a context manager (or call ``close()``).

    Example::

        with DivioClient() as client:  # token from DIVIO_API_TOKEN or ~/.netrc
            backup = client.backups.retrieve("vyn5jrwaenga7kzevilxs66hd4")
            for b in client.backups.list(environment=backup.environment, limit=50):
                print(b.uuid, b.state)
            app = client.applications.get_by_slug("my-app")  # a bound object
    """

    _http_class = PolicyClient

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._attach_resources(self)

    @overload
    def call(
        self,
        operation: Callable[..., Response[R]],
        *,
        body: Any = None,
        retry: RetryPolicy | None = None,
        **params: Any,
    ) -> R: ...
    @overload
    def call(
        self,
        operation: Operation,
        *,
        body: Any = None,
        retry: RetryPolicy | None = None,
        **params: Any,
    ) -> Any: ...
    def call(
        self,
        operation: Operation,
        *,
        body: Any = None,
        retry: RetryPolicy | None = None,
        **params: Any,
    ) -> Any:
        """Run any operation and return its parsed model: the escape hatch under the resources.

        ``operation`` is an ``Endpoint`` (method and path), a generated module, or a generated
        function: ``client.call(get_backup.sync_detailed, uuid=...)`` is typed ``Backup``.
        ``body`` may be a dict (converted to the operation's request model) or the model;
        ``retry`` overrides the client's policy for this call, e.g.
        ``RetryPolicy(retry_non_idempotent=True)`` to retry a POST.
        """
        arguments = self._arguments(operation, body, params)
        return operations.invoke(
            self._generated,
            operations.module(operation),
            arguments,
            retry=retry,
            redact=self.http.policy.redact,
        )

    def rows(
        self,
        operation: Operation,
        *,
        fields: tuple[str, ...] = (),
        retry: RetryPolicy | None = None,
        **params: Any,
    ) -> Rows[Any]:
        """One page of a list operation as checked rows (:class:`~divio_ext.core.rows.Rows`): for
        code that reads a long listing and keeps a few items, whose models ``rows.model(index)``
        builds. Each row holds the item's required fields and the optional ``fields`` named
        (API names). ``params`` are the operation's, ``page`` included."""
        arguments = self._arguments(operation, None, params)
        return json_rows.invoke(
            self._generated,
            operations.module(operation),
            arguments,
            fields=fields,
            retry=retry,
            redact=self.http.policy.redact,
        )

    def paginate(
        self,
        operation: Operation,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
        **filters: Any,
    ) -> Pager[Any]:
        """A lazy ``Pager`` over a list operation; filters go to the server and are verified."""
        listing = self._listing(operation, filters, page_size, limit, concurrency)
        return Pager(lambda arguments: self.call(operation, **arguments), listing)

    def run(self, plan: Plan[T]) -> T:
        """Run a plan (a workflow written once for both clients) and return its result.

        Concurrent steps of the plan run on a small thread pool sharing this client.
        """
        return run_sync(self, plan)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Self:
        self.http.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncDivioClient(_ClientBase[AsyncPolicyClient], AsyncResources):
    """Asynchronous Divio API client (on anyio, so asyncio or trio); use it with ``async with``."""

    _http_class = AsyncPolicyClient

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._attach_resources(self)

    @overload
    async def call(
        self,
        operation: Callable[..., Response[R]],
        *,
        body: Any = None,
        retry: RetryPolicy | None = None,
        **params: Any,
    ) -> R: ...
    @overload
    async def call(
        self,
        operation: Operation,
        *,
        body: Any = None,
        retry: RetryPolicy | None = None,
        **params: Any,
    ) -> Any: ...
    async def call(
        self,
        operation: Operation,
        *,
        body: Any = None,
        retry: RetryPolicy | None = None,
        **params: Any,
    ) -> Any:
        """Like ``DivioClient.call``, awaited (pass ``sync_detailed`` for the typed form too)."""
        arguments = self._arguments(operation, body, params)
        return await operations.ainvoke(
            self._generated,
            operations.module(operation),
            arguments,
            retry=retry,
            redact=self.http.policy.redact,
        )

    async def rows(
        self,
        operation: Operation,
        *,
        fields: tuple[str, ...] = (),
        retry: RetryPolicy | None = None,
        **params: Any,
    ) -> Rows[Any]:
        """Like ``DivioClient.rows``, awaited."""
        arguments = self._arguments(operation, None, params)
        return await json_rows.ainvoke(
            self._generated,
            operations.module(operation),
            arguments,
            fields=fields,
            retry=retry,
            redact=self.http.policy.redact,
        )

    def paginate(
        self,
        operation: Operation,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
        **filters: Any,
    ) -> AsyncPager[Any]:
        """A lazy ``AsyncPager`` (``async for``) over a generated list operation."""
        listing = self._listing(operation, filters, page_size, limit, concurrency)
        return AsyncPager(lambda arguments: self.call(operation, **arguments), listing)

    async def run(self, plan: Plan[T]) -> T:
        """Run a plan and return its result; concurrent steps run as anyio tasks."""
        return await run_async(self, plan)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> Self:
        await self.http.__aenter__()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
