"""Replace ``openapi.json`` with the published Divio schemas (``make spec``).

Divio publishes one drf-spectacular schema per API family; divio-ext needs the apps and IAM
families in one document. This script downloads (or reads) each source, accepts a JSON or
YAML answer, validates every source with openapi-spec-validator, merges them
deterministically, validates the result and replaces the output file atomically. Any failure
prints one line to stderr, exits non-zero and leaves the output file untouched, so a broken
network never costs the spec we have.

Before replacing the output, the new document is compared with the current one
(``divio_spec.diff``): a summary goes to stdout and the full report to ``spec-changes.md``
beside the output. A change that breaks divio-ext (per ``divio_ext/core/contract.py``) stops here
with the output untouched, unless ``--accept-breaking`` (``make spec ACCEPT_BREAKING=1``).

Merging: paths and components are united. A component defined identically in two sources is
kept once; one defined differently keeps its name in the first source that has it and is
renamed in later sources (prefixed with the family, e.g. ``IamOrganisation``; every ``$ref``
follows), reported on stderr. A single file that already holds both families is just
validated and normalised. Normalising sorts every object's keys and uses the one
serialisation of this repository (``divio_spec.reconstruct.render``), so the same sources always
give the same bytes.

Usage:
    python -m divio_spec.fetch --output openapi.json
    python -m divio_spec.fetch --url URL [--url URL ...] --output openapi.json
    python -m divio_spec.fetch --file FILE [--file FILE ...] --output openapi.json
    python -m divio_spec.fetch --accept-breaking [--report spec-changes.md] ...
    SPEC_URL="URL1 URL2" / SPEC_FILE="FILE1 FILE2" in the environment do the same as the options.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from openapi_spec_validator import validate

from divio_spec import diff as spec_diff
from divio_spec.reconstruct import REPO_ROOT, render
from divio_spec.sources import SpecError, one_line, parse_document, read_source

Schema = dict[str, Any]
Log = Callable[[str], None]

DEFAULT_URLS = (
    "https://api.divio.com/apps/v3/schema.json",
    "https://api.divio.com/iam/v3/schema.json",
)
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def check_valid(document: Schema, source: str) -> None:
    """Raise SpecError unless openapi-spec-validator accepts the document."""
    try:
        validate(document)
    except Exception as exc:  # the validator raises many unrelated types; any means invalid
        reason = one_line(str(exc).split("\n\n")[0]) or type(exc).__name__
        raise SpecError(f"{source} is not a valid OpenAPI document: {reason[:300]}") from None


def family_of(document: Schema, index: int) -> str:
    """``Iam`` for a document whose paths all start with ``/iam/``; ``Source2`` otherwise."""
    heads = {path.strip("/").split("/")[0] for path in document.get("paths", {})}
    if len(heads) == 1 and (head := heads.pop()):
        return "".join(part.capitalize() for part in head.replace("_", "-").split("-"))
    return f"Source{index + 1}"


def walk(node: Any) -> Iterator[Schema]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def rename_components(document: Schema, renames: dict[tuple[str, str], str]) -> Schema:
    """A copy of ``document`` with components renamed and every reference to them rewritten."""
    renamed: Schema = json.loads(json.dumps(document))
    components = renamed.get("components", {})
    for (section, old), new in sorted(renames.items()):
        components[section][new] = components[section].pop(old)
    for node in walk(renamed):
        target = node.get("$ref")
        if isinstance(target, str) and target.startswith("#/components/"):
            section, _, name = target[len("#/components/") :].partition("/")
            if (section, name) in renames:
                node["$ref"] = f"#/components/{section}/{renames[section, name]}"
    scheme_renames = {
        old: new for (section, old), new in renames.items() if section == "securitySchemes"
    }
    if scheme_renames:
        for requirements in security_lists(renamed):
            requirements[:] = [
                {scheme_renames.get(key, key): value for key, value in item.items()}
                for item in requirements
            ]
    return renamed


def security_lists(document: Schema) -> Iterator[list[Schema]]:
    """Every security requirement list: security schemes are referenced by name, not $ref."""
    if isinstance(document.get("security"), list):
        yield document["security"]
    for item in document.get("paths", {}).values():
        for method in HTTP_METHODS:
            if isinstance(item.get(method, {}).get("security"), list):
                yield item[method]["security"]


def clashes(merged: Schema, document: Schema) -> set[tuple[str, str]]:
    ours = merged.get("components", {})
    theirs = document.get("components", {})
    return {
        (section, name)
        for section, entries in theirs.items()
        for name, value in entries.items()
        if name in ours.get(section, {}) and ours[section][name] != value
    }


def resolve_clashes(merged: Schema, document: Schema, family: str, log: Log) -> Schema:
    """The document with every component that clashes with ``merged`` renamed.

    Renaming rewrites references inside other components, which can make a component that was
    identical differ; so repeat until nothing clashes. New names are free in both documents,
    so each round renames only original names and the loop ends.
    """
    renames: dict[tuple[str, str], str] = {}
    while found := sorted(clashes(merged, candidate := rename_components(document, renames))):
        for section, name in found:
            taken = {
                *merged.get("components", {}).get(section, {}),
                *document.get("components", {}).get(section, {}),
                *(new for (where, _), new in renames.items() if where == section),
            }
            new, counter = f"{family}{name}", 2
            while new in taken:
                new, counter = f"{family}{name}{counter}", counter + 1
            renames[section, name] = new
            log(
                f"components/{section}/{name} differs between sources: renamed {new} in the "
                f"{family} source"
            )
    return candidate


def merge_into(merged: Schema, document: Schema, source: str) -> None:
    """Add the paths, components, servers and tags of ``document`` to ``merged``."""
    if document.get("openapi") != merged.get("openapi"):
        raise SpecError(
            f"{source} is OpenAPI {document.get('openapi')}, the others "
            f"{merged.get('openapi')}: cannot merge"
        )
    paths = merged.setdefault("paths", {})
    for path, item in document.get("paths", {}).items():
        target = paths.setdefault(path, {})
        for key, value in item.items():
            if key in target and target[key] != value:
                raise SpecError(f"{source} defines {key.upper()} {path} differently: cannot merge")
            target[key] = value
    components = merged.setdefault("components", {})
    for section, entries in document.get("components", {}).items():
        components.setdefault(section, {}).update(entries)
    for key in ("servers", "tags", "security"):
        for entry in document.get(key, []):
            if entry not in merged.setdefault(key, []):
                merged[key].append(entry)


def merge(documents: list[tuple[str, Schema]], log: Log) -> Schema:
    """One document from several: the first one's metadata, everyone's paths and components.

    ``info.x-divio-ext-merged-from`` lists the titles of the merged documents.
    """
    merged: Schema = json.loads(json.dumps(documents[0][1]))
    for index, (source, document) in enumerate(documents[1:], start=1):
        family = family_of(document, index)
        merge_into(merged, resolve_clashes(merged, document, family, log), source)
    if len(documents) > 1:
        titles = [document.get("info", {}).get("title", source) for source, document in documents]
        merged["info"]["x-divio-ext-merged-from"] = titles
        log(f"merged {len(documents)} sources into one document with {len(merged['paths'])} paths")
    return merged


def sort_keys(node: Any) -> Any:
    """The same structure with every object's keys in sorted order (list order is kept)."""
    if isinstance(node, dict):
        return {key: sort_keys(node[key]) for key in sorted(node)}
    if isinstance(node, list):
        return [sort_keys(value) for value in node]
    return node


