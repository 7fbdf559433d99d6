"""Serializers shaped like Divio's: read-only ids and timestamps, a blankable nullable choice."""

from rest_framework import serializers

from . import models


class OwnerSerializer(serializers.ModelSerializer):
    """The apps family's short view of an organisation; IAM's differs under the same name."""

    class Meta:
        model = models.Organisation
        ref_name = "Organisation"
        fields = ("uuid", "name")


class ApplicationSerializer(serializers.ModelSerializer):
    owner = OwnerSerializer(source="organisation", read_only=True)

    class Meta:
        model = models.Application
        fields = ("uuid", "slug", "name", "organisation", "owner")
        read_only_fields = ("uuid",)


class EnvironmentSerializer(serializers.ModelSerializer):
    auto_deploy = serializers.BooleanField(default=False)
    deployed_url = serializers.SerializerMethodField()

    class Meta:
        model = models.Environment
        fields = (
            "uuid",
            "application",
            "slug",
            "branch",
            "state",
            "auto_deploy",
            "last_deployed_at",
            "deployed_url",
        )
        read_only_fields = ("uuid", "application", "slug", "last_deployed_at")

    def get_deployed_url(self, environment: models.Environment) -> str | None:
        return None if environment.state is None else f"https://{environment.slug}.example.org"


class BackupSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Backup
        fields = ("uuid", "environment", "success", "notes", "ended_at")
        read_only_fields = ("uuid", "success", "ended_at")


class BackupUploadSerializer(serializers.Serializer):
    environment = serializers.PrimaryKeyRelatedField(queryset=models.Environment.objects.all())
    notes = serializers.CharField(required=False, allow_blank=True)


class BackupUploadTargetsSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    results = serializers.DictField(child=serializers.URLField(), read_only=True)


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Organisation
        fields = ("uuid", "name", "created_at")


class UserSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True)
