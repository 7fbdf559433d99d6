"""The ``divio-ext`` command line (console script ``divio-ext = divio_ext.cli:main``)."""

from divio_ext.cli.main import main

__all__ = ["main"]
