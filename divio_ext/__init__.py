"""divio-ext: typed, fast and safe automation of the Divio Cloud API.

The package is layered, imports pointing one way (``docs/architecture.md``): ``core`` (settings,
HTTP policy, errors, the seam to the generated client, paging, the plan engine), ``resources``
(the client with its typed resources, bound objects and lookups), ``workflows`` and ``cli``.
This module and ``divio_ext.errors`` / ``divio_ext.models`` only gather the public names.
"""

from divio_ext import errors, models
from divio_ext.core.contract import Endpoint
from divio_ext.core.errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    Conflict,
    DivioError,
    InvalidArgument,
    NotFound,
    OperationFailed,
    PaginationError,
    PermissionDenied,
    RateLimited,
    ReadOnlyError,
    RequestBodyError,
    ResponseDecodeError,
    ResponseTooLarge,
    ServerError,
    TimeoutError,
    TransportError,
    ValidationError,
)
from divio_ext.core.paginate import AsyncPager, Page, Pager
from divio_ext.core.retry import RetryPolicy
from divio_ext.core.version import __version__
from divio_ext.resources import bound
from divio_ext.resources.client import AsyncDivioClient, DivioClient

__all__ = [
    "APIError",
    "AsyncDivioClient",
    "AsyncPager",
    "AuthenticationError",
    "ConfigurationError",
    "Conflict",
    "DivioClient",
    "DivioError",
    "Endpoint",
    "InvalidArgument",
    "NotFound",
    "OperationFailed",
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
    "TimeoutError",
    "TransportError",
    "ValidationError",
    "__version__",
    "bound",
    "errors",
    "models",
]
