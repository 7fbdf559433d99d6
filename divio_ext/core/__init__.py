"""The core layer: configuration, auth, the HTTP policy, retries, errors, logging, the seam to the
generated client (operations by method and path), paging, and the engine that runs plans.

Nothing in ``core`` imports the resources, workflows or command-line layers above it.
"""
