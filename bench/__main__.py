"""Run every benchmark and print one table (`make bench`)."""

from __future__ import annotations

import importlib
import sys

from bench import table

MODULES = (
    "bench.updates",
    "bench.delivery",
    "bench.reminders",
    "bench.calendar_bench",
    "bench.miniapp",
)


def main() -> int:
    rows: list[tuple[str, str]] = []
    for name in MODULES:
        module = importlib.import_module(name)
        print(f"running {name} …", file=sys.stderr, flush=True)
        rows += module.run()
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
