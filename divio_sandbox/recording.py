"""Cassettes that are safe to commit: vcrpy hooks that scrub and normalise API conversations.

The ``divio_vcr_config`` fixture of the pytest plugin (and divio-ext's own cassette tests) record
with these hooks, so a cassette can be published and comes out identical every time it is
recorded from the same sandbox seed:

* secrets go: the ``Authorization`` header becomes ``Token <redacted>``; cookies, known tokens,
  ``Token``/``Bearer`` values, secret-named JSON fields, signed-URL parameters and long hex
  runs become ``<redacted>``, in headers, bodies and URLs alike;
* the server's origin becomes :data:`REPLAY_BASE_URL` (in request URIs and in bodies, where
  DRF writes absolute ``next``/``previous`` links), so the sandbox's random port or the live
  host never shows, and replaying clients use that one base URL;
* headers that change with every run or machine (``Date``, ``Server``, ``User-Agent``,
  ``Host``, ``Accept-Encoding``, request ids...) are not recorded: requests keep only
  :data:`REQUEST_HEADERS`;
* interactions are saved sorted by path, query and method (stable, so repeated polls of one URL
  keep their order), because concurrent page fetches finish in a different order every run.

Every step is idempotent: vcrpy runs these hooks again on cassettes it loads. This module needs
vcrpy (which pytest-recording brings) but not the sandbox server.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vcr.persisters.filesystem import FilesystemPersister  # type: ignore[import-untyped]
from vcr.request import Request  # type: ignore[import-untyped]

from divio_sandbox.clock import Clock
from divio_sandbox.seed import DEFAULT_BACKUPS, build_store

#: What replaces every secret.
REDACTED = "<redacted>"
#: The one Authorization value a cassette may contain.
AUTHORIZATION_PLACEHOLDER = f"Token {REDACTED}"
#: The token replaying clients are built with (it is what the placeholder stands for).
PLACEHOLDER_TOKEN = REDACTED
#: The origin every recorded server is rewritten to, and the base URL of replaying clients.
#: ``.invalid`` never resolves: a request that escaped the cassette could not reach anything.
REPLAY_BASE_URL = "https://api.divio.invalid"
#: Request headers worth keeping; the others vary by machine, library version or run.
REQUEST_HEADERS = frozenset({"accept", "authorization", "content-type"})
#: Response headers dropped: the recording run's time and the server software.
VOLATILE_RESPONSE_HEADERS = frozenset({"date", "server", "via", "x-runtime"})
#: Response headers naming one request (``X-Request-Id``, ``X-Amzn-RequestId``,
#: ``X-Correlation-Id``...): new on every run, and they identify a real account's traffic.
REQUEST_ID_HEADER = re.compile(r"(?:^|-)(?:request-?id|correlation-id|trace-id)$", re.IGNORECASE)
#: Headers whose whole value is a credential.
CREDENTIAL_HEADERS = frozenset(
    {"cookie", "set-cookie", "proxy-authorization", "x-api-key", "x-csrftoken"}
)
#: Sandbox control endpoints: not part of the API conversation, never recorded.
SANDBOX_CONTROL = re.compile(r"^/_sandbox/(?:$|configure|clock|stats)")

#: What a credential looks like, in any text: also what the cassette scan looks for.
SCHEME_VALUE = re.compile(r"\b(Token|Bearer) (?!<redacted>)[^\s\"'<>,;]+")
SECRET_FIELD = re.compile(
    r"(\"[A-Za-z0-9_-]*(?:token|secret|password|passwd|api_?key|private_?key|signature|"
    r"credential)[A-Za-z0-9_-]*\"\s*:\s*\")(?!<redacted>\")[^\"]*(\")",
    re.IGNORECASE,
)
SIGNED_PARAMETER = re.compile(
    r"([?&](?:token|access_token|signature|sig|x-amz-signature|x-amz-credential|"
    r"x-amz-security-token|awsaccesskeyid|googleaccessid|key)=)(?!<redacted>)[^&\s\"'<>]+",
    re.IGNORECASE,
)
LONG_HEX = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32,}(?![0-9A-Fa-f])")
_LOOPBACK_ORIGIN = re.compile(r"https?://(?:127\.0\.0\.1|localhost|\[::1\]):\d+")


def origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, without a trailing slash or path."""
    match = re.match(r"[a-z][a-z0-9+.-]*://[^/?#]+", url.strip(), re.IGNORECASE)
    return match.group(0) if match else ""


