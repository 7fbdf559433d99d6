"""A client library for accessing Divio Cloud API (v3), reconstructed"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
