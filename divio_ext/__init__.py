"""divio-ext: typed, fast and safe automation of the Divio Cloud API."""

__version__ = "0.1.0"