def environment_secrets(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Secrets that can be known from the environment: a real token given for recording."""
    env = os.environ if environ is None else environ
    token = env.get("DIVIO_API_TOKEN", "").strip()
    return (token,) if token else ()


def sandbox_tokens(seed: int = 0) -> tuple[str, ...]:
    """The API tokens a sandbox seeded with ``seed`` hands out (cheap: no server is started)."""
    return tuple(build_store(seed, DEFAULT_BACKUPS, Clock("fixed")).user_tokens.values())


def recorded_origins(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Origins to rewrite besides loopback ones: the server ``DIVIO_API_URL`` names."""
    env = os.environ if environ is None else environ
    found = origin(env.get("DIVIO_API_URL", ""))
    return (found,) if found else ()


@dataclass(frozen=True)
class Scrubber:
    """The vcrpy ``before_record_request``/``before_record_response`` hooks, with their data.

    ``secrets`` are exact values to remove wherever they appear (the tokens used while
    recording); ``origins`` are servers to rewrite to :data:`REPLAY_BASE_URL` in addition to
    any ``http://127.0.0.1:<port>``.
    """

    secrets: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()

    def text(self, value: str) -> str:
        """``value`` without secrets, with recorded origins replaced."""
        for secret in sorted(filter(None, self.secrets), key=len, reverse=True):
            value = value.replace(secret, REDACTED)
        for server in self.origins:
            if server and server != REPLAY_BASE_URL:
                value = value.replace(server, REPLAY_BASE_URL)
        value = _LOOPBACK_ORIGIN.sub(REPLAY_BASE_URL, value)
        value = SCHEME_VALUE.sub(rf"\1 {REDACTED}", value)
        value = SECRET_FIELD.sub(rf"\g<1>{REDACTED}\g<2>", value)
        value = SIGNED_PARAMETER.sub(rf"\g<1>{REDACTED}", value)
        return LONG_HEX.sub(REDACTED, value)

    def body(self, body: Any) -> Any:
        """A scrubbed copy of a body (bytes or text); other bodies, and binary ones, as they are."""
        if isinstance(body, str):
            return self.text(body)
        if isinstance(body, bytes):
            try:
                decoded = body.decode("utf-8")
            except UnicodeDecodeError:
                return body
            return self.text(decoded).encode("utf-8")
        return body

    def request(self, request: Request) -> Request | None:
        """Scrub a request (vcrpy gives a copy); drop sandbox control calls."""
        if SANDBOX_CONTROL.match(request.path):
            return None
        request.uri = self.text(request.uri)
        request.body = self.body(request.body)
        kept = {}
        for name, value in request.headers.items():
            lower = name.lower()
            if lower == "authorization":
                kept[lower] = AUTHORIZATION_PLACEHOLDER
            elif lower in REQUEST_HEADERS:
                kept[lower] = self.text(value)
        request.headers = kept
        return request

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        """Scrub a serialised response (vcrpy gives a copy): headers, body, content length."""
        body = response["body"]
        original = body.get("string")
        body["string"] = self.body(original)
        headers: dict[str, list[str]] = {}
        for name, values in response["headers"].items():
            lower = name.lower()
            if lower in VOLATILE_RESPONSE_HEADERS or REQUEST_ID_HEADER.search(lower):
                continue
            if lower in CREDENTIAL_HEADERS:
                headers[name] = [REDACTED for _ in values]
            else:
                headers[name] = [self.text(str(value)) for value in values]
        if body["string"] != original and isinstance(body["string"], bytes | str):
            length = len(
                body["string"] if isinstance(body["string"], bytes) else body["string"].encode()
            )
            for name in headers:
                if name.lower() == "content-length":
                    headers[name] = [str(length)]
        response["headers"] = headers
        return response


class SortedPersister(FilesystemPersister):  # type: ignore[misc]  # vcrpy has no type hints
    """Saves interactions sorted by (path, query, method), keeping the order of equal ones.

    Concurrent page fetches reach the server in a different order on every run; replay does
    not care (each request takes the first unplayed recorded answer that matches it), but a
    cassette must be byte-identical when recorded twice.
    """

    @staticmethod
    def save_cassette(
        cassette_path: str | os.PathLike[str], cassette_dict: dict[str, Any], serializer: Any
    ) -> None:
        pairs = sorted(
            zip(cassette_dict["requests"], cassette_dict["responses"], strict=True),
            key=lambda pair: (pair[0].path, pair[0].query, pair[0].method),
        )
        ordered = {
            **cassette_dict,
            "requests": [request for request, _ in pairs],
            "responses": [response for _, response in pairs],
        }
        FilesystemPersister.save_cassette(cassette_path, ordered, serializer)


def vcr_settings(scrubber: Scrubber) -> dict[str, Any]:
    """A ``vcr_config`` for pytest-recording; ``record_mode`` is left to ``--record-mode``."""
    return {
        "filter_headers": [("authorization", AUTHORIZATION_PLACEHOLDER)],
        "before_record_request": scrubber.request,
        "before_record_response": scrubber.response,
        "decode_compressed_response": True,
        "match_on": ("method", "path", "query"),
        "persister": SortedPersister,
    }
