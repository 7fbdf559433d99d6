"""The project's cassettes: where they live, and the scan that proves them free of credentials.

How conversations are scrubbed and normalised before they are saved is the plugin's
``divio_sandbox.recording`` (users' own cassettes get the same treatment); ``vcr_config`` in
``tests/conftest.py`` records every cassette test of the suite with it. The hygiene tests scan
the committed cassettes with :func:`leaks_in_cassette`. See ``tests/README.md``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from divio_sandbox.recording import (
    AUTHORIZATION_PLACEHOLDER,
    CREDENTIAL_HEADERS,
    LONG_HEX,
    REDACTED,
    SCHEME_VALUE,
    SECRET_FIELD,
    SIGNED_PARAMETER,
)

#: Where cassettes live: ``<CASSETTES>/<test module>/<test>.yaml`` (env: ``DIVIO_CASSETTE_DIR``).
CASSETTES = Path(os.environ.get("DIVIO_CASSETTE_DIR") or Path(__file__).parent / "cassettes")
#: libyaml's loader when available: scanning every cassette is 10 times faster with it.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        ("a Token/Bearer value other than the placeholder", SCHEME_VALUE),
        ("a run of 32+ hex digits", LONG_HEX),
        ("a signed-URL parameter", SIGNED_PARAMETER),
        ("a secret-named field", SECRET_FIELD),
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
