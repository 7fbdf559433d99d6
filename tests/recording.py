"""How API conversations are recorded into cassettes: scrubbing, normalising, ordering, scanning.

Used by ``vcr_config`` in ``tests/conftest.py`` (every cassette test of the suite records with
it) and by the hygiene tests that scan the committed cassettes. See ``tests/README.md``.

A cassette must be safe to publish and identical every time it is recorded from the same seed:

* secrets go: the ``Authorization`` header becomes ``Token <redacted>``; cookies, known tokens,
  ``Token``/``Bearer`` values, secret-named JSON fields, signed-URL parameters and long hex
  runs become ``<redacted>``, in headers, bodies and URLs alike;
* the server's origin becomes :data:`REPLAY_BASE_URL` (in request URIs and in bodies, where
  DRF writes absolute ``next``/``previous`` links), so the sandbox's random port or the live
  host never shows, and replaying clients use that one base URL;
* headers that change with every run or machine (``Date``, ``Server``, ``User-Agent``,
  ``Host``, ``Accept-Encoding``...) are not recorded: requests keep only :data:`REQUEST_HEADERS`;
* interactions are saved sorted by path, query and method (stable, so repeated polls of one URL
  keep their order), because concurrent page fetches finish in a different order every run.

Every step is idempotent: vcrpy runs these hooks again on cassettes it loads.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from vcr.persisters.filesystem import FilesystemPersister
from vcr.request import Request

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
#: Headers whose whole value is a credential.
CREDENTIAL_HEADERS = frozenset(
    {"cookie", "set-cookie", "proxy-authorization", "x-api-key", "x-csrftoken"}
)
#: Sandbox control endpoints: not part of the API conversation, never recorded.
SANDBOX_CONTROL = re.compile(r"^/_sandbox/(?:$|configure|clock|stats)")
#: Where cassettes live: ``<CASSETTES>/<test module>/<test>.yaml`` (env: ``DIVIO_CASSETTE_DIR``).
CASSETTES = Path(os.environ.get("DIVIO_CASSETTE_DIR") or Path(__file__).parent / "cassettes")

_SCHEME_VALUE = re.compile(r"\b(Token|Bearer) (?!<redacted>)[^\s\"'<>,;]+")
_SECRET_FIELD = re.compile(
    r"(\"[A-Za-z0-9_-]*(?:token|secret|password|passwd|api_?key|private_?key|signature|"
    r"credential)[A-Za-z0-9_-]*\"\s*:\s*\")(?!<redacted>\")[^\"]*(\")",
    re.IGNORECASE,
)
_SIGNED_PARAMETER = re.compile(
    r"([?&](?:token|access_token|signature|sig|x-amz-signature|x-amz-credential|"
    r"x-amz-security-token|awsaccesskeyid|googleaccessid|key)=)(?!<redacted>)[^&\s\"'<>]+",
    re.IGNORECASE,
)
_LONG_HEX = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32,}(?![0-9A-Fa-f])")
#: libyaml's loader when available: scanning every cassette is 10 times faster with it.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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
    from divio_sandbox.runtime import create_runtime

    return tuple(create_runtime(seed, clock="fixed").store.user_tokens.values())


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
        value = _SCHEME_VALUE.sub(rf"\1 {REDACTED}", value)
        value = _SECRET_FIELD.sub(rf"\g<1>{REDACTED}\g<2>", value)
        value = _SIGNED_PARAMETER.sub(rf"\g<1>{REDACTED}", value)
        return _LONG_HEX.sub(REDACTED, value)

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
            if lower in VOLATILE_RESPONSE_HEADERS:
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


class SortedPersister(FilesystemPersister):
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
    """The ``vcr_config`` of the suite. ``record_mode`` is left to ``--record-mode``."""
    return {
        "filter_headers": [("authorization", AUTHORIZATION_PLACEHOLDER)],
        "before_record_request": scrubber.request,
        "before_record_response": scrubber.response,
        "decode_compressed_response": True,
        "match_on": ("method", "path", "query"),
        "persister": SortedPersister,
    }


# --- scanning committed cassettes and logs -------------------------------------------------


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def leaks_in_text(text: str, secrets: Iterable[str] = ()) -> list[str]:
    """What in ``text`` looks like a credential, by kind and line (never the value itself)."""
    found = [
        f"line {_line(text, text.index(secret))}: a known token"
        for secret in secrets
        if secret and secret in text
    ]
    patterns = (
        ("a Token/Bearer value other than the placeholder", _SCHEME_VALUE),
        ("a run of 32+ hex digits", _LONG_HEX),
        ("a signed-URL parameter", _SIGNED_PARAMETER),
        ("a secret-named field", _SECRET_FIELD),
    )
    for kind, pattern in patterns:
        found += [f"line {_line(text, m.start())}: {kind}" for m in pattern.finditer(text)]
    return found


def _header_leaks(where: str, headers: Mapping[str, Any]) -> list[str]:
    found = []
    for name, raw in (headers or {}).items():
        values = raw if isinstance(raw, list) else [raw]
        lower = str(name).lower()
        if lower == "authorization":
            found += [
                f"{where}: an Authorization header other than the placeholder"
                for v in values
                if v != AUTHORIZATION_PLACEHOLDER
            ]
        elif lower in CREDENTIAL_HEADERS:
            found += [f"{where}: {name} not redacted" for v in values if v != REDACTED]
    return found


def _strings(node: Any) -> Iterable[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, bytes):
        yield node.decode("utf-8", "replace")
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def leaks_in_cassette(text: str, secrets: Iterable[str] = ()) -> list[str]:
    """Leaks in a cassette's YAML: everything :func:`leaks_in_text` finds in the file and in
    each of its (possibly line-folded) strings, plus any ``Authorization`` header other than
    the placeholder and any unredacted cookie."""
    secrets = tuple(secrets)
    data = yaml.load(text, Loader=_YAML_LOADER) or {}  # noqa: S506 (a safe loader)
    found = leaks_in_text(text, secrets)
    kinds = {leak.split(": ", 1)[1] for leak in found}
    for string in _strings(data):
        for leak in leaks_in_text(string, secrets):
            kind = leak.split(": ", 1)[1]
            if kind not in kinds:
                kinds.add(kind)
                found.append(f"a recorded value (folded across lines): {kind}")
    for number, interaction in enumerate(data.get("interactions", []), start=1):
        found += _header_leaks(
            f"request {number}", interaction.get("request", {}).get("headers", {})
        )
        found += _header_leaks(
            f"response {number}", interaction.get("response", {}).get("headers", {})
        )
    return found
