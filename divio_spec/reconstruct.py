"""Write ``openapi.json``: the Divio API spec reconstructed from public sources.

The published schema (https://api.divio.com/apps/v3/schema.json) cannot be downloaded from
every machine, so this step rebuilds an OpenAPI 3.0 document from public sources: Divio's
documentation and ReDoc pages, the requests and field reads of the official Divio CLI and of
Divio's helper scripts, and real response bodies that a public Divio test application's CI
scripts saved (2021-2022).

What the sources show is data, in ``reconstruction.yaml`` beside this module (and in words, with
provenance, in ``docs/api-notes.md``): each resource with the sources it comes from, its
components and fields, its operations and their filters. This module adds only what Django REST
Framework and drf-spectacular would add, so that the document has the shape the real schema has
and the pre-processing and generation pipeline is exercised on it: ``Paginated<Name>List``
envelopes with DRF's page parameters, three request content types, ``oneOf: [XEnum, NullEnum]``
for nullable choices, ``allOf`` around nullable references, the path parameter of detail routes
and the token security scheme.

Usage: ``python -m divio_spec.reconstruct [--output openapi.json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

Schema = dict[str, Any]

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).with_name("reconstruction.yaml")

#: DRF's page-number pagination, as drf-spectacular describes its two query parameters.
PAGE_PARAMS: tuple[Schema, ...] = (
    {
        "name": "page",
        "required": False,
        "in": "query",
        "description": "A page number within the paginated result set.",
        "schema": {"type": "integer"},
    },
    {
        "name": "page_size",
        "required": False,
        "in": "query",
        "description": "Number of results to return per page.",
        "schema": {"type": "integer"},
    },
)
REQUEST_MEDIA = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
TOKEN: list[Schema] = [{"Token": []}]
TOKEN_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": "Authorization",
    "description": 'Token-based authentication with required prefix "Token"',
}
UNCONFIRMED = " (unconfirmed: no public source shows the server applies it)"
METHODS = ("get", "post", "put", "patch", "delete")
PAGINATION = ("page-number", "cursor")

#: Field types of the data file and the JSON schema each starts from.
TYPES: dict[str, Schema] = {
    "string": {"type": "string"},
    "id": {"type": "string"},  # a Divio identifier: 26 base32 characters, not an RFC 4122 UUID
    "datetime": {"type": "string", "format": "date-time"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "array": {"type": "array"},
    "map": {"type": "object"},
    "any": {},
}
#: Flags of a field and the keyword each becomes, in drf-spectacular's order.
FLAGS = {
    "description": "description",
    "nullable": "nullable",
    "read_only": "readOnly",
    "write_only": "writeOnly",
}


class ReconstructionError(ValueError):
    """A mistake in the data file, said with where it is."""


class _DataLoader(yaml.SafeLoader):
    """Safe loading that refuses a key given twice (plain YAML keeps the last one silently)."""


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise ReconstructionError(f"line {key_node.start_mark.line + 1}: {key!r} given twice")
        seen.add(key)
    return loader.construct_mapping(node)


_DataLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def checked(
    node: Any, where: str, allowed: Iterable[str] | None = None, needed: Iterable[str] = ()
) -> Schema:
    """``node`` as a mapping, after checking that it has every needed key and no unknown one."""
    if not isinstance(node, Mapping):
        raise ReconstructionError(f"{where}: expected a mapping, got {node!r}")
    if allowed is not None and (unknown := sorted(set(node) - set(allowed))):
        raise ReconstructionError(f"{where}: unknown keys {unknown}")
    if missing := [key for key in needed if key not in node]:
        raise ReconstructionError(f"{where}: missing {missing}")
    return dict(node)


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


class Builder:
    """Turns the data of one file into the OpenAPI document; knows every component's name."""

    def __init__(self, data: Any) -> None:
        top = ("info", "server", "resources")
        self.data = checked(data, "the data file", top, top)
        self.resources: dict[str, Schema] = {}
        self.components: dict[str, Schema] = {}
        for name, resource in checked(self.data["resources"], "resources").items():
            where = f"resource {name}"
            keys = ("source", "noun", "components", "operations")
            resource = self.resources[name] = checked(
                resource, where, keys, ("source", "operations")
            )
            if not (isinstance(resource["source"], str) and resource["source"].strip()):
                raise ReconstructionError(f"{where}: say where its facts come from (source)")
            for component, spec in (resource.get("components") or {}).items():
                if component in self.components:
                    raise ReconstructionError(f"{where}: component {component} defined twice")
                self.components[component] = checked(spec, component)
        self.enums = {name for name, spec in self.components.items() if "values" in spec}

    def known(self, name: Any, where: str) -> str:
        if name not in self.components:
            raise ReconstructionError(f"{where}: no component named {name!r}")
        return str(name)

    # Components -------------------------------------------------------------------------------

    def field(self, spec: Any, where: str) -> Schema:
        """The JSON schema of one field; ``spec`` is a type name or a mapping (see the data)."""
        if isinstance(spec, str):
            spec = {"type": spec}
        spec = checked(
            spec, where, ("type", "ref", "format", "items", "values", "schema", "required", *FLAGS)
        )
        if "schema" in spec:  # written out whole, for the odd field the notation cannot say
            checked(spec, where, ("schema", "required"))
            return dict(spec["schema"])
        if "ref" in spec:
            return self.reference(spec, where)
        kind = spec.get("type")
        if kind not in TYPES:
            raise ReconstructionError(f"{where}: type must be one of {sorted(TYPES)}, got {kind!r}")
        schema = dict(TYPES[kind])
        if "format" in spec:
            schema["format"] = spec["format"]
        if kind == "array":
            items = checked(spec, where, needed=("items",))["items"]
            schema["items"] = self.field(items, f"{where} items")
        if kind == "map":
            values = checked(spec, where, needed=("values",))["values"]
            schema["additionalProperties"] = self.field(values, f"{where} values")
        schema.update({FLAGS[flag]: spec[flag] for flag in FLAGS if spec.get(flag)})
        return schema

    def reference(self, spec: Schema, where: str) -> Schema:
        """A reference, nullable the way drf-spectacular writes it (a choice: ``NullEnum``)."""
        name = self.known(spec["ref"], where)
        if not spec.get("nullable"):
            checked(spec, f"{where} (OpenAPI 3.0 ignores keys beside a $ref)", ("ref", "required"))
            return ref(name)
        checked(spec, where, ("ref", "nullable", "description", "required"))
        if name in self.enums:
            schema: Schema = {"oneOf": [ref(name), ref("NullEnum")]}
        else:
            schema = {"allOf": [ref(name)], "nullable": True}
        if "description" in spec:
            schema["description"] = spec["description"]
        return schema

    def component(self, name: str) -> Schema:
        spec = self.components[name]
        if "values" in spec:
            spec = checked(spec, name, ("values", "description"), ("values", "description"))
            lines = "\n".join(f"* `{value}` - {value.title()}" for value in spec["values"])
            return {
                "enum": list(spec["values"]),
                "type": "string",
                "description": f"{spec['description']}\n\n{lines}",
            }
        spec = checked(spec, name, ("description", "fields", "free_form"), ("fields",))
        fields = spec["fields"] or {}
        schema: Schema = {"type": "object"}
        if "description" in spec:
            schema["description"] = spec["description"]
        schema["properties"] = {
            field: self.field(value, f"{name}.{field}") for field, value in fields.items()
        }
        required = [field for field, value in fields.items() if self.is_required(value)]
        if required:
            schema["required"] = sorted(required)
        if spec.get("free_form"):
            schema["additionalProperties"] = {}
        return schema

    @staticmethod
    def is_required(spec: Any) -> bool:
        return isinstance(spec, Mapping) and bool(spec.get("required"))

    # Operations -------------------------------------------------------------------------------

    @staticmethod
    def parameter(spec: Any, where: str) -> Schema:
        """A query parameter; ``uuid_of: X`` is the usual ``Filter by X uuid.``."""
        spec = checked(
            spec, where, ("name", "description", "uuid_of", "unconfirmed", "repeatable", "format")
        )
        if ("description" in spec) == ("uuid_of" in spec):
            raise ReconstructionError(f"{where}: give either description or uuid_of")
        description = spec.get("description") or f"Filter by {spec['uuid_of']} uuid."
        if spec.get("unconfirmed"):
            description += UNCONFIRMED
        schema: Schema = {"type": "string"}
        if "format" in spec:
            schema["format"] = spec["format"]
        if spec.get("repeatable"):
            schema = {"type": "array", "items": schema}
        param: Schema = {
            "in": "query",
            "name": spec["name"],
            "schema": schema,
            "description": description,
        }
        if spec.get("repeatable"):
            param["explode"] = True
            param["style"] = "form"
        return param

    def operation(
        self, spec: Any, tag: str, noun: str | None, where: str
    ) -> tuple[str, str, Schema]:
        """The method, the path and the operation object of one operation of the data."""
        keys = ("id", "description", "answer", "paginated", "status", "body", "query", "security")
        spec = checked(spec, where, (*keys, *METHODS), ("id", "description", "answer"))
        methods = [method for method in METHODS if method in spec]
        if len(methods) != 1:
            raise ReconstructionError(f"{where}: give exactly one of {METHODS} with the path")
        method, path = methods[0], spec[methods[0]]
        where = f"{method.upper()} {path}"
        parameters: list[Schema] = []
        if "{uuid}" in path:
            if not noun:
                raise ReconstructionError(f"{where}: a detail route needs the resource's noun")
            parameters.append(
                {
                    "in": "path",
                    "name": "uuid",
                    "schema": {"type": "string"},
                    "description": f"A UUID string identifying this {noun}.",
                    "required": True,
                }
            )
        query = [self.parameter(item, where) for item in spec.get("query") or ()]
        answer = ref(self.known(spec["answer"], where))
        if (pagination := spec.get("paginated")) is not None:
            if pagination not in PAGINATION:
                raise ReconstructionError(f"{where}: paginated must be one of {PAGINATION}")
            answer = ref(f"Paginated{spec['answer']}List")
            query = [*query, *PAGE_PARAMS]
            if pagination == "page-number":  # a list view: drf-spectacular sorts its parameters
                query.sort(key=lambda param: str(param["name"]))
        parameters += query
        operation: Schema = {"operationId": spec["id"], "description": spec["description"]}
        if parameters:
            operation["parameters"] = parameters
        operation["tags"] = [tag]
        if "body" in spec:
            body: Schema = {
                "content": {
                    media: {"schema": ref(self.known(spec["body"], where))}
                    for media in REQUEST_MEDIA
                }
            }
            if method != "patch":  # a partial update may send nothing
                body["required"] = True
            operation["requestBody"] = body
        operation["security"] = spec.get("security", TOKEN)
        status = str(spec.get("status", 201 if method == "post" else 200))
        operation["responses"] = {
            status: {"content": {"application/json": {"schema": answer}}, "description": ""}
        }
        return method, path, operation

    # The document -----------------------------------------------------------------------------

    def build(self) -> Schema:
        paths: dict[str, dict[str, Schema]] = {}
        envelopes: dict[str, Schema] = {}
        for tag, resource in self.resources.items():
            for index, spec in enumerate(resource["operations"]):
                where = f"{tag}: operation {index + 1}"
                method, path, operation = self.operation(spec, tag, resource.get("noun"), where)
                if method in paths.setdefault(path, {}):
                    raise ReconstructionError(f"{method.upper()} {path} defined twice")
                paths[path][method] = operation
                if pagination := spec.get("paginated"):
                    envelopes[f"Paginated{spec['answer']}List"] = envelope(
                        spec["answer"], cursor=pagination == "cursor"
                    )
        schemas = {name: self.component(name) for name in self.components}
        schemas["NullEnum"] = {"enum": [None]}
        schemas.update(envelopes)
        info = checked(self.data["info"], "info", *[("title", "version", "description")] * 2)
        return {
            "openapi": "3.0.3",
            "info": {
                "title": info["title"],
                "version": info["version"],
                "description": info["description"],
                "x-divio-ext-reconstructed": True,
            },
            "servers": [{"url": self.data["server"]}],
            "paths": dict(sorted(paths.items())),
            "components": {
                "schemas": dict(sorted(schemas.items())),
                "securitySchemes": {"Token": TOKEN_SCHEME},
            },
        }


def envelope(model: str, *, cursor: bool) -> Schema:
    """A DRF list page: ``count`` and page links, or only links for a cursor."""
    example = "http://api.example.org/accounts/?page=4"
    properties: Schema = {
        "count": {"type": "integer", "example": 123},
        "next": {"type": "string", "nullable": True, "format": "uri", "example": example},
        "previous": {
            "type": "string",
            "nullable": True,
            "format": "uri",
            "example": example.replace("4", "2"),
        },
        "results": {"type": "array", "items": ref(model)},
    }
    if cursor:
        del properties["count"]
    return {
        "type": "object",
        "required": ["results"] if cursor else ["count", "results"],
        "properties": properties,
    }


def load(path: Path = DATA) -> Any:
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_DataLoader)  # noqa: S506 - a SafeLoader subclass


def build_spec(data: Any = None) -> Schema:
    """The document from ``data`` (the parsed data file; by default ``reconstruction.yaml``)."""
    return Builder(load() if data is None else data).build()


def render(spec: Schema) -> str:
    """The one serialisation every spec file in this repository uses."""
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "openapi.json")
    args = parser.parse_args(argv)
    args.output.write_text(render(build_spec()), encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
