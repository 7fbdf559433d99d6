"""Divio token authentication as an ``httpx.Auth``.

It is installed on every client, even without a token: while a client has an ``Auth``, httpx
never falls back to credentials of its own (user info in URLs, netrc-based Basic auth in some
versions). The header is only added for the API's own origin, so a token cannot follow a link
or redirect to another host.
"""

from __future__ import annotations

from collections.abc import Generator

import httpx

from .config import origin


class TokenAuth(httpx.Auth):
    """Adds ``Authorization: Token <key>`` to requests for the API origin."""

    def __init__(self, token: str | None, base_url: httpx.URL) -> None:
        self._token = token
        self._origin = origin(base_url)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._token is not None and origin(request.url) == self._origin:
            request.headers["Authorization"] = f"Token {self._token}"
        yield request

    def __repr__(self) -> str:
        state = "with token" if self._token is not None else "without token"
        return f"TokenAuth({state}, origin={self._origin!r})"
