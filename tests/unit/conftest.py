"""Fixtures the picture tests share: the figure script (scripts/draw_figures.py, not a
package) loaded as a module, and the routine it draws."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from coach.routine import Routine, load_routine

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "draw_figures.py"


@pytest.fixture(scope="module")
def figures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("draw_figures", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def routine() -> Routine:
    return load_routine()
