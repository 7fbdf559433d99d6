"""Code written by ``make generate``; see divio_spec/resources.py."""
