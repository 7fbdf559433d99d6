"""What long-running work looks like at a given instant, computed from its record and the clock.

There are no worker threads: a backup is "WORKING" simply because the clock has not yet passed
the end of its last service-instance backup. Advancing a fixed clock therefore makes work
progress deterministically, and a real clock makes it progress in real time.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from divio_sandbox import records as r


@dataclass(frozen=True, slots=True)
class SibProgress:
    started_at: datetime | None
    ended_at: datetime | None
    taken_at: datetime | None
    size: int | None
    errors: list[str]

    @property
    def usable(self) -> bool:
        """Ended without errors: the backup can be downloaded or restored."""
        return self.ended_at is not None and not self.errors


def sib_progress(sib: r.ServiceInstanceBackup, now: datetime) -> SibProgress:
    """Queued until ``start_at``, running for ``duration`` seconds, then ended with its outcome."""
    if sib.start_at is None or now < sib.start_at:
        return SibProgress(None, None, None, None, [])
    end = sib.start_at + timedelta(seconds=sib.duration)
    if now < end:
        return SibProgress(sib.start_at, None, None, None, [])
    taken_at = None if sib.errors else sib.start_at + timedelta(seconds=sib.duration / 2)
    return SibProgress(sib.start_at, end, taken_at, sib.size, list(sib.errors))


def backup_state(sibs: list[SibProgress]) -> tuple[str, str | None]:
    """(state, success) of a backup: WORKING until every part ended, then its overall outcome."""
    if any(sib.ended_at is None for sib in sibs):
        return "WORKING", None
    usable = sum(1 for sib in sibs if sib.usable)
    if usable == len(sibs):
        return "COMPLETED", "SUCCESS"
    return "COMPLETED", "FAILURE" if usable == 0 else "PARTIAL"


@dataclass(frozen=True, slots=True)
class DeploymentProgress:
    status: str
    ended_at: datetime | None
    success: bool | None


def deployment_progress(deployment: r.Deployment, now: datetime) -> DeploymentProgress:
    """A deployment is queued, then builds, then deploys, then is ``done`` or has failed.

    ``done`` is the status real finished deployments show; no percentage is reported, as in
    the real deployment bodies.
    """
    elapsed = (now - deployment.started_at).total_seconds()
    if elapsed >= deployment.duration:
        status = "done" if deployment.success else "failure"
        end = deployment.started_at + timedelta(seconds=deployment.duration)
        return DeploymentProgress(status, end, deployment.success)
    fraction = max(elapsed, 0.0) / deployment.duration
    status = "queued" if fraction < 0.1 else "building" if fraction < 0.6 else "deploying"
    return DeploymentProgress(status, None, None)


def last_finished_deployment(deployments: list[r.Deployment], now: datetime) -> str | None:
    """The uuid of the environment's most recently finished deployment, if any."""
    finished = [
        (d.started_at + timedelta(seconds=d.duration), d.uuid)
        for d in deployments
        if (now - d.started_at).total_seconds() >= d.duration
    ]
    return max(finished)[1] if finished else None


def service_status(instance: r.ServiceInstance, now: datetime) -> str:
    """``NEW`` while provisioning (the observed value), ``ATTACHED`` afterwards."""
    return "NEW" if now < instance.ready_at else "ATTACHED"


def repository_state(repository: r.Repository, now: datetime, clone_seconds: float) -> str | None:
    """None before the first check, CLONING for a while, then CLONED (or INVALID)."""
    if repository.clone_started_at is None:
        return None
    if now < repository.clone_started_at + timedelta(seconds=clone_seconds):
        return "CLONING"
    return "INVALID" if "invalid" in repository.url else "CLONED"
