"""openapi.json: valid, never edited by hand, and shaped the way divio_ext relies on."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate
from spec_support import SPEC_PATH, make_dry_run

from divio_spec import reconstruct

SPEC: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
RECONSTRUCTED = bool(SPEC["info"].get("x-divio-ext-reconstructed"))
reconstructed_only = pytest.mark.skipif(
    not RECONSTRUCTED, reason="openapi.json is the published schema (make spec)"
)
METHODS = ("get", "put", "post", "delete", "patch")
# Verb of each operationId prefix and the HTTP method it belongs to (None: an extra action).
VERBS = {
    "List": "get",
    "Get": "get",
    "Create": "post",
    "Update": "put",
    "PartialUpdate": "patch",
    "Delete": "delete",
    "Copy": "post",
    "Upload": "post",
    "Check": "post",
}


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, item[method])
        for path, item in SPEC["paths"].items()
        for method in METHODS
        if method in item
    ]


def test_openapi_json_is_a_valid_openapi_document() -> None:
    validate(SPEC)


@reconstructed_only
def test_reconstructed_spec_is_byte_for_byte_what_make_reconstruct_spec_writes(
    tmp_path: Path,
) -> None:
    rebuilt = tmp_path / "openapi.json"

    assert reconstruct.main(["--output", str(rebuilt)]) == 0

    assert rebuilt.read_bytes() == SPEC_PATH.read_bytes(), (
        "openapi.json was edited by hand: change divio_spec/reconstruction.yaml and run "
        "`make reconstruct-spec` instead"
    )


def test_make_reconstruct_spec_runs_the_builder_on_the_spec_file() -> None:
    assert "-m divio_spec.reconstruct --output openapi.json" in make_dry_run("reconstruct-spec")


@reconstructed_only
def test_reconstructed_spec_says_what_it_is_and_how_to_replace_it() -> None:
    description = SPEC["info"]["description"]

    assert "reconstruct" in description
    assert "`make spec`" in description


@reconstructed_only
def test_identifiers_are_plain_strings_not_uuids() -> None:
    assert '"format": "uuid"' not in SPEC_PATH.read_text(encoding="utf-8")


def test_operation_ids_follow_the_published_convention() -> None:
    ids = {operation["operationId"] for _, _, operation in operations()}

    assert {
        "ListAppTemplates",
        "GetAppTemplate",
        "ListApplicationActivities",
        "GetCurrentUser",
    } <= ids
    for path, method, operation in operations():
        verb = re.match(r"(PartialUpdate|[A-Z][a-z]+)(?=[A-Z])", operation["operationId"])
        assert verb, f"{method.upper()} {path}: {operation['operationId']} is not <Verb><Noun>"
        assert VERBS.get(verb.group(1)) == method, f"{operation['operationId']} on {method.upper()}"


def test_tags_are_named_after_the_path_segment() -> None:
    for path, method, operation in operations():
        segments = path.strip("/").split("/")
        expected = segments[2] if len(segments) > 2 else "api-root"
        assert operation["tags"] == [expected], f"{method.upper()} {path}"


def test_every_list_operation_takes_page_and_page_size() -> None:
    lists = [op for _, _, op in operations() if op["operationId"].startswith("List")]

    assert lists
    for operation in lists:
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        assert {"page", "page_size"} <= names, operation["operationId"]
