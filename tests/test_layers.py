"""The app layering holds (``lint-imports``, the contracts in pyproject.toml), and the check
fails when a leaf app imports the document, review, workspace or interchange modules."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ("reporting", "goals", "indicators", "budget", "planning")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_of_the_apps(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("app", "line"),
    [
        ("goals/views.py", "from reporting.review import review_report"),
        ("indicators/views.py", "from reporting.workspace import build_outline"),
        ("budget/views.py", "from reporting import interchange"),
        ("goals/forms.py", "from reporting.assemble import build_report_data"),
    ],
)
def test_a_leaf_app_importing_a_report_view_breaks_the_contract(tmp_path, app, line):
    root = copy_of_the_apps(tmp_path)
    path = root / app
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = lint_imports(root)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert app.split("/")[0] in result.stdout
