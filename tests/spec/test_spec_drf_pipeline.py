"""The whole pipeline on real drf-spectacular output, which hand-written fragments never match.

A throwaway Django REST Framework app shaped like Divio's (``drf_divio_app``) exports the
schemas of its two API families, with and without ``COMPONENT_SPLIT_REQUEST``, plus real
answers of its endpoints. Each variant then goes through ``make spec``'s script with
``SPEC_FILE`` (validate, merge, normalise), ``make generate``'s script, and the generated
client: it must call every recorded list endpoint and parse DRF's answer, parse blank and
null choices, leave read-only fields out of request bodies, send no PATCH defaults and
parse a response that omits a write-only field.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openapi_python_client.strings import snake_case
from spec_support import generate, run_step, run_with_client

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Schemas and answers of the throwaway app, made in a separate Django process."""
    folder = tmp_path_factory.mktemp("drf")
    result = subprocess.run(
        [sys.executable, "-m", "drf_divio_app.export", str(folder)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(HERE)},
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["plain", "split"])
def test_drf_spectacular_schema_goes_through_spec_generate_and_parse(
    variant: str, exported: Path, tmp_path: Path
) -> None:
    spec_path = tmp_path / "openapi.json"
    sources = f"{exported / f'apps-{variant}.json'} {exported / f'iam-{variant}.json'}"

    fetched = run_step("fetch", "--output", spec_path, env={"SPEC_FILE": sources})

    assert fetched.returncode == 0, fetched.stderr
    assert "components/schemas/Organisation differs between sources: renamed IamOrganisation" in (
        fetched.stderr
    )
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    modules = {
        operation["operationId"]: f"divio_api.api.{snake_case(operation['tags'][0])}."
        f"{snake_case(operation['operationId'])}"
        for item in spec["paths"].values()
        for operation in item.values()
    }
    folder = generate(spec_path, tmp_path / "client")
    answers = json.loads((exported / "responses.json").read_text(encoding="utf-8"))

    report = run_with_client(folder, PROBE % {"modules": modules, "answers": answers})

    assert report["lists"] == {
        "ListApplications": "PaginatedApplicationList",
        "ListBackups": "PaginatedBackupList",
        "ListEnvironments": "PaginatedEnvironmentList",
        "ListOrganisations": "PaginatedOrganisationList",
    }
    assert report["sent_page_size"] == ["2"]
    assert report["states"] == [["StateEnum.BLANK", "StateEnum.DEPLOYED"], ["None"]]
    assert report["last_deployed_at"] == [["NoneType", "datetime"], ["NoneType"]]
    assert sorted(report["backup_success"]) == ["None", "SuccessEnum.PARTIAL"]
    assert report["owner"] == "Organisation"
    assert report["iam_organisation"] == "IamOrganisation"
    assert report["create_backup_fields"] == ["environment", "notes"]
    assert report["upload_fields"] == ["environment", "notes"]
    assert report["upload_results"] == {"db": "https://upload.example.org/db"}
    assert report["empty_patch"] == {}
    assert report["current_user"] == ["alice@example.org", True], "no password, no KeyError"


PROBE = """
import enum, json, typing, importlib
import attrs, httpx
from divio_api.client import AuthenticatedClient
from divio_api.types import UNSET, Unset

modules = %(modules)r
answers = %(answers)r
sent = []


def client_answering(body, status=200):
    def handler(request):
        sent.append(request)
        return httpx.Response(status, json=body)
    return AuthenticatedClient(
        base_url="http://testserver", token="t", prefix="Token",
        httpx_args={"transport": httpx.MockTransport(handler)},
    )


def op(operation_id):
    return importlib.import_module(modules[operation_id])


def body_class(operation_id):
    hint = typing.get_type_hints(op(operation_id).sync_detailed)["body"]
    return next(kind for kind in typing.get_args(hint) or (hint,) if attrs.has(kind))


def show(value):
    return f"{type(value).__name__}.{value.name}" if isinstance(value, enum.Enum) else repr(value)


def fields(kind):
    return sorted(name for name in attrs.fields_dict(kind) if name != "additional_properties")


lists, pages, page_sizes = {}, {}, set()
for name, answer in answers.items():
    operation_id = name.split("_")[0]
    if not operation_id.startswith("List"):
        continue
    parsed = op(operation_id).sync(client=client_answering(answer), page_size=2)
    assert [item.to_dict() for item in parsed.results] == answer["results"], name
    lists[operation_id] = type(parsed).__name__
    page_sizes.add(sent[-1].url.params.get("page_size"))
    pages[name] = parsed

environments = [pages["ListEnvironments"].results, pages["ListEnvironments_page2"].results]
upload = op("UploadBackup").sync(
    client=client_answering(answers["UploadBackup"], 201),
    body=body_class("UploadBackup")(environment="bagztldeadfdhlilnmpzx3twly"),
)
user = op("GetCurrentUser").sync(client=client_answering(answers["GetCurrentUser"]))
print(json.dumps({
    "lists": lists,
    "sent_page_size": sorted(page_sizes),
    "states": [[show(e.state) for e in page] for page in environments],
    "last_deployed_at": [
        [type(e.last_deployed_at).__name__ for e in page] for page in environments],
    "backup_success": [show(b.success) for b in pages["ListBackups"].results],
    "owner": type(pages["ListApplications"].results[0].owner).__name__,
    "iam_organisation": type(pages["ListOrganisations"].results[0]).__name__,
    "create_backup_fields": fields(body_class("CreateBackup")),
    "upload_fields": fields(body_class("UploadBackup")),
    "upload_results": upload.results.to_dict(),
    "empty_patch": body_class("PartialUpdateEnvironment")().to_dict(),
    "current_user": [user.email, isinstance(getattr(user, "password", UNSET), Unset)],
}))
"""
