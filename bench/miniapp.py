"""The Mini App's weight and how soon it answers a tap, on the playground.

- weight: the bytes of the page, its stylesheet and its scripts as the server sends them
  (pictures aside, and Telegram's own telegram-web-app.js, which Telegram's apps cache);
  the budget is 150 KB;
- interactive: from the start of navigation until ▶ Start is offered (the page marks
  `limber-interactive` once the day is loaded and the intro drawn), in headless Chromium on
  the playground, the API's answer included; the median of several cold loads; budget 1 s.

Run: `.venv/bin/python -m bench.miniapp`. Needs Debian's chromium (as the browser tests do);
without it the interactive row says so.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import httpx

from bot.config import Settings
from bot.playground import start_playground
from playground.fake_webapp import init_data
from storage.migrate import upgrade

LOADS = 7
WEIGHT_BUDGET = 150 * 1024
INTERACTIVE_BUDGET_MS = 1000
USER = 777_000_001
CHROMIUM = "/usr/bin/chromium"


async def _page_bytes(client: httpx.AsyncClient, app: str) -> tuple[int, list[str]]:
    """The page's bytes and those of every stylesheet and script of its own it names."""
    page = await client.get(app)
    files = re.findall(r'(?:href|src)="(static/[^"]+)"', page.text)
    total = len(page.content)
    for name in files:
        total += len((await client.get(app + name)).content)
    return total, files


async def _interactive_ms(url: str) -> list[float]:
    from playwright.async_api import async_playwright

    executable = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if executable is None:
        return []
    times = []
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            for _ in range(LOADS):
                context = await browser.new_context(viewport={"width": 390, "height": 844})
                page = await context.new_page()  # a new context each time: nothing cached
                await page.goto(url)
                # Polled from outside: the page's CSP forbids the eval wait_for_function uses.
                mark, deadline = None, asyncio.get_running_loop().time() + 30
                while mark is None:
                    if asyncio.get_running_loop().time() > deadline:
                        raise RuntimeError("the Mini App never offered ▶ Start")
                    mark = await page.evaluate(
                        "performance.getEntriesByName('limber-interactive')[0]?.startTime ?? null"
                    )
                    await asyncio.sleep(0.01)
                times.append(float(mark))
                await context.close()
        finally:
            await browser.close()
    return times


async def _measure() -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await upgrade(database_url)
        settings = Settings(database_url=database_url, playground_port=0)
        async with start_playground(settings) as playground:
            fake = playground.fake
            fake.send_text(USER, "/start", first_name="Bench")
            await fake.wait_for(lambda: fake.last_bot_message(USER))
            app = f"{playground.url}/app/"
            async with httpx.AsyncClient() as client:
                weight, files = await _page_bytes(client, app)
            launch = httpx.QueryParams(
                {"tgWebAppData": init_data(fake, USER), "tgWebAppVersion": "9.1"}
            )
            times = await _interactive_ms(f"{app}#{launch}")
    verdict = "within" if weight <= WEIGHT_BUDGET else "OVER"
    rows = [
        (
            f"mini app: page + {len(files)} stylesheet and scripts of its own (KB; budget 150)",
            f"{weight / 1024:.1f} ({verdict} budget; pictures and telegram-web-app.js aside)",
        )
    ]
    if not times:
        rows.append(("mini app: interactive (ms)", "not measured: no Chromium"))
        return rows
    median = statistics.median(times)
    verdict = "within" if median <= INTERACTIVE_BUDGET_MS else "OVER"
    rows.append(
        (
            f"mini app: navigation to ▶ Start offered, in Chromium (ms, median of {LOADS})",
            f"{median:.0f} ({verdict} the 1 s budget; slowest {max(times):.0f})",
        )
    )
    return rows


def run() -> list[tuple[str, str]]:
    return asyncio.run(_measure())


if __name__ == "__main__":
    from bench import table

    print(table(run()))
    sys.exit(0)
