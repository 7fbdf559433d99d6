"""The API's URL table: path templates of openapi.json mapped to handlers per method.

Paths are matched with or without their trailing slash (divio-cli calls a few without one,
api-notes §1.3), and literal segments win over ``{uuid}`` (``/backups/upload/`` is not a backup
id), as in DRF's routers.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from starlette.datastructures import QueryParams
from starlette.responses import Response

from divio_sandbox.bodies import Body, parse_body
from divio_sandbox.context import Context


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """What a handler needs from the HTTP request."""

    #: The absolute URL the client called (pagination links are built from it).
    url: str
    query: QueryParams
    params: Mapping[str, str]
    content_type: str
    raw: bytes

    def body(self) -> Body:
        return parse_body(self.content_type, self.raw)


Handler = Callable[[Context, ApiRequest], Response]


@dataclass(slots=True)
class Route:
    template: str
    pattern: re.Pattern[str]
    #: Whether anonymous callers may use it (only the API root).
    public: bool
    handlers: dict[str, Handler] = field(default_factory=dict)

    @property
    def allowed(self) -> list[str]:
        """Methods for the ``Allow`` header: the handled ones, plus HEAD wherever GET works."""
        methods = list(self.handlers)
        return [*methods, "HEAD"] if "GET" in methods else methods


class Router:
    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}

    def add(self, template: str, method: str, handler: Handler, *, public: bool = False) -> None:
        route = self._routes.get(template)
        if route is None:
            regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template.rstrip("/"))
            route = Route(template, re.compile(f"^{regex}/?$"), public)
            self._routes[template] = route
        route.handlers[method] = handler

    def operations(self) -> set[tuple[str, str]]:
        """Every (method, path template) served, to compare with the spec."""
        return {(m, r.template) for r in self._routes.values() for m in r.handlers}

    def match(self, path: str) -> tuple[Route, dict[str, str]] | None:
        best: tuple[Route, dict[str, str]] | None = None
        for route in self._routes.values():
            found = route.pattern.match(path)
            if found and (best is None or len(found.groupdict()) < len(best[1])):
                best = (route, found.groupdict())
        return best
