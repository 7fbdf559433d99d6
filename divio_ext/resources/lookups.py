"""Lookups that turn what a person types into bound objects: ``client.applications.get_by_slug``.

``make generate`` mixes these classes into the generated ``client.applications`` resources
(sync and async), in the style of hcloud-python's ``client.servers.get_by_name``: the generated
methods return the API's models, these return bound objects (``resources.bound``) whose relation
methods follow the API's links.
"""

from __future__ import annotations

from collections.abc import Awaitable

from divio_ext.resources import bound, bound_async
from divio_ext.resources.base import AsyncCaller, SyncCaller


class ApplicationLookups:
    """``client.applications.get_by_slug(...)``, ``.get(...)`` and ``.get_all()``."""

    __slots__ = ()
    _client: SyncCaller

    def get_by_slug(self, slug: str) -> bound.Application:
        """The application with this slug, as a bound object.

        Raises :class:`~divio_ext.core.errors.ApplicationNotFound`, which says whether the
        token can see any application at all.
        """
        return self.get(slug)

    def get(self, reference: str) -> bound.Application:
        """The application with this slug or uuid, as a bound object."""
        return bound.application(self._client, reference)

    def get_all(self) -> list[bound.Application]:
        """Every application the token can see, sorted by slug, as bound objects."""
        return bound.applications(self._client)


class AsyncApplicationLookups:
    """The same lookups on an :class:`~divio_ext.AsyncDivioClient`, awaited."""

    __slots__ = ()
    _client: AsyncCaller

    def get_by_slug(self, slug: str) -> Awaitable[bound_async.AsyncApplication]:
        """Like ``ApplicationLookups.get_by_slug``, awaited."""
        return self.get(slug)

    def get(self, reference: str) -> Awaitable[bound_async.AsyncApplication]:
        """Like ``ApplicationLookups.get``, awaited."""
        return bound_async.application(self._client, reference)

    def get_all(self) -> Awaitable[list[bound_async.AsyncApplication]]:
        """Like ``ApplicationLookups.get_all``, awaited."""
        return bound_async.applications(self._client)
