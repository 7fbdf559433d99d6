"""divio-ext: typed, fast and safe automation of the Divio Cloud API.

The package is layered, imports pointing one way (``docs/architecture.md``): ``core`` (settings,
HTTP policy, errors, the seam to the generated client, paging, the plan engine), ``resources``
(the client with its typed resources, bound objects and lookups), ``workflows`` and ``cli``.
This module and ``divio_ext.errors`` / ``divio_ext.models`` only gather the public names.

The names are imported when first used (PEP 562), so that ``divio-ext --help`` and the command
line's start do not pay for httpx and the generated models before they need them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from divio_ext import errors, models
    from divio_ext.core.contract import Endpoint
    from divio_ext.core.errors import (
        APIConnectionError,
        APIError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        ConfigurationError,
        Conflict,
        DivioError,
        DownloadFailed,
        InvalidArgument,
        LookupNotFound,
        NotFound,
        OperationFailed,
        OperationUnavailable,
        PaginationError,
        PermissionDenied,
        RateLimited,
        ReadOnlyError,
        RequestBodyError,
        ResponseDecodeError,
        ResponseTooLarge,
        ServerError,
        ValidationError,
        WaitTimeout,
        WorkError,
    )
    from divio_ext.core.paginate import AsyncPager, Page, Pager
    from divio_ext.core.retry import RetryPolicy
    from divio_ext.core.version import __version__
    from divio_ext.resources import bound
    from divio_ext.resources.client import AsyncDivioClient, DivioClient

_WHERE: dict[str, str] = {
    "__version__": "divio_ext.core.version",
    "APIConnectionError": "divio_ext.core.errors",
    "APIError": "divio_ext.core.errors",
    "APIStatusError": "divio_ext.core.errors",
    "APITimeoutError": "divio_ext.core.errors",
    "AsyncDivioClient": "divio_ext.resources.client",
    "AsyncPager": "divio_ext.core.paginate",
    "AuthenticationError": "divio_ext.core.errors",
    "bound": "divio_ext.resources.bound",
    "ConfigurationError": "divio_ext.core.errors",
    "Conflict": "divio_ext.core.errors",
    "DivioClient": "divio_ext.resources.client",
    "DivioError": "divio_ext.core.errors",
    "DownloadFailed": "divio_ext.core.errors",
    "Endpoint": "divio_ext.core.contract",
    "errors": "divio_ext.errors",
    "InvalidArgument": "divio_ext.core.errors",
    "LookupNotFound": "divio_ext.core.errors",
    "models": "divio_ext.models",
    "NotFound": "divio_ext.core.errors",
    "OperationFailed": "divio_ext.core.errors",
    "OperationUnavailable": "divio_ext.core.errors",
    "Page": "divio_ext.core.paginate",
    "Pager": "divio_ext.core.paginate",
    "PaginationError": "divio_ext.core.errors",
    "PermissionDenied": "divio_ext.core.errors",
    "RateLimited": "divio_ext.core.errors",
    "ReadOnlyError": "divio_ext.core.errors",
    "RequestBodyError": "divio_ext.core.errors",
    "ResponseDecodeError": "divio_ext.core.errors",
    "ResponseTooLarge": "divio_ext.core.errors",
    "RetryPolicy": "divio_ext.core.retry",
    "ServerError": "divio_ext.core.errors",
    "ValidationError": "divio_ext.core.errors",
    "WaitTimeout": "divio_ext.core.errors",
    "WorkError": "divio_ext.core.errors",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'divio_ext' has no attribute {name!r}")
    module = importlib.import_module(_WHERE[name])
    found = module if module.__name__.endswith(f".{name}") else getattr(module, name)
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncDivioClient",
    "AsyncPager",
    "AuthenticationError",
    "ConfigurationError",
    "Conflict",
    "DivioClient",
    "DivioError",
    "DownloadFailed",
    "Endpoint",
    "InvalidArgument",
    "LookupNotFound",
    "NotFound",
    "OperationFailed",
    "OperationUnavailable",
    "Page",
    "Pager",
    "PaginationError",
    "PermissionDenied",
    "RateLimited",
    "ReadOnlyError",
    "RequestBodyError",
    "ResponseDecodeError",
    "ResponseTooLarge",
    "RetryPolicy",
    "ServerError",
    "ValidationError",
    "WaitTimeout",
    "WorkError",
    "__version__",
    "bound",
    "errors",
    "models",
]
