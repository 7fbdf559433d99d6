"""Write ``openapi.json``: the Divio API spec reconstructed from public facts.

The published schema (https://api.divio.com/apps/v3/schema.json) cannot be downloaded from
every machine, so this script rebuilds an OpenAPI 3.0 document from public sources: Divio's
documentation and ReDoc pages, the requests and field reads of the official Divio CLI and of
Divio's helper scripts, and real response bodies that a public Divio test application's CI
scripts saved (2021-2022). Each group of components below says where it comes from.

It deliberately writes the document in the shape drf-spectacular emits for a Django REST
Framework API (``Paginated<Name>List`` envelopes, ``<Name>Request`` split components, three
request content types, ``oneOf: [XEnum, NullEnum]`` for nullable choices), so that the
pre-processing and generation pipeline is exercised on the same shape the real schema has.

Where the facts are unsure, the schema is lenient: a value set known to be incomplete is a
plain string (observed values in the description), an ambiguous type is left untyped, and
only ``uuid`` and the relations every real body carries are required: list items leave out
some of the fields details have, so no other field may be required.

Usage: ``python scripts/reconstruct_spec.py [--output openapi.json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

Schema = dict[str, Any]

REPO_ROOT = Path(__file__).resolve().parent.parent

DESCRIPTION = """\
**This document is a reconstruction, not the published schema.** The Divio Cloud API publishes
its OpenAPI schema at https://api.divio.com/apps/v3/schema.json (and one per API family), but it
could not be downloaded where divio-ext was built. This spec was therefore rebuilt by hand from
public sources: Divio's documentation (how-to/use-api, the ReDoc API pages), the requests and
response fields used by the official Divio CLI (divio/divio-cli) and Divio's helper scripts, and
real response bodies saved by a public Divio test application's CI scripts (2021-2022: a
deployment's detail and create answers, an environment list page). Every resource, field and
filter comes from those sources; where they are unsure the schema is lenient (plain strings
instead of enums, optional fields, untyped values). Fields are required only where every body
of every operation that returns the component carries them (ids and core relations): the real
bodies show list items leaving out fields that details have. Filters marked "(unconfirmed)" are
sent by divio-ext but no public source shows that the server applies them.

As in drf-spectacular's default output, only success responses are declared. Errors follow
Django REST Framework: `{"detail": "..."}` for 401, 403, 404, 405 and 429, and a dictionary of
field name (or `non_field_errors`) to messages for 400.

