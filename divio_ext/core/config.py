"""Where the client's settings come from: arguments, then environment, then the Divio CLI's netrc.

Everything is validated here, before any request, so that a bad token or an unsafe URL fails
with a clear one-line message (which never contains the token itself).

Tracebacks that print every frame's local variables (``pytest -l``, rich, Sentry) would show a
token held in a plain ``str`` local, or the whole environment held in a mapping. So the token
travels through parsing inside a ``Secret`` (whose repr hides it) and the environment is read
once into ``Sources``; neither the raw token nor ``os.environ`` stays in a local variable.
"""

from __future__ import annotations

import ipaddress
import logging
import netrc
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from .errors import ConfigurationError
from .logging_ import SCRUBBER

ENV_TOKEN = "DIVIO_API_TOKEN"  # noqa: S105 - the name of the variable, not a secret
ENV_URL = "DIVIO_API_URL"
ENV_READ_ONLY = "DIVIO_READ_ONLY"
ENV_ZONE = "DIVIO_ZONE"
ENV_NETRC = "NETRC_PATH"
DEFAULT_ZONE = "divio.com"
#: The path every operation of the apps API starts with.
API_PREFIX = "/apps/v3"

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})

logger = logging.getLogger("divio_ext")


class Secret:
    """A token during configuration parsing; its repr never shows the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret([redacted])"


@dataclass(frozen=True)
class Sources:
    """The environment variables the client reads, taken once; the token as a ``Secret``."""

    token: Secret | None
    url: str | None
    read_only: str
    zone: str
    netrc: str

    @classmethod
    def read(cls, environ: Mapping[str, str]) -> Sources:
        return cls(
            token=Secret(environ[ENV_TOKEN]) if ENV_TOKEN in environ else None,
            url=environ.get(ENV_URL),
            read_only=environ.get(ENV_READ_ONLY, ""),
            zone=environ.get(ENV_ZONE, "").strip() or DEFAULT_ZONE,
            netrc=netrc_path(environ),
        )


@dataclass(frozen=True)
class Settings:
    """The resolved configuration of one client.

    ``token`` is excluded from the repr; ``token_source`` says where it came from, and
    ``token_problem`` why the netrc file was not used (shown when a token turns out missing).
    """

    base_url: httpx.URL
    read_only: bool
    zone: str
    token: str | None = field(default=None, repr=False)
    token_source: str | None = None
    token_problem: str | None = None

    def require_token(self) -> str:
        """The token, or the error that lists the three ways to provide one."""
        if self.token is not None:
            return self.token
        message = (
            "no Divio API token found: pass token=..., set DIVIO_API_TOKEN, or run `divio login` "
            f"(the Divio CLI stores it in ~/.netrc as machine control.{self.zone})"
        )
        if self.token_problem:
            message += f"; note: {self.token_problem}"
        raise ConfigurationError(message)


def clean_token(raw: Secret, source: str) -> Secret:
    """Strip surrounding whitespace and reject what cannot be sent in a header.

    The checks happen here so that a pasted token with a newline fails before any request, and
    the message names the source but never echoes the value.
    """
    token = Secret(raw.reveal().strip())
    if not token.reveal():
        raise ConfigurationError(f"the API token from {source} is empty")
    if not token.reveal().isascii() or any(ord(c) < 0x20 or ord(c) == 0x7F for c in token.reveal()):
        raise ConfigurationError(
            f"the API token from {source} contains control or non-ASCII characters that "
            "cannot be sent in an HTTP header; copy it again"
        )
    if any(c.isspace() for c in token.reveal()):
        raise ConfigurationError(
            f"the API token from {source} contains whitespace; give only the key, "
            "without a 'Token ' prefix"
        )
    return token


def netrc_path(environ: Mapping[str, str]) -> str:
    """``NETRC_PATH`` if set, else ``~/.netrc`` (``HOME`` decides where ``~`` is)."""
    return environ.get(ENV_NETRC) or os.path.join(
        environ.get("HOME") or os.path.expanduser("~"), ".netrc"
    )


def read_netrc_token(path: str, machine: str) -> tuple[Secret | None, str | None]:
    """The ``password`` stored for ``machine``, or why the file could not be used.

    Like ssh, a file that other users can read is refused: the token in it may already be
    compromised, and silently using it would hide that. Only the entry of ``machine`` counts: a
    ``default`` entry is meant for any other host, not for the Divio API.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"could not read {path} ({exc.strerror})"
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        problem = (
            f"{path} was ignored because other users can read it; "
            f"fix it with `chmod 600 {path}` (and consider renewing the token)"
        )
        logger.warning("%s", SCRUBBER(problem))
        return None, problem
    try:
        # ``hosts`` rather than ``authenticators()``, which falls back to the default entry.
        entry = netrc.netrc(path).hosts.get(machine)
    except (netrc.NetrcParseError, OSError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        where = f" near line {line}" if line else ""
        return None, f"{path} could not be parsed{where}"
    if entry is None or not entry[2]:
        return None, None
    return Secret(entry[2]), None


def resolve_token(
    argument: Secret | None, sources: Sources
) -> tuple[Secret | None, str | None, str | None]:
    """(token, source, problem): first match of argument, environment, netrc."""
    if argument is not None:
        return clean_token(argument, "the token= argument"), "argument", None
    if sources.token is not None:
        return clean_token(sources.token, ENV_TOKEN), ENV_TOKEN, None
    machine = f"control.{sources.zone}"
    found, problem = read_netrc_token(sources.netrc, machine)
    if found is None:
        return None, None, problem
    source = f"{sources.netrc} (machine {machine})"
    return clean_token(found, source), source, None


def is_loopback(host: str) -> bool:
    """True for hosts that never leave this machine: the sandbox may use plain http."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_base_url(argument: str | None, sources: Sources) -> httpx.URL:
    """``base_url=`` > ``DIVIO_API_URL`` > ``https://api.<zone>``, checked for sanity.

    A trailing ``/apps/v3`` is dropped: ``https://api.divio.com/apps/v3`` means the same API.
    """
    raw = argument or sources.url or f"https://api.{sources.zone}"
    try:
        url = httpx.URL(raw.strip())
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"the API base URL {raw!r} is not a valid URL ({exc})") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(
            f"the API base URL {raw!r} must be an absolute http(s) URL such as "
            "https://api.divio.com"
        )
    if url.userinfo:
        raise ConfigurationError("the API base URL must not contain a user name or password")
    if url.query or url.fragment:
        raise ConfigurationError(f"the API base URL {raw!r} must not have a query or fragment")
    # Operations carry their whole path (/apps/v3/...), so the base is the API's origin. A URL
    # copied from the docs often ends in /apps/v3: accept it rather than request /apps/v3 twice.
    path = url.path.rstrip("/")
    if path.endswith(API_PREFIX):
        url = url.copy_with(path=path.removesuffix(API_PREFIX))
    return url


def resolve_read_only(argument: bool | None, sources: Sources) -> bool:
    """``read_only=`` if given, else ``DIVIO_READ_ONLY`` (1/true/yes/on)."""
    if argument is not None:
        return argument
    value = sources.read_only.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{ENV_READ_ONLY}={value!r} is not understood; use 1 or 0")


def load_settings(
    *,
    token: str | None,
    base_url: str | None,
    read_only: bool | None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve and validate everything the client needs, refusing unsafe combinations.

    The token argument and the environment leave this frame's locals at once (see the module
    docstring): only ``given`` (a ``Secret``) and ``sources`` remain.
    """
    given = None if token is None else Secret(token)
    sources = Sources.read(os.environ if environ is None else environ)
    del token, environ
    url = resolve_base_url(base_url, sources)
    secret, source, problem = resolve_token(given, sources)
    if secret is not None and url.scheme == "http" and not is_loopback(url.host):
        raise ConfigurationError(
            f"refusing to send the API token over plain http to {url.host}; use https:// "
            "(plain http is only allowed for loopback hosts such as the sandbox)"
        )
    return Settings(
        base_url=url,
        read_only=resolve_read_only(read_only, sources),
        zone=sources.zone,
        token=None if secret is None else secret.reveal(),
        token_source=source,
        token_problem=problem,
    )


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and effective port: two URLs may share a token only if these match."""
    default_port = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host.lower(), url.port or default_port
