"""Secrets, property-based: whatever the token is, it never shows up where people look.

Hypothesis draws tokens (printable ASCII without spaces, as an HTTP header can carry them) and
a server that misbehaves on purpose: it retries us with 503 and 429, then answers with one of
many endings that echo the ``Authorization`` header back in bodies, headers and redirects.
The token must not appear in any exception (message, repr, attributes, the formatted traceback
with its chained causes), in any log line at DEBUG, in the reprs of clients, pagers and bound
objects, in the CLI's output with ``--debug``, nor in a cassette recorded with vcrpy.
The netrc permission check is covered in tests/core/test_config.py and not repeated here.
"""

from __future__ import annotations

import contextlib
import io
import logging
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
import vcr
from clocks import FakeClock
from divio_api.api.backup_downloads import create_backup_download
from divio_api.api.backups import get_backup, list_backups
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from recording import leaks_in_cassette
from wire import serving

from divio_ext import AsyncDivioClient, DivioClient, DivioError, RetryPolicy, bound
from divio_ext.cli import main as cli_main
from divio_sandbox import Sandbox
from divio_sandbox.recording import Scrubber, vcr_settings

#: What a token pasted into DIVIO_API_TOKEN can be: printable ASCII, no whitespace.
TOKENS = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=20, max_size=64)
BOUNDED = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
BACKUP = {"uuid": "b1", "environment": "e1", "state": "COMPLETED", "success": "SUCCESS"}


def secret_of(request: httpx.Request) -> str:
    return request.headers["authorization"].removeprefix("Token ")


def echo_json(status: int) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        secret = secret_of(request)
        body = {
            "detail": f"Invalid token {secret}",
            "token": [f"{secret} is not valid"],
            "nested": {"value": [{"key": [secret]}]},
        }
        headers = {"X-Request-Id": "req-1", "X-Echo": secret, "Retry-After": "0"}
        return httpx.Response(status, json=body, headers=headers)

    return answer


def echo_text(status: int, content_type: str) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        page = f"<html>\n<body>Your header was: Token {secret_of(request)}</body>\n</html>"
        return httpx.Response(status, text=page, headers={"Content-Type": content_type})

    return answer


def echo_redirect(request: httpx.Request) -> httpx.Response:
    location = f"https://evil.example.com/collect?token={secret_of(request)}"
    return httpx.Response(302, headers={"Location": location})


def echo_in_a_field(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"environment": secret_of(request), "notes": "no uuid"})


def success_with_echo(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={**BACKUP, "notes": secret_of(request)})


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno 111] Connection refused", request=request)


ENDINGS: dict[str, Callable[[httpx.Request], httpx.Response]] = {
    "401-json-echo": echo_json(401),
    "400-field-errors-echo": echo_json(400),
    "429-until-giving-up": echo_json(429),
    "503-until-giving-up": echo_json(503),
    "502-html-echo": echo_text(502, "text/html"),
    "200-html-echo": echo_text(200, "text/html"),
    "200-missing-field-echo": echo_in_a_field,
    "302-redirect-echo": echo_redirect,
    "connection-refused": refused,
    "200-success-echo": success_with_echo,
}


class HostileServer:
    """Answers 503 then 429 (both retried, both echoing), then the chosen ending for good."""

    def __init__(self, ending: str) -> None:
        self.ending = ENDINGS[ending]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if len(self.requests) == 1:
            return echo_json(503)(request)
        if len(self.requests) == 2:
            return echo_json(429)(request)
        return self.ending(request)


