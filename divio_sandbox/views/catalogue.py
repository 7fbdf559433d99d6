"""Service instances, the catalogue (regions, services, templates), IAM, and the thin resources."""

import re

from starlette.responses import Response

from divio_sandbox import actions
from divio_sandbox import serializers as s
from divio_sandbox.context import Context
from divio_sandbox.responses import not_found
from divio_sandbox.routing import ApiRequest, Router
from divio_sandbox.validation import Fields
from divio_sandbox.views.common import created, get_or_404, lookup, ok, page, param, select

PREFIX = re.compile(r"^[A-Z][A-Z0-9_]*$")


def register(router: Router) -> None:
    router.add("/apps/v3/service-instances/", "GET", list_service_instances)
    router.add("/apps/v3/service-instances/", "POST", create_service_instance)
    router.add("/apps/v3/service-instances/{uuid}/", "GET", get_service_instance)
    router.add("/apps/v3/regions/", "GET", list_regions)
    router.add("/apps/v3/services/", "GET", list_services)
    router.add("/apps/v3/app-templates/", "GET", list_app_templates)
    router.add("/apps/v3/app-templates/{uuid}/", "GET", get_app_template)
    router.add("/apps/v3/builds/", "GET", list_builds)
    router.add("/apps/v3/domains/", "GET", list_domains)
    router.add("/apps/v3/patches/", "GET", list_patches)
    router.add("/apps/v3/invoices/", "GET", list_invoices)
    router.add("/iam/v3/me/", "GET", current_user)
    router.add("/iam/v3/organisations/", "GET", list_organisations)
    router.add("/iam/v3/organisations/{uuid}/", "GET", get_organisation)


def list_service_instances(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    uuids = select(
        ctx,
        store.service_instances,
        {"environment": (param(ctx, req, "environment"), store.environments)},
    )
    rows = store.service_instances.rows
    return page(ctx, req, uuids, lambda u: s.service_instance(ctx, rows[u]))


def get_service_instance(ctx: Context, req: ApiRequest) -> Response:
    instance = get_or_404(ctx, ctx.store.service_instances, req.params["uuid"], "ServiceInstance")
    return ok(s.service_instance(ctx, instance))


def create_service_instance(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    fields = Fields(req.body())
    env = fields.reference("environment", lookup(ctx, store.environments))
    region = fields.reference("region", store.regions.get)
    service = fields.reference("service", store.services.get)
    prefix = fields.string("prefix", required=False, default="DEFAULT")
    if prefix is not None and not PREFIX.match(prefix):
        fields.error(
            "prefix", "Use upper-case letters, digits and underscores, starting with a letter."
        )
    if not fields.errors and env and region and service and prefix:
        taken = (
            store.service_instances.rows[u]
            for u in store.service_instances.select({"environment": env.uuid})
        )
        if service.region != region.uuid:
            fields.error("non_field_errors", "The service is not available in this region.")
        elif any(i.type == service.type and i.prefix == prefix for i in taken):
            fields.error(
                "non_field_errors",
                f"The environment already has a {service.type} service instance "
                f"with the prefix {prefix}.",
            )
    fields.check()
    assert env is not None
    assert service is not None
    assert prefix is not None
    instance = actions.create_service_instance(store, env, service, prefix, ctx.now)
    return created(s.service_instance(ctx, instance))


def list_regions(ctx: Context, req: ApiRequest) -> Response:
    table = ctx.store.regions
    wanted = {value for value in req.query.getlist("uuid") if value}
    uuids = table.select({}, (lambda x: x.uuid in wanted) if wanted else None)
    return page(ctx, req, uuids, lambda u: s.region(table.rows[u]))


def list_services(ctx: Context, req: ApiRequest) -> Response:
    """Filters: ``region``, and ``website`` (an application: the services of its region)."""
    store = ctx.store
    region = param(ctx, req, "region")
    website = param(ctx, req, "website")
    if website is not None:
        app = lookup(ctx, store.applications)(website)
        if app is None or (region is not None and region != app.region):
            return page(ctx, req, [], str)
        region = app.region
    uuids = store.services.select({} if region is None else {"region": region})
    return page(ctx, req, uuids, lambda u: s.service(store.services.rows[u]))


def list_app_templates(ctx: Context, req: ApiRequest) -> Response:
    table = ctx.store.app_templates
    return page(ctx, req, table.select({}), lambda u: s.app_template(table.rows[u]))


def get_app_template(ctx: Context, req: ApiRequest) -> Response:
    template = ctx.store.app_templates.get(req.params["uuid"])
    if template is None:
        raise not_found("AppTemplate")
    return ok(s.app_template_detail(template))


def list_builds(ctx: Context, req: ApiRequest) -> Response:
    table = ctx.store.builds
    return page(ctx, req, select(ctx, table, {}), lambda u: s.build(table.rows[u]))


def list_domains(ctx: Context, req: ApiRequest) -> Response:
    table = ctx.store.domains
    return page(ctx, req, select(ctx, table, {}), lambda u: s.domain(table.rows[u]))


def list_patches(ctx: Context, req: ApiRequest) -> Response:
    table = ctx.store.patches
    return page(ctx, req, select(ctx, table, {}), lambda u: s.patch(table.rows[u]))


def list_invoices(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    uuids = select(
        ctx,
        store.invoices,
        {"organisation": (param(ctx, req, "organisation"), store.organisations)},
    )
    return page(ctx, req, uuids, lambda u: s.invoice(ctx, store.invoices.rows[u]))


def current_user(ctx: Context, req: ApiRequest) -> Response:
    return ok(s.user(ctx.user))


def list_organisations(ctx: Context, req: ApiRequest) -> Response:
    table = ctx.store.organisations
    return page(ctx, req, select(ctx, table, {}), lambda u: s.organisation(table.rows[u]))


def get_organisation(ctx: Context, req: ApiRequest) -> Response:
    org = get_or_404(ctx, ctx.store.organisations, req.params["uuid"], "Organisation")
    return ok(s.organisation(org))
