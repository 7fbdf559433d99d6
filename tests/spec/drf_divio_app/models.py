"""Database models of the throwaway app (an in-memory SQLite database in tests)."""

import uuid

from django.db import models


class Organisation(models.Model):
    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)


class Application(models.Model):
    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)


class Environment(models.Model):
    STATES = (("DEPLOYED", "Deployed"), ("ARCHIVED", "Archived"))

    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    application = models.ForeignKey(Application, on_delete=models.CASCADE)
    slug = models.SlugField()
    branch = models.CharField(max_length=100, default="main")
    state = models.CharField(max_length=20, choices=STATES, null=True, blank=True)
    auto_deploy = models.BooleanField(default=False)
    last_deployed_at = models.DateTimeField(null=True)


class Backup(models.Model):
    SUCCESS = (("SUCCESS", "Success"), ("PARTIAL", "Partial"), ("FAILURE", "Failure"))

    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE)
    success = models.CharField(max_length=10, choices=SUCCESS, null=True)
    notes = models.TextField(blank=True)
    ended_at = models.DateTimeField(null=True)
