"""Errors of the workflows: each says what was asked for and what exists instead.

A plain 404 says only "not found"; these say *why* (an unknown environment slug lists the slugs
the application has, an unknown application says whether the token can see any application at
all), so that a user can fix the command without opening the Control Panel. They subclass
:class:`divio_ext.errors.NotFound`, so ``except NotFound`` catches them too.
"""

from __future__ import annotations

from collections.abc import Sequence

from divio_ext import errors


class LookupNotFound(errors.NotFound):
    """Something a workflow was asked for does not exist (or the token may not see it)."""

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message, status=404, method="GET", url=url, detail=message)


class ApplicationNotFound(LookupNotFound):
    """No application with that slug or uuid is visible to the token.

    ``visible`` holds the slugs of (some of) the applications the token can see; an empty
    tuple means the token sees no application at all (wrong organisation or account).
    """

    def __init__(self, reference: str, *, visible: Sequence[str], total: int) -> None:
        self.reference = reference
        self.visible = tuple(visible)
        self.total = total
        if total == 0:
            message = (
                f"application {reference!r} not found: this token cannot see any application "
                "(check that it belongs to an account of the right organisation)"
            )
        else:
            shown = ", ".join(self.visible)
            more = f" and {total - len(self.visible)} more" if total > len(self.visible) else ""
            message = (
                f"application {reference!r} not found among the {total} applications this "
                f"token can see ({shown}{more})"
            )
        super().__init__(message, url="/apps/v3/applications/")


class EnvironmentNotFound(LookupNotFound):
    """The application has no environment with that slug; ``available`` lists its slugs."""

    def __init__(self, application: str, reference: str, *, available: Sequence[str]) -> None:
        self.application = application
        self.reference = reference
        self.available = tuple(available)
        have = ", ".join(self.available) if self.available else "none"
        super().__init__(
            f"application {application!r} has no environment {reference!r} "
            f"(its environments: {have})",
            url="/apps/v3/environments/",
        )


class ServiceInstanceNotFound(LookupNotFound):
    """The environment has no service instance of that type and prefix.

    ``available`` lists the (type, prefix) pairs that the environment does have.
    """

    def __init__(
        self,
        environment: str,
        service_type: str,
        prefix: str,
        *,
        available: Sequence[tuple[str, str]],
    ) -> None:
        self.environment = environment
        self.service_type = service_type
        self.prefix = prefix
        self.available = tuple(available)
        have = ", ".join(f"{kind}/{name}" for kind, name in self.available) or "none"
        super().__init__(
            f"environment {environment} has no {service_type} service instance with prefix "
            f"{prefix} (it has: {have})",
            url="/apps/v3/service-instances/",
        )


class NoUsableBackup(LookupNotFound):
    """The service instance has no backup that completed successfully (yet).

    ``seen`` counts the service-instance backups looked at, by reason they did not qualify.
    """

    def __init__(self, service: str, environment: str, *, seen: dict[str, int]) -> None:
        self.service = service
        self.environment = environment
        self.seen = dict(seen)
        if seen:
            counts = ", ".join(f"{count} {reason}" for reason, count in sorted(seen.items()))
            why = f"none of its {sum(seen.values())} backups qualifies ({counts})"
        else:
            why = "it has never been backed up"
        super().__init__(
            f"no successful backup of {service} in {environment} yet: {why}",
            url="/apps/v3/service-instance-backups/",
        )


class AmbiguousServiceInstance(errors.DivioError):
    """More than one service instance of the environment has that type and prefix."""


class WorkFailed(errors.OperationFailed):
    """Long-running work finished unsuccessfully; ``messages`` are the server's own words."""

    def __init__(self, kind: str, uuid: str, outcome: str, messages: Sequence[str]) -> None:
        self.kind = kind
        self.uuid = uuid
        self.outcome = outcome
        self.messages = tuple(messages)
        said = "; ".join(self.messages) if self.messages else "the server gave no reason"
        super().__init__(f"{kind} {uuid} finished with {outcome}: {said}")
