"""Backups, service-instance backups, uploads, downloads and restores (api-notes §6.4-6.7)."""

from typing import Any

from starlette.responses import Response

from divio_sandbox import actions
from divio_sandbox import records as r
from divio_sandbox import serializers as s
from divio_sandbox.context import Context
from divio_sandbox.routing import ApiRequest, Router
from divio_sandbox.validation import Fields, does_not_exist
from divio_sandbox.views.common import (
    created,
    encoded_page,
    get_or_404,
    lookup,
    ok,
    page,
    param,
    select,
)

BACKED_UP_TYPES = ("DATABASE", "STORAGE")
DOWNLOAD_TRIGGERS = ("PULL", "MANUAL")


def register(router: Router) -> None:
    router.add("/apps/v3/backups/", "GET", list_backups)
    router.add("/apps/v3/backups/", "POST", create_backup)
    router.add("/apps/v3/backups/upload/", "POST", upload_backup)
    router.add("/apps/v3/backups/{uuid}/", "GET", get_backup)
    router.add("/apps/v3/service-instance-backups/", "GET", list_service_instance_backups)
    router.add("/apps/v3/service-instance-backups/{uuid}/", "GET", get_service_instance_backup)
    router.add("/apps/v3/backup-downloads/", "POST", create_backup_download)
    router.add("/apps/v3/backup-download-service-instances/", "GET", list_download_instances)
    router.add("/apps/v3/backup-download-service-instances/{uuid}/", "GET", get_download_instance)
    router.add("/apps/v3/backup-restores/", "POST", create_backup_restore)
    router.add("/apps/v3/backup-restores/{uuid}/", "GET", get_backup_restore)


