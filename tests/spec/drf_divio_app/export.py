"""Export the throwaway app's schemas and real responses: ``python -m drf_divio_app.export DIR``.

Runs in its own process (Django keeps global state). Writes, for each API family and for
drf-spectacular with and without ``COMPONENT_SPLIT_REQUEST``, ``<family>-<split|plain>.json``,
and ``responses.json``: real answers of the app (operation id -> JSON body) served through
DRF's test client with token authentication, so the generated client is proven on what DRF
actually sends, not on what we think it sends.
"""

import json
import sys
from pathlib import Path
from typing import Any

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="throwaway-test-app",
    ALLOWED_HOSTS=["testserver"],
    ROOT_URLCONF="drf_divio_app.views",
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "rest_framework",
        "rest_framework.authtoken",
        "drf_spectacular",
        "drf_divio_app",
    ],
    USE_TZ=True,
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    REST_FRAMEWORK={
        "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_PAGINATION_CLASS": "drf_divio_app.pagination.DivioPagination",
        "DEFAULT_SCHEMA_CLASS": "drf_divio_app.views.DivioStyleSchema",
    },
    SPECTACULAR_SETTINGS={"VERSION": "3.0.0"},
)
django.setup()

from django.core.management import call_command  # noqa: E402 - needs django.setup()
from django.utils import timezone  # noqa: E402
from drf_spectacular.generators import SchemaGenerator  # noqa: E402
from drf_spectacular.renderers import OpenApiJsonRenderer  # noqa: E402
from drf_spectacular.settings import patched_settings  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from drf_divio_app import models, views  # noqa: E402

FAMILIES = {"apps": ("Applications management", views.APPS), "iam": ("IAM", views.IAM)}


def export_schemas(folder: Path) -> None:
    for split in (True, False):
        for family, (title, patterns) in FAMILIES.items():
            patches = {"COMPONENT_SPLIT_REQUEST": split, "TITLE": f"Divio-like API - {title}"}
            with patched_settings(patches):
                schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
            name = f"{family}-{'split' if split else 'plain'}.json"
            (folder / name).write_bytes(OpenApiJsonRenderer().render(schema))


def seed() -> str:
    """Create an organisation with one application and three environment states; return a token."""
    user = django.contrib.auth.get_user_model().objects.create_user(
        "alice", email="alice@example.org"
    )
    organisation = models.Organisation.objects.create(name="Example")
    application = models.Application.objects.create(
        slug="example-application", name="Example", organisation=organisation
    )
    for slug, state in (("live", "DEPLOYED"), ("test", None), ("feature-x", "")):
        environment = models.Environment.objects.create(
            application=application,
            slug=slug,
            state=state,
            last_deployed_at=timezone.now() if state else None,
        )
    models.Backup.objects.create(
        environment=environment, success="PARTIAL", ended_at=timezone.now()
    )
    models.Backup.objects.create(environment=environment)
    return Token.objects.create(user=user).key


def record_responses(token: str) -> dict[str, Any]:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    environment = str(models.Environment.objects.get(slug="live").uuid)
    answers = {
        "ListApplications": client.get("/apps/v3/applications/"),
        "ListEnvironments": client.get("/apps/v3/environments/"),
        "ListEnvironments_page2": client.get("/apps/v3/environments/", {"page": 2}),
        "ListBackups": client.get("/apps/v3/backups/"),
        "UploadBackup": client.post(
            "/apps/v3/backups/upload/", {"environment": environment}, format="json"
        ),
        "ListOrganisations": client.get("/iam/v3/organisations/"),
        "GetCurrentUser": client.get("/iam/v3/me/"),
    }
    for name, response in answers.items():
        if response.status_code >= 300:
            raise SystemExit(f"{name}: HTTP {response.status_code} {response.content[:200]!r}")
    return {name: response.json() for name, response in answers.items()}


def main(folder: Path) -> None:
    call_command("migrate", run_syncdb=True, verbosity=0)
    export_schemas(folder)
    answers = record_responses(seed())
    (folder / "responses.json").write_text(json.dumps(answers, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
