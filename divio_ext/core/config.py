"""Where the client's settings come from: arguments, then environment, then the Divio CLI's netrc.

Everything is validated here, before any request, so that a bad token or an unsafe URL fails
with a clear one-line message (which never contains the token itself).
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

ENV_TOKEN = "DIVIO_API_TOKEN"  # noqa: S105 - the name of the variable, not a secret
ENV_URL = "DIVIO_API_URL"
ENV_READ_ONLY = "DIVIO_READ_ONLY"
ENV_ZONE = "DIVIO_ZONE"
ENV_NETRC = "NETRC_PATH"
DEFAULT_ZONE = "divio.com"

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})

logger = logging.getLogger("divio_ext")


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


def clean_token(raw: str, source: str) -> str:
    """Strip surrounding whitespace and reject what cannot be sent in a header.

    The checks happen here so that a pasted token with a newline fails before any request, and
    the message names the source but never echoes the value.
    """
    token = raw.strip()
    if not token:
        raise ConfigurationError(f"the API token from {source} is empty")
    if not token.isascii() or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in token):
        raise ConfigurationError(
            f"the API token from {source} contains control or non-ASCII characters that "
            "cannot be sent in an HTTP header; copy it again"
        )
    if any(ch.isspace() for ch in token):
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


def read_netrc_token(path: str, machine: str) -> tuple[str | None, str | None]:
    """The ``password`` stored for ``machine``, or why the file could not be used.

    Like ssh, a file that other users can read is refused: the token in it may already be
    compromised, and silently using it would hide that.
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
        logger.warning("%s", problem)
        return None, problem
    try:
        entry = netrc.netrc(path).authenticators(machine)
    except (netrc.NetrcParseError, OSError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        where = f" near line {line}" if line else ""
        return None, f"{path} could not be parsed{where}"
    if entry is None or not entry[2]:
        return None, None
    return entry[2], None


def resolve_token(
    argument: str | None, environ: Mapping[str, str], zone: str
) -> tuple[str | None, str | None, str | None]:
    """(token, source, problem): first match of argument, environment, netrc."""
    if argument is not None:
        return clean_token(argument, "the token= argument"), "argument", None
    if ENV_TOKEN in environ:
        return clean_token(environ[ENV_TOKEN], ENV_TOKEN), ENV_TOKEN, None
    path = netrc_path(environ)
    machine = f"control.{zone}"
    raw, problem = read_netrc_token(path, machine)
    if raw is None:
        return None, None, problem
    source = f"{path} (machine {machine})"
    return clean_token(raw, source), source, None


def is_loopback(host: str) -> bool:
    """True for hosts that never leave this machine: the sandbox may use plain http."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_base_url(argument: str | None, environ: Mapping[str, str], zone: str) -> httpx.URL:
    """``base_url=`` > ``DIVIO_API_URL`` > ``https://api.<zone>``, checked for sanity."""
    raw = argument or environ.get(ENV_URL) or f"https://api.{zone}"
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
    return url


def resolve_read_only(argument: bool | None, environ: Mapping[str, str]) -> bool:
    """``read_only=`` if given, else ``DIVIO_READ_ONLY`` (1/true/yes/on)."""
    if argument is not None:
        return argument
    value = environ.get(ENV_READ_ONLY, "").strip().lower()
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
    """Resolve and validate everything the client needs, refusing unsafe combinations."""
    env = os.environ if environ is None else environ
    zone = env.get(ENV_ZONE, "").strip() or DEFAULT_ZONE
    url = resolve_base_url(base_url, env, zone)
    secret, source, problem = resolve_token(token, env, zone)
    if secret is not None and url.scheme == "http" and not is_loopback(url.host):
        raise ConfigurationError(
            f"refusing to send the API token over plain http to {url.host}; use https:// "
            "(plain http is only allowed for loopback hosts such as the sandbox)"
        )
    return Settings(
        base_url=url,
        read_only=resolve_read_only(read_only, env),
        zone=zone,
        token=secret,
        token_source=source,
        token_problem=problem,
    )


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and effective port: two URLs may share a token only if these match."""
    default_port = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host.lower(), url.port or default_port
