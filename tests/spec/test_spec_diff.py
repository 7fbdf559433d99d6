"""divio_spec.diff and ``make spec``: what changed in the API, and what breaks divio-ext.

Every new spec here is the committed ``openapi.json`` with one edit, the kind the published
schema may bring: renamed operationIds and components, an operation gone, a field retyped,
newly required, nullable or with other enum values.
"""

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from spec_support import REPO_ROOT, SPEC_PATH, make_dry_run

from divio_spec import diff as spec_diff
from divio_spec import fetch as fetch_spec

Spec = dict[str, Any]

CONTRACT = spec_diff.load_contract()
ORIGINAL: Spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
NULL_ENUM = {"$ref": "#/components/schemas/NullEnum"}
OPERATIONS = sum(len(item) for item in ORIGINAL["paths"].values())


def edited(edit: Callable[[Spec], object]) -> Spec:
    """A copy of the committed spec with ``edit`` applied to it."""
    spec: Spec = json.loads(json.dumps(ORIGINAL))
    edit(spec)
    return spec


def schema(spec: Spec, name: str) -> Spec:
    component: Spec = spec["components"]["schemas"][name]
    return component


def changes(new: Spec) -> list[str]:
    return [change.line() for change in spec_diff.compare(ORIGINAL, new, CONTRACT)]


def breaking(new: Spec) -> list[str]:
    found = spec_diff.compare(ORIGINAL, new, CONTRACT)
    return [change.line() for change in found if change.breaking]


def drf_spectacular_id(method: str, path: str) -> str:
    """drf-spectacular's default operationId: path words, then the action (``backups_list``)."""
    words = [part for part in path.strip("/").split("/")[2:] if not part.startswith("{")]
    action = {
        "get": "retrieve" if path.endswith("}/") else "list",
        "post": "create",
        "put": "update",
        "patch": "partial_update",
        "delete": "destroy",
    }[method]
    return "_".join([*(word.replace("-", "_") for word in words or ["root"]), action])


def rename_every_operation_id(spec: Spec) -> None:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            operation["operationId"] = drf_spectacular_id(method, path)


def test_the_same_spec_has_no_changes() -> None:
    assert spec_diff.compare(ORIGINAL, ORIGINAL, CONTRACT) == []


def test_operation_ids_renamed_to_drf_spectacular_defaults_are_reported_and_break_nothing() -> None:
    renamed = spec_diff.compare(ORIGINAL, edited(rename_every_operation_id), CONTRACT)

    assert len(renamed) == OPERATIONS
    assert {change.section for change in renamed} == {"renamed"}
    assert [change for change in renamed if change.breaking] == []
    texts = {change.operation: change.text for change in renamed}
    assert texts["GET /apps/v3/backups/"] == "operationId `ListBackups` renamed `backups_list`"
    assert texts["GET /apps/v3/backups/{uuid}/"] == (
        "operationId `GetBackup` renamed `backups_retrieve`"
    )
    assert texts["POST /apps/v3/environments/{uuid}/copy/"] == (
        "operationId `CopyEnvironment` renamed `environments_copy_create`"
    )


def test_schemas_are_compared_through_operations_not_by_component_name() -> None:
    names = schema(ORIGINAL, "Backup"), schema(ORIGINAL, "PaginatedBackupList")
    renames = {("schemas", name): f"Divio{name}" for name in ORIGINAL["components"]["schemas"]}

    renamed = fetch_spec.rename_components(ORIGINAL, renames)

    assert "Backup" not in renamed["components"]["schemas"]
    assert (schema(renamed, "DivioBackup"), schema(renamed, "DivioPaginatedBackupList")) != names
    assert spec_diff.compare(ORIGINAL, renamed, CONTRACT) == []


def test_removing_an_operation_divio_ext_needs_is_breaking_and_others_are_not() -> None:
    def remove(spec: Spec) -> None:
        del spec["paths"]["/apps/v3/backups/{uuid}/"]
        del spec["paths"]["/apps/v3/invoices/"]

    assert changes(edited(remove)) == [
        "GET /apps/v3/backups/{uuid}/: operation removed (was `GetBackup`) "
        "(divio-ext needs this operation)",
        "GET /apps/v3/invoices/: operation removed (was `ListInvoices`)",
    ]


def test_an_added_operation_is_information() -> None:
    def add(spec: Spec) -> None:
        spec["paths"]["/apps/v3/regions/{uuid}/"] = {
            "get": {**spec["paths"]["/apps/v3/regions/"]["get"], "operationId": "GetRegion"}
        }

    assert changes(edited(add)) == ["GET /apps/v3/regions/{uuid}/: operation added (`GetRegion`)"]
    assert breaking(edited(add)) == []


