"""divio-ext: typed, fast and safe automation of the Divio Cloud API.

The package is layered, imports pointing one way (``docs/architecture.md``): ``core`` (settings,
HTTP policy, errors, the seam to the generated client, paging, the plan engine), ``resources``
(the client with its typed resources, bound objects and lookups), ``workflows`` and ``cli``.
This module and ``divio_ext.errors`` / ``divio_ext.models`` only gather the public names.
"""

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
