"""Benchmarks (`make bench`): each module has `run() -> list[tuple[str, str]]` rows."""

from __future__ import annotations


def table(rows: list[tuple[str, str]]) -> str:
    """Rows as a Markdown table, ready for the README and closing notes."""
    width = max(len(label) for label, _ in rows)
    lines = [f"| {'measure'.ljust(width)} | result |", f"|{'-' * (width + 2)}|--------|"]
    lines += [f"| {label.ljust(width)} | {value} |" for label, value in rows]
    return "\n".join(lines)
