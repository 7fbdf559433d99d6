"""Shell completion for bash, zsh and fish, by argcomplete, with names from the API.

``divio-ext completion bash`` (or ``zsh``, ``fish``) prints the script that a shell sources; the
script then runs ``divio-ext`` with argcomplete's environment variables set, and ``main`` hands
over to :func:`complete` before parsing anything. Subcommands and options come from the
argument parser. Application and environment names come from the API, which costs a request or
two, so they are cached for :data:`CACHE_SECONDS` in a file under the user's cache directory
(``$XDG_CACHE_HOME/divio-ext``, default ``~/.cache/divio-ext``), one file per API URL. A
completion never prints an error: without a token or a network it completes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import argcomplete
from argcomplete.shell_integration import shellcode

from divio_ext.cli.options import PROG, SERVICE_TYPES

#: How long names read from the API are reused.
CACHE_SECONDS = 60.0


def script(args: argparse.Namespace) -> int:
    """``divio-ext completion SHELL``: print the script that enables completion in SHELL."""
    print(shellcode([PROG], shell=args.shell), end="")
    return 0


def cache_dir() -> Path:
    """Where cached names live: ``$XDG_CACHE_HOME/divio-ext``, else ``~/.cache/divio-ext``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "divio-ext"


def cached(key: str, fetch: Callable[[], list[str]], *, now: float | None = None) -> list[str]:
    """``fetch()``'s answer, reused for :data:`CACHE_SECONDS` from the cache file of ``key``.

    The file holds names only, never a token; ``key`` is hashed into its name.
    """
    now = time.time() if now is None else now
    path = cache_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if now - float(saved["at"]) < CACHE_SECONDS:
            return [str(name) for name in saved["names"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    names = fetch()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"at": now, "names": names}), encoding="utf-8")
    except OSError:
        pass
    return names


def _names(parsed: argparse.Namespace, what: str) -> list[str]:
    """Slugs of applications (``what="apps"``) or of the parsed APP's environments."""
    from divio_ext.cli.connect import make_client
    from divio_ext.resources import bound

    # Defaults of options not typed yet are suppressed on subcommands: fill them in. A shell
    # waits for the answer, so a failing request is not retried.
    for name in ("token_file", "base_url", "zone", "read_only", "deadline"):
        if not hasattr(parsed, name):
            setattr(parsed, name, None)
    parsed.retries = 0
    app: str | None = getattr(parsed, "app", None)
    if what == "envs" and not app:
        return []
    if what == "apps":
        app = None
    with make_client(parsed) as client:
        key = f"{client.base_url}|{what}|{app or ''}"

        def fetch() -> list[str]:
            if app is None:
                return [found.slug or "" for found in bound.applications(client)]
            return [env.slug or "" for env in bound.application(client, app).environments()]

        return cached(key, fetch)


def _completer(what: str) -> Callable[..., list[str]]:
    def complete_names(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> list[str]:
        try:
            return [name for name in _names(parsed_args, what) if name.startswith(prefix)]
        except Exception:  # a completion must never fail the shell: offer nothing instead
            return []

    return complete_names


def complete_type(prefix: str, **_: Any) -> list[str]:
    """``--type`` takes any case: offer the known types in the case being typed."""
    lower = prefix.islower()
    return [name.lower() if lower else name for name in SERVICE_TYPES]


def _attach(parser: argparse.ArgumentParser) -> None:
    """Give every APP and ENV argument (and ``--type``) its completer, in every subcommand."""
    for action in parser._actions:
        if action.dest == "app":
            action.completer = _completer("apps")  # type: ignore[attr-defined]
        elif action.dest == "env":
            action.completer = _completer("envs")  # type: ignore[attr-defined]
        elif action.dest == "type":
            action.completer = complete_type  # type: ignore[attr-defined]
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _attach(child)


def complete(parser: argparse.ArgumentParser) -> int:
    """Answer the shell's completion request (argcomplete's protocol), then end."""
    _attach(parser)
    argcomplete.autocomplete(parser, always_complete_options=False, exit_method=lambda code=0: None)
    return 0