Run `make spec` wherever the network allows: it downloads the published schemas of the apps and
IAM families, merges them and replaces this file. divio-ext relies only on operation ids, tags
and field names that the public sources confirm, so it keeps working with the published schema.
"""

PAGE_PARAMS: list[Schema] = [
    {
        "name": "page",
        "required": False,
        "in": "query",
        "description": "A page number within the paginated result set.",
        "schema": {"type": "integer"},
    },
    {
        "name": "page_size",
        "required": False,
        "in": "query",
        "description": "Number of results to return per page.",
        "schema": {"type": "integer"},
    },
]

TOKEN = [{"Token": []}]

# ---------------------------------------------------------------------------------------------
# Field helpers: each returns a JSON schema fragment.


def string(
    description: str = "",
    *,
    nullable: bool = False,
    fmt: str | None = None,
    read_only: bool = False,
    write_only: bool = False,
) -> Schema:
    schema: Schema = {"type": "string"}
    if fmt:
        schema["format"] = fmt
    if description:
        schema["description"] = description
    if nullable:
        schema["nullable"] = True
    if read_only:
        schema["readOnly"] = True
    if write_only:
        schema["writeOnly"] = True
    return schema


def ident(description: str = "", *, nullable: bool = False, read_only: bool = False) -> Schema:
    """A Divio identifier: a 26-character base32 string, not an RFC-4122 UUID."""
    return string(description, nullable=nullable, read_only=read_only)


def datetime(description: str = "", *, nullable: bool = False) -> Schema:
    return string(description, nullable=nullable, fmt="date-time", read_only=True)


def integer(description: str = "", *, nullable: bool = False, read_only: bool = False) -> Schema:
    schema: Schema = {"type": "integer"}
    if description:
        schema["description"] = description
    if nullable:
        schema["nullable"] = True
    if read_only:
        schema["readOnly"] = True
    return schema


def boolean(description: str = "", *, nullable: bool = False, read_only: bool = False) -> Schema:
    schema: Schema = {"type": "boolean"}
    if description:
        schema["description"] = description
    if nullable:
        schema["nullable"] = True
    if read_only:
        schema["readOnly"] = True
    return schema


def array(
    items: Schema, description: str = "", *, nullable: bool = False, read_only: bool = False
) -> Schema:
    schema: Schema = {"type": "array", "items": items}
    if description:
        schema["description"] = description
    if nullable:
        schema["nullable"] = True
    if read_only:
        schema["readOnly"] = True
    return schema


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable_ref(name: str) -> Schema:
    """A nullable object reference, as drf-spectacular writes it."""
    return {"allOf": [ref(name)], "nullable": True}


def nullable_enum(name: str) -> Schema:
    """A nullable choice field, as drf-spectacular writes it (``NullEnum`` alternative)."""
    return {"oneOf": [ref(name), ref("NullEnum")]}


def untyped(description: str) -> Schema:
    """A value whose type the sources disagree on: any JSON value."""
    return {"description": description, "nullable": True}


def obj(
    properties: dict[str, Schema],
    required: list[str] | None = None,
    description: str = "",
    *,
    free_form: bool = False,
) -> Schema:
    schema: Schema = {"type": "object"}
    if description:
        schema["description"] = description
    schema["properties"] = properties
    if required:
        schema["required"] = sorted(required)
    if free_form:
        schema["additionalProperties"] = {}
    return schema


def enum(values: list[str], description: str) -> Schema:
    lines = "\n".join(f"* `{value}` - {value.title()}" for value in values)
    return {"enum": values, "type": "string", "description": f"{description}\n\n{lines}"}


# ---------------------------------------------------------------------------------------------
# Components, grouped by resource; each group's comment names its sources.

ENUMS: dict[str, Schema] = {
    "BuildModeEnum": enum(["AUTO", "ADOPT", "FORCE"], "How a deployment builds."),
    "SuccessEnum": enum(
        ["SUCCESS", "PARTIAL", "FAILURE"],
        "Outcome of a finished backup or restore.",
    ),
    "TriggerEnum": enum(
        ["PULL", "MANUAL"], "PULL prepares a download; MANUAL also e-mails a link."
    ),
    "StateEnum": enum(["CLONING", "CLONED", "INVALID"], "Repository clone state."),
    "KeyTypeEnum": enum(["ED25519", "ECDSA", "RSA"], "SSH deploy key type."),
    "NullEnum": {"enum": [None]},
}

RELEASE_COMMAND = obj({"label": string(), "command": string()}, ["label", "command"])

MODELS: dict[str, Schema] = {
    # Root index: the example body in Divio's how-to/use-api documentation
    "ApiRoot": obj(
        {
            name: string(fmt="uri")
            for name in (
                "applications",
                "environments",
                "domains",
                "patches",
                "repositories",
                "serviceinstances",
                "deployments",
                "builds",
                "regions",
            )
        },
        description="Index of the collections (old and incomplete).",
        free_form=True,
    ),
    # Applications: the Divio CLI's requests and table columns
    "Application": obj(
        {
            "uuid": ident(read_only=True),
            "slug": string(),
            "name": string(),
            "organisation": ident("The organisation that owns the application."),
            "repository": ident(
                "External git repository; null means Divio-hosted git.", nullable=True
            ),
        },
        ["uuid", "organisation"],
    ),
    "ApplicationRequest": obj(
        {
            "name": string(),
            "slug": string(),
            "organisation": ident(),
            "plan_group": ident("Billing plan group."),
            "region": ident(),
            "app_template": string(
                "Git URL of an app template repository.", nullable=True, fmt="uri"
            ),
            "release_commands": array(ref("ReleaseCommand"), nullable=True),
            "repository": ident(nullable=True),
            "branch": string("Git branch; used for Divio-hosted git."),
        },
        ["name", "slug", "organisation", "plan_group", "region"],
    ),
    "ReleaseCommand": RELEASE_COMMAND,
    "ReleaseCommandRequest": RELEASE_COMMAND,
    # Environments: the Divio CLI, Divio's CI script, real bodies of a test application
    "Environment": obj(
        {
            "uuid": ident(read_only=True),
            "application": ident(),
            "app_name": string(
                "Internal name of the environment's app, e.g. `<slug>-<env>-<hex>`.",
                read_only=True,
            ),
            "slug": string("`test`, `live` or a custom slug."),
            "branch": string("Git branch deployed to this environment."),
            "primary_domain": ident("The primary domain; null when none is set.", nullable=True),
            "pending_commits_lookup": string(
                "`<deployed commit>..<branch>`: the commits not deployed yet.",
                nullable=True,
                read_only=True,
            ),
            "ondemand_backup_retention_config": ident(
                "Retention rules of on-demand backups.", nullable=True, read_only=True
            ),
            "scheduled_backup_config": ident(
                "Schedule of automatic backups.", nullable=True, read_only=True
            ),
            "environment_variables": array(
                string(), "Names of the environment's variables (no values).", read_only=True
            ),
            "is_production_grade": boolean(read_only=True),
            "last_finished_deployment": {
                **nullable_ref("DeploymentReference"),
                "description": "Detail only (list items leave it out); null: never deployed.",
            },
            "ssh_endpoint": {
                **nullable_ref("SshEndpoint"),
                "description": "Detail only (list items leave it out).",
            },
            "deployed_url": string(
                "Detail only; read once by the Divio CLI, unconfirmed.",
                nullable=True,
                fmt="uri",
                read_only=True,
            ),
        },
        ["uuid", "application"],
    ),
    "EnvironmentRequest": obj(
        {"application": ident(), "slug": string(), "branch": string()}, ["application", "slug"]
    ),
    "DeploymentReference": obj({"uuid": ident()}, ["uuid"]),
    "SshEndpoint": obj({"host": string(), "port": integer(), "user": string()}),
    "PatchedEnvironmentRequest": obj({"branch": string()}),
    "EnvironmentCopyRequest": obj({"new_slug": string()}, ["new_slug"]),
    # Runtime logs: the Divio CLI and Divio's log export script
    "LogEntry": obj(
        {
            "timestamp": datetime(),
            "service": string("e.g. `web`, `cronjob`, `shell`, `worker`."),
            "message": string("May contain carriage returns and terminal escapes."),
        }
    ),
    # Deployments: the Divio CLI, Divio's CI script, real bodies of a test application
    "Deployment": obj(
        {
            "uuid": ident(read_only=True),
            "environment": ident(),
            "region": ident(read_only=True),
            "started_at": datetime(nullable=True),
            "ended_at": datetime("Null while the deployment runs.", nullable=True),
            "status": string(
                "Progress text; values not documented (`done` seen when finished).", nullable=True
            ),
            "is_usable": boolean(nullable=True, read_only=True),
            "success": boolean("Null until finished.", nullable=True, read_only=True),
            "percent": {
                "type": "number",
                "nullable": True,
                "readOnly": True,
                "description": "Progress, 0 to 100; read by the Divio CLI when present, absent "
                "from the real bodies seen.",
            },
            "environment_variables": untyped("Names of the variables of this deployment."),
            "author": ident(
                "Account that started it (no longer in list views).", nullable=True, read_only=True
            ),
        },
        ["uuid", "environment"],
    ),
    "DeploymentCreate": obj(
        {
            "uuid": ident(read_only=True),
            "environment": ident(),
            "build_mode": ref("BuildModeEnum"),
        },
        ["uuid", "environment"],
        "The short answer of a create: read the deployment's detail for its progress.",
    ),
    "DeploymentCreateRequest": obj(
        {"environment": ident(), "build_mode": ref("BuildModeEnum")}, ["environment"]
    ),
    "DeploymentLog": obj({"uuid": ident(read_only=True), "logs": string()}, ["uuid"]),
    "DeploymentEnvironmentVariables": obj(
        {
            "environment": ident(),
            "environment_variables": {
                "type": "object",
                "additionalProperties": {"type": "string", "nullable": True},
                "description": "Variable name to value.",
            },
        },
        ["environment"],
        free_form=True,
    ),
    # Environment variables: the Divio CLI
    "EnvironmentVariable": obj(
        {
            "uuid": ident(read_only=True),
            "environment": ident(),
            "name": string(),
            "value": string("Hidden (null) for sensitive variables.", nullable=True),
            "is_sensitive": boolean(),
        },
        ["environment"],
    ),
    # Service catalogue: the Divio CLI
    "Service": obj(
        {
            "uuid": ident(read_only=True),
            "name": string(),
            "type": string("Service kind, e.g. `DATABASE`, `STORAGE`."),
            "description": string(),
            "identifier": string(),
        },
        ["uuid"],
    ),
    # Service instances: the Divio CLI
    "ServiceInstance": obj(
        {
            "uuid": ident(read_only=True),
            "environment": ident(),
            "service": ident(),
            "region": ident(),
            "prefix": string("Upper-case prefix of the environment variables, e.g. `DEFAULT`."),
            "type": string("Observed `DATABASE`, `STORAGE`; other kinds exist.", read_only=True),
            "service_status": string(
                "Observed `NEW`; other lifecycle values exist.", read_only=True
            ),
        },
        ["uuid", "environment", "service", "region"],
    ),
    "ServiceInstanceRequest": obj(
        {"environment": ident(), "region": ident(), "service": ident(), "prefix": string()},
        ["environment", "region", "service"],
    ),
    # Regions: the Divio CLI
    "Region": obj({"uuid": ident(read_only=True), "name": string()}, ["uuid"]),
    # App templates: the ReDoc samples, plus the `url` the Divio CLI reads
    "AppTemplate": obj(
        {
            "uuid": ident(read_only=True),
            "identifier": string(),
            "name": string(),
            "short_description": string(),
            "is_default": boolean(),
            "order": integer(),
            "url": string("Git URL of the template (read by the Divio CLI).", fmt="uri"),
        },
        ["uuid"],
    ),
    "AppTemplateDetail": obj(
        {
            "uuid": ident(read_only=True),
            "identifier": string(),
            "name": string(),
            "short_description": string(),
            "is_default": boolean(),
            "order": integer(),
            "url": string(fmt="uri"),
            "icon_dark_mode": string(fmt="uri", nullable=True),
            "release_commands": array(ref("ReleaseCommand")),
            "services": array(ref("AppTemplateService")),
            "tags": array(ref("AppTemplateTag")),
        },
        ["uuid"],
    ),
    "AppTemplateService": obj({"identifier": string(), "prefix": string()}),
    "AppTemplateTag": obj({"name": string(), "value": string()}),
    # Application activities: the ReDoc samples
    "ApplicationActivity": obj(
        {
            "uuid": ident(read_only=True),
            "application": ident(),
            "organisation": ident(),
            "created_at": datetime(),
            "user": ident(nullable=True),
            "impersonated": boolean(),
            "description": string(),
            "type": string(),
            "context": {"type": "object", "additionalProperties": {}, "nullable": True},
            "user_name": string(),
            "user_email": string(),
            "user_is_removed": boolean(),
        },
        ["uuid", "application"],
    ),
    # Repositories: the Divio CLI's app-creation wizard
    "Repository": obj(
        {
            "uuid": ident(read_only=True),
            "organisation": ident(),
            "url": string(),
            "state": nullable_enum("StateEnum"),
            "dsn": string("Git URL used for cloning.", read_only=True),
            "auth_info": untyped("For SSH: the public key to add as a deploy key."),
        },
        ["uuid"],
    ),
    "RepositoryRequest": obj(
        {
            "organisation": ident(),
            "url": string(),
            "key_type": ref("KeyTypeEnum"),
            "username": string(write_only=True),
            "password": string(write_only=True),
        },
        ["organisation", "url"],
    ),
    "RepositoryCheckRequest": obj({"branch": string(), "migrate": boolean()}),
    "RepositoryCheck": obj({"code": string("`success` when the check passed.")}, free_form=True),
    # Backups: the Divio CLI and the how-to/use-api documentation
    "Backup": obj(
        {
            "uuid": ident(read_only=True),
            "environment": ident(),
            "state": string("Observed `WORKING` and `COMPLETED` (terminal).", read_only=True),
            "success": nullable_enum("SuccessEnum"),
            "service_instance_backups": array(ident(), read_only=True),
            "trigger": string("Observed `MANUAL`; scheduled backups use other values."),
            "notes": string(nullable=True),
            "scheduled_for_deletion_at": string(nullable=True, fmt="date-time"),
        },
        ["uuid", "environment"],
    ),
    "BackupRequest": obj(
        {
            "environment": ident(),
            "services": array(ident(), "Service instances to back up."),
            "trigger": string("The Divio CLI sends `MANUAL`."),
            "notes": string(nullable=True),
            "scheduled_for_deletion_at": string(nullable=True, fmt="date-time"),
        },
        ["environment", "services"],
    ),
    # Backup uploads: the Divio CLI and its unit-test fixtures
    "BackupUploadRequest": obj(
        {
            "environment": ident(),
            "services": array(ident()),
            "notes": string(nullable=True),
            "scheduled_for_deletion_at": string(nullable=True, fmt="date-time"),
        },
        ["environment", "services"],
    ),
    "BackupUpload": obj(
        {
            "uuid": ident("The backup being created.", read_only=True),
            "results": {
                "type": "object",
                "additionalProperties": ref("BackupUploadTarget"),
                "description": "Upload target per service-instance uuid.",
            },
        },
        ["uuid"],
    ),
    "BackupUploadTarget": obj(
        {
            "handler": string("`s3-sts-v1`, `az-sas-v1` or `exo-presigned-v1`."),
            "finish_url": string(fmt="uri"),
            "upload_parameters": {"type": "object", "additionalProperties": {}},
        }
    ),
    # Service-instance backups: the documented example body and the Divio CLI
    "ServiceInstanceBackup": obj(
        {
            "uuid": ident(read_only=True),
            "backup": ident(),
            "service_instance": ident(),
            "queued_at": datetime(nullable=True),
            "started_at": datetime(nullable=True),
            "ended_at": datetime("Null while running.", nullable=True),
            "taken_at": datetime(nullable=True),
            "size": integer("Bytes.", nullable=True, read_only=True),
            "errors": untyped("Empty or null means no error (list or string)."),
            "service_type": string("Observed `DATABASE`, `STORAGE`.", read_only=True),
        },
        ["uuid", "backup", "service_instance"],
    ),
    # Backup downloads: the Divio CLI
    "BackupDownload": obj(
        {
            "uuid": ident(read_only=True),
            "backup": ident(),
            "service_instance_backups": array(ident()),
            "trigger": ref("TriggerEnum"),
        },
        ["uuid"],
    ),
    "BackupDownloadRequest": obj(
        {
            "backup": ident(),
            "service_instance_backups": array(ident()),
            "trigger": ref("TriggerEnum"),
        },
        ["backup", "service_instance_backups"],
    ),
    # Prepared downloads: the Divio CLI
    "BackupDownloadServiceInstance": obj(
        {
            "uuid": ident(read_only=True),
            "ended_at": datetime("Null while the download is prepared.", nullable=True),
            "errors": untyped("Empty or null means no error (list or string)."),
            "download_url": string(
                "Fetched without authentication.", nullable=True, fmt="uri", read_only=True
            ),
        },
        ["uuid"],
    ),
    # Restores: the Divio CLI
    "BackupRestore": obj(
        {
            "uuid": ident(read_only=True),
            "backup": ident(),
            "service_instance_restores": array(ref("ServiceInstanceRestore")),
            "notes": string(nullable=True),
            "finished": boolean(read_only=True),
            "success": nullable_enum("SuccessEnum"),
        },
        ["uuid"],
    ),
    "BackupRestoreRequest": obj(
        {
            "backup": ident(),
            "service_instance_restores": array(ref("ServiceInstanceRestoreRequest")),
            "notes": string(nullable=True),
        },
        ["backup", "service_instance_restores"],
    ),
    "ServiceInstanceRestore": obj(
        {"service_instance_backup": ident()}, ["service_instance_backup"]
    ),
    "ServiceInstanceRestoreRequest": obj(
        {"service_instance_backup": ident()}, ["service_instance_backup"]
    ),
    # Domains, builds, patches: only the root index names them
    "Domain": obj(
        {"uuid": ident(read_only=True)}, ["uuid"], "Fields not documented.", free_form=True
    ),
    "Build": obj(
        {"uuid": ident(read_only=True)}, ["uuid"], "Fields not documented.", free_form=True
    ),
    "Patch": obj(
        {"uuid": ident(read_only=True)}, ["uuid"], "Fields not documented.", free_form=True
    ),
    # Invoices: Divio's invoice script
    "Invoice": obj(
        {"uuid": ident(read_only=True), "number": string(), "receipt": string(fmt="uri")},
        ["uuid"],
    ),
    # IAM user: the ReDoc samples and the Divio CLI
    "User": obj(
        {
            "uuid": ident(read_only=True),
            "first_name": string(),
            "last_name": string(),
            "email": string(fmt="email"),
            "created_at": datetime(),
            "timezone": string(),
        },
        ["uuid"],
    ),
    # IAM organisations: the Divio CLI
    "Organisation": obj(
        {"uuid": ident(read_only=True), "name": string(), "created_at": datetime()},
        ["uuid"],
    ),
}

# ---------------------------------------------------------------------------------------------
# Operations.


def query(
    name: str, description: str, schema: Schema | None = None, *, explode: bool = False
) -> Schema:
    param: Schema = {
        "in": "query",
        "name": name,
        "schema": schema or {"type": "string"},
        "description": description,
    }
    if explode:
        param["explode"] = True
        param["style"] = "form"
    return param


def path_uuid(noun: str) -> Schema:
    return {
        "in": "path",
        "name": "uuid",
        "schema": {"type": "string"},
        "description": f"A UUID string identifying this {noun}.",
        "required": True,
    }


def json_response(schema: Schema, status: str = "200") -> dict[str, Schema]:
    return {status: {"content": {"application/json": {"schema": schema}}, "description": ""}}


def request_body(name: str, *, required: bool = True) -> Schema:
    content = {
        media: {"schema": ref(name)}
        for media in (
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
    }
    body: Schema = {"content": content}
    if required:
        body["required"] = True
    return body


class Api:
    """Collects operations into the ``paths`` object."""

    def __init__(self) -> None:
        self.paths: dict[str, dict[str, Schema]] = {}
        self.paginated: set[str] = set()

    def add(
        self,
        method: str,
        path: str,
        operation_id: str,
        tag: str,
        responses: dict[str, Schema],
        *,
        description: str,
        parameters: list[Schema] | None = None,
        body: Schema | None = None,
        security: list[Any] | None = None,
    ) -> None:
        operation: Schema = {"operationId": operation_id, "description": description}
        if parameters:
            operation["parameters"] = parameters
        operation["tags"] = [tag]
        if body is not None:
            operation["requestBody"] = body
        operation["security"] = TOKEN if security is None else security
        operation["responses"] = responses
        self.paths.setdefault(path, {})[method] = operation

    def list(
        self,
        path: str,
        plural: str,
        tag: str,
        model: str,
        description: str,
        filters: Sequence[Schema] = (),
    ) -> None:
        self.paginated.add(model)
        parameters = sorted([*filters, *PAGE_PARAMS], key=lambda p: p["name"])
        self.add(
            "get",
            path,
            f"List{plural}",
            tag,
            json_response(ref(f"Paginated{model}List")),
            description=description,
            parameters=parameters,
        )

    def get(
        self,
        path: str,
        singular: str,
        tag: str,
        model: str,
        noun: str,
        description: str,
        parameters: Sequence[Schema] = (),
    ) -> None:
        self.add(
            "get",
            path,
            f"Get{singular}",
            tag,
            json_response(ref(model)),
            description=description,
            parameters=[path_uuid(noun), *parameters],
        )

    def create(
        self,
        path: str,
        singular: str,
        tag: str,
        model: str,
        request: str,
        description: str,
        *,
        status: str = "201",
        verb: str = "Create",
        extra: Sequence[Schema] = (),
    ) -> None:
        responses = json_response(ref(model), status)
        self.add(
            "post",
            path,
            f"{verb}{singular}",
            tag,
            responses,
            description=description,
            parameters=list(extra) or None,
            body=request_body(request),
        )


def build_paths() -> Api:
    api = Api()
    uuid_filter = "Filter by {} uuid."
    unconfirmed = " (unconfirmed: no public source shows the server applies it)"

    api.add(
        "get",
        "/apps/v3/",
        "GetApiRoot",
        "api-root",
        json_response(ref("ApiRoot")),
        description="Index of the collections; needs no authentication.",
        security=[],
    )

    # Applications
    api.list(
        "/apps/v3/applications/",
        "Applications",
        "applications",
        "Application",
        "List applications the token can see.",
        [
            query("slug", "Exact slug; 0 or 1 result."),
            query("organisation", uuid_filter.format("organisation")),
            query("name_search", "Substring search on the name."),
        ],
    )
    api.create(
        "/apps/v3/applications/",
        "Application",
        "applications",
        "Application",
        "ApplicationRequest",
        "Create an application (with `test` and `live` environments).",
    )
    api.get(
        "/apps/v3/applications/{uuid}/",
        "Application",
        "applications",
        "Application",
        "application",
        "Get one application.",
    )

    # Environments
    api.list(
        "/apps/v3/environments/",
        "Environments",
        "environments",
        "Environment",
        "List environments. Items leave out `last_finished_deployment` and `ssh_endpoint`: "
        "get the environment for those.",
        [
            query("application", uuid_filter.format("application")),
            query("slug", "Exact environment slug."),
        ],
    )
    api.create(
        "/apps/v3/environments/",
        "Environment",
        "environments",
        "Environment",
        "EnvironmentRequest",
        "Create an environment of an application.",
    )
    api.get(
        "/apps/v3/environments/{uuid}/",
        "Environment",
        "environments",
        "Environment",
        "environment",
        "Get one environment.",
    )
    api.add(
        "patch",
        "/apps/v3/environments/{uuid}/",
        "PartialUpdateEnvironment",
        "environments",
        json_response(ref("Environment")),
        description="Change an environment, e.g. its git branch.",
        parameters=[path_uuid("environment")],
        body=request_body("PatchedEnvironmentRequest", required=False),
    )
    api.create(
        "/apps/v3/environments/{uuid}/copy/",
        "Environment",
        "environments",
        "Environment",
        "EnvironmentCopyRequest",
        "Copy an environment to a new slug.",
        verb="Copy",
        extra=[path_uuid("environment")],
    )
    api.paginated.add("LogEntry")
    api.add(
        "get",
        "/apps/v3/environments/{uuid}/logs/",
        "ListEnvironmentLogs",
        "environments",
        json_response(ref("PaginatedLogEntryList")),
        description="Runtime logs; `next` and `previous` are cursors (follow them as given).",
        parameters=[
            path_uuid("environment"),
            query("from_ts", "Start of the range.", string(fmt="date-time")),
            query("to_ts", "End of the range.", string(fmt="date-time")),
            *PAGE_PARAMS,
        ],
    )

    # Deployments
    api.list(
        "/apps/v3/deployments/",
        "Deployments",
        "deployments",
        "Deployment",
        "List deployments (the Divio CLI takes the first result as the newest).",
        [
            query("application", uuid_filter.format("application")),
            query("environment", uuid_filter.format("environment")),
        ],
    )
    api.create(
        "/apps/v3/deployments/",
        "Deployment",
        "deployments",
        "DeploymentCreate",
        "DeploymentCreateRequest",
        "Start a deployment of an environment (`build_mode` defaults to `AUTO`). The answer "
        "is short: get the deployment to follow it.",
    )
    api.get(
        "/apps/v3/deployments/{uuid}/",
        "Deployment",
        "deployments",
        "Deployment",
        "deployment",
        "Get one deployment; poll it until `ended_at` is set.",
    )
    api.add(
        "get",
        "/apps/v3/deployments/{uuid}/logs/",
        "GetDeploymentLogs",
        "deployments",
        json_response(ref("DeploymentLog")),
        description="Build and deploy log.",
        parameters=[path_uuid("deployment")],
    )
    api.add(
        "get",
        "/apps/v3/deployments/{uuid}/environment-variables/",
        "GetDeploymentEnvironmentVariables",
        "deployments",
        json_response(ref("DeploymentEnvironmentVariables")),
        description="The environment variables a deployment ran with.",
        parameters=[path_uuid("deployment")],
    )

    # Environment variables
    api.list(
        "/apps/v3/environment-variables/",
        "EnvironmentVariables",
        "environment-variables",
        "EnvironmentVariable",
        "List environment variables; `application` or `environment` is required.",
        [
            query("application", uuid_filter.format("application")),
            query(
                "environment",
                "Filter by environment uuid (repeatable).",
                array(string()),
                explode=True,
            ),
            query("name", "Exact variable name."),
        ],
    )

    # Services and service instances
    api.list(
        "/apps/v3/services/",
        "Services",
        "services",
        "Service",
        "The service catalogue.",
        [
            query("region", uuid_filter.format("region")),
            query("website", "Application uuid (old name kept)."),
        ],
    )
    api.list(
        "/apps/v3/service-instances/",
        "ServiceInstances",
        "service-instances",
        "ServiceInstance",
        "List service instances.",
        [query("environment", uuid_filter.format("environment"))],
    )
    api.create(
        "/apps/v3/service-instances/",
        "ServiceInstance",
        "service-instances",
        "ServiceInstance",
        "ServiceInstanceRequest",
        "Add a service to an environment.",
    )
    api.get(
        "/apps/v3/service-instances/{uuid}/",
        "ServiceInstance",
        "service-instances",
        "ServiceInstance",
        "service instance",
        "Get one service instance (DRF detail route; inferred).",
    )

    # Regions and templates
    api.list(
        "/apps/v3/regions/",
        "Regions",
        "regions",
        "Region",
        "List regions.",
        [query("uuid", "Only these regions (repeatable).", array(string()), explode=True)],
    )
    api.list(
        "/apps/v3/app-templates/",
        "AppTemplates",
        "app-templates",
        "AppTemplate",
        "List app templates",
    )
    api.get(
        "/apps/v3/app-templates/{uuid}/",
        "AppTemplate",
        "app-templates",
        "AppTemplateDetail",
        "app template",
        "Get the details of a single app template",
    )

    # Activities
    api.list(
        "/apps/v3/application-activities/",
        "ApplicationActivities",
        "application-activities",
        "ApplicationActivity",
        "List application activities",
        [
            query("application", uuid_filter.format("application")),
            query("organisation", uuid_filter.format("organisation")),
            query("type", "Activity type."),
            query("user_name", "User name."),
            query("avatar_size", "Avatar size."),
        ],
    )
    api.get(
        "/apps/v3/application-activities/{uuid}/",
        "ApplicationActivity",
        "application-activities",
        "ApplicationActivity",
        "application activity",
        "Get the details of a single application activity",
        [query("avatar_size", "Avatar size.")],
    )

    # Repositories
    api.create(
        "/apps/v3/repositories/",
        "Repository",
        "repositories",
        "Repository",
        "RepositoryRequest",
        "Connect an external git repository.",
    )
    api.get(
        "/apps/v3/repositories/{uuid}/",
        "Repository",
        "repositories",
        "Repository",
        "repository",
        "Get one repository; poll `state` after a check.",
    )
    api.create(
        "/apps/v3/repositories/{uuid}/check/",
        "Repository",
        "repositories",
        "RepositoryCheck",
        "RepositoryCheckRequest",
        "Start or repeat the verification; a 4xx body explains a failed check.",
        status="200",
        verb="Check",
        extra=[path_uuid("repository")],
    )

    # Backups
    api.list(
        "/apps/v3/backups/",
        "Backups",
        "backups",
        "Backup",
        "List backups. Docs advise matching `environment` client-side.",
        [
            query("environment", uuid_filter.format("environment") + unconfirmed),
            query("application", uuid_filter.format("application") + unconfirmed),
        ],
    )
    api.create(
        "/apps/v3/backups/",
        "Backup",
        "backups",
        "Backup",
        "BackupRequest",
        "Start an on-demand backup; poll it until `state` is `COMPLETED`.",
    )
    api.get("/apps/v3/backups/{uuid}/", "Backup", "backups", "Backup", "backup", "Get one backup.")
    api.create(
        "/apps/v3/backups/upload/",
        "Backup",
        "backups",
        "BackupUpload",
        "BackupUploadRequest",
        "Create a backup from files you upload.",
        verb="Upload",
    )

    # Service-instance backups
    api.list(
        "/apps/v3/service-instance-backups/",
        "ServiceInstanceBackups",
        "service-instance-backups",
        "ServiceInstanceBackup",
        "List service-instance backups.",
        [
            query("backup", uuid_filter.format("backup") + unconfirmed),
            query("service_instance", uuid_filter.format("service instance") + unconfirmed),
        ],
    )
    api.get(
        "/apps/v3/service-instance-backups/{uuid}/",
        "ServiceInstanceBackup",
        "service-instance-backups",
        "ServiceInstanceBackup",
        "service instance backup",
        "Get one service-instance backup.",
    )

    # Downloads and restores
    api.create(
        "/apps/v3/backup-downloads/",
        "BackupDownload",
        "backup-downloads",
        "BackupDownload",
        "BackupDownloadRequest",
        "Prepare downloads of service-instance backups.",
    )
    api.list(
        "/apps/v3/backup-download-service-instances/",
        "BackupDownloadServiceInstances",
        "backup-download-service-instances",
        "BackupDownloadServiceInstance",
        "List prepared downloads.",
        [query("backup", "Filter by backup-download uuid (not the backup's).")],
    )
    api.get(
        "/apps/v3/backup-download-service-instances/{uuid}/",
        "BackupDownloadServiceInstance",
        "backup-download-service-instances",
        "BackupDownloadServiceInstance",
        "backup download service instance",
        "Get one prepared download; poll until `ended_at` is set.",
    )
    api.create(
        "/apps/v3/backup-restores/",
        "BackupRestore",
        "backup-restores",
        "BackupRestore",
        "BackupRestoreRequest",
        "Restore service-instance backups.",
    )
    api.get(
        "/apps/v3/backup-restores/{uuid}/",
        "BackupRestore",
        "backup-restores",
        "BackupRestore",
        "backup restore",
        "Get one restore; poll until `finished`.",
    )

    # Domains, builds, patches, invoices
    for plural, singular, tag in (
        ("Domains", "Domain", "domains"),
        ("Builds", "Build", "builds"),
        ("Patches", "Patch", "patches"),
    ):
        api.list(
            f"/apps/v3/{tag}/",
            plural,
            tag,
            singular,
            f"List {tag} (only the collection's existence is documented).",
        )
    api.list(
        "/apps/v3/invoices/",
        "Invoices",
        "invoices",
        "Invoice",
        "List invoices.",
        [query("organisation", uuid_filter.format("organisation"))],
    )

    # IAM
    api.add(
        "get",
        "/iam/v3/me/",
        "GetCurrentUser",
        "me",
        json_response(ref("User")),
        description="Get the details of a single user",
        parameters=[query("avatar_size", "Avatar size.")],
    )
    api.list(
        "/iam/v3/organisations/",
        "Organisations",
        "organisations",
        "Organisation",
        "List organisations the user belongs to.",
    )
    api.get(
        "/iam/v3/organisations/{uuid}/",
        "Organisation",
        "organisations",
        "Organisation",
        "organisation",
        "Get one organisation.",
    )
    return api


def paginated(model: str) -> Schema:
    example = "http://api.example.org/accounts/?page=4"
    return {
        "type": "object",
        "required": ["count", "results"],
        "properties": {
            "count": {"type": "integer", "example": 123},
            "next": {"type": "string", "nullable": True, "format": "uri", "example": example},
            "previous": {
                "type": "string",
                "nullable": True,
                "format": "uri",
                "example": example.replace("4", "2"),
            },
            "results": {"type": "array", "items": ref(model)},
        },
    }


def cursor_paginated(model: str) -> Schema:
    schema = paginated(model)
    schema["required"] = ["results"]
    del schema["properties"]["count"]
    return schema


def build_spec() -> Schema:
    api = build_paths()
    schemas: dict[str, Schema] = {**ENUMS, **MODELS}
    for model in api.paginated:
        maker = cursor_paginated if model == "LogEntry" else paginated
        schemas[f"Paginated{model}List"] = maker(model)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Divio Cloud API (v3), reconstructed",
            "version": "3.0.0",
            "description": DESCRIPTION,
            "x-divio-ext-reconstructed": True,
        },
        "servers": [{"url": "https://api.divio.com"}],
        "paths": dict(sorted(api.paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {
                "Token": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": 'Token-based authentication with required prefix "Token"',
                }
            },
        },
    }


def render(spec: Schema) -> str:
    """The one serialisation every spec file in this repository uses."""
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "openapi.json")
    args = parser.parse_args(argv)
    args.output.write_text(render(build_spec()), encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
