"""`divio-ext backup restore APP ENV --backup UUID --to OTHER`, run as a shell runs it.

Each command is a separate process against the plugin's sandbox. Its waits advance the
sandbox's clock through the control endpoints instead of sleeping, so a copy and restore that
takes minutes on the sandbox's clock takes a moment here.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from cli_support import token_file
from moto.server import ThreadedMotoServer

from divio_ext import DivioClient
from divio_ext.resources import bound
from divio_ext.workflows import PollPolicy, backup_download_url, latest_backup
from divio_sandbox import Sandbox
from divio_sandbox.actions import S3_BUCKET
from divio_sandbox.waiting import SandboxTime

#: ``divio-ext`` whose waits move the sandbox's clock (given first) instead of sleeping; at the
#: end it copies its peak memory use (``VmHWM``: the resident set's high-water mark, of this
#: program alone; ``getrusage`` would report the test process's, inherited through the fork).
DIVIO_EXT = [
    sys.executable,
    "-c",
    "import pathlib, sys; from divio_ext.cli import commands, main; "
    "from divio_sandbox.server import RemoteClock; from divio_sandbox.waiting import SandboxTime; "
    "commands.clock = SandboxTime(RemoteClock(sys.argv[1])); code = main(sys.argv[2:]); "
    "status = pathlib.Path('/proc/self/status'); "
    "peak = [line for line in status.read_text().splitlines() if line.startswith('VmHWM:')] "
    "if status.exists() else []; "
    "print(*peak, file=sys.stderr); sys.exit(code)",
]
APP = "example-application"
MIB = 1024 * 1024
UPLOAD = "POST /apps/v3/backups/upload/"
RESTORE = "POST /apps/v3/backup-restores/"


def source_backup(sb: Sandbox, kind: str = "DATABASE") -> bound.ServiceInstanceBackup:
    with DivioClient(token=sb.tokens["alice"], base_url=sb.url) as client:
        return latest_backup(client, APP, "live", kind).service_instance_backup


def divio_ext(
    sb: Sandbox,
    tmp_path: Path,
    *argv: str,
    stdin: int | None = subprocess.DEVNULL,
    env: dict[str, str] | None = None,
    prelude: str = "",
) -> subprocess.CompletedProcess[str]:
    """``divio-ext --base-url ... --token-file ... backup restore APP live <argv>``, with ``env``
    added to the environment and the Python code ``prelude`` run first."""
    options = ["--base-url", sb.url, "--token-file", str(token_file(tmp_path, sb.tokens["alice"]))]
    launcher = [*DIVIO_EXT[:2], prelude + DIVIO_EXT[2]]
    command = [*launcher, sb.url, *options, "backup", "restore", APP, "live", *argv]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DIVIO")}
    environment.update(env or {})
    return subprocess.run(
        command, stdin=stdin, capture_output=True, text=True, env=environment, check=False
    )


def served(sb: Sandbox, uuid: str) -> bytes:
    """The bytes the sandbox serves for service-instance backup ``uuid``."""
    with DivioClient(token=sb.tokens["alice"], base_url=sb.url) as client:
        sib = bound.ServiceInstanceBackup(client, client.service_instance_backups.retrieve(uuid))
        url = backup_download_url(sib, policy=PollPolicy(clock=SandboxTime(sb.clock)))
    with httpx.stream("GET", url) as response:
        return b"".join(response.iter_raw())


def copy_of(sb: Sandbox, backup: str) -> str:
    """The service-instance backup of the copied backup ``backup``."""
    with DivioClient(token=sb.tokens["alice"], base_url=sb.url) as client:
        (part,) = bound.Backup(client, client.backups.retrieve(backup)).service_instance_backups()
        assert part.service_instance().environment().slug == "test"
        return part.uuid


def signatures(sb: Sandbox) -> list[str]:
    """The signatures of the upload and finish URLs the sandbox handed out."""
    assert sb.runtime is not None
    rows = sb.runtime.store.service_instance_backups.rows.values()
    return [sib.upload_signature for sib in rows if sib.upload_signature is not None]


class S3Server:
    """moto's S3 as a server on loopback, for the command's separate process; the sandbox
    reads uploaded objects from it. ``env`` points a process's S3 requests at it (the upload
    parameters name no endpoint, so boto3's usual configuration decides it), and keeps the
    machine's own AWS configuration out."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        self.env = {
            "AWS_ENDPOINT_URL_S3": endpoint,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }

    def read(self, bucket: str, key: str) -> bytes | None:
        try:
            body: bytes = self.client.get_object(Bucket=bucket, Key=key)["Body"].read()
        except self.client.exceptions.NoSuchKey:
            return None
        return body


