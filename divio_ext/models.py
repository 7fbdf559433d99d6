"""The public name of the generated models divio-ext works with (``divio_ext.resources.models``)."""

from divio_ext.resources.models import *  # noqa: F403
from divio_ext.resources.models import __all__ as __all__
