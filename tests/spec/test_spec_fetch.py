"""divio_spec.fetch (``make spec``): merge, normalise, validate, replace atomically.

Sources are local files and a throwaway HTTP server on 127.0.0.1; nothing leaves the machine.
"""

import json
import socket
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate
from spec_support import SPEC_PATH, ref, responds

from divio_spec import fetch as fetch_spec

SENTINEL = "the spec we had\n"


def family(prefix: str, resource: str, schemas: dict[str, Any]) -> dict[str, Any]:
    """A drf-spectacular-like document of one API family with one list endpoint."""
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Divio Cloud API - {prefix} (v3)", "version": "3.0.0"},
        "paths": {
            f"/{prefix}/v3/{resource.lower()}s/": {
                "get": {
                    "operationId": f"List{resource}s",
                    "tags": [f"{resource.lower()}s"],
                    "security": [{"tokenAuth": []}],
                    "responses": responds(resource),
                }
            }
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "tokenAuth": {"type": "apiKey", "in": "header", "name": "Authorization"}
            },
        },
    }


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


STRING = {"type": "string"}
ERROR = obj(detail=STRING)
APPS = family(
    "apps",
    "Application",
    {
        "Application": obj(uuid=STRING, owner=ref("Organisation"), membership=ref("Membership")),
        "Organisation": obj(uuid=STRING, name=STRING),
        "Membership": obj(organisation=ref("Organisation")),
        "ErrorDetail": ERROR,
    },
)
IAM = family(
    "iam",
    "Membership",
    {
        "Organisation": obj(uuid=STRING, name=STRING, created_at=STRING),
        "Membership": obj(organisation=ref("Organisation")),
        "ErrorDetail": ERROR,
    },
)


def write(folder: Path, name: str, document: Any) -> Path:
    path = folder / name
    text = yaml.safe_dump(document) if name.endswith(".yaml") else json.dumps(document)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def families(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path, "apps.json", APPS), write(tmp_path, "iam.json", IAM)


@pytest.fixture
def output(tmp_path: Path) -> Path:
    path = tmp_path / "out" / "openapi.json"
    path.parent.mkdir()
    path.write_text(SENTINEL, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def no_source_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPEC_URL", raising=False)
    monkeypatch.delenv("SPEC_FILE", raising=False)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A loopback HTTP server of a folder: (base URL, folder)."""
    root = tmp_path / "served"
    root.mkdir()

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output clean."""

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, list[str]]:
    code = fetch_spec.main([str(arg) for arg in args])
    return code, capsys.readouterr().err.splitlines()


