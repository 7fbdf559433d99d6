"""Fleet backup status against recorded answers: the same answers as latest_backup gives.

Read-only and about no particular data, so it can be recorded from a live account too.
"""

from __future__ import annotations

import contextlib

import pytest

from divio_ext import DivioClient
from divio_ext.core.errors import NotFound
from divio_ext.workflows import backup_status, latest_backup

pytestmark = pytest.mark.vcr


def test_fleet_status_agrees_with_latest_backup_for_every_environment(
    client: DivioClient,
) -> None:
    statuses = backup_status(client)
    assert statuses, "the account has environments"
    for status in statuses:
        expected = None
        with contextlib.suppress(NotFound):
            found = latest_backup(
                client, status.application.uuid, status.environment.uuid, "DATABASE", "DEFAULT"
            )
            expected = found.service_instance_backup.uuid
        answer = None if status.latest is None else status.latest.service_instance_backup.uuid
        assert answer == expected, (status.application.slug, status.environment.slug)
        assert (status.problem is None) == (answer is not None)
