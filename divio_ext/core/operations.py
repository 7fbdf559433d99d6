"""The thin seam between handwritten code and the generated ``divio_api`` package.

Handwritten code names an operation by what public sources confirm, its HTTP method and path
(a :class:`~divio_ext.core.contract.Endpoint`); :func:`module` finds the generated function through
``divio_api.operation_index``, which ``make generate`` writes. No handwritten module imports a
generated operation by name, so a spec whose operationIds or tags differ from ours (the
published one) regenerates without breaking divio-ext. A generated module may still be passed
directly (``client.call(get_backup, ...)``): the escape hatch for users of the generated code.

Nothing else in divio-ext constructs a generated client or calls a generated function. Here:
the one generated client per DivioClient (wrapping our policy httpx client), the conversion of a
``body=`` dict into the operation's request model (found through the operation's type hints, so
callers never name generated model classes), and the guarantee that the generated code's
"``None`` on an unexpected status" never reaches users: non-success statuses are raised by the
HTTP layer, and a success body the model cannot read becomes ``ResponseDecodeError``.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import httpx
from divio_api.client import AuthenticatedClient, Client
from divio_api.operation_index import OPERATIONS
from divio_api.types import Response

from . import conformance
from .contract import Endpoint
from .errors import (
    DivioError,
    InvalidArgument,
    OperationUnavailable,
    RequestBodyError,
    decode_error,
)
from .http import CallScope, call_scope
from .logging_ import Redactor
from .retry import RetryPolicy

#: What the generated parsers raise when a body does not match the model.
PARSE_ERRORS = (ValueError, KeyError, TypeError, AttributeError)


#: An operation as handwritten code names it (method + path), or, for users of the generated
#: code, a generated module or one of its functions (``get_backup.sync_detailed``).
Operation = Endpoint | types.ModuleType | Callable[..., Any]


@functools.cache
def _module_of(endpoint: Endpoint) -> types.ModuleType:
    name = OPERATIONS.get((endpoint.method, endpoint.path))
    if name is None:
        raise OperationUnavailable(
            f"the generated client has no operation {endpoint}; regenerate it from a spec that "
            "has it (make spec && make generate lists what a spec lacks)"
        )
    return importlib.import_module(name)


_ENDPOINTS = {module: Endpoint(*key) for key, module in OPERATIONS.items()}


def module(operation: Operation) -> types.ModuleType:
    """The generated module of an operation, found by method and path."""
    if isinstance(operation, Endpoint):
        return _module_of(operation)
    if isinstance(operation, types.ModuleType):
        return operation
    home = sys.modules.get(getattr(operation, "__module__", "") or "")
    if home is None or getattr(home, "sync_detailed", None) is None:
        raise TypeError(
            f"{operation!r} is not a generated operation "
            "(expected an Endpoint, a module such as divio_api.api.backups.get_backup, or "
            "one of its functions)"
        )
    return home


def endpoint(operation: Operation) -> Endpoint:
    """The method and path of an operation (a generated module is looked up in the index)."""
    if isinstance(operation, Endpoint):
        return operation
    found = _ENDPOINTS.get(module(operation).__name__)
    if found is None:
        raise TypeError(
            f"{operation!r} is not a generated operation module "
            "(expected e.g. divio_api.api.backups.get_backup)"
        )
    return found


def build_generated_client(
    base_url: httpx.URL,
    *,
    http: httpx.Client | None = None,
    async_http: httpx.AsyncClient | None = None,
) -> AuthenticatedClient:
    """The generated client, delegating every request to our policy httpx client.

    Authentication is done by our ``httpx.Auth``: the generated client's own token header
    (``Bearer`` by default, wrong for Divio) is never used because the httpx clients are set,
    and its token field stays empty so its repr cannot show a secret.
    """
    client = AuthenticatedClient(base_url=str(base_url), token="", prefix="")
    if http is not None:
        client.set_httpx_client(http)
    if async_http is not None:
        client.set_async_httpx_client(async_http)
    return client


@functools.cache
def _hints(operation: types.ModuleType) -> dict[str, Any]:
    if not callable(getattr(operation, "sync_detailed", None)) or not callable(
        getattr(operation, "asyncio_detailed", None)
    ):
        raise TypeError(
            f"{operation!r} is not a generated operation module "
            "(expected e.g. divio_api.api.backups.get_backup)"
        )
    return typing.get_type_hints(operation.sync_detailed)


@functools.cache
def parameters(operation: types.ModuleType) -> tuple[str, ...]:
    """The operation's own arguments (path and query parameters, body), without ``client``."""
    _hints(operation)
    names = inspect.signature(operation.sync_detailed).parameters
    return tuple(name for name in names if name != "client")


def _classes(hint: Any) -> list[type[Any]]:
    """Model classes in a type hint such as ``BackupRequest | Unset``."""
    members = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    return [m for m in members if isinstance(m, type) and hasattr(m, "from_dict")]


def needs_token(operation: types.ModuleType) -> bool:
    """Generated functions accept the unauthenticated ``Client`` only where no auth is needed."""
    client_hint = _hints(operation)["client"]
    return client_hint is not Client and Client not in typing.get_args(client_hint)


def body_model(operation: types.ModuleType) -> type[Any] | None:
    classes = _classes(_hints(operation).get("body"))
    return classes[0] if classes else None


def success_model(operation: types.ModuleType) -> type[Any] | None:
    """The model of the operation's success body, read from ``Response[...]``."""
    (parsed,) = typing.get_args(_hints(operation)["return"])
    classes = _classes(parsed)
    return classes[0] if len(classes) == 1 else None