def test_two_family_documents_merge_into_one_valid_document(
    families: tuple[Path, Path], output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = run(capsys, "--file", families[0], "--file", families[1], "--output", output)

    merged = json.loads(output.read_text(encoding="utf-8"))
    validate(merged)
    assert code == 0
    assert sorted(merged["paths"]) == ["/apps/v3/applications/", "/iam/v3/memberships/"]
    schemas = merged["components"]["schemas"]
    assert sorted(schemas) == [
        "Application",
        "ErrorDetail",
        "IamMembership",
        "IamOrganisation",
        "Membership",
        "Organisation",
    ]
    assert schemas["Organisation"] == APPS["components"]["schemas"]["Organisation"]
    assert schemas["IamMembership"] == obj(organisation=ref("IamOrganisation"))
    iam_list = merged["paths"]["/iam/v3/memberships/"]["get"]["responses"]["200"]
    assert iam_list["content"]["application/json"]["schema"] == ref("IamMembership")
    assert list(merged["components"]["securitySchemes"]) == ["tokenAuth"]
    assert merged["info"]["x-divio-ext-merged-from"] == [
        "Divio Cloud API - apps (v3)",
        "Divio Cloud API - iam (v3)",
    ]
    renamed = [line for line in lines if "renamed" in line]
    assert renamed == [
        "fetch_spec: components/schemas/Organisation differs between sources: renamed "
        "IamOrganisation in the Iam source",
        "fetch_spec: components/schemas/Membership differs between sources: renamed "
        "IamMembership in the Iam source",
    ]


def test_output_is_normalised_and_the_same_for_the_same_sources(
    families: tuple[Path, Path], output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--file", families[0], "--file", families[1], "--output", output)
    first = output.read_text(encoding="utf-8")
    run(capsys, "--file", families[0], "--file", families[1], "--output", output)

    assert output.read_text(encoding="utf-8") == first
    assert (
        first == json.dumps(json.loads(first), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )


def test_a_single_file_holding_both_families_is_accepted_as_it_is(
    families: tuple[Path, Path], output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--file", families[0], "--file", families[1], "--output", output)
    combined = tmp_path / "combined.json"
    combined.write_bytes(output.read_bytes())
    again = tmp_path / "again.json"

    code, _ = run(capsys, "--file", combined, "--output", again)

    assert code == 0
    assert again.read_bytes() == combined.read_bytes()


def test_the_committed_spec_round_trips_with_only_its_key_order_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "openapi.json"

    code, _ = run(capsys, "--file", SPEC_PATH, "--output", out)

    assert code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(SPEC_PATH.read_text("utf-8"))


def test_urls_from_spec_url_are_downloaded_and_yaml_answers_accepted(
    server: tuple[str, Path],
    families: tuple[Path, Path],
    output: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base, root = server
    write(root, "apps.json", APPS)
    write(root, "iam.yaml", IAM)
    from_files = tmp_path / "from-files.json"
    run(capsys, "--file", families[0], "--file", families[1], "--output", from_files)
    monkeypatch.setenv("SPEC_URL", f"{base}/apps.json {base}/iam.yaml")

    code, lines = run(capsys, "--output", output)

    assert code == 0, lines
    assert output.read_bytes() == from_files.read_bytes()


def test_spec_file_in_the_environment_names_the_local_sources(
    families: tuple[Path, Path],
    output: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SPEC_FILE", f"{families[0]} {families[1]}")

    code, _ = run(capsys, "--output", output)

    assert code == 0
    assert "IamMembership" in json.loads(output.read_text("utf-8"))["components"]["schemas"]


def test_yaml_timestamps_stay_strings_as_in_json() -> None:
    raw = b"openapi: 3.0.3\ninfo: {title: t, version: '1', x-built: 2024-05-01T12:00:00Z}\n"

    document = fetch_spec.parse_document(raw, "schema.yaml")

    assert document["info"]["x-built"] == "2024-05-01T12:00:00Z"


def test_by_default_both_published_family_schemas_are_fetched() -> None:
    assert fetch_spec.choose_sources(None, None) == [
        "https://api.divio.com/apps/v3/schema.json",
        "https://api.divio.com/iam/v3/schema.json",
    ]


def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


BROKEN = {
    "http error": ("url", "missing.json", "HTTP 404"),
    "html answer": ("url", "page.html", "is neither JSON nor YAML"),
    "not openapi": ("url", "info-missing.json", "not a valid OpenAPI document"),
    "no server": ("url", None, "cannot download"),
    "missing file": ("file", "nowhere.json", "cannot read"),
    "invalid file": ("file", "info-missing.json", '"info" is a required property'),
}


@pytest.mark.parametrize(("kind", "name", "reason"), BROKEN.values(), ids=list(BROKEN))
def test_a_broken_source_fails_in_one_line_and_leaves_the_output_untouched(
    kind: str,
    name: str | None,
    reason: str,
    server: tuple[str, Path],
    families: tuple[Path, Path],
    output: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base, root = server
    (root / "page.html").write_text("<html><body>Bad gateway: {oops</body></html>\n")
    write(root, "info-missing.json", {"openapi": "3.0.3", "paths": {}})
    write(families[0].parent, "info-missing.json", {"openapi": "3.0.3", "paths": {}})
    if kind == "url":
        source = f"{base}/{name}" if name else f"http://127.0.0.1:{closed_port()}/schema.json"
        args = ["--file", families[0], "--url", source]
    else:
        args = ["--file", families[0], "--file", families[0].parent / str(name)]

    code, lines = run(capsys, *args, "--output", output)

    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith("fetch_spec: error: ")
    assert reason in lines[0]
    assert output.read_text(encoding="utf-8") == SENTINEL
    assert [path.name for path in output.parent.iterdir()] == ["openapi.json"]


def test_paths_defined_differently_by_two_sources_cannot_be_merged(
    families: tuple[Path, Path], output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = json.loads(json.dumps(APPS))
    other["paths"]["/apps/v3/applications/"]["get"]["operationId"] = "ListApps"
    clash = write(tmp_path, "other.json", other)

    code, lines = run(capsys, "--file", families[0], "--file", clash, "--output", output)

    assert code == 1
    assert lines == [
        f"fetch_spec: error: {clash} defines GET /apps/v3/applications/ differently: cannot "
        f"merge; {output} left unchanged"
    ]
    assert output.read_text(encoding="utf-8") == SENTINEL