def test_a_retyped_field_breaks_only_the_operations_that_read_it() -> None:
    def retype(spec: Spec) -> None:
        schema(spec, "Backup")["properties"]["environment"] = {"type": "integer"}

    assert changes(edited(retype)) == [
        "GET /apps/v3/backups/: answer field `environment` retyped string → integer "
        "(divio-ext reads it)",
        "POST /apps/v3/backups/: answer field `environment` retyped string → integer",
        "GET /apps/v3/backups/{uuid}/: answer field `environment` retyped string → integer "
        "(divio-ext reads it)",
    ]


def test_a_field_divio_ext_does_not_read_may_change_freely() -> None:
    def retype(spec: Spec) -> None:
        schema(spec, "Backup")["properties"]["scheduled_for_deletion_at"] = {"type": "integer"}
        schema(spec, "Backup")["properties"]["added_later"] = {"type": "string"}

    assert len(changes(edited(retype))) == 6
    assert breaking(edited(retype)) == []


def test_fields_of_paginated_lists_are_their_items_fields() -> None:
    def remove(spec: Spec) -> None:
        del schema(spec, "Backup")["properties"]["state"]

    assert breaking(edited(remove))[0] == (
        "GET /apps/v3/backups/: answer field `state` removed (divio-ext reads it)"
    )


def test_a_read_field_turning_nullable_through_a_null_enum_member_is_breaking() -> None:
    def nullable(spec: Spec) -> None:
        schema(spec, "ServiceInstance")["properties"]["prefix"] = {
            "oneOf": [{"type": "string"}, NULL_ENUM]
        }

    assert breaking(edited(nullable)) == [
        "GET /apps/v3/service-instances/: answer field `prefix` now nullable (divio-ext reads it)",
        "GET /apps/v3/service-instances/{uuid}/: answer field `prefix` now nullable "
        "(divio-ext reads it)",
    ]


def test_a_read_field_that_is_no_longer_required_is_breaking() -> None:
    def optional(spec: Spec) -> None:
        schema(spec, "Environment")["required"].remove("application")

    assert breaking(edited(optional)) == [
        "GET /apps/v3/environments/: answer field `application` no longer required "
        "(divio-ext reads it)",
        "GET /apps/v3/environments/{uuid}/: answer field `application` no longer required "
        "(divio-ext reads it)",
    ]


def test_enum_values_removed_from_a_read_field_break_and_added_ones_do_not() -> None:
    def enum(spec: Spec) -> None:
        schema(spec, "SuccessEnum")["enum"] = ["SUCCESS", "FAILURE", "CANCELLED"]

    assert breaking(edited(enum)) == [
        "GET /apps/v3/backup-restores/{uuid}/: answer field `success` enum values added: "
        '"CANCELLED"; enum values removed: "PARTIAL" (divio-ext reads it)',
        "GET /apps/v3/backups/: answer field `success` enum values added: "
        '"CANCELLED"; enum values removed: "PARTIAL" (divio-ext reads it)',
        "GET /apps/v3/backups/{uuid}/: answer field `success` enum values added: "
        '"CANCELLED"; enum values removed: "PARTIAL" (divio-ext reads it)',
    ]

    def more(spec: Spec) -> None:
        schema(spec, "SuccessEnum")["enum"].append("CANCELLED")

    assert len(changes(edited(more))) == 5
    assert breaking(edited(more)) == []


def test_an_untyped_read_field_gaining_a_type_narrows_and_breaks_nothing() -> None:
    def typed(spec: Spec) -> None:
        schema(spec, "ServiceInstanceBackup")["properties"]["errors"] = {
            "type": "array",
            "items": {"type": "string"},
            "nullable": True,
        }

    assert changes(edited(typed))[:2] == [
        "GET /apps/v3/service-instance-backups/: answer field `errors` retyped any → array",
        "GET /apps/v3/service-instance-backups/: answer field `errors[]` added (string, required)",
    ]
    assert breaking(edited(typed)) == []


def test_a_newly_required_request_field_breaks_an_operation_divio_ext_calls() -> None:
    def required(spec: Spec) -> None:
        schema(spec, "BackupRequest")["required"].append("notes")
        schema(spec, "ApplicationRequest")["required"].append("branch")

    assert changes(edited(required)) == [
        "POST /apps/v3/applications/: request field `branch` now required",
        "POST /apps/v3/backups/: request field `notes` now required "
        "(divio-ext calls this operation)",
    ]


