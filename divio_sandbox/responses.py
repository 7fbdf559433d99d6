"""Responses rendered the way Django REST Framework renders them.

Compact JSON with non-ASCII kept (DRF's ``JSONRenderer``), ``{"detail": ...}`` bodies for
errors, field-error dictionaries for 400s. Handlers raise ``ApiError`` anywhere; the dispatcher
turns it into a response.
"""

import json
from typing import Any

from starlette.responses import Response

JSON = "application/json"
#: One encoder for every body: ``json.dumps`` with these options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def render(data: Any) -> bytes:
    """Serialise like DRF: compact separators, UTF-8, stable for identical data."""
    return _ENCODER.encode(data).encode("utf-8")


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(render(data), status, headers=headers, media_type=JSON)


class ApiError(Exception):
    """An error response: raise it from any handler or helper."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}

    def response(self) -> Response:
        return json_response(self.body, self.status, self.headers)


def detail(status: int, message: str, headers: dict[str, str] | None = None) -> ApiError:
    """DRF's generic error body, e.g. ``{"detail": "Not found."}``."""
    return ApiError(status, {"detail": message}, headers)


def not_found(model: str | None = None) -> ApiError:
    """DRF's 404 for a lookup: ``No Backup matches the given query.`` (``get_object_or_404``)."""
    message = "Not found." if model is None else f"No {model} matches the given query."
    return detail(404, message)


def field_errors(errors: dict[str, list[str]]) -> ApiError:
    """DRF's 400 for invalid input: field name (or ``non_field_errors``) to messages."""
    return ApiError(400, errors)


def not_authenticated(message: str) -> ApiError:
    """DRF's 401 for ``TokenAuthentication``, with the challenge header it sends."""
    return detail(401, message, {"WWW-Authenticate": "Token"})
