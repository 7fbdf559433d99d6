"""Entry point of ``python -m divio_sandbox``; exports ``main`` for ``divio-ext sandbox``."""

import sys

from divio_sandbox.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