def test_a_new_required_request_field_breaks_and_a_new_optional_one_does_not() -> None:
    def add(spec: Spec) -> None:
        request = schema(spec, "BackupRequest")
        request["properties"]["region"] = {"type": "string"}
        request["properties"]["label"] = {"type": "string"}
        request["required"].append("region")

    assert changes(edited(add)) == [
        "POST /apps/v3/backups/: request field `label` added (string, optional)",
        "POST /apps/v3/backups/: request field `region` added (string, required) "
        "(divio-ext calls this operation)",
    ]


def test_a_request_field_removed_from_an_operation_divio_ext_calls_is_breaking() -> None:
    def remove(spec: Spec) -> None:
        del schema(spec, "BackupRequest")["properties"]["trigger"]
        del schema(spec, "ApplicationRequest")["properties"]["branch"]

    assert changes(edited(remove)) == [
        "POST /apps/v3/applications/: request field `branch` removed",
        "POST /apps/v3/backups/: request field `trigger` removed (divio-ext calls this operation)",
    ]


def test_parameters_removed_or_newly_required_break_an_operation_divio_ext_calls() -> None:
    def parameters(spec: Spec) -> None:
        listed = spec["paths"]["/apps/v3/backups/"]["get"]["parameters"]
        listed[:] = [item for item in listed if item["name"] != "environment"]
        listed.append({"in": "query", "name": "region", "schema": {"type": "string"}})
        listed.append(
            {"in": "query", "name": "organisation", "required": True, "schema": {"type": "string"}}
        )

    assert changes(edited(parameters)) == [
        "GET /apps/v3/backups/: query parameter `environment` removed "
        "(divio-ext calls this operation)",
        "GET /apps/v3/backups/: query parameter `organisation` added (string, required) "
        "(divio-ext calls this operation)",
        "GET /apps/v3/backups/: query parameter `region` added (string, optional)",
    ]


def test_a_list_that_stops_being_paginated_is_breaking() -> None:
    def unpaginated(spec: Spec) -> None:
        answer = spec["paths"]["/apps/v3/backups/"]["get"]["responses"]["200"]
        answer["content"]["application/json"]["schema"] = {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Backup"},
        }

    assert breaking(edited(unpaginated)) == [
        "GET /apps/v3/backups/: answer changed from paginated list to list (divio-ext reads it)"
    ]


def test_recursive_schemas_are_compared_without_looping() -> None:
    def recursive(spec: Spec) -> None:
        schema(spec, "Backup")["properties"]["parent"] = {"$ref": "#/components/schemas/Backup"}

    assert changes(edited(recursive)) == [
        "GET /apps/v3/backups/: answer field `parent` added (object, optional)",
        "POST /apps/v3/backups/: answer field `parent` added (object, optional)",
        "GET /apps/v3/backups/{uuid}/: answer field `parent` added (object, optional)",
    ]


BREAKING_EDIT = "GET /apps/v3/backups/{uuid}/: operation removed (was `GetBackup`)"


def remove_a_required_operation(spec: Spec) -> None:
    del spec["paths"]["/apps/v3/backups/{uuid}/"]


def write(path: Path, spec: Spec) -> Path:
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def test_the_report_lists_breaking_lines_first_then_every_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(spec: Spec) -> None:
        rename_every_operation_id(spec)
        remove_a_required_operation(spec)

    old = write(tmp_path / "old.json", ORIGINAL)
    new = write(tmp_path / "new.json", edited(edit))
    report = tmp_path / "report.md"

    code = spec_diff.main([str(old), str(new), "--report", str(report)])

    assert code == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"spec changes: 0 operations added, 1 removed, {OPERATIONS - 1} operationIds renamed, "
        "0 changes in 0 operations; 1 breaking for divio-ext",
        f"  BREAKING {BREAKING_EDIT} (divio-ext needs this operation)",
        f"report: {report}",
    ]
    text = report.read_text(encoding="utf-8").splitlines()
    assert text[:7] == [
        "# API changes",
        "",
        f"From `{old}` to `{new}`: {out[0].removeprefix('spec changes: ')}.",
        "",
        "## Breaking for divio-ext",
        "",
        f"- {BREAKING_EDIT} (divio-ext needs this operation)",
    ]
    assert "## operationIds renamed (only code calling generated functions by name notices)" in text
    assert "- `GET /apps/v3/backups/`: operationId `ListBackups` renamed `backups_list`" in text