@functools.cache
def item_model(operation: types.ModuleType) -> type[Any] | None:
    """The item model of a page-number list operation: the type of its page's ``results``."""
    page = success_model(operation)
    if page is None:
        return None
    results = conformance.hints(page).get("results")
    items = typing.get_args(results)
    return items[0] if len(items) == 1 and isinstance(items[0], type) else None


def _model_from_mapping(model: type[Any], data: Mapping[str, Any]) -> Any:
    known = list(inspect.signature(model).parameters)
    try:
        instance = model.from_dict(data)
    except KeyError as exc:
        raise RequestBodyError(
            f"{model.__name__} needs the field {exc.args[0]!r}; fields: {', '.join(known)}"
        ) from exc
    except (TypeError, ValueError) as exc:
        raise RequestBodyError(f"the body does not fit {model.__name__}: {exc}") from exc
    unknown = sorted(getattr(instance, "additional_properties", {}))
    if unknown:
        # The API silently ignores unknown fields: a typo would otherwise go unnoticed.
        raise RequestBodyError(
            f"unknown field(s) {', '.join(unknown)} for {model.__name__}; "
            f"fields: {', '.join(known)}"
        )
    return instance


@functools.cache
def _path_parameters(operation: types.ModuleType) -> tuple[str, ...]:
    """The operation's path parameters: the generated functions take them positionally."""
    signature = inspect.signature(operation.sync_detailed).parameters
    return tuple(
        name
        for name, parameter in signature.items()
        if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    )


def _check_path_parameters(operation: types.ModuleType, params: Mapping[str, Any]) -> None:
    """Refuse ids that would not name one object once placed in the URL path.

    The generated code percent-quotes path parameters, so ``/`` cannot escape the path; but an
    empty id, ``.`` or ``..`` would (URL normalisation removes dot segments), turning "get this
    backup" into "list all backups" or a PATCH of the parent collection.
    """
    for name in _path_parameters(operation):
        if name not in params:
            continue
        value = params[name]
        if not isinstance(value, str) or value.strip() in ("", ".", ".."):
            raise InvalidArgument(
                f"{endpoint(operation)}: {name}={value!r} is not an id "
                "(expected a string such as 'bagztldeadfdhlilnmpzx3twly')"
            )


def prepare(operation: types.ModuleType, body: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments for the generated function; a dict body becomes its request model."""
    if "client" in params or "body" in params:
        raise TypeError("pass the request body as body=..., and never client=")
    _check_path_parameters(operation, params)
    arguments = dict(params)
    if body is None:
        return arguments
    model = body_model(operation)
    if model is None:
        raise TypeError(f"{operation.__name__} takes no request body")
    if isinstance(body, model):
        arguments["body"] = body
    elif isinstance(body, Mapping):
        arguments["body"] = _model_from_mapping(model, body)
    else:
        raise TypeError(f"body must be a dict or {model.__name__}, not {type(body).__name__}")
    return arguments


def _result(
    operation: types.ModuleType, result: Response[Any], scope: CallScope, redact: Redactor
) -> Any:
    """The success model of a finished call, its required fields checked
    (:mod:`.conformance`)."""
    parsed = _parsed(operation, result, scope, redact)
    response = scope.response
    if response is not None and (problem := conformance.mismatch(parsed)) is not None:
        raise decode_error(response, problem, scrub=redact)
    return parsed


def _parsed(
    operation: types.ModuleType, result: Response[Any], scope: CallScope, redact: Redactor
) -> Any:
    if result.parsed is not None:
        return result.parsed
    response = scope.response
    if response is None or not response.content:
        return None
    # A success status the spec did not list (e.g. 200 where it says 201): the work was
    # done, so read the body with the success model rather than report a failure.
    model = success_model(operation)
    if model is None:
        raise decode_error(response, "status not documented for this operation", scrub=redact)
    parsed = parse_or_failure(lambda: model.from_dict(response.json()))
    if isinstance(parsed, Exception):
        raise decode_failure(response, parsed, redact)
    return parsed


def parse_or_failure(parse: Callable[[], Any]) -> Any:
    """Run a parser; a parse failure is returned, not raised.

    The caller raises its scrubbed ``ResponseDecodeError`` outside the ``except`` block, so the
    parser's exception, whose text may quote a secret the server echoed, is not chained to it
    as ``__context__``.
    """
    try:
        return parse()
    except PARSE_ERRORS as exc:
        return exc


def decode_failure(response: httpx.Response, exc: Exception, redact: Redactor) -> DivioError:
    return decode_error(response, f"{type(exc).__name__}: {exc}", scrub=redact)


def _finish(operation: types.ModuleType, outcome: Any, scope: CallScope, redact: Redactor) -> Any:
    if not isinstance(outcome, Exception):
        return _result(operation, outcome, scope, redact)
    if scope.response is None:
        raise outcome  # failed before any response: a programming error, not the server's
    raise decode_failure(scope.response, outcome, redact)


def invoke(
    generated: AuthenticatedClient,
    operation: types.ModuleType,
    arguments: Mapping[str, Any],
    *,
    retry: RetryPolicy | None,
    redact: Redactor,
) -> Any:
    """Call the operation synchronously and return its parsed success model."""
    with call_scope(retry) as scope:
        outcome = parse_or_failure(lambda: operation.sync_detailed(client=generated, **arguments))
        return _finish(operation, outcome, scope, redact)


async def ainvoke(
    generated: AuthenticatedClient,
    operation: types.ModuleType,
    arguments: Mapping[str, Any],
    *,
    retry: RetryPolicy | None,
    redact: Redactor,
) -> Any:
    """Call the operation asynchronously and return its parsed success model."""
    with call_scope(retry) as scope:
        try:
            outcome: Any = await operation.asyncio_detailed(client=generated, **arguments)
        except PARSE_ERRORS as exc:
            outcome = exc
        return _finish(operation, outcome, scope, redact)
