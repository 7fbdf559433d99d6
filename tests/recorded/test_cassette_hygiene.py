"""Cassettes are safe to publish, replay offline, and come out the same every time.

* every committed cassette (and any ``*.log`` under ``tests/``) is scanned for credentials,
  and the scan is shown to catch each kind of leak;
* the scrubbing hooks remove secrets, volatile headers and the recording server's origin;
* replay cannot go online: a request missing from a cassette is an error;
* re-recording a cassette from a fresh sandbox gives the committed bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import vcr
from divio_api.api.me import get_current_user
from recorded_support import RECORD_BACKUPS, RECORD_SEED, Target
from recording import CASSETTES, leaks_in_cassette, leaks_in_text
from test_recorded_api import test_retrieve_the_current_user_and_the_api_root as small_test
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.request import Request

from divio_ext import DivioClient
from divio_sandbox import Sandbox
from divio_sandbox.recording import (
    AUTHORIZATION_PLACEHOLDER,
    REDACTED,
    REPLAY_BASE_URL,
    Scrubber,
    sandbox_tokens,
    vcr_settings,
)

TESTS = Path(__file__).parent.parent
SECRETS = sandbox_tokens(RECORD_SEED)
TOKEN = SECRETS[0]


def cassette(
    body: str = "{}", response_headers: str = "", authorization: str = AUTHORIZATION_PLACEHOLDER
) -> str:
    """A one-interaction cassette in vcrpy's YAML layout, with the given parts."""
    return f"""interactions:
- request:
    body: ''
    headers:
      authorization:
      - {authorization}
    method: GET
    uri: {REPLAY_BASE_URL}/apps/v3/me/
  response:
    body:
      string: '{body}'
    headers:
      content-type:
      - application/json
{response_headers}    status:
      code: 200
      message: OK
version: 1
"""


def committed_cassettes() -> list[Path]:
    return sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes_to_scan() -> None:
    assert len(committed_cassettes()) >= 50
    assert {path.parent.name for path in committed_cassettes()} >= {
        "test_recorded_api",
        "test_recorded_bound",
        "test_recorded_cli",
        "test_recorded_errors",
        "test_recorded_workflows",
        "test_recorded_writes",
    }


def test_no_cassette_contains_a_credential() -> None:
    leaks = {
        str(path.relative_to(TESTS)): found
        for path in committed_cassettes()
        if (found := leaks_in_cassette(path.read_text(encoding="utf-8"), SECRETS))
    }
    assert leaks == {}


def test_no_log_under_tests_contains_a_credential() -> None:
    leaks = {
        str(path.relative_to(TESTS)): found
        for path in sorted(TESTS.rglob("*.log"))
        if (found := leaks_in_text(path.read_text(encoding="utf-8", errors="replace"), SECRETS))
    }
    assert leaks == {}


def test_a_clean_cassette_passes_the_scan() -> None:
    assert leaks_in_cassette(cassette(body='{"uuid":"z5yqhnxyhoj76z37btirmveugm"}'), SECRETS) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (cassette(body=f'{{"detail":"{TOKEN}"}}'), "a known token"),
        (cassette(body='{"note":"Token abcdef123456"}'), "Token/Bearer value"),
        (cassette(body='{"note":"Bearer eyJhbGciOi.x.y"}'), "Token/Bearer value"),
        (cassette(body='{"key":"0123456789abcdef0123456789abcdef"}'), "32+ hex"),
        (cassette(body='{"api_token":"c2VjcmV0IHRoaW5n"}'), "secret-named field"),
        (cassette(body='{"url":"https://s3.invalid/f?X-Amz-Signature=QUJD"}'), "signed-URL"),
        (cassette(authorization="Token c2VjcmV0"), "Token/Bearer value"),
        (
            cassette(authorization="Basic dXNlcjpwYXNzd29yZA=="),
            "Authorization header other than the placeholder",
        ),
        (
            cassette(response_headers="      Set-Cookie:\n      - sessionid=abc; HttpOnly\n"),
            "Set-Cookie not redacted",
        ),
    ],
    ids=[
        "sandbox-token",
        "token-scheme-in-body",
        "bearer-in-body",
        "hex-secret",
        "secret-field",
        "signed-url",
        "authorization-token",
        "authorization-basic",
        "cookie",
    ],
)
def test_the_scan_catches_each_kind_of_leak(text: str, kind: str) -> None:
    leaks = leaks_in_cassette(text, SECRETS)
    assert any(kind in leak for leak in leaks), leaks
    assert all(TOKEN not in leak for leak in leaks), "the report never repeats the secret"


def test_a_yaml_folded_token_value_is_caught() -> None:
    # YAML folds long strings at spaces: "Token" and the value can land on different lines.
    folded = cassette(body="x" * 70 + " Token\n        abcdef1234567890")
    assert any("folded" in leak for leak in leaks_in_cassette(folded, ()))


def recorded_request(headers: dict[str, str], uri: str, body: bytes = b"") -> Request:
    return Request("POST", uri, body, headers)


