"""Reading an environment's runtime logs and a deployment's build log, the way the Divio CLI does.

The environment logs endpoint pages like a cursor, not by page number (api-notes §6.9): every
answer carries a ``next`` link whose query (``from_ts``, ``to_ts``, ...) says where
the following page starts, and an empty page still has one. So the generic pager, which expects
growing page numbers, cannot walk it. :func:`logs_plan` follows ``next`` as given: it sends the
link's query parameters back through the same operation (never the link's host, so a link
cannot send the token elsewhere), stops when a page is empty, or, when following, waits with a
growing pause and asks again, like ``tail -f``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from divio_ext.core import errors
from divio_ext.core.contract import (
    DEPLOYMENT,
    DEPLOYMENT_LOGS,
    DEPLOYMENTS_LIST,
    ENVIRONMENT_LOGS,
)
from divio_ext.core.engine import Call, Plan, Sleep
from divio_ext.resources import bound, relations
from divio_ext.resources.models import Deployment as DeploymentModel
from divio_ext.resources.models import Environment as EnvironmentModel
from divio_ext.resources.models import LogEntry
from divio_ext.resources.selection import text, value
from divio_ext.workflows import arguments
from divio_ext.workflows.waiting import PollPolicy

#: The query parameters of a ``next`` link that the operation takes.
_CURSOR_PARAMETERS = frozenset({"from_ts", "to_ts", "page", "page_size"})
#: While following, an empty page is asked again after 1 s, then up to every 10 s.
FOLLOW_POLICY = PollPolicy(interval=1.0, backoff=1.5, max_interval=10.0, timeout=None)

LogSink = Callable[[LogEntry], None]


@dataclass(frozen=True)
class LogFilter:
    """Which entries to keep: ``services`` (empty = all; compared case-insensitively)."""

    services: frozenset[str] = frozenset()

    @classmethod
    def of(cls, services: str | Collection[str] = ()) -> LogFilter:
        """The filter of ``services``: a collection of names, or one name."""
        names = arguments.names("services", services) or ()
        return cls(frozenset(service.lower() for service in names))

    def keeps(self, entry: LogEntry) -> bool:
        service = (text(entry.service) or "").lower()
        return not self.services or service in self.services


def cursor(link: str) -> dict[str, Any]:
    """The parameters of a ``next`` link, ready to send again through the logs operation.

    Raises :class:`~divio_ext.core.errors.PaginationError` for a link with a parameter the
    operation does not take (following it without that parameter would read a different page)
    or a value it cannot read.
    """
    params: dict[str, Any] = {}
    for name, given in parse_qsl(urlsplit(link).query, keep_blank_values=True):
        if name not in _CURSOR_PARAMETERS:
            raise errors.PaginationError(
                f"cannot follow the log cursor: unknown parameter {name!r}"
            )
        try:
            is_time = name in ("from_ts", "to_ts")
            params[name] = datetime.datetime.fromisoformat(given) if is_time else int(given)
        except ValueError:
            raise errors.PaginationError(
                f"cannot follow the log cursor: {name}={given!r} is not understood"
            ) from None
    return params


def logs_plan(
    environment: EnvironmentModel,
    sink: LogSink,
    *,
    since: datetime.datetime | None = None,
    services: str | Collection[str] = (),
    follow: bool = False,
    policy: PollPolicy | None = None,
) -> Plan[int]:
    """The steps of :func:`environment_logs`: hand each kept entry to ``sink``, oldest first.

    Without ``since`` the first page is the newest one. Without ``follow`` the walk ends at the
    first empty page; with it, an empty page is asked again after a pause that grows up to
    ``policy.max_interval`` and starts over once entries arrive. The answer is how many entries
    went to ``sink``.
    """
    policy = policy or FOLLOW_POLICY
    keep = LogFilter.of(services)
    params: dict[str, Any] = {"uuid": environment.uuid}
    if since is not None:
        params["from_ts"] = since
    pauses: Iterator[float] = policy.pauses()
    sent = 0
    while True:
        page = yield Call(ENVIRONMENT_LOGS, params)
        entries: list[LogEntry] = list(value(page.results) or [])
        for entry in entries:
            if keep.keeps(entry):
                sink(entry)
                sent += 1
        link = text(page.next_)
        if link is None or (not entries and not follow):
            return sent
        params = {"uuid": environment.uuid, **cursor(link)}
        if entries:
            pauses = policy.pauses()
        else:
            yield Sleep(next(pauses), policy.clock)


def environment_logs(
    environment: bound.Environment,
    *,
    since: datetime.datetime | None = None,
    services: str | Collection[str] = (),
) -> list[LogEntry]:
    """The environment's runtime log entries from ``since`` (default: the newest page) to now.

    ``services`` (names, or one name) keeps only entries of those services (``web``, ``worker``,
    ``cronjob``, ...): the API has no such filter, so it is applied here. To follow the log as
    it grows, run :func:`logs_plan` with ``follow=True`` and a sink.
    """
    arguments.of_client("environment", environment, bound.Environment)
    found: list[LogEntry] = []
    environment.client.run(
        logs_plan(environment.model, found.append, since=since, services=services)
    )
    return found


def deployment_log_plan(
    environment: EnvironmentModel, deployment: str | None = None
) -> Plan[tuple[DeploymentModel, str]]:
    """The steps of :func:`deployment_log`, for either client."""
    chosen: DeploymentModel
    if deployment is None:
        found = yield from relations.deployments_of(environment)
        if not found:
            raise errors.LookupNotFound(
                f"environment {text(environment.slug)!r} has no deployment yet",
                url=DEPLOYMENTS_LIST.path,
            )
        chosen = found[0]
    else:
        chosen = yield Call(DEPLOYMENT, {"uuid": deployment})
        if chosen.environment != environment.uuid:
            raise errors.LookupNotFound(
                f"deployment {deployment!r} is not one of environment {text(environment.slug)!r}",
                url=DEPLOYMENT.path,
            )
    log = yield Call(DEPLOYMENT_LOGS, {"uuid": chosen.uuid})
    return chosen, text(log.logs) or ""


def deployment_log(
    environment: bound.Environment, deployment: str | None = None
) -> tuple[bound.Deployment, str]:
    """A deployment of ``environment`` (by uuid; default: the newest) and its build log.

    A uuid of another environment's deployment is refused as not found, so a typo cannot show
    the log of some other application.
    """
    arguments.of_client("environment", environment, bound.Environment)
    model, log = environment.client.run(deployment_log_plan(environment.model, deployment))
    return bound.Deployment(environment.client, model), log