def build(sources: list[str], log: Log) -> str:
    """The normalised text of the merged, validated document made from ``sources``."""
    documents = []
    for source in sources:
        document = parse_document(read_source(source), source)
        check_valid(document, source)
        documents.append((source, document))
    merged = merge(documents, log)
    check_valid(merged, "the merged document")
    return render(sort_keys(merged))


def write_atomically(path: Path, text: str) -> None:
    """Write a temporary file beside ``path`` and rename it over ``path`` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def choose_sources(urls: list[str] | None, files: list[str] | None) -> list[str]:
    """Options win over SPEC_URL / SPEC_FILE (space separated), which win over the defaults."""
    files = files or os.environ.get("SPEC_FILE", "").split()
    urls = urls or os.environ.get("SPEC_URL", "").split()
    return [*files, *urls] or list(DEFAULT_URLS)


def breaking_changes(current: Path, text: str, sources: str, report: Path, log: Log) -> int:
    """How many changes from the current spec to ``text`` break divio-ext; reports them all.

    A current file that is missing or not an OpenAPI document has nothing to protect: 0. Only
    reading the current file is guarded, so a fault in the comparison itself stops ``make spec``
    instead of letting a breaking spec through unchecked.
    """
    try:
        old = json.loads(current.read_text(encoding="utf-8"))
        spec_diff.operations(old)  # raises SpecDiffError unless it is a comparable spec
    except (OSError, ValueError, spec_diff.SpecDiffError) as exc:
        log(f"no change report: {current} is not a spec to compare with ({exc})")
        return 0
    changes = spec_diff.compare(old, json.loads(text), spec_diff.load_contract())
    spec_diff.write_report(changes, str(current), sources, report)
    return sum(1 for change in changes if change.breaking)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "openapi.json")
    parser.add_argument("--url", action="append", help="a schema URL (repeatable)")
    parser.add_argument("--file", action="append", help="a local schema file (repeatable)")
    parser.add_argument(
        "--report", type=Path, help="the change report (default: spec-changes.md beside --output)"
    )
    parser.add_argument(
        "--accept-breaking",
        action="store_true",
        help="replace the output even when the new spec breaks divio-ext",
    )
    args = parser.parse_args(argv)
    sources = choose_sources(args.url, args.file)

    def log(line: str) -> None:
        print(f"fetch_spec: {line}", file=sys.stderr)

    try:
        text = build(sources, log)
    except SpecError as exc:
        print(f"fetch_spec: error: {exc}; {args.output} left unchanged", file=sys.stderr)
        return 1
    report = args.report or args.output.with_name("spec-changes.md")
    if breaking := breaking_changes(args.output, text, " ".join(sources), report, log):
        if not args.accept_breaking:
            print(
                f"fetch_spec: error: the new spec breaks divio-ext ({breaking} changes, see "
                f"{report}); {args.output} left unchanged. Once checked: make spec "
                "ACCEPT_BREAKING=1",
                file=sys.stderr,
            )
            return 1
        log(f"the new spec breaks divio-ext ({breaking} changes): accepted (--accept-breaking)")
    write_atomically(args.output, text)
    log(f"wrote {args.output} from {' '.join(sources)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