def test_requests_keep_only_safe_headers_and_lose_secrets_and_the_origin() -> None:
    scrubber = Scrubber(secrets=(TOKEN,))
    request = recorded_request(
        {
            "Authorization": f"Token {TOKEN}",
            "User-Agent": "divio-ext/0.1.0 python/3.11.7",
            "Host": "127.0.0.1:40123",
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Cookie": "sessionid=abc",
        },
        "http://127.0.0.1:40123/apps/v3/backups/?page=2",
        f'{{"notes":"{TOKEN}","environment":"dbyidisy6onepcgcgwnpkmaagi"}}'.encode(),
    )
    scrubbed = scrubber.request(request)
    assert scrubbed is not None
    assert dict(scrubbed.headers) == {
        "authorization": AUTHORIZATION_PLACEHOLDER,
        "accept": "application/json",
        "content-type": "application/json",
    }
    assert scrubbed.uri == f"{REPLAY_BASE_URL}/apps/v3/backups/?page=2"
    assert scrubbed.body == b'{"notes":"<redacted>","environment":"dbyidisy6onepcgcgwnpkmaagi"}'


def test_sandbox_control_calls_are_not_recorded() -> None:
    scrubber = Scrubber()
    control = recorded_request({}, "http://127.0.0.1:40123/_sandbox/clock/advance")
    assert scrubber.request(control) is None
    download = recorded_request({}, "http://127.0.0.1:40123/_sandbox/downloads/abc")
    assert scrubber.request(download) is not None


def response(body: str, **headers: list[str]) -> dict[str, Any]:
    return {
        "status": {"code": 200, "message": "OK"},
        "headers": {"content-length": [str(len(body))], **headers},
        "body": {"string": body.encode()},
    }


def test_responses_lose_secrets_volatile_headers_and_the_origin() -> None:
    live = "https://api.divio.com"
    scrubber = Scrubber(secrets=(TOKEN,), origins=(live,))
    body = (
        '{"next":"http://127.0.0.1:40123/apps/v3/backups/?page=2",'
        f'"self":"{live}/apps/v3/backups/","key":"{TOKEN}",'
        '"download_url":"https://files.invalid/b.gz?X-Amz-Signature=abc&X-Amz-Expires=60"}'
    )
    scrubbed = scrubber.response(
        response(
            body,
            Date=["Fri, 27 Nov 2026 05:30:16 GMT"],
            server=["uvicorn"],
            **{"Set-Cookie": ["csrftoken=abc; Path=/", "sessionid=def"], "Retry-After": ["1"]},
        )
    )
    text = scrubbed["body"]["string"].decode()
    assert text == (
        '{"next":"https://api.divio.invalid/apps/v3/backups/?page=2",'
        '"self":"https://api.divio.invalid/apps/v3/backups/","key":"<redacted>",'
        '"download_url":"https://files.invalid/b.gz?X-Amz-Signature=<redacted>&X-Amz-Expires=60"}'
    )
    assert scrubbed["headers"] == {
        "content-length": [str(len(text))],
        "Set-Cookie": [REDACTED, REDACTED],
        "Retry-After": ["1"],
    }


@pytest.mark.parametrize(
    "header", ["X-Request-Id", "Request-Id", "X-Amzn-RequestId", "x-correlation-id"]
)
def test_request_ids_are_not_recorded(header: str) -> None:
    # A new one on every run (a cassette must come out the same), and it names real traffic.
    scrubbed = Scrubber().response(response("{}", **{header: ["req-1a2b"], "Allow": ["GET"]}))
    assert scrubbed["headers"] == {"content-length": ["2"], "Allow": ["GET"]}


def test_scrubbing_is_idempotent() -> None:
    # vcrpy runs the hooks again on every interaction it loads from a cassette.
    scrubber = Scrubber(secrets=(TOKEN,))
    once = scrubber.response(response(f'{{"a":"Token {TOKEN}","b":"http://localhost:1/x"}}'))
    twice = scrubber.response(response(once["body"]["string"].decode()))
    assert twice["body"] == once["body"]


def test_replay_cannot_go_online(tmp_path: Path) -> None:
    recorder = vcr.VCR(record_mode="none")
    with (
        recorder.use_cassette(str(tmp_path / "empty.yaml"), **vcr_settings(Scrubber())),
        DivioClient(token="t", base_url=REPLAY_BASE_URL) as client,
        pytest.raises(CannotOverwriteExistingCassetteException),
    ):
        client.call(get_current_user)


def test_recording_again_gives_the_committed_bytes(tmp_path: Path) -> None:
    committed = CASSETTES / "test_recorded_api" / f"{small_test.__name__}.yaml"
    again = tmp_path / committed.name
    recorder = vcr.VCR(record_mode="all")
    settings = vcr_settings(Scrubber(secrets=SECRETS))
    with Sandbox(seed=RECORD_SEED, backups=RECORD_BACKUPS, clock="fixed") as sandbox:
        target = Target("sandbox", sandbox.url, dict(sandbox.tokens), sandbox)
        with recorder.use_cassette(str(again), **settings), target.client() as client:
            small_test(client)
    assert again.read_bytes() == committed.read_bytes()