def test_the_report_exits_0_when_nothing_breaks(tmp_path: Path) -> None:
    old = write(tmp_path / "old.json", ORIGINAL)
    new = write(tmp_path / "new.json", edited(rename_every_operation_id))

    assert spec_diff.main([str(old), str(new), "--report", str(tmp_path / "r.md")]) == 0
    assert "## Breaking for divio-ext\n\nNone.\n" in (tmp_path / "r.md").read_text("utf-8")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot read"),
        ("<html>Bad gateway: {oops</html>", "neither JSON nor YAML"),
        ('{"openapi": "3.0.3"}', "not an OpenAPI document (no paths object)"),
    ],
    ids=["missing", "not json", "no paths"],
)
def test_unusable_input_exits_2_and_writes_no_report(
    content: str | None, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = tmp_path / "new.json"
    if content is not None:
        new.write_text(content, encoding="utf-8")
    old = write(tmp_path / "old.json", ORIGINAL)

    code = spec_diff.main([str(old), str(new), "--report", str(tmp_path / "r.md")])

    assert code == 2
    assert reason in capsys.readouterr().err
    assert not (tmp_path / "r.md").exists()


@pytest.fixture
def current(tmp_path: Path) -> Path:
    """An output folder holding the committed spec as the current ``openapi.json``."""
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "openapi.json"
    path.write_bytes(SPEC_PATH.read_bytes())
    return path


def test_make_spec_stops_on_a_breaking_change_and_leaves_the_spec_untouched(
    current: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path / "published.json", edited(remove_a_required_operation))

    code = fetch_spec.main(["--file", str(source), "--output", str(current)])

    assert code == 1
    assert current.read_bytes() == SPEC_PATH.read_bytes()
    report = current.with_name("spec-changes.md")
    assert sorted(path.name for path in current.parent.iterdir()) == [
        "openapi.json",
        "spec-changes.md",
    ]
    assert f"- {BREAKING_EDIT} (divio-ext needs this operation)" in report.read_text("utf-8")
    assert report.read_text("utf-8").splitlines()[2].startswith(f"From `{current}` to `{source}`: ")
    captured = capsys.readouterr()
    assert f"  BREAKING {BREAKING_EDIT} (divio-ext needs this operation)" in captured.out
    assert captured.err.splitlines()[-1] == (
        f"fetch_spec: error: the new spec breaks divio-ext (1 changes, see {report}); {current} "
        "left unchanged. Once checked: make spec ACCEPT_BREAKING=1"
    )


def test_make_spec_accepts_breaking_changes_when_told_to(
    current: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = edited(remove_a_required_operation)
    source = write(tmp_path / "published.json", new)
    report = tmp_path / "changes.md"

    args = ["--file", source, "--output", current, "--report", report, "--accept-breaking"]

    code = fetch_spec.main([str(arg) for arg in args])

    assert code == 0
    assert json.loads(current.read_text("utf-8")) == new
    assert BREAKING_EDIT in report.read_text("utf-8")
    assert "the new spec breaks divio-ext (1 changes): accepted" in capsys.readouterr().err


def test_make_spec_replaces_the_spec_when_only_operation_ids_change(
    current: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = edited(rename_every_operation_id)
    source = write(tmp_path / "published.json", new)

    code = fetch_spec.main(["--file", str(source), "--output", str(current)])

    assert code == 0
    assert json.loads(current.read_text("utf-8")) == new
    assert f" {OPERATIONS} operationIds renamed," in capsys.readouterr().out


def test_make_spec_replaces_a_current_file_that_is_no_spec_without_a_report(
    current: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    current.write_text("the spec we had\n", encoding="utf-8")

    code = fetch_spec.main(["--file", str(SPEC_PATH), "--output", str(current)])

    assert code == 0
    assert json.loads(current.read_text("utf-8")) == ORIGINAL
    assert not current.with_name("spec-changes.md").exists()
    assert f"fetch_spec: no change report: {current} is not a spec to compare with" in (
        capsys.readouterr().err
    )


def test_make_spec_passes_accept_breaking_only_when_asked() -> None:
    assert "--accept-breaking" not in make_dry_run("spec")
    assert "-m divio_spec.fetch --output openapi.json --accept-breaking" in make_dry_run(
        "spec", "ACCEPT_BREAKING=1"
    )


def test_make_spec_diff_compares_old_with_new_and_is_listed_by_make_help() -> None:
    assert "-m divio_spec.diff openapi.json new.json" in make_dry_run("spec-diff", "NEW=new.json")
    assert (
        "make spec-diff"
        in subprocess.run(
            ["make", "-s", "-C", str(REPO_ROOT), "help"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    )


def test_every_field_the_contract_reads_is_in_the_answer_of_its_operation() -> None:
    """divio_ext/core/contract.py is only useful if it names fields the spec really has."""
    views = spec_diff.operations(json.loads(SPEC_PATH.read_text(encoding="utf-8")))
    contract = spec_diff.load_contract()
    missing = {
        f"{method} {path}": sorted(fields - set(views[method, path].response.fields))
        for (method, path), fields in contract.reads.items()
        if views[method, path].response is not None
        and fields - set(views[method, path].response.fields)
    }
    assert missing == {}
