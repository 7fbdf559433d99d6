"""Turning what a person types (an application slug, an environment slug) into API objects.

Each lookup sends the server-side filter that makes it one request, and then checks every item
it gets back, so that a server which ignores the filter cannot make it pick the wrong object.
Only when the answer is "not found" does it spend more requests, to say what exists instead.
"""

from __future__ import annotations

import re

from divio_ext.core import errors
from divio_ext.core.contract import (
    APPLICATION,
    APPLICATIONS_LIST,
    ENVIRONMENTS_LIST,
    SERVICE_INSTANCES_LIST,
)
from divio_ext.core.engine import Call, Collect, FindFirst, Plan
from divio_ext.core.errors import (
    AmbiguousServiceInstance,
    ApplicationNotFound,
    EnvironmentNotFound,
    ServiceInstanceNotFound,
)
from divio_ext.resources.models import Application, Environment, ServiceInstance
from divio_ext.resources.selection import text

# Divio ids are 26 lowercase base32 characters; the published spec also shows RFC-4122 ones.
_ID = re.compile(r"[a-z2-7]{26}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
#: How many application slugs an "application not found" message shows.
SHOWN = 10


def _named(kind: str, reference: object) -> None:
    """Refuse, before any request, a reference that is not text: ``None`` or a model passed
    where a slug or uuid is expected would otherwise fail deep in a lookup, or look for an
    object named ``None``."""
    if not isinstance(reference, str):
        raise TypeError(
            f"an {kind} is named by its slug or uuid (str), not {type(reference).__name__}"
        )


def looks_like_id(reference: str) -> bool:
    """Whether ``reference`` could be an object's uuid rather than a slug."""
    return _ID.fullmatch(reference) is not None


def application(reference: str) -> Plan[Application]:
    """The application with this slug or uuid.

    A uuid-looking reference is fetched directly (one request); otherwise, or if that finds
    nothing, the list is searched by ``slug``. Raises :class:`ApplicationNotFound`.
    """
    _named("application", reference)
    if looks_like_id(reference):
        try:
            found: Application = yield Call(APPLICATION, {"uuid": reference})
        except errors.NotFound:
            pass
        else:
            return found
    by_slug: Application | None = yield FindFirst(
        APPLICATIONS_LIST, lambda app: text(app.slug) == reference, {"slug": reference}
    )
    if by_slug is not None:
        return by_slug
    page = yield Call(APPLICATIONS_LIST, {"page_size": SHOWN})
    visible = sorted(text(app.slug) or app.uuid for app in page.results)
    raise ApplicationNotFound(reference, visible=visible, total=page.count)


def application_named(apps: list[Application], reference: str) -> Application | None:
    """The application of ``apps`` that ``reference`` names, by the rule of :func:`application`:
    its uuid first, then its slug."""
    return next((app for app in apps if app.uuid == reference), None) or next(
        (app for app in apps if text(app.slug) == reference), None
    )


def environment_named(envs: list[Environment], reference: str) -> Environment | None:
    """The environment of ``envs`` (one application's) that ``reference`` names, by the rule
    of :func:`environment`: its slug first, then its uuid."""
    return next((env for env in envs if text(env.slug) == reference), None) or next(
        (env for env in envs if env.uuid == reference), None
    )


def environments(app: Application) -> Plan[list[Environment]]:
    """Every environment of ``app`` (filtered by the server, checked here)."""
    found = yield Collect(ENVIRONMENTS_LIST, {"application": app.uuid})
    return [env for env in found if env.application == app.uuid]


def environment(app: Application, reference: str) -> Plan[Environment]:
    """The environment of ``app`` with this slug (``test``, ``live``, a custom one) or uuid.

    Raises :class:`EnvironmentNotFound` listing the slugs the application has.
    """
    _named("environment", reference)
    found: Environment | None = yield FindFirst(
        ENVIRONMENTS_LIST,
        lambda env: env.application == app.uuid and text(env.slug) == reference,
        {"application": app.uuid, "slug": reference},
    )
    if found is not None:
        return found
    every = yield from environments(app)
    named = environment_named(every, reference)
    if named is not None:
        return named
    raise EnvironmentNotFound(
        text(app.slug) or app.uuid,
        reference,
        available=sorted(text(env.slug) or env.uuid for env in every),
    )


def service_instances(env: Environment) -> Plan[list[ServiceInstance]]:
    """Every service instance of ``env`` (filtered by the server, checked here)."""
    found = yield Collect(SERVICE_INSTANCES_LIST, {"environment": env.uuid})
    return [instance for instance in found if instance.environment == env.uuid]


def service_kind(instance: ServiceInstance) -> tuple[str, str]:
    """A service instance's type and prefix as text (``?`` where the API gave none): how an
    instance is named to people, since one environment may have two of one type."""
    return text(instance.type_) or "?", text(instance.prefix) or "?"


def same_service(kind: object, prefix: object, service_type: str, wanted_prefix: str) -> bool:
    """Whether a service instance's type ``kind`` and ``prefix`` (as the API gave them) are
    ``service_type`` and ``wanted_prefix``, in any case: the API spells them in upper case, and
    the command line accepts ``--type database``."""
    return ((text(kind) or "").upper(), (text(prefix) or "").upper()) == (
        service_type.upper(),
        wanted_prefix.upper(),
    )


def pick_service_instance(
    instances: list[ServiceInstance], service_type: str, prefix: str, *, where: str
) -> ServiceInstance:
    """The one instance of ``service_type`` with ``prefix`` among ``instances``.

    Raises :class:`ServiceInstanceNotFound` (listing the pairs that exist) or
    :class:`AmbiguousServiceInstance`; ``where`` names the environment in those messages. One
    instance listed twice (a list that shifted while it was read) is one instance, as listed
    last. Type and prefix are matched in any case (:func:`same_service`).
    """
    matching = list(
        {
            instance.uuid: instance
            for instance in instances
            if same_service(instance.type_, instance.prefix, service_type, prefix)
        }.values()
    )
    if len(matching) == 1:
        return matching[0]
    if not matching:
        pairs = sorted({service_kind(instance) for instance in instances})
        raise ServiceInstanceNotFound(where, service_type, prefix, available=pairs)
    uuids = ", ".join(sorted(instance.uuid for instance in matching))
    raise AmbiguousServiceInstance(
        f"environment {where} has {len(matching)} {service_type} service instances with prefix "
        f"{prefix} ({uuids}), so it is not clear which one is meant"
    )