@pytest.fixture
def s3_server(divio_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[S3Server]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        s3 = S3Server(f"http://{host}:{port}")
        s3.client.create_bucket(Bucket=S3_BUCKET)
        assert divio_sandbox.runtime is not None
        monkeypatch.setattr(divio_sandbox.runtime, "object_store", s3.read)
        yield s3
    finally:
        server.stop()


@pytest.mark.parametrize("handler", ["exo-presigned-v1", "az-sas-v1", "s3-sts-v1"])
def test_the_backup_is_copied_and_restored_on_the_other_environment(
    divio_sandbox: Sandbox, tmp_path: Path, request: pytest.FixtureRequest, handler: str
) -> None:
    env = request.getfixturevalue("s3_server").env if handler == "s3-sts-v1" else None
    divio_sandbox.configure(upload_handler=handler, download_size=2 * MIB + 3, drop_downloads=1)
    sib = source_backup(divio_sandbox)
    done = divio_ext(
        divio_sandbox, tmp_path, "--backup", sib.backup_uuid, "--to", "test", "--yes", env=env
    )
    assert done.returncode == 0, done.stderr
    words = done.stdout.split()
    assert words[:8] == ["Restored", "backup", sib.backup_uuid, "of", "live", "to", "test", "as"]
    assert words[-1] == "SUCCESS"
    copied = copy_of(divio_sandbox, words[9])
    assert served(divio_sandbox, copied) == served(divio_sandbox, sib.uuid)
    assert "download: transfer broke off; resumed (try 2)" in done.stderr
    assert "upload: 2.0 MiB of 2.0 MiB (100%)" in done.stderr
    assert ": SUCCESS (" in done.stderr, "the restore's progress line"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
@pytest.mark.parametrize(
    ("handler", "size"),
    # boto3 alone takes some 25 MiB, and S3 parts go four at a time: a larger file shows it.
    [("exo-presigned-v1", 128 * MIB), ("s3-sts-v1", 256 * MIB)],
)
def test_memory_use_does_not_grow_with_the_file(
    divio_sandbox: Sandbox, tmp_path: Path, request: pytest.FixtureRequest, handler: str, size: int
) -> None:
    env = request.getfixturevalue("s3_server").env if handler == "s3-sts-v1" else None
    divio_sandbox.configure(upload_handler=handler, download_size=size)
    sib = source_backup(divio_sandbox)
    done = divio_ext(
        divio_sandbox, tmp_path, "--backup", sib.backup_uuid, "--to", "test", "--yes", env=env
    )
    assert done.returncode == 0, done.stderr
    peak = int(done.stderr.rpartition("VmHWM:")[2].split()[0]) * 1024  # "VmHWM:  41234 kB"
    assert peak < size, "the file never was in memory whole, neither downloaded nor uploaded"
    mib = size // MIB
    assert f"upload: {mib}.0 MiB of {mib}.0 MiB (100%)" in done.stderr


def test_debug_output_shows_no_token_and_no_presigned_url(
    divio_sandbox: Sandbox, tmp_path: Path
) -> None:
    sib = source_backup(divio_sandbox)
    done = divio_ext(
        divio_sandbox,
        tmp_path,
        "--debug",
        "--json",
        "--backup",
        sib.backup_uuid,
        "--to",
        "test",
        "--yes",
    )
    assert done.returncode == 0, done.stderr
    assert "DEBUG divio_ext: POST /apps/v3/backups/upload/ -> 201" in done.stderr
    printed = done.stdout + done.stderr
    secrets = [divio_sandbox.tokens["alice"], *signatures(divio_sandbox)]
    assert len(secrets) == 2
    assert [secret for secret in secrets if secret in printed] == []
    assert "/_sandbox/uploads/" not in printed
    assert "/_sandbox/downloads/" not in printed


def test_debug_output_shows_no_s3_credential_or_signature(
    divio_sandbox: Sandbox, tmp_path: Path, s3_server: S3Server
) -> None:
    divio_sandbox.configure(upload_handler="s3-sts-v1")
    sib = source_backup(divio_sandbox)
    done = divio_ext(
        divio_sandbox,
        tmp_path,
        "--debug",
        "--backup",
        sib.backup_uuid,
        "--to",
        "test",
        "--yes",
        env=s3_server.env,
    )
    assert done.returncode == 0, done.stderr
    assert "DEBUG divio_ext: POST /apps/v3/backups/upload/ -> 201" in done.stderr
    printed = done.stdout + done.stderr
    # The sandbox's secret key and session token are its upload signature.
    secrets = [divio_sandbox.tokens["alice"], *signatures(divio_sandbox), "ASIASANDBOX"]
    assert [secret for secret in secrets if secret in printed] == []
    assert not re.search(r"(?i)signature[=:]\s*[0-9a-f]{64}", printed)
    assert "/_sandbox/downloads/" not in printed


def test_a_refused_upload_exits_1_quoting_no_secret_and_restores_nothing(
    divio_sandbox: Sandbox, tmp_path: Path
) -> None:
    sib = source_backup(divio_sandbox)
    divio_sandbox.configure(reject_uploads=1)
    done = divio_ext(
        divio_sandbox, tmp_path, "--debug", "--backup", sib.backup_uuid, "--to", "test", "--yes"
    )
    assert done.returncode == 1
    (last,) = [line for line in done.stderr.splitlines() if line.startswith("divio-ext:")]
    assert re.fullmatch(
        r"divio-ext: error: the exo-presigned-v1 upload answered HTTP 403 \(AccessDenied\); "
        r"nothing was restored\. The copy's upload backup (\w+) in test was left unfinished; it is "
        r"scheduled for deletion at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\.",
        last,
    ), last
    assert RESTORE not in divio_sandbox.stats()["requests"]
    printed = done.stdout + done.stderr
    secrets = [divio_sandbox.tokens["alice"], *signatures(divio_sandbox)]
    assert [secret for secret in secrets if secret in printed] == []
    assert "/_sandbox/uploads/" not in printed


#: A temporary directory on a full disk: every file made there refuses to be written.
FULL_TMPDIR = (
    "import errno, io, os, tempfile\n"
    "class Full(io.BytesIO):\n"
    "    def write(self, data): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
    "tempfile.TemporaryFile = lambda *args, **kwargs: Full()\n"
)


def test_a_full_temporary_directory_is_one_line_naming_the_copy_left_unfinished(
    divio_sandbox: Sandbox, tmp_path: Path
) -> None:
    """It was a traceback (the ``OSError`` is no ``DivioError``), with the note naming the
    unfinished upload backup printed after it."""
    sib = source_backup(divio_sandbox)
    done = divio_ext(
        divio_sandbox, tmp_path, "--backup", sib.backup_uuid, "--to", "test", "--yes",
        prelude=FULL_TMPDIR,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    (last,) = [line for line in done.stderr.splitlines() if line.startswith("divio-ext:")]
    assert re.fullmatch(
        r"divio-ext: error: cannot keep the backup's temporary copy in \S+: No space left on "
        r"device \(TMPDIR chooses another directory\)\. The copy's upload backup \w+ in test "
        r"was left unfinished; .*",
        last,
    ), last
    assert RESTORE not in divio_sandbox.stats()["requests"]


def test_a_failed_restore_is_exit_1_with_the_servers_outcome(
    divio_sandbox: Sandbox, tmp_path: Path
) -> None:
    sib = source_backup(divio_sandbox)
    divio_sandbox.configure(failure_rate=1.0)
    done = divio_ext(divio_sandbox, tmp_path, "--backup", sib.backup_uuid, "--to", "test", "--yes")
    assert done.returncode == 1
    assert "finished with FAILURE" in done.stderr


def test_without_boto3_an_s3_upload_says_what_to_install_and_nothing_is_downloaded(
    divio_sandbox: Sandbox, tmp_path: Path
) -> None:
    sib = source_backup(divio_sandbox)
    divio_sandbox.configure(upload_handler="s3-sts-v1")
    done = divio_ext(
        divio_sandbox,
        tmp_path,
        "--backup",
        sib.backup_uuid,
        "--to",
        "test",
        "--yes",
        # A module set to None in sys.modules is what an import finds when it is not installed.
        prelude="import sys; sys.modules['boto3'] = None; ",
    )
    assert done.returncode == 1
    assert "upload handler 's3-sts-v1', which needs boto3" in done.stderr
    assert "pip install 'divio-ext[s3]'" in done.stderr
    assert "POST /apps/v3/backup-downloads/" not in divio_sandbox.stats()["requests"]


def test_read_only_mode_refuses_before_any_request(divio_sandbox: Sandbox, tmp_path: Path) -> None:
    sib = source_backup(divio_sandbox)
    divio_sandbox.reset_stats()
    done = divio_ext(
        divio_sandbox, tmp_path, "--read-only", "--backup", sib.backup_uuid, "--to", "test", "--yes"
    )
    assert done.returncode == 1
    assert "read-only mode: refused to restore" in done.stderr
    assert divio_sandbox.stats()["total"] == 0


def test_without_yes_and_without_a_terminal_nothing_is_sent(
    divio_sandbox: Sandbox, tmp_path: Path
) -> None:
    sib = source_backup(divio_sandbox)
    divio_sandbox.reset_stats()
    done = divio_ext(divio_sandbox, tmp_path, "--backup", sib.backup_uuid, "--to", "test")
    assert done.returncode == 2
    assert "confirm on a terminal, or pass --yes" in done.stderr
    assert divio_sandbox.stats()["total"] == 0


def test_the_backups_own_environment_as_target_is_a_usage_error(
    divio_sandbox: Sandbox, tmp_path: Path
) -> None:
    sib = source_backup(divio_sandbox)
    divio_sandbox.reset_stats()
    done = divio_ext(divio_sandbox, tmp_path, "--backup", sib.backup_uuid, "--to", "live", "--yes")
    assert done.returncode == 2
    assert "--to live is the backup's own environment" in done.stderr
    assert divio_sandbox.stats()["total"] == 0


def test_a_target_without_the_service_lists_what_it_has(
    divio_sandbox: Sandbox, tmp_path: Path
) -> None:
    with DivioClient(token=divio_sandbox.tokens["alice"], base_url=divio_sandbox.url) as client:
        backup = latest_backup(client, APP, "live", "DATABASE", "ANALYTICS").backup.uuid
    done = divio_ext(
        divio_sandbox,
        tmp_path,
        "--backup",
        backup,
        "--prefix",
        "ANALYTICS",
        "--to",
        "test",
        "--yes",
    )
    assert done.returncode == 3
    assert "has no DATABASE service instance with prefix ANALYTICS" in done.stderr
    assert "it has: DATABASE/DEFAULT, STORAGE/DEFAULT" in done.stderr
    assert UPLOAD not in divio_sandbox.stats()["requests"]


def confirm(
    sb: Sandbox, tmp_path: Path, backup: str, typed: str
) -> subprocess.CompletedProcess[str]:
    """Run the command with a terminal as standard input on which ``typed`` is entered."""
    controller, terminal = pty.openpty()
    try:
        os.write(controller, f"{typed}\n".encode())
        return divio_ext(sb, tmp_path, "--backup", backup, "--to", "test", stdin=terminal)
    finally:
        os.close(terminal)
        os.close(controller)


def test_the_confirmation_names_the_target_and_only_its_slug_confirms(
    divio_sandbox: Sandbox, tmp_path: Path
) -> None:
    sib = source_backup(divio_sandbox)
    refused = confirm(divio_sandbox, tmp_path, sib.backup_uuid, "live")
    assert refused.returncode == 2
    assert (
        f"Copy DATABASE/DEFAULT of {APP}/live from backup {sib.backup_uuid} taken "
        in refused.stderr
    )
    assert (
        f"to {APP}/test and restore it there? This overwrites the DATABASE/DEFAULT data of "
        f"{APP}/test now. Type 'test' to confirm: " in refused.stderr
    )
    assert "not confirmed: nothing was restored" in refused.stderr
    assert UPLOAD not in divio_sandbox.stats()["requests"]
    confirmed = confirm(divio_sandbox, tmp_path, sib.backup_uuid, "test")
    assert confirmed.returncode == 0, confirmed.stderr
    assert divio_sandbox.stats()["requests"][RESTORE] == 1
