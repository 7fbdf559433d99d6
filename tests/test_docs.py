"""The documentation a comment cites is in the repository, and what the docs name exists.

Every source a comment, docstring, help text or README line relies on must be readable by whoever
holds the repository: ``docs/api-notes.md`` (cited as ``api-notes §N.M``) or plain words. So no
tracked file may point at documents that are not in it (the notes folder that lay beside the
checkout divio-ext was first written in, its fact sheet, or that sheet's section numbers), every
section cited as ``api-notes §N.M`` must exist, and the paths and dotted names that
``docs/architecture.md`` walks a reader through must exist too. Cassettes are recorded data, not
prose, and are left out.
"""

from __future__ import annotations

import importlib
import re
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DOCS = REPO_ROOT / "docs"
API_NOTES = DOCS / "api-notes.md"
ARCHITECTURE = DOCS / "architecture.md"
THIS_FILE = Path(__file__).resolve()  # it has to describe the forms it forbids
CASSETTES = REPO_ROOT / "tests" / "cassettes"

# The outside names are assembled from parts, so that this file does not cite them itself.
FACT = "fa" + "cts"
SHARED = "sha" + "red/"
FACT_SHEET = f"divio-api-{FACT}"
DESIGN = "design" + ".md"

#: Ways of citing documents that are not in the repository.
OUTSIDE_CITATIONS = {
    "a document of the notes folder": re.compile(rf"(?<![\w.-])(?:\.\./)*{SHARED}", re.IGNORECASE),
    "the fact sheet or the design notes": re.compile(
        rf"{FACT_SHEET}|\b{re.escape(DESIGN)}\b", re.IGNORECASE
    ),
    "a numbered citation of the fact sheet": re.compile(
        rf"\b{FACT[:-1]}s?\s*§?\s*\d", re.IGNORECASE
    ),
    "the fact sheet as a source": re.compile(rf"\bthe\s+(?:public\s+)?{FACT}\b", re.IGNORECASE),
}
NUMBER = r"\d+(?:\.\d+)*"
#: ``api-notes §4.3``, ``docs/api-notes.md §6.4-6.7``, ``api-notes §6.4 and §6.5``.
CITATION = re.compile(
    rf"api-notes(?:\.md)?\s+§\s*{NUMBER}(?:\s*(?:-|\u2013|,|and|to)\s*§?\s*{NUMBER})*",
)
#: A numbered heading of the notes: ``## 4. Lists`` or ``### 4.3 Filters...``.
HEADING = re.compile(rf"^#{{2,4}}\s+({NUMBER})\.?\s", re.MULTILINE)
#: Paths of the repository and dotted names of its packages, as the docs quote them.
QUOTED_PATH = re.compile(
    r"`((?:divio_ext|divio_sandbox|divio_spec|divio_devtools|generated|tests|examples|bench|docs)"
    r"/[\w./-]*)`"
)
QUOTED_NAME = re.compile(r"`((?:divio_ext|divio_sandbox|divio_spec|divio_api)(?:\.\w+)+)`")


def outside_citations(text: str, *, bare_sections_allowed: bool = False) -> list[str]:
    """What in ``text`` cites a document outside the repository.

    A ``§`` that is not part of an ``api-notes §N`` citation counts too: the reader could not
    tell which document it numbers. Only the notes themselves refer to their sections bare.
    """
    found = [
        f"{kind}: {match.group(0)!r}"
        for kind, pattern in OUTSIDE_CITATIONS.items()
        for match in pattern.finditer(text)
    ]
    if not bare_sections_allowed:
        rest = CITATION.sub("", text)
        found += [
            f"a § that is not an api-notes citation: {rest[max(0, m.start() - 30) : m.end() + 8]!r}"
            for m in re.finditer("§", rest)
        ]
    return found


