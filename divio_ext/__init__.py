"""divio-ext: typed, fast and safe automation of the Divio Cloud API."""

__version__ = "0.1.0"

from . import errors
from .client import AsyncDivioClient, DivioClient
from .errors import (
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
from .paginate import AsyncPager, Page, Pager
from .retry import RetryPolicy

__all__ = [
    "APIError",
    "AsyncDivioClient",
    "AsyncPager",
    "AuthenticationError",
    "ConfigurationError",
    "Conflict",
    "DivioClient",
    "DivioError",
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
    "errors",
]
