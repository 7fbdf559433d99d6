"""Token and base URL discovery: argument > environment > the Divio CLI's netrc."""

from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path

import httpx
import pytest
from divio_api.api.api_root import get_api_root
from divio_api.api.backups import get_backup

from divio_ext import ConfigurationError, DivioClient
from divio_ext.core.config import load_settings

from .support import TOKEN, sync_client

ROOT = {"applications": "https://api.divio.com/apps/v3/applications/"}


def write_netrc(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    os.chmod(path, mode)
    return path


class Recorder:
    """A handler that answers every request with the API root and remembers the requests."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/apps/v3/":
            return httpx.Response(200, json=ROOT)
        return httpx.Response(200, json={"uuid": "b1", "environment": "e1"})

    @property
    def authorization(self) -> str | None:
        return self.requests[-1].headers.get("authorization")


def fetch_backup(client: DivioClient) -> None:
    with client:
        client.call(get_backup, uuid="b1")


def test_token_argument_wins_over_environment_and_netrc(
    monkeypatch: pytest.MonkeyPatch, clean_environment: Path
) -> None:
    monkeypatch.setenv("DIVIO_API_TOKEN", "from-env")
    write_netrc(clean_environment / ".netrc", "machine control.divio.com password from-netrc\n")
    recorder = Recorder()
    fetch_backup(sync_client(recorder, token="from-argument"))
    assert recorder.authorization == "Token from-argument"


def test_environment_wins_over_netrc(
    monkeypatch: pytest.MonkeyPatch, clean_environment: Path
) -> None:
    monkeypatch.setenv("DIVIO_API_TOKEN", "from-env")
    write_netrc(clean_environment / ".netrc", "machine control.divio.com password from-netrc\n")
    recorder = Recorder()
    fetch_backup(sync_client(recorder, token=None))
    assert recorder.authorization == "Token from-env"


def test_netrc_password_of_the_control_machine_is_used(clean_environment: Path) -> None:
    write_netrc(
        clean_environment / ".netrc",
        "machine api.divio.com login x password wrong-host\n"
        "machine control.divio.com login me@example.com password from-netrc\n",
    )
    recorder = Recorder()
    client = sync_client(recorder, token=None)
    fetch_backup(client)
    assert recorder.authorization == "Token from-netrc"
    assert "control.divio.com" in repr(client)


def test_netrc_path_and_zone_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    netrc = write_netrc(
        tmp_path / "custom-netrc", "machine control.dev.aldryn.net password zoned\n"
    )
    monkeypatch.setenv("NETRC_PATH", str(netrc))
    monkeypatch.setenv("DIVIO_ZONE", "dev.aldryn.net")
    recorder = Recorder()
    client = sync_client(recorder, token=None)
    assert str(client.base_url) == "https://api.dev.aldryn.net"
    fetch_backup(client)
    assert recorder.authorization == "Token zoned"


def test_token_whitespace_is_stripped() -> None:
    recorder = Recorder()
    fetch_backup(sync_client(recorder, token=f"  {TOKEN}\n"))
    assert recorder.authorization == f"Token {TOKEN}"


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("   ", "is empty"),
        ("abc\ndef", "control"),
        ("abc\x00def", "control"),
        ("abc\x7fdef", "control"),
        ("abcé", "non-ASCII"),
        ("Token abcdef", "whitespace"),
    ],
)
def test_unusable_tokens_are_rejected_before_any_request(value: str, complaint: str) -> None:
    recorder = Recorder()
    with pytest.raises(ConfigurationError, match=complaint) as caught:
        sync_client(recorder, token=value)
    message = str(caught.value)
    assert "\n" not in message
    if value.strip():
        assert value.strip() not in message
    assert recorder.requests == []


def test_bad_token_from_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DIVIO_API_TOKEN", "ab\tc")
    with pytest.raises(ConfigurationError, match="DIVIO_API_TOKEN"):
        DivioClient()


def test_missing_token_names_the_three_ways_and_sends_nothing() -> None:
    recorder = Recorder()
    client = sync_client(recorder, token=None)
    with pytest.raises(ConfigurationError) as caught:
        client.call(get_backup, uuid="b1")
    message = str(caught.value)
    assert "token=" in message
    assert "DIVIO_API_TOKEN" in message
    assert "divio login" in message
    assert recorder.requests == []


def test_api_root_needs_no_token_and_gets_no_authorization_header() -> None:
    recorder = Recorder()
    with sync_client(recorder, token=None) as client:
        root = client.call(get_api_root)
    assert root.applications == ROOT["applications"]
    assert recorder.authorization is None


@pytest.mark.parametrize("location", ["NETRC_PATH", "HOME"])
def test_netrc_entries_never_become_basic_auth(
    location: str, monkeypatch: pytest.MonkeyPatch, clean_environment: Path, tmp_path: Path
) -> None:
    text = "machine api.divio.com login someone password basic-secret\n"
    if location == "NETRC_PATH":
        monkeypatch.setenv("NETRC_PATH", str(write_netrc(tmp_path / "n", text)))
    else:
        write_netrc(clean_environment / ".netrc", text)
    recorder = Recorder()
    with sync_client(recorder, token=None) as client:
        client.call(get_api_root)
    assert recorder.authorization is None


def test_credentials_in_a_url_never_become_basic_auth() -> None:
    """Our Auth is installed even without a token, so httpx never builds one of its own."""
    recorder = Recorder()
    with sync_client(recorder, token=None) as client:
        client.http.get("https://user:pass@api.divio.com/apps/v3/")
    assert recorder.authorization is None


def test_netrc_readable_by_others_is_refused_with_the_fix(
    clean_environment: Path, caplog: pytest.LogCaptureFixture
) -> None:
    netrc = write_netrc(
        clean_environment / ".netrc", "machine control.divio.com password leaked\n", mode=0o644
    )
    recorder = Recorder()
    with caplog.at_level(logging.WARNING, logger="divio_ext"):
        client = sync_client(recorder, token=None)
    assert f"chmod 600 {netrc}" in caplog.text
    with pytest.raises(ConfigurationError, match="chmod 600") as caught:
        client.call(get_backup, uuid="b1")
    assert "leaked" not in str(caught.value)
    assert recorder.requests == []


def test_unparsable_netrc_is_explained_without_its_content(clean_environment: Path) -> None:
    write_netrc(clean_environment / ".netrc", "s3cret-looking-word machine control.divio.com\n")
    client = sync_client(Recorder(), token=None)
    with pytest.raises(ConfigurationError, match="could not be parsed") as caught:
        client.call(get_backup, uuid="b1")
    assert "s3cret" not in str(caught.value)


def test_base_url_argument_wins_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert str(DivioClient(token=TOKEN).base_url) == "https://api.divio.com"
    monkeypatch.setenv("DIVIO_API_URL", "https://env.example.org")
    assert str(DivioClient(token=TOKEN).base_url) == "https://env.example.org"
    client = DivioClient(token=TOKEN, base_url="https://arg.example.org")
    assert str(client.base_url) == "https://arg.example.org"


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("https://api.divio.com/apps/v3", "https://api.divio.com"),
        ("https://api.divio.com/apps/v3/", "https://api.divio.com"),
        ("https://gateway.example.org/divio/apps/v3", "https://gateway.example.org/divio"),
        ("https://gateway.example.org/divio", "https://gateway.example.org/divio"),
    ],
)
def test_a_base_url_ending_in_the_api_prefix_is_the_same_api(given: str, used: str) -> None:
    # Operations carry /apps/v3 themselves; the README's first line shows the URL with it.
    assert str(DivioClient(token=TOKEN, base_url=given).base_url) == used


@pytest.mark.parametrize(
    "url",
    ["not a url", "api.divio.com", "ftp://api.divio.com", "https://u:p@api.divio.com", "https://"],
)
def test_malformed_base_url_is_a_configuration_error(url: str) -> None:
    with pytest.raises(ConfigurationError, match="URL"):
        DivioClient(token=TOKEN, base_url=url)


def test_token_over_plain_http_to_a_remote_host_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="plain http") as caught:
        DivioClient(token=TOKEN, base_url="http://api.divio.com")
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://127.3.2.1", "http://[::1]:9000", "http://localhost"]
)
def test_plain_http_is_allowed_for_loopback_hosts(url: str) -> None:
    recorder = Recorder()
    fetch_backup(sync_client(recorder, base_url=url))
    assert recorder.authorization == f"Token {TOKEN}"


def test_plain_http_without_a_token_may_read_the_api_root() -> None:
    recorder = Recorder()
    with sync_client(recorder, token=None, base_url="http://api.example.org") as client:
        client.call(get_api_root)
    assert recorder.requests[0].url.scheme == "http"


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), ("on", True), ("0", False), ("", False)]
)
def test_read_only_comes_from_the_environment(
    value: str, expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIVIO_READ_ONLY", value)
    assert DivioClient(token=TOKEN).read_only is expected
    assert DivioClient(token=TOKEN, read_only=not expected).read_only is not expected


def test_unknown_read_only_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIVIO_READ_ONLY", "maybe")
    with pytest.raises(ConfigurationError, match="DIVIO_READ_ONLY"):
        DivioClient(token=TOKEN)


def test_a_netrc_default_entry_is_not_the_divio_token(clean_environment: Path) -> None:
    # A `default` entry is meant for any other host (ftp, curl --netrc), not the Divio API.
    write_netrc(clean_environment / ".netrc", "default login me password for-any-host\n")
    recorder = Recorder()
    client = sync_client(recorder, token=None)
    assert client.settings.token is None
    with pytest.raises(ConfigurationError, match="no Divio API token"):
        client.call(get_backup, uuid="b1")
    assert recorder.requests == []


def test_the_netrc_warning_passes_through_the_redactor(
    clean_environment: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A path that happens to contain a live client's token (or a credential-shaped value).
    folder = clean_environment / TOKEN
    folder.mkdir()
    netrc = write_netrc(
        folder / "Token abcdefghijklmnopqrstuvwxyz", "machine x password y\n", 0o644
    )
    with sync_client(Recorder()), caplog.at_level(logging.WARNING, logger="divio_ext"):
        os.environ["NETRC_PATH"] = str(netrc)
        sync_client(Recorder(), token=None)
    assert "chmod 600" in caplog.text
    assert TOKEN not in caplog.text
    assert "abcdefghijklmnopqrstuvwxyz" not in caplog.text


#: Tokens configuration parsing refuses; they must not show in a traceback's local variables.
SPACED = "spaced-t0ken 5c4b3a29"
CONTROL = "control-t0ken\x015c4b3a2918"


def formatted_with_locals(error: BaseException) -> str:
    """The traceback as ``pytest -l``, rich or Sentry print it: every frame's locals included.

    It starts below the test's own frame, whose locals are the test's business.
    """
    below_the_test = error.__traceback__.tb_next if error.__traceback__ else None
    summary = traceback.TracebackException(type(error), error, below_the_test, capture_locals=True)
    return "".join(summary.format())


def test_a_refused_token_argument_is_not_in_the_locals_of_configuration_parsing() -> None:
    with pytest.raises(ConfigurationError, match="whitespace") as caught:
        load_settings(token=SPACED, base_url=None, read_only=None)
    text = formatted_with_locals(caught.value)
    assert SPACED not in text
    assert "given = Secret([redacted])" in text


def test_a_refused_environment_token_is_not_in_the_locals_of_configuration_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DIVIO_API_TOKEN", CONTROL)
    with pytest.raises(ConfigurationError, match="control") as caught:
        load_settings(token=None, base_url=None, read_only=None)
    text = formatted_with_locals(caught.value)
    assert "control-t0ken" not in text
    assert "clean_token" in text


def test_a_refused_netrc_token_is_not_in_the_locals_of_configuration_parsing(
    clean_environment: Path,
) -> None:
    write_netrc(clean_environment / ".netrc", f"machine control.divio.com password {CONTROL}\n")
    with pytest.raises(ConfigurationError, match="control") as caught:
        load_settings(token=None, base_url=None, read_only=None)
    text = formatted_with_locals(caught.value)
    assert "read_netrc_token" not in text, "its frame is gone when the token is checked"
    assert "control-t0ken" not in text
