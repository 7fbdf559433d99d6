"""Tools for developing divio-ext, each a command ``python -m divio_devtools.<tool>``.

A development package of this repository, not part of the divio-ext distribution; the editable
install (``make install``) puts the repository root on ``sys.path``, so the tests import the
same code the ``make`` targets run:

- ``record_fixtures``: re-record the cassettes of ``tests/recorded`` (``make record``)
- ``stress``: fault runs of the main workflows against a chaotic sandbox (``make stress``)
- ``run_demo``: a command run against a fresh sandbox, or read-only against the API (``make demo``)
"""
