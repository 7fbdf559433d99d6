"""When was the most recent backup of the database made for a particular environment?

The question from the Divio API docs, answered with divio-ext. Copy this file and adapt it.

    python examples/latest_backup.py example-application live
    python examples/latest_backup.py my-app test --type STORAGE

The token comes from DIVIO_API_TOKEN or from ~/.netrc after `divio login`; the API URL from
DIVIO_API_URL (e.g. a local sandbox: `divio-sandbox`). Nothing here writes.
"""

import argparse
import sys

from divio_ext import DivioClient, DivioError
from divio_ext.workflows import latest_backup


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("application", help="application slug or uuid")
    parser.add_argument("environment", help="environment slug, e.g. live")
    parser.add_argument("--type", default="DATABASE", help="DATABASE (default) or STORAGE")
    parser.add_argument("--prefix", default="DEFAULT", help="service prefix (default: DEFAULT)")
    args = parser.parse_args()

    try:
        with DivioClient(read_only=True) as client:
            found = latest_backup(
                client, args.application, args.environment, args.type, args.prefix
            )
    except DivioError as error:  # not found, no usable backup yet, bad token, network...
        print(f"error: {error}", file=sys.stderr)
        return 1

    instance = found.service_instance
    print(f"The latest {instance.type}/{instance.prefix} backup of {args.environment}:")
    print(f"  taken at  {found.taken_at or 'unknown'}")
    print(f"  size      {found.size} bytes")
    print(f"  backup    {found.backup.uuid}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
