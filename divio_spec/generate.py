"""Generate ``generated/divio_api`` from ``openapi.json``, or check that it is in sync.

The pipeline is: pre-process the spec (``divio_spec.preprocess``), run the pinned
openapi-python-client with the committed ``openapi-python-client.yml``, add ``py.typed``, then
index the operations by method and path and write divio-ext's typed resources and model names
(``divio_spec.resources``). Generation always happens in a fresh temporary folder and
the results replace ``generated/divio_api`` and ``divio_ext/_generated`` whole, so a failed run
never leaves a half-written client behind. The operations divio-ext needs
(``divio_ext/core/contract.py``) that the spec lacks are listed.

Usage:
    python -m divio_spec.generate            # regenerate generated/divio_api
    python -m divio_spec.generate --check    # exit 1 if generated/ differs from the spec
    python -m divio_spec.generate --spec S --output DIR   # any spec, any folder
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

from divio_spec.preprocess import preprocess
from divio_spec.resources import write as write_resources

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "divio_api"
DEFAULT_OUTPUT = REPO_ROOT / "generated" / PACKAGE
DEFAULT_RESOURCES = REPO_ROOT / "divio_ext" / "_generated"
CONFIG = REPO_ROOT / "openapi-python-client.yml"
#: Templates that replace openapi-python-client's own of the same name (see the README there).
TEMPLATES = Path(__file__).resolve().parent / "templates"


def generate(spec_path: Path, output: Path, resources: Path) -> list[str]:
    """Write the generated package to ``output`` and divio-ext's modules to ``resources``.

    Both are replaced whole. Returns the operations divio-ext needs that the spec lacks.
    """
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
                "--custom-template-path",
                str(TEMPLATES),
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
        written = Path(tmp) / "resources"
        missing = write_resources(target, written)
        subprocess.run(
            [
                str(bin_dir / "ruff"),
                "format",
                "--isolated",
                "--line-length",
                "100",
                "--quiet",
                str(written),
            ],
            check=True,
            env=env,
        )
        for source, destination in ((target, output), (written, resources)):
            if destination.exists():
                shutil.rmtree(destination)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(source, destination)
    return missing


def report_missing(missing: list[str]) -> None:
    if missing:
        print("the spec lacks operations divio-ext needs (the features using them will say so):")
        for line in missing:
            print(f"  {line}")


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
        "--resources",
        type=Path,
        default=None,
        help="where divio-ext's generated modules go (default: divio_ext/_generated with the "
        "default --output, else a _generated folder beside --output)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare a fresh generation with --output instead of writing it",
    )
    args = parser.parse_args(argv)
    if args.resources is None:
        default = args.output.resolve() == DEFAULT_OUTPUT
        args.resources = DEFAULT_RESOURCES if default else args.output.parent / "_generated"
    if not args.check:
        missing = generate(args.spec, args.output, args.resources)
        print(f"generated {args.output} and {args.resources} from {args.spec}")
        report_missing(missing)
        return 0
    with tempfile.TemporaryDirectory(prefix="divio-check-") as tmp:
        fresh, fresh_resources = Path(tmp) / PACKAGE, Path(tmp) / "resources"
        generate(args.spec, fresh, fresh_resources)
        problems = []
        for expected, actual in ((fresh, args.output), (fresh_resources, args.resources)):
            found = differences(expected, actual) if actual.is_dir() else ["missing"]
            problems += [f"{actual.name}: {line}" for line in found]
    if problems:
        print(f"generated code is out of sync with {args.spec}; run `make generate`:")
        for line in problems:
            print(f"  {line}")
        return 1
    print(f"{args.output} and {args.resources} match {args.spec}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
