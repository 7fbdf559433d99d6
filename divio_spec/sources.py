"""Reading a spec: a URL or a file, JSON or YAML, as ``make spec`` and ``make spec-diff`` read it.

Its own module because both ``divio_spec.fetch`` and ``divio_spec.diff`` read sources, and
``fetch`` also runs ``diff``: kept in either, the two would import each other.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

Schema = dict[str, Any]

TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class SpecError(Exception):
    """Why the sources cannot become the spec; printed as the one line ``make spec`` shows."""


def one_line(text: str) -> str:
    return " ".join(text.split())


def read_source(source: str) -> bytes:
    """The raw bytes of a URL (GET with a timeout) or a local file."""
    if source.startswith(("http://", "https://")):
        try:
            response = httpx.get(source, timeout=TIMEOUT, follow_redirects=True)
        except httpx.HTTPError as exc:
            reason = one_line(str(exc)) or type(exc).__name__
            raise SpecError(f"cannot download {source}: {reason}") from None
        if response.status_code != 200:
            raise SpecError(f"cannot download {source}: HTTP {response.status_code}")
        return response.content
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise SpecError(f"cannot read {source}: {exc.strerror or exc}") from None


def parse_document(raw: bytes, source: str) -> Schema:
    """Parse a JSON answer, or a YAML one when PyYAML is installed (drf-spectacular serves both)."""
    try:
        document = json.loads(raw)
    except ValueError:
        document = parse_yaml(raw, source)
    if not isinstance(document, dict):
        raise SpecError(f"{source} is not an OpenAPI document (no JSON or YAML object)")
    return document


def parse_yaml(raw: bytes, source: str) -> Any:
    try:
        import yaml
    except ImportError:
        raise SpecError(f"{source} is not JSON (install PyYAML to read YAML)") from None

    class Loader(yaml.SafeLoader):
        """Safe loading that keeps timestamps as strings, as they are in JSON."""

    Loader.yaml_implicit_resolvers = {
        key: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    try:
        return yaml.load(raw, Loader=Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise SpecError(f"{source} is neither JSON nor YAML: {one_line(str(exc))}") from None
