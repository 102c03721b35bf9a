"""Product code uses libraries through their public APIs only: no `obj._private` attribute
(ruff's SLF001, on in pyproject.toml and run by `make lint`) and no private name or module
imported from a library (checked here). Both checks are shown failing on planted code."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("bot", "coach", "handlers", "storage", "playground", "ops", "miniapp")
OURS = frozenset(PRODUCT)
PLANTED_ATTRIBUTE = """
def convert(bind, dialect):
    return bind.type._cached_bind_processor(dialect)
"""
PLANTED_IMPORTS = """
from sqlalchemy.sql.visitors import _TraverseInternalsType
from telegram._utils.types import JSONDict
import sqlalchemy.sql._typing
"""


def _ruff() -> str:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent))
    assert found is not None, "ruff is installed with the dev extra"
    return found


def _private_attributes(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_ruff(), "check", "--no-cache", "--select", "SLF001", "--output-format", "concise", path],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def private_imports(source: str) -> list[str]:
    """Each import in `source` of a private name or module of a package that is not ours."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            modules, names = [alias.name for alias in node.names], []
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] in OURS or module == "__future__":
                continue
            private = [p for p in parts if p.startswith("_")]
            private += [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private:
                found.append(f"{module}: {', '.join(private)}")
    return found


def test_no_private_attribute_of_a_library_in_product_code() -> None:
    checked = _private_attributes(ROOT)
    assert checked.returncode == 0, checked.stdout


def test_the_check_fails_on_a_planted_private_attribute(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(PLANTED_ATTRIBUTE)
    checked = _private_attributes(planted)
    assert checked.returncode == 1
    assert "SLF001" in checked.stdout and "_cached_bind_processor" in checked.stdout


@pytest.mark.parametrize("package", PRODUCT)
def test_no_private_import_from_a_library_in_product_code(package: str) -> None:
    for path in sorted((ROOT / package).rglob("*.py")):
        assert private_imports(path.read_text(encoding="utf-8")) == [], path


def test_the_import_check_fails_on_planted_private_imports() -> None:
    assert private_imports(PLANTED_IMPORTS) == [
        "sqlalchemy.sql.visitors: _TraverseInternalsType",
        "telegram._utils.types: _utils",
        "sqlalchemy.sql._typing: _typing",
    ]
