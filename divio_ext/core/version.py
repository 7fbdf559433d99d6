"""The version of divio-ext (read by the build from here, and sent in the User-Agent)."""

__version__ = "0.1.0"
