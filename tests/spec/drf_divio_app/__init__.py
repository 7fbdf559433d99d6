"""A throwaway Django REST Framework app shaped like the Divio API, for pipeline tests.

The real API is DRF + drf-spectacular, so the only honest proof that ``make spec && make
generate`` works on its schema is to run the pipeline on real drf-spectacular output. This
package holds just enough of Divio's shape to show the generator pitfalls: token auth,
page-number pagination, identifiers looked up by ``uuid``, a nullable and blankable choice
field, read-only fields, a PATCH body with a default, a create action, and a model name used
by both API families. ``export`` writes its schemas and a few real responses to a folder.
"""
