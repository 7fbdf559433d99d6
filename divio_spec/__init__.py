"""The spec pipeline: from public sources (or the published schema) to the generated client.

A development tool of this repository, not part of the divio-ext distribution (the wheel ships
``divio_ext``, ``divio_sandbox`` and ``divio_api`` only). The editable install (``make install``)
puts the repository root on ``sys.path``, so the steps import each other and the tests import
them like any package. Each step is a command, ``python -m divio_spec.<step>``:

- ``reconstruct``: write ``openapi.json`` from ``reconstruction.yaml`` (``make reconstruct-spec``)
- ``fetch``: replace it with the published schemas, merged (``make spec``)
- ``diff``: what changed between two specs, and what of it breaks divio-ext (``make spec-diff``)
- ``preprocess``: fixes applied to the spec before generation
- ``generate``: ``generated/divio_api`` and ``divio_ext/_generated`` (``make generate``)
- ``resources``: the part of ``generate`` that writes ``divio_ext/_generated``
- ``sources``: reading a spec from a URL or a file, JSON or YAML (for ``fetch`` and ``diff``)
"""
