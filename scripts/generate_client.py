"""Generate ``generated/divio_api`` from ``openapi.json``, or check that it is in sync.

The pipeline is: pre-process the spec (``scripts/preprocess_spec.py``), run the pinned
openapi-python-client with the committed ``openapi-python-client.yml``, add ``py.typed``.
Generation always happens in a fresh temporary folder and the result replaces the package
whole, so a failed run never leaves a half-written client behind.

Usage:
    python scripts/generate_client.py            # regenerate generated/divio_api
    python scripts/generate_client.py --check    # exit 1 if generated/ differs from the spec
    python scripts/generate_client.py --spec S --output DIR   # any spec, any folder
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from preprocess_spec import preprocess

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "divio_api"
DEFAULT_OUTPUT = REPO_ROOT / "generated" / PACKAGE
CONFIG = REPO_ROOT / "openapi-python-client.yml"


def generate(spec_path: Path, output: Path) -> None:
    """Write the generated package for ``spec_path`` to ``output`` (replacing it)."""
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="divio-generate-") as tmp:
        prepared = Path(tmp) / "openapi.generator.json"
        prepared.write_text(
            json.dumps(preprocess(spec), indent=2, sort_keys=True), encoding="utf-8"
        )
        target = Path(tmp) / PACKAGE
        bin_dir = Path(sys.executable).parent
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
        result = subprocess.run(
            [
                str(bin_dir / "openapi-python-client"),
                "generate",
                "--path",
                str(prepared),
                "--config",
                str(CONFIG),
                "--output-path",
                str(target),
                "--meta",
                "none",
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        problems = [
            line
            for line in result.stdout.splitlines() + result.stderr.splitlines()
            if "Warning" in line or "Error" in line or "Unable" in line
        ]
        if result.returncode != 0 or problems or not target.is_dir():
            sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(f"openapi-python-client failed on {spec_path}")
        (target / "py.typed").write_text("", encoding="utf-8")
        if output.exists():
            shutil.rmtree(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(target, output)


def differences(expected: Path, actual: Path) -> list[str]:
    """Relative paths that differ between two package trees (missing, extra or changed)."""
    found: list[str] = []

    def visit(cmp: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(f"only in fresh output: {prefix}{name}" for name in cmp.left_only)
        found.extend(f"only in generated/: {prefix}{name}" for name in cmp.right_only)
        found.extend(f"changed: {prefix}{name}" for name in cmp.diff_files)
        for name, sub in sorted(cmp.subdirs.items()):
            visit(sub, f"{prefix}{name}/")

    visit(filecmp.dircmp(expected, actual, ignore=["__pycache__"]), "")
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=REPO_ROOT / "openapi.json")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare a fresh generation with --output instead of writing it",
    )
    args = parser.parse_args(argv)
    if not args.check:
        generate(args.spec, args.output)
        print(f"generated {args.output} from {args.spec}")
        return 0
    with tempfile.TemporaryDirectory(prefix="divio-check-") as tmp:
        fresh = Path(tmp) / PACKAGE
        generate(args.spec, fresh)
        problems = differences(fresh, args.output) if args.output.is_dir() else ["missing"]
    if problems:
        print(f"{args.output} is out of sync with {args.spec}; run `make generate`:")
        for line in problems:
            print(f"  {line}")
        return 1
    print(f"{args.output} matches {args.spec}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
