"""Typed resources: ``client.backups.list(...)``, ``client.environments.copy(uuid, ...)``.

The resource classes are written by ``make generate`` (``divio_ext/_generated/resources.py``)
from the paths of the spec; ``base`` holds what they share, and handwritten lookups such as
``client.applications.get_by_slug`` live in ``lookups.py``.
"""
