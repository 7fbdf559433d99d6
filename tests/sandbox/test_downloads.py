"""Backup files as the sandbox serves them: sizes, ranges, encodings and dropped transfers."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from divio_sandbox import Sandbox
from divio_sandbox.files import byte_range
from tests.sandbox.conftest import environment, everything

MIB = 1024 * 1024


def download_urls(sb: Sandbox, client: httpx.Client) -> dict[str, str]:
    """Ready download URLs of the newest backup of example-application's live, by service type."""
    live = environment(client, "example-application", "live")
    backups = everything(client, "/apps/v3/backups/", environment=live["uuid"])
    backup = next(b for b in backups if b["state"] == "COMPLETED" and b["success"] == "SUCCESS")
    urls: dict[str, str] = {}
    for uuid in backup["service_instance_backups"]:
        sib = client.get(f"/apps/v3/service-instance-backups/{uuid}/").json()
        body = {"backup": backup["uuid"], "service_instance_backups": [uuid], "trigger": "PULL"}
        created = client.post("/apps/v3/backup-downloads/", json=body).json()
        sb.clock.advance(60)
        (part,) = everything(
            client, "/apps/v3/backup-download-service-instances/", backup=created["uuid"]
        )
        ready = client.get(f"/apps/v3/backup-download-service-instances/{part['uuid']}/").json()
        urls.setdefault(sib["service_type"], ready["download_url"])
    return urls


@pytest.fixture
def urls(divio_sandbox: Sandbox, client: httpx.Client) -> dict[str, str]:
    return download_urls(divio_sandbox, client)


def raw(url: str, **headers: str) -> httpx.Response:
    with httpx.stream("GET", url, headers=headers) as response:
        response._content = b"".join(response.iter_raw())
        return response


def test_a_database_download_has_the_configured_size_and_the_same_bytes_every_time(
    divio_sandbox: Sandbox, urls: dict[str, str]
) -> None:
    divio_sandbox.configure(download_size=3 * MIB + 17)
    first, second = raw(urls["DATABASE"]), raw(urls["DATABASE"])
    assert first.status_code == 200
    assert len(first.content) == 3 * MIB + 17
    assert first.headers["content-length"] == str(3 * MIB + 17)
    assert first.content.startswith(b"PGDMP")
    assert hashlib.sha256(first.content).digest() == hashlib.sha256(second.content).digest()
    assert first.headers["accept-ranges"] == "bytes"


def test_a_range_request_gets_exactly_those_bytes(
    divio_sandbox: Sandbox, urls: dict[str, str]
) -> None:
    divio_sandbox.configure(download_size=MIB)
    whole = raw(urls["DATABASE"]).content
    part = raw(urls["DATABASE"], Range="bytes=1000-")
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 1000-{MIB - 1}/{MIB}"
    assert part.content == whole[1000:]
    middle = raw(urls["DATABASE"], Range="bytes=70000-70009")
    assert middle.content == whole[70000:70010]
    beyond = raw(urls["DATABASE"], Range=f"bytes={MIB}-")
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{MIB}"


def test_a_storage_archive_is_served_gzip_encoded_so_raw_bytes_are_the_tar_gz(
    urls: dict[str, str],
) -> None:
    sent = raw(urls["STORAGE"])
    assert sent.headers["content-encoding"] == "gzip"
    assert sent.content.startswith(b"\x1f\x8b")
    assert httpx.get(urls["STORAGE"]).content != sent.content, "httpx decodes it by default"


def test_drop_downloads_cuts_the_next_transfers_half_way_then_serves_them_whole(
    divio_sandbox: Sandbox, urls: dict[str, str]
) -> None:
    divio_sandbox.configure(download_size=2 * MIB, drop_downloads=1)
    received: list[bytes] = []

    def read_all() -> None:
        with httpx.stream("GET", urls["DATABASE"]) as response:
            received.extend(response.iter_raw())

    with pytest.raises(httpx.RemoteProtocolError):
        read_all()
    assert sum(map(len, received)) == MIB
    assert len(raw(urls["DATABASE"]).content) == 2 * MIB


def test_redirect_downloads_sends_the_url_on_to_a_signed_url_that_checks_its_signature(
    divio_sandbox: Sandbox, urls: dict[str, str]
) -> None:
    divio_sandbox.configure(redirect_downloads=True, drop_downloads=1)
    first = httpx.get(urls["DATABASE"])
    assert first.status_code == 302
    signed = httpx.URL(first.headers["location"])
    assert signed.copy_with(query=None) == httpx.URL(urls["DATABASE"])
    assert set(signed.params) == {"sv", "sr", "sp", "sig"}
    with pytest.raises(httpx.RemoteProtocolError):
        raw(str(signed))  # the redirect did not use up the dropped transfer: the target does
    whole = raw(str(signed)).content
    assert whole.startswith(b"PGDMP")
    assert httpx.get(urls["DATABASE"], follow_redirects=True).content == whole
    forged = signed.copy_set_param("sig", "bm90IHRoZSBzaWduYXR1cmU=")
    refused = httpx.get(forged)
    assert refused.status_code == 403
    assert b"<Code>AuthenticationFailed</Code>" in refused.content


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-", (0, 100)),
        ("bytes=10-19", (10, 20)),
        ("bytes=90-500", (90, 100)),
        ("bytes=-30", (70, 100)),
        ("items=1-2", None),
        ("bytes=1-2,5-6", None),
    ],
)
def test_range_headers_are_read_as_rfc_9110_says(
    header: str | None, expected: tuple[int, int] | None
) -> None:
    assert byte_range(header, 100) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=50-40", "bytes=-0"])
def test_a_range_outside_the_file_is_unsatisfiable(header: str) -> None:
    with pytest.raises(ValueError, match="range"):
        byte_range(header, 100)


def test_file_settings_are_validated(divio_sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="whole number"):
        divio_sandbox.configure(download_size=1.5)
    with pytest.raises(ValueError, match="whole number"):
        divio_sandbox.configure(drop_downloads=-1)
    with pytest.raises(ValueError, match="redirect_downloads must be a boolean"):
        divio_sandbox.configure(redirect_downloads=1)


def test_a_download_url_refuses_a_request_that_carries_credentials(
    divio_sandbox: Sandbox, urls: dict[str, str]
) -> None:
    token = divio_sandbox.tokens["alice"]
    refused = httpx.get(urls["DATABASE"], headers={"Authorization": f"Token {token}"})
    assert refused.status_code == 400
    assert "auth" in refused.json()["detail"]
