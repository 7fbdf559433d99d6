"""Viewsets and URL patterns of both API families, with Divio-style operation ids."""

from typing import Any, ClassVar

from django.urls import include, path
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from . import models, serializers


class DivioStyleSchema(AutoSchema):
    """Operation ids as Divio publishes them: ``ListAppTemplates``, ``GetAppTemplate``, ...

    drf-spectacular's default ids (``apps_v3_backups_list``) would give other module names;
    the published schema uses this convention, so the proof must too.
    """

    VERBS: ClassVar[dict[str, str]] = {
        "GET": "Get",
        "POST": "Create",
        "PUT": "Update",
        "PATCH": "PartialUpdate",
        "DELETE": "Delete",
    }

    def get_operation_id(self) -> str:
        singular, plural = self.view.nouns
        if self.method == "GET" and self._is_list_view():
            return f"List{plural}"
        return self.VERBS[self.method] + singular


class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    nouns = ("Application", "Applications")
    queryset = models.Application.objects.order_by("slug")
    serializer_class = serializers.ApplicationSerializer
    lookup_field = "uuid"


class EnvironmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    nouns = ("Environment", "Environments")
    queryset = models.Environment.objects.order_by("slug")
    serializer_class = serializers.EnvironmentSerializer
    lookup_field = "uuid"
    http_method_names = ("get", "patch", "head", "options")


class BackupViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    nouns = ("Backup", "Backups")
    queryset = models.Backup.objects.order_by("uuid")
    serializer_class = serializers.BackupSerializer
    lookup_field = "uuid"

    @extend_schema(
        operation_id="UploadBackup",
        request=serializers.BackupUploadSerializer,
        responses={201: serializers.BackupUploadTargetsSerializer},
    )
    @action(detail=False, methods=["post"])
    def upload(self, request: Request) -> Response:
        body = serializers.BackupUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        backup = models.Backup.objects.create(
            environment=body.validated_data["environment"],
            notes=body.validated_data.get("notes", ""),
        )
        answer = {"uuid": str(backup.uuid), "results": {"db": "https://upload.example.org/db"}}
        return Response(answer, status=status.HTTP_201_CREATED)


class OrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    nouns = ("Organisation", "Organisations")
    queryset = models.Organisation.objects.order_by("name")
    serializer_class = serializers.OrganisationSerializer
    lookup_field = "uuid"


class CurrentUserView(APIView):
    nouns = ("CurrentUser", "CurrentUsers")

    @extend_schema(responses=serializers.UserSerializer)
    def get(self, request: Request) -> Response:
        user: Any = request.user
        return Response({"uuid": "bagztldeadfdhlilnmpzx3twly", "email": user.email})


def family(prefix: str, *viewsets_: tuple[str, type[viewsets.GenericViewSet]]) -> list[Any]:
    router = SimpleRouter()
    for name, viewset in viewsets_:
        router.register(name, viewset)
    return [path(f"{prefix}/", include(router.urls))]


APPS = family(
    "apps/v3",
    ("applications", ApplicationViewSet),
    ("environments", EnvironmentViewSet),
    ("backups", BackupViewSet),
)
IAM = [
    *family("iam/v3", ("organisations", OrganisationViewSet)),
    path("iam/v3/me/", CurrentUserView.as_view()),
]
urlpatterns = [*APPS, *IAM]