def cited_sections(text: str) -> set[str]:
    """The section numbers ``text`` cites as ``api-notes §N`` (both ends of a range)."""
    return {
        number
        for citation in CITATION.finditer(text)
        for number in re.findall(NUMBER, citation.group(0))
    }


def sections(notes: str) -> set[str]:
    """The section numbers the notes have."""
    return set(HEADING.findall(notes))


def repository_files() -> list[Path]:
    """Tracked files and new ones not ignored by git, cassettes and binaries left out."""
    listing = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    files = []
    for name in filter(None, listing.split("\0")):
        path = (REPO_ROOT / name).resolve()
        if path == THIS_FILE or CASSETTES in path.parents or not path.is_file():
            continue
        if b"\0" not in path.read_bytes():
            files.append(path)
    return files


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def resolves(dotted: str) -> bool:
    """Whether ``dotted`` names a module, or an attribute reached from the longest module."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


# --- the checks, on samples -------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        f"Real Divio ids are not RFC-4122 UUIDs ({FACT} 1.4).",
        f"These follow the CLI's steps ({FACT} §7.3 and §7.4).",
        f"DRF reports all errors at once, {FACT} 4) and raises one 400.",
        f"Known pitfalls (``{SHARED}{DESIGN}``).",
        f"see ../{SHARED}{FACT_SHEET}.md",
        f'help="ignore the filters the {FACT} cannot confirm"',
        f"including ones the public {FACT} cannot confirm",
        "the download trigger (§6.15)",
    ],
)
def test_a_citation_of_a_document_outside_the_repository_is_found(line: str) -> None:
    assert outside_citations(line)


@pytest.mark.parametrize(
    "line",
    [
        "Real Divio ids are not RFC-4122 UUIDs (api-notes §3).",
        "Backups, downloads and restores (api-notes §6.4-6.7).",
        "see docs/api-notes.md §4.3 and §5",
        "no public source confirms these filters; the shared state lives in the store",
    ],
)
def test_citations_inside_the_repository_and_plain_words_pass(line: str) -> None:
    assert outside_citations(line) == []


def test_a_citation_names_every_section_it_covers() -> None:
    text = "(api-notes §6.4-6.7), api-notes §3 and §4.3; docs/api-notes.md §8"
    assert cited_sections(text) == {"6.4", "6.7", "3", "4.3", "8"}


# --- the checks, on the repository ----------------------------------------------------------


def test_no_file_cites_a_document_outside_the_repository() -> None:
    found = {
        str(path.relative_to(REPO_ROOT)): problems
        for path in repository_files()
        if (problems := outside_citations(read(path), bare_sections_allowed=path == API_NOTES))
    }
    assert found == {}


def test_every_cited_api_notes_section_exists() -> None:
    existing = sections(read(API_NOTES))
    citing = {path: cited_sections(read(path)) for path in repository_files()}
    assert any(citing.values()), "no file cites the notes: the citation pattern has drifted"
    missing = {
        str(path.relative_to(REPO_ROOT)): sorted(cited - existing)
        for path, cited in citing.items()
        if cited - existing
    }
    assert missing == {}


def test_the_notes_refer_only_to_their_own_sections() -> None:
    notes = read(API_NOTES)
    referred = set(re.findall(rf"§\s*({NUMBER})", notes))
    assert referred - sections(notes) == set()


@pytest.mark.parametrize("document", [ARCHITECTURE, API_NOTES], ids=lambda p: p.name)
def test_the_paths_a_document_names_exist(document: Path) -> None:
    named = set(QUOTED_PATH.findall(read(document)))
    assert sorted(p for p in named if not (REPO_ROOT / p.rstrip("/")).exists()) == []


@pytest.mark.parametrize("document", [ARCHITECTURE, API_NOTES], ids=lambda p: p.name)
def test_the_modules_and_names_a_document_quotes_exist(document: Path) -> None:
    named = set(QUOTED_NAME.findall(read(document)))
    assert sorted(name for name in named if not resolves(name)) == []
