"""Code written by ``make generate``; see scripts/generate_resources.py."""
