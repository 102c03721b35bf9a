"""Benchmarks (`make bench`): each module has `run() -> list[tuple[str, str]]` rows."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator


def table(rows: list[tuple[str, str]]) -> str:
    """Rows as a Markdown table, ready for the README and closing notes."""
    width = max(len(label) for label, _ in rows)
    lines = [f"| {'measure'.ljust(width)} | result |", f"|{'-' * (width + 2)}|--------|"]
    lines += [f"| {label.ljust(width)} | {value} |" for label, value in rows]
    return "\n".join(lines)


class FakeProcess:
    """A fake Telegram served by another process (`python -m MODULE --fake ARGS…`), which
    prints its URL first and serves until its stdin closes; `line()` reads what it says next."""

    def __init__(self, process: asyncio.subprocess.Process, url: str) -> None:
        self.process, self.url = process, url

    async def line(self) -> bytes:
        assert self.process.stdout is not None
        return await self.process.stdout.readline()


@contextlib.asynccontextmanager
async def fake_process(module: str, *args: str) -> AsyncIterator[FakeProcess]:
    """Start the fake's process, yield it once it serves, end it (politely) on the way out."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        module,
        "--fake",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        url = (await process.stdout.readline()).decode().strip()
        yield FakeProcess(process, url)
    finally:
        process.stdin.close()  # the bot has stopped: the fake may go
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()