class Captured(logging.Handler):
    """Every record of the ``divio_ext`` logger at DEBUG, formatted, exceptions included."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts += [self.format(record), repr(record.args), repr(record.msg)]


@contextlib.contextmanager
def debug_log() -> Iterator[Captured]:
    logger = logging.getLogger("divio_ext")
    handler, level = Captured(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def error_texts(error: BaseException) -> list[str]:
    """What a user may see of an exception: message, repr, attributes, and the traceback with
    its chained causes (a cause's attributes, such as a JSONDecodeError's document, are not
    shown by Python and are left out)."""
    texts = ["".join(traceback.format_exception(error)), repr(vars(error))]
    seen: BaseException | None = error
    while seen is not None:
        texts += [str(seen), repr(seen)]
        seen = seen.__cause__ or seen.__context__
    return texts


def assert_absent(secret: str, texts: list[str]) -> None:
    for text in texts:
        assert secret not in text


def retrying() -> RetryPolicy:
    return RetryPolicy(clock=FakeClock(), max_attempts=4)


@given(token=TOKENS, ending=st.sampled_from(sorted(ENDINGS)))
@BOUNDED
def test_the_token_never_appears_in_errors_or_debug_logs(token: str, ending: str) -> None:
    server = HostileServer(ending)
    texts: list[str] = []
    with debug_log() as log:
        with DivioClient(token, transport=httpx.MockTransport(server), retry=retrying()) as client:
            try:
                client.call(get_backup, uuid="b1")
            except DivioError as error:
                texts += error_texts(error)
        async_server = HostileServer(ending)

        async def call_async() -> None:
            transport = httpx.MockTransport(async_server)
            async with AsyncDivioClient(token, transport=transport, retry=retrying()) as client:
                try:
                    await client.call(get_backup, uuid="b1")
                except DivioError as error:
                    texts.extend(error_texts(error))

        anyio.run(call_async)
    assert len(server.requests) >= 3, "the 503 and the 429 were retried"
    assert any(line.startswith("INFO divio_ext retrying GET") for line in log.texts)
    assert_absent(token, texts + log.texts)


def test_the_token_echoed_into_an_enum_field_stays_out_of_the_traceback() -> None:
    token = "echoed-enum-t0ken-4b3c2d1e0f"

    def echo_trigger(request: httpx.Request) -> httpx.Response:
        body = {"uuid": "d1", "backup": "b1", "service_instance_backups": ["s1"]}
        return httpx.Response(201, json={**body, "trigger": secret_of(request)})

    body = {"backup": "b1", "service_instance_backups": ["s1"], "trigger": "PULL"}
    with (
        DivioClient(token, transport=httpx.MockTransport(echo_trigger)) as client,
        pytest.raises(DivioError) as caught,
    ):
        client.call(create_backup_download, body=body)
    assert token not in str(caught.value)
    assert_absent(token, error_texts(caught.value))


@pytest.mark.parametrize("status", [401, 503, 200])
def test_a_request_id_header_echoing_the_token_is_scrubbed(status: int) -> None:
    token = "echoed-request-id-t0ken-9a8b7c"

    def echo_request_id(request: httpx.Request) -> httpx.Response:
        headers = {"X-Request-Id": secret_of(request)}
        return httpx.Response(status, text="<html>no</html>", headers=headers)

    no_retry = RetryPolicy(max_attempts=1)
    with (
        DivioClient(token, transport=httpx.MockTransport(echo_request_id), retry=no_retry) as c,
        pytest.raises(DivioError) as caught,
    ):
        c.call(get_backup, uuid="b1")
    assert_absent(token, error_texts(caught.value))


@given(token=TOKENS)
@BOUNDED
def test_the_token_never_appears_in_reprs(token: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/apps/v3/backups/":
            return httpx.Response(200, json={"count": 1, "next": None, "results": [BACKUP]})
        return httpx.Response(200, json=BACKUP)

    with DivioClient(token, transport=httpx.MockTransport(answer)) as client:
        pager = client.paginate(list_backups, environment="e1", page_size=5)
        pages = list(pager.pages())
        model = client.call(get_backup, uuid="b1")
        backup = bound.Backup(client, model)
        texts = [
            repr(client),
            str(client),
            repr(client.settings),
            repr(client.http.auth),
            repr(client.retry),
            repr(pager),
            repr(pages),
            repr(backup),
            str(backup),
            repr(model),
        ]
    async_client = AsyncDivioClient(token)
    texts += [repr(async_client), repr(async_client.paginate(list_backups))]
    anyio.run(async_client.aclose)
    assert_absent(token, texts)


@given(token=TOKENS)
@BOUNDED
def test_a_recorded_cassette_holds_no_token(token: str) -> None:
    # The suite's recording settings with a scrubber that knows the token, as a module that
    # records with its own tokens sets them up. The server echoes the token in every body and
    # header, so vcrpy's Authorization filter alone could not keep it out: the scrubber must.
    config = vcr_settings(Scrubber(secrets=(token,)))
    answers = iter(
        [
            (503, {"detail": "Service temporarily unavailable."}),
            (200, BACKUP),
            (404, {"detail": "Not found."}),
            (200, {"count": 1, "next": None, "results": [BACKUP]}),
        ]
    )

    def echo(request: httpx.Request) -> httpx.Response:
        status, body = next(answers)
        secret = secret_of(request)
        return httpx.Response(
            status,
            json={**body, "echo": f"you sent {secret}"},
            headers={"X-Echo": secret, "X-Echo-Authorization": request.headers["authorization"]},
        )

    with tempfile.TemporaryDirectory() as directory:
        cassette = Path(directory) / "conversation.yaml"
        with (
            vcr.VCR(record_mode="all").use_cassette(str(cassette), **config),
            DivioClient(token, transport=httpx.MockTransport(echo), retry=retrying()) as client,
        ):
            client.call(get_backup, uuid="b1")
            with pytest.raises(DivioError):
                client.call(get_backup, uuid="b2")
            list(client.paginate(list_backups))
        recorded = cassette.read_text()
    assert recorded.count("uri: ") == 4, "503 and its retry, a 404, one page"
    assert token not in recorded
    # Also inside values that YAML folded across lines:
    assert not [leak for leak in leaks_in_cassette(recorded, [token]) if "known token" in leak]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=0) as sb:
        yield sb


@given(token=TOKENS)
@settings(BOUNDED, max_examples=20)
def test_the_cli_never_prints_the_token_even_with_debug(
    token: str, sandbox: Sandbox, tmp_path: Path
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(token + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    arguments = ["--debug", "--base-url", sandbox.url, "--token-file", str(token_file)]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main([*arguments, "latest-backup", "example-application", "live"])
    assert code != 0, "the sandbox does not know this token"
    assert "Invalid token" in err.getvalue()
    assert_absent(token, [out.getvalue(), err.getvalue()])


#: A token with each character that JSON or ``repr`` escapes.
AWKWARD = "quo't\\back\"slash/t0ken-5a4b3c2d1e"


def wire_echo(token: str) -> list[tuple[bytes, float]]:
    """An illegal header line quoting the token: h11 quotes the line in its error."""
    return [(b"HTTP/1.1 200 OK\r\nX-Echo " + token.encode() + b"\r\n\r\n", 0)]


@pytest.mark.anyio
async def test_a_protocol_error_quoting_the_token_is_scrubbed_in_the_whole_chain() -> None:
    texts: list[str] = []
    once = RetryPolicy(max_attempts=1)
    with serving(wire_echo(AWKWARD)) as server:
        with DivioClient(AWKWARD, base_url=server.url, retry=once) as client:
            with pytest.raises(DivioError) as caught:
                client.call(get_backup, uuid="b1")
            texts += error_texts(caught.value)
        async with AsyncDivioClient(AWKWARD, base_url=server.url, retry=once) as aclient:
            with pytest.raises(DivioError) as acaught:
                await aclient.call(get_backup, uuid="b1")
            texts += error_texts(acaught.value)
    assert "illegal header line" in str(caught.value)
    assert caught.value.__cause__ is not None
    assert_absent(AWKWARD, texts)
    assert_absent(AWKWARD.replace("\\", "\\\\").replace("'", "\\'"), texts)


def test_the_http_stack_loggers_never_show_the_token() -> None:
    # httpx logs the reason phrase at INFO, httpcore the raw response headers at DEBUG.
    token = "reason-phrase-t0ken-7d6c5b4a39"
    head = f"HTTP/1.1 401 Token {token}\r\nX-Echo: {token}\r\nContent-Length: 2\r\n\r\n{{}}"
    records: list[str] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: records.append(handler.format(record))  # type: ignore[method-assign]
    loggers = [logging.getLogger(name) for name in ("httpx", "httpcore")]
    levels = [one.level for one in loggers]
    for one in loggers:
        one.addHandler(handler)
        one.setLevel(logging.DEBUG)
    try:
        with (
            serving([(head.encode(), 0)]) as server,
            DivioClient(token, base_url=server.url) as client,
            pytest.raises(DivioError),
        ):
            client.call(get_backup, uuid="b1")
    finally:
        for one, level in zip(loggers, levels, strict=True):
            one.removeHandler(handler)
            one.setLevel(level)
    assert any("HTTP Request: GET" in text for text in records)
    assert any("receive_response_headers.complete" in text for text in records)
    assert_absent(token, records)


@pytest.mark.parametrize("status", [400, 500])
def test_a_json_escaped_echo_of_the_token_is_scrubbed(status: int) -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        secret = secret_of(request)
        return httpx.Response(status, json={"nested": [{"a": [1, {"b": f"got {secret}"}]}]})

    once = RetryPolicy(max_attempts=1)
    with (
        DivioClient(AWKWARD, transport=httpx.MockTransport(echo), retry=once) as client,
        pytest.raises(DivioError) as caught,
    ):
        client.call(get_backup, uuid="b1")
    error: Any = caught.value
    texts = [*error_texts(error), error.body_excerpt]
    assert "[redacted]" in error.body_excerpt
    assert_absent(AWKWARD, texts)
    assert_absent(AWKWARD.replace("\\", "\\\\").replace('"', '\\"'), texts)


def test_a_token_where_the_body_excerpt_is_cut_is_scrubbed_whole() -> None:
    # Whitespace collapses in the one-line excerpt, so the token lands at its very start.
    token = "cut-in-two-t0ken-8e7d6c5b4a3f2e1d"

    def padded(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text=" " * 790 + secret_of(request) + " and more")

    once = RetryPolicy(max_attempts=1)
    with (
        DivioClient(token, transport=httpx.MockTransport(padded), retry=once) as client,
        pytest.raises(DivioError) as caught,
    ):
        client.call(get_backup, uuid="b1")
    texts = error_texts(caught.value)
    assert any("[redacted] and more" in text for text in texts)
    assert_absent(token[:8], texts)


def test_the_cli_debug_traceback_of_a_protocol_error_does_not_show_the_token(
    tmp_path: Path,
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(AWKWARD, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with (
        serving(wire_echo(AWKWARD)) as server,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = cli_main(
            ["--debug", "--base-url", server.url, "--token-file", str(token_file), "apps"]
        )
    assert code == 1
    assert "The above exception was the direct cause" in err.getvalue()
    assert "illegal header line" in err.getvalue()
    assert_absent(AWKWARD, [out.getvalue(), err.getvalue()])
    assert_absent(AWKWARD.replace("\\", "\\\\").replace("'", "\\'"), [err.getvalue()])
