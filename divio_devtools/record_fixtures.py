"""Re-record the cassettes of tests/recorded (``make record``), then replay them offline.

    python -m divio_devtools.record_fixtures          # from the sandbox (seed 0, fixed clock)
    python -m divio_devtools.record_fixtures --check  # record into a temp dir, compare, no change
    DIVIO_API_URL=https://api.divio.com DIVIO_API_TOKEN=... \\
        python -m divio_devtools.record_fixtures --output /tmp/my-cassettes
        # from a live server: read-only tests only (RECORD_WRITES=1 adds the writing ones)

From the sandbox, every recorded test gets a fresh in-process sandbox of the given seed with a
fixed clock (``tests/recorded/conftest.py`` starts it before the test and stops it after), so a
cassette depends on nothing but its own test. Everything is recorded into a temporary folder
first; the cassettes in ``tests/cassettes`` are replaced only when every test passed (after a
full run, cassettes of tests that no longer exist disappear; with pytest arguments after
``--``, only the selected tests' cassettes are written). The new cassettes are then
replayed with the network blocked, which also scans them for credentials.

From a live server (``DIVIO_API_URL`` and ``DIVIO_API_TOKEN`` set), tests marked
``sandbox_only`` are not run, nor ``recorded_write`` ones unless ``RECORD_WRITES=1``; the
cassettes of the tests that ran are written in place (in ``--output`` if given). See
``tests/README.md``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests" / "recorded"
CASSETTES = ROOT / "tests" / "cassettes"
#: What `make test` passes: replay only, no network but loopback.
REPLAY_FLAGS = ["--record-mode=none", "--block-network", "--allowed-hosts=127.0.0.1,localhost,::1"]


def pytest(arguments: list[str], env: dict[str, str], path: Path = TESTS) -> int:
    command = [sys.executable, "-m", "pytest", str(path), "-q", "-p", "no:cacheprovider"]
    return subprocess.run([*command, *arguments], cwd=ROOT, env=env, check=False).returncode


def live_target(environ: dict[str, str]) -> bool:
    return bool(environ.get("DIVIO_API_URL") and environ.get("DIVIO_API_TOKEN"))


def selection(live: bool, writes: bool) -> str:
    """The ``-m`` expression: every cassette test, minus what a live server must not get."""
    if not live:
        return "vcr"
    return "vcr and not sandbox_only" + ("" if writes else " and not recorded_write")


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*.yaml"))
        if path.is_file()
    }


def differences(old: Path, new: Path, *, partial: bool) -> list[str]:
    """Cassettes added, removed or changed between two folders (``partial``: only those in
    ``new``, which holds the cassettes of some tests only)."""
    before, after = files(old), files(new)
    if partial:
        before = {name: content for name, content in before.items() if name in after}
    return [
        f"{'added' if name not in before else 'removed' if name not in after else 'changed'}: "
        f"{name}"
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    ]


def record(folder: Path, env: dict[str, str], expression: str, extra: list[str]) -> int:
    env = {**env, "DIVIO_CASSETTE_DIR": str(folder)}
    return pytest(["-m", expression, "--record-mode=rewrite", *extra], env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="sandbox seed (default 0)")
    parser.add_argument("--output", type=Path, help=f"cassette folder (default {CASSETTES})")
    parser.add_argument(
        "--check",
        action="store_true",
        help="record into a temporary folder and report differences; change nothing",
    )
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    args = parser.parse_args()
    output: Path = (args.output or CASSETTES).resolve()
    env = dict(os.environ)
    live = live_target(env)
    env["DIVIO_RECORD_SEED"] = str(args.seed)
    expression = selection(live, env.get("RECORD_WRITES") == "1")
    where = env["DIVIO_API_URL"] if live else f"fresh sandboxes (seed {args.seed}, fixed clock)"
    print(f"Recording {expression!r} from {where} into {output}")

    if live and not args.check:
        status = record(output, env, expression, args.pytest_args)
    else:
        with tempfile.TemporaryDirectory(prefix="cassettes-") as scratch:
            fresh = Path(scratch)
            status = record(fresh, env, expression, args.pytest_args)
            if status != 0:
                print("recording failed: the cassettes were left as they were", file=sys.stderr)
                return status
            partial = bool(args.pytest_args)
            changed = differences(output, fresh, partial=partial)
            print("\n".join(changed) or "every cassette is byte-identical to the recorded one")
            if args.check:
                return 1 if changed else 0
            if not partial:  # a full run: cassettes of deleted tests go too
                shutil.rmtree(output, ignore_errors=True)
            shutil.copytree(fresh, output, dirs_exist_ok=True)
    if status != 0:
        return status
    return replay(output, env, expression if live else None)


def replay(folder: Path, env: dict[str, str], expression: str | None) -> int:
    """Replay offline what was recorded and scan it for credentials.

    After a sandbox recording that is the whole of tests/recorded (hygiene tests included);
    after a live one, the tests that were recorded, then the credential scan.
    """
    env = {**env, "DIVIO_CASSETTE_DIR": str(folder)}
    print("Replaying the cassettes offline and scanning them for credentials")
    if expression is None:
        return pytest(REPLAY_FLAGS, env)
    status = pytest([*REPLAY_FLAGS, "-m", expression], env)
    scan = pytest(["-k", "credential"], env, TESTS / "test_cassette_hygiene.py")
    return status or scan


if __name__ == "__main__":
    raise SystemExit(main())
