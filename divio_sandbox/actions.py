"""Creating objects at run time, with the schedule their long-running work will follow.

Each creation decides, once, when its work starts and ends and whether it succeeds (seeded by
the runtime RNG and the ``failure_rate`` knob); ``progress`` then derives the visible state
from the clock. Durations are short so that tests advance the clock by a minute at most.
"""

from datetime import datetime, timedelta

from divio_sandbox import records as r
from divio_sandbox.progress import sib_progress
from divio_sandbox.store import Store

#: Seconds between queueing a backup and its first service-instance backup starting.
BACKUP_QUEUE_SECONDS = 2.0
#: Seconds one service-instance backup runs, by service type (they run one after another).
BACKUP_SECONDS = {"DATABASE": 6.0, "STORAGE": 10.0}
#: Seconds an uploaded backup takes to import once its finish URL was called.
UPLOAD_IMPORT_SECONDS = 4.0
#: Seconds a deployment runs.
DEPLOYMENT_SECONDS = 20.0
#: Seconds a backup download takes to be prepared.
DOWNLOAD_SECONDS = 5.0
#: Seconds a restore runs.
RESTORE_SECONDS = 15.0
#: Seconds a new service instance is provisioning (status NEW).
PROVISION_SECONDS = 10.0
#: The size limit the sandbox's pre-signed upload URL announces (5 GiB, as in the CLI's fixture).
MAX_UPLOAD_BYTES = 5 * 1024**3
#: The bucket an ``s3-sts-v1`` upload target names (the sandbox has no S3 of its own: see
#: ``Runtime.object_store``).
S3_BUCKET = "sandbox-backups"


def s3_key(sib: r.ServiceInstanceBackup) -> str:
    """The key an ``s3-sts-v1`` upload target names for ``sib``."""
    return f"uploads/{sib.uuid}"


def _fails(store: Store, failure_rate: float) -> bool:
    return failure_rate > 0 and store.rng.random() < failure_rate


def create_backup(
    store: Store,
    env: r.Environment,
    instances: list[r.ServiceInstance],
    *,
    trigger: str,
    notes: str | None,
    delete_at: datetime | None,
    now: datetime,
    failure_rate: float,
    upload: bool = False,
) -> r.Backup:
    """A backup queued now; its parts run one after another (uploads wait for their file)."""
    backup = r.Backup(
        store.new_id(), env.organisation, env.application, env.uuid, trigger, notes, delete_at, now
    )
    failing = 0 if _fails(store, failure_rate) else -1
    start = now + timedelta(seconds=BACKUP_QUEUE_SECONDS)
    for position, instance in enumerate(instances):
        duration = BACKUP_SECONDS.get(instance.type, 6.0)
        errors = ["Backup failed: the service did not respond."] if position == failing else []
        size = None if errors else 10_000_000 + store.rng.randrange(90_000_000)
        sib = r.ServiceInstanceBackup(
            store.new_id(),
            env.organisation,
            backup.uuid,
            instance.uuid,
            instance.type,
            now,
            None if upload else start,
            UPLOAD_IMPORT_SECONDS if upload else duration,
            None if upload else size,
            errors,
        )
        store.service_instance_backups.add(sib)
        backup.service_instance_backups.append(sib.uuid)
        start += timedelta(seconds=duration)
    return store.backups.add(backup)


def finish_upload(sib: r.ServiceInstanceBackup, now: datetime) -> None:
    """The upload's finish URL was called: import what was uploaded (an error if nothing was)."""
    if sib.start_at is not None:
        return
    sib.start_at = now
    if sib.uploaded is None:
        sib.errors = ["No file was uploaded."]
    else:
        sib.size = len(sib.uploaded)


def create_download(
    store: Store, backup: r.Backup, sibs: list[r.ServiceInstanceBackup], trigger: str, now: datetime
) -> r.BackupDownload:
    download = r.BackupDownload(
        store.new_id(), backup.organisation, backup.uuid, [s.uuid for s in sibs], trigger, now
    )
    ready = now + timedelta(seconds=DOWNLOAD_SECONDS)
    for sib in sibs:
        store.backup_download_service_instances.add(
            r.BackupDownloadServiceInstance(
                store.new_id(), backup.organisation, download.uuid, sib.uuid, ready, []
            )
        )
    return store.backup_downloads.add(download)


def create_restore(
    store: Store,
    backup: r.Backup,
    sibs: list[r.ServiceInstanceBackup],
    notes: str | None,
    now: datetime,
    failure_rate: float,
) -> r.BackupRestore:
    return store.backup_restores.add(
        r.BackupRestore(
            store.new_id(),
            backup.organisation,
            backup.uuid,
            [s.uuid for s in sibs],
            notes,
            now,
            now + timedelta(seconds=RESTORE_SECONDS),
            "FAILURE" if _fails(store, failure_rate) else "SUCCESS",
        )
    )


def create_deployment(
    store: Store,
    env: r.Environment,
    author: r.User,
    build_mode: str,
    now: datetime,
    failure_rate: float,
) -> r.Deployment:
    names = [
        store.environment_variables.rows[u].name
        for u in store.environment_variables.select({"environment": env.uuid})
    ]
    return store.deployments.add(
        r.Deployment(
            store.new_id(),
            env.organisation,
            env.application,
            env.uuid,
            author.uuid,
            build_mode,
            now,
            DEPLOYMENT_SECONDS,
            not _fails(store, failure_rate),
            sorted(names),
        )
    )


def create_service_instance(
    store: Store, env: r.Environment, service: r.Service, prefix: str, now: datetime
) -> r.ServiceInstance:
    return store.service_instances.add(
        r.ServiceInstance(
            store.new_id(),
            env.organisation,
            env.application,
            env.uuid,
            service.uuid,
            service.region,
            prefix,
            service.type,
            now,
            now + timedelta(seconds=PROVISION_SECONDS),
        )
    )


def create_application(
    store: Store,
    org: str,
    slug: str,
    name: str,
    region: str,
    repository: str | None,
    branch: str,
    now: datetime,
) -> r.Application:
    app = store.applications.add(
        r.Application(store.new_id(), org, slug, name, region, repository, now)
    )
    for env_slug in ("test", "live"):
        create_environment(store, app, env_slug, branch, now)
    return app


def create_environment(
    store: Store, app: r.Application, slug: str, branch: str, now: datetime
) -> r.Environment:
    return store.environments.add(
        r.Environment(store.new_id(), app.organisation, app.uuid, slug, branch, now)
    )


def copy_environment(
    store: Store, source: r.Environment, new_slug: str, now: datetime
) -> r.Environment:
    """A new environment of the same application with the source's services and variables."""
    env = store.environments.add(
        r.Environment(
            store.new_id(), source.organisation, source.application, new_slug, source.branch, now
        )
    )
    for uuid in store.service_instances.select({"environment": source.uuid}):
        instance = store.service_instances.rows[uuid]
        service = store.services.rows[instance.service]
        create_service_instance(store, env, service, instance.prefix, now)
    for uuid in store.environment_variables.select({"environment": source.uuid}):
        var = store.environment_variables.rows[uuid]
        store.environment_variables.add(
            r.EnvironmentVariable(
                store.new_id(),
                var.organisation,
                var.application,
                env.uuid,
                var.name,
                var.value,
                var.is_sensitive,
            )
        )
    return env


def usable_sib(sib: r.ServiceInstanceBackup, now: datetime) -> bool:
    """Whether a service-instance backup ended without errors (downloadable, restorable)."""
    return sib_progress(sib, now).usable
