"""The generated models are built on first use, so starting a command does not build them all.

openapi-python-client's own ``models/__init__.py`` imports every model; ours (a template in
``divio_spec/templates``) names them for the type checker and imports each one when asked.
"""

import ast
import subprocess
import sys

import divio_api.models
import pytest


def loaded_models(code: str, *argv: str) -> tuple[list[str], str]:
    """The generated model modules a fresh interpreter has loaded after running ``code``."""
    probe = (
        f"{code}\nimport sys\n"
        "print(sorted(m for m in sys.modules if m.startswith('divio_api.models.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=False
    )
    return ast.literal_eval(done.stdout.splitlines()[-1]), done.stderr


def test_every_model_is_reachable_by_name_and_listed() -> None:
    backup = divio_api.models.Backup

    assert backup.__name__ == "Backup"
    assert backup.__module__ == "divio_api.models.backup"
    assert "Backup" in dir(divio_api.models)
    assert sorted(dir(divio_api.models)) == sorted(divio_api.models.__all__)
    assert all(getattr(divio_api.models, name) for name in divio_api.models.__all__)


def test_an_unknown_model_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="Bakcup"):
        divio_api.models.Bakcup  # noqa: B018


def test_importing_divio_ext_builds_only_a_few_models() -> None:
    loaded, _ = loaded_models("import divio_ext, divio_ext.workflows")

    assert len(loaded) < len(divio_api.models.__all__) // 4, loaded


def test_a_commands_first_request_builds_only_the_models_it_needs() -> None:
    code = (
        "import os, sys\n"
        "os.environ.update(DIVIO_API_URL='http://127.0.0.1:9', DIVIO_API_TOKEN='0' * 40)\n"
        "from divio_ext.cli import main\n"
        "main(['--retries', '0', 'apps'])"
    )
    loaded, stderr = loaded_models(code)

    assert "got no response" in stderr  # the request was made, and refused
    assert "divio_api.models.paginated_application_list" in loaded
    assert "divio_api.models.invoice" not in loaded
    assert len(loaded) < len(divio_api.models.__all__) // 4, loaded
