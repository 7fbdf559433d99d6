"""The public name of divio-ext's one exception tree, which lives in ``divio_ext.core.errors``."""

from divio_ext.core.errors import *  # noqa: F403
from divio_ext.core.errors import __all__ as __all__
