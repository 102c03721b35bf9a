"""Run every benchmark and print one table (`make bench`)."""

from __future__ import annotations

import importlib
import sys

MODULES = ("bench.reminders", "bench.calendar_bench")


def main() -> int:
    rows: list[tuple[str, str]] = []
    for name in MODULES:
        module = importlib.import_module(name)
        print(f"running {name} …", file=sys.stderr, flush=True)
        rows += module.run()
    width = max(len(label) for label, _ in rows)
    print(f"| {'measure'.ljust(width)} | result |")
    print(f"|{'-' * (width + 2)}|--------|")
    for label, value in rows:
        print(f"| {label.ljust(width)} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
