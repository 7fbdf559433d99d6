"""Backup uploads behave like the object stores behind them: a signed URL is the only
credential, Azure wants its blob type, and each handler hands out its own kind of target."""

from typing import Any

import httpx
import pytest

from divio_sandbox import Sandbox
from tests.sandbox.conftest import assert_conforms, environment, everything


def upload_target(divio_sandbox: Sandbox, client: httpx.Client, handler: str) -> dict[str, Any]:
    """A fresh upload of live's first service instance, offered by ``handler``."""
    divio_sandbox.configure(upload_handler=handler)
    live = environment(client, "example-application", "live")
    database = everything(client, "/apps/v3/service-instances/", environment=live["uuid"])[0]
    body = {"environment": live["uuid"], "services": [database["uuid"]]}
    created = client.post("/apps/v3/backups/upload/", json=body)
    assert created.status_code == 201
    assert_conforms(created, "POST", "/apps/v3/backups/upload/")
    target: dict[str, Any] = created.json()["results"][database["uuid"]]
    assert target["handler"] == handler
    return target


def test_an_azure_upload_needs_the_blob_type_header_and_answers_201(
    divio_sandbox: Sandbox, client: httpx.Client
) -> None:
    url = upload_target(divio_sandbox, client, "az-sas-v1")["upload_parameters"]["url"]
    refused = httpx.put(url, content=b"dump")
    assert refused.status_code == 400
    assert "<Code>MissingRequiredHeader</Code>" in refused.text
    accepted = httpx.put(url, content=b"dump", headers={"x-ms-blob-type": "BlockBlob"})
    assert accepted.status_code == 201


@pytest.mark.parametrize("handler", ["exo-presigned-v1", "az-sas-v1"])
def test_an_upload_with_an_authorization_header_or_a_wrong_signature_is_refused(
    divio_sandbox: Sandbox, client: httpx.Client, handler: str
) -> None:
    target = upload_target(divio_sandbox, client, handler)
    url = httpx.URL(target["upload_parameters"]["url"])
    headers = {"x-ms-blob-type": "BlockBlob"}
    with_token = httpx.put(url, content=b"dump", headers={**headers, "Authorization": "Token x"})
    assert with_token.status_code == 400
    unsigned = httpx.put(url.copy_with(query=None), content=b"dump", headers=headers)
    assert (unsigned.status_code, "SignatureDoesNotMatch" in unsigned.text) == (403, True)
    finish = httpx.URL(target["finish_url"])
    assert httpx.post(finish, headers={"Authorization": "Token x"}).status_code == 400
    assert httpx.post(finish.copy_with(query=None)).status_code == 403


def test_an_exoscale_upload_announces_its_limit_and_refuses_more(
    divio_sandbox: Sandbox, client: httpx.Client
) -> None:
    divio_sandbox.configure(upload_max_size=4)
    parameters = upload_target(divio_sandbox, client, "exo-presigned-v1")["upload_parameters"]
    assert (parameters["http_method"], parameters["max_file_size"]) == ("PUT", 4)
    too_large = httpx.put(parameters["url"], content=b"12345")
    assert (too_large.status_code, "EntityTooLarge" in too_large.text) == (400, True)
    assert httpx.put(parameters["url"], content=b"1234").status_code == 200


def test_an_s3_upload_hands_out_temporary_credentials_and_no_url(
    divio_sandbox: Sandbox, client: httpx.Client
) -> None:
    parameters = upload_target(divio_sandbox, client, "s3-sts-v1")["upload_parameters"]
    assert set(parameters) == {
        "bucket",
        "key",
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
    }


def test_rejected_uploads_are_refused_as_an_expired_signature_then_accepted(
    divio_sandbox: Sandbox, client: httpx.Client
) -> None:
    divio_sandbox.configure(reject_uploads=1)
    url = upload_target(divio_sandbox, client, "exo-presigned-v1")["upload_parameters"]["url"]
    first = httpx.put(url, content=b"dump")
    assert (first.status_code, "<Code>AccessDenied</Code>" in first.text) == (403, True)
    assert httpx.put(url, content=b"dump").status_code == 200


def test_an_unknown_upload_handler_setting_is_refused(divio_sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="upload_handler must be one of"):
        divio_sandbox.configure(upload_handler="gcs-v1")


def test_an_s3_upload_is_read_from_the_object_store_at_its_finish_request(
    divio_sandbox: Sandbox, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = upload_target(divio_sandbox, client, "s3-sts-v1")
    asked: list[tuple[str, str]] = []

    def object_store(bucket: str, key: str) -> bytes:
        asked.append((bucket, key))
        return b"dump"

    assert divio_sandbox.runtime is not None
    monkeypatch.setattr(divio_sandbox.runtime, "object_store", object_store)
    assert httpx.post(target["finish_url"]).status_code == 200
    parameters = target["upload_parameters"]
    assert asked == [(parameters["bucket"], parameters["key"])]
    rows = divio_sandbox.runtime.store.service_instance_backups.rows.values()
    (finished,) = [sib for sib in rows if sib.upload_handler == "s3-sts-v1"]
    assert (finished.uploaded, finished.size) == (b"dump", 4)
