"""The cities the zone question reads (coach/content/cities.tsv.gz) are what the extract
script makes of GeoNames today: reproducible, current, small, and credited."""

from __future__ import annotations

import gzip
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from coach.zone_cities import CITIES_FILE

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "extract_cities.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extract_cities", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_committed_cities_are_the_scripts_output() -> None:
    made = _script().extract()
    assert made == _script().extract()  # the same bytes twice
    assert made == CITIES_FILE.read_bytes(), "cities.tsv.gz is stale: run `make cities`"


def test_the_cities_file_is_small_and_credits_geonames() -> None:
    assert CITIES_FILE.stat().st_size < 1_000_000
    first = gzip.decompress(CITIES_FILE.read_bytes()).decode().splitlines()[0]
    assert first.startswith("# GeoNames (geonames.org, CC BY 4.0)")