def list_backups(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    uuids = select(
        ctx,
        store.backups,
        {
            "application": (param(ctx, req, "application", unconfirmed=True), store.applications),
            "environment": (param(ctx, req, "environment", unconfirmed=True), store.environments),
        },
    )
    return page(ctx, req, uuids, lambda u: s.backup(ctx, store.backups.rows[u]))


def get_backup(ctx: Context, req: ApiRequest) -> Response:
    return ok(s.backup(ctx, get_or_404(ctx, ctx.store.backups, req.params["uuid"], "Backup")))


def _environment_and_services(
    ctx: Context, fields: Fields
) -> tuple[r.Environment | None, list[r.ServiceInstance]]:
    """The ``environment`` and ``services`` fields shared by create and upload."""
    env = fields.reference("environment", lookup(ctx, ctx.store.environments))
    instances = fields.references("services", lookup(ctx, ctx.store.service_instances))
    if env is not None:
        for instance in instances:
            if instance.environment != env.uuid:
                fields.error(
                    "services",
                    f"Service instance {instance.uuid} does not belong to the environment.",
                )
            elif instance.type not in BACKED_UP_TYPES:
                fields.error(
                    "services", f"Service instances of type {instance.type} cannot be backed up."
                )
    unique = list({instance.uuid: instance for instance in instances}.values())
    return env, unique


def create_backup(ctx: Context, req: ApiRequest) -> Response:
    fields = Fields(req.body())
    env, instances = _environment_and_services(ctx, fields)
    trigger = fields.string("trigger", required=False, default="MANUAL")
    notes = fields.string("notes", required=False, allow_blank=True, allow_null=True)
    delete_at = fields.datetime("scheduled_for_deletion_at")
    fields.check()
    assert env is not None
    assert trigger is not None
    backup = actions.create_backup(
        ctx.store,
        env,
        instances,
        trigger=trigger,
        notes=notes,
        delete_at=delete_at,
        now=ctx.now,
        failure_rate=ctx.knobs.failure_rate,
    )
    return created(s.backup(ctx, backup))


def upload_backup(ctx: Context, req: ApiRequest) -> Response:
    """A backup filled from files the client PUTs to the sandbox, by the ``upload_handler``
    setting's flow (``exo-presigned-v1`` unless set)."""
    fields = Fields(req.body())
    env, instances = _environment_and_services(ctx, fields)
    notes = fields.string("notes", required=False, allow_blank=True, allow_null=True)
    delete_at = fields.datetime("scheduled_for_deletion_at")
    fields.check()
    assert env is not None
    backup = actions.create_backup(
        ctx.store,
        env,
        instances,
        trigger="MANUAL",
        notes=notes,
        delete_at=delete_at,
        now=ctx.now,
        failure_rate=0.0,
        upload=True,
    )
    sibs = ctx.store.service_instance_backups.rows
    results = {}
    for uuid in backup.service_instance_backups:
        sib = sibs[uuid]
        sib.upload_handler = ctx.knobs.upload_handler
        sib.upload_signature = f"{ctx.store.rng.getrandbits(128):032x}"
        results[sib.service_instance] = _upload_target(ctx, sib)
    return created({"uuid": backup.uuid, "results": results})


def _upload_target(ctx: Context, sib: r.ServiceInstanceBackup) -> dict[str, Any]:
    """What the API answers for one part, in the shape of ``sib.upload_handler``'s target.

    The URLs carry a signature, as real pre-signed URLs do; the sandbox's upload endpoints
    check it, so a client that mangles the URL (or leaks it) can be noticed.
    """
    target = f"{ctx.base_url}/_sandbox/uploads/{sib.uuid}/"
    signature = sib.upload_signature
    finish_url = f"{target}finish/?signature={signature}"
    if sib.upload_handler == "az-sas-v1":
        url = f"{target}?sv=2021-08-06&sr=b&sp=cw&sig={signature}"
        parameters: dict[str, Any] = {"url": url}
    elif sib.upload_handler == "s3-sts-v1":
        parameters = {
            "bucket": actions.S3_BUCKET,
            "key": actions.s3_key(sib),
            "aws_access_key_id": "ASIASANDBOX",
            "aws_secret_access_key": signature,
            "aws_session_token": signature,
        }
    else:
        parameters = {
            "url": f"{target}?X-Amz-Expires=3600&X-Amz-Signature={signature}",
            "http_method": "PUT",
            "max_file_size": ctx.knobs.upload_max_size or actions.MAX_UPLOAD_BYTES,
        }
    return {
        "handler": sib.upload_handler,
        "finish_url": finish_url,
        "upload_parameters": parameters,
    }


def list_service_instance_backups(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    uuids = select(
        ctx,
        store.service_instance_backups,
        {
            "backup": (param(ctx, req, "backup", unconfirmed=True), store.backups),
            "service_instance": (
                param(ctx, req, "service_instance", unconfirmed=True),
                store.service_instances,
            ),
        },
    )
    rows = store.service_instance_backups.rows
    return encoded_page(req, uuids, lambda u: s.encoded_service_instance_backup(ctx, rows[u]))


def get_service_instance_backup(ctx: Context, req: ApiRequest) -> Response:
    sib = get_or_404(
        ctx, ctx.store.service_instance_backups, req.params["uuid"], "ServiceInstanceBackup"
    )
    return ok(s.service_instance_backup(ctx, sib))


def _usable_parts(
    ctx: Context, fields: Fields, name: str, backup: r.Backup | None, uuids: list[str]
) -> list[r.ServiceInstanceBackup]:
    """Service-instance backups of ``backup`` that ended without errors; errors for the rest."""
    found = []
    find = lookup(ctx, ctx.store.service_instance_backups)
    for uuid in uuids:
        sib = find(uuid)
        if sib is None:
            fields.error(name, does_not_exist(uuid))
        elif backup is not None and sib.backup != backup.uuid:
            fields.error(name, f"Service instance backup {uuid} does not belong to the backup.")
        elif not actions.usable_sib(sib, ctx.now):
            fields.error(name, f"Service instance backup {uuid} has not completed successfully.")
        else:
            found.append(sib)
    return found


def create_backup_download(ctx: Context, req: ApiRequest) -> Response:
    fields = Fields(req.body())
    backup = fields.reference("backup", lookup(ctx, ctx.store.backups))
    requested = fields.references("service_instance_backups", lambda uuid: uuid)
    trigger = fields.choice("trigger", DOWNLOAD_TRIGGERS, default="MANUAL")
    sibs = _usable_parts(ctx, fields, "service_instance_backups", backup, requested)
    fields.check()
    assert backup is not None
    download = actions.create_download(ctx.store, backup, sibs, trigger, ctx.now)
    return created(s.backup_download(download))


def list_download_instances(ctx: Context, req: ApiRequest) -> Response:
    """Filtered by ``backup``, which takes the *backup-download* uuid (api-notes §6.6)."""
    store = ctx.store
    table = store.backup_download_service_instances
    uuids = select(ctx, table, {"download": (param(ctx, req, "backup"), store.backup_downloads)})
    return page(ctx, req, uuids, lambda u: s.backup_download_service_instance(ctx, table.rows[u]))


def get_download_instance(ctx: Context, req: ApiRequest) -> Response:
    item = get_or_404(
        ctx,
        ctx.store.backup_download_service_instances,
        req.params["uuid"],
        "BackupDownloadServiceInstance",
    )
    return ok(s.backup_download_service_instance(ctx, item))


def create_backup_restore(ctx: Context, req: ApiRequest) -> Response:
    fields = Fields(req.body())
    backup = fields.reference("backup", lookup(ctx, ctx.store.backups))
    requested = fields.objects("service_instance_restores", "service_instance_backup")
    notes = fields.string("notes", required=False, allow_blank=True, allow_null=True)
    sibs = _usable_parts(ctx, fields, "service_instance_restores", backup, requested)
    fields.check()
    assert backup is not None
    restore = actions.create_restore(
        ctx.store, backup, sibs, notes, ctx.now, ctx.knobs.failure_rate
    )
    return created(s.backup_restore(ctx, restore))


def get_backup_restore(ctx: Context, req: ApiRequest) -> Response:
    restore = get_or_404(ctx, ctx.store.backup_restores, req.params["uuid"], "BackupRestore")
    return ok(s.backup_restore(ctx, restore))
