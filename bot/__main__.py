"""The command line: `python -m bot [run|migrate|playground|run-or-playground]`."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys

from bot.config import Settings, SettingsError, load_settings
from bot.logging_setup import configure_logging

log = logging.getLogger("bot")

EXIT_BAD_SETTINGS = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run", "migrate", "playground", "run-or-playground"],
        help="run: the bot (default); migrate: apply migrations only; playground: the offline "
        "fake Telegram with the bot; run-or-playground: run with BOT_TOKEN, else playground",
    )
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_SETTINGS
    configure_logging(
        settings.log_level,
        settings.token,
        settings.effective_webhook_secret,
        log_format=settings.log_format,
    )

    command = args.command
    if command == "run-or-playground":
        command = "run" if settings.token else "playground"
        if command == "playground":
            print("No BOT_TOKEN set: starting the offline playground instead.", flush=True)
    if command == "run" and settings.token is None:
        print(
            "Invalid setting BOT_TOKEN: not set; get one from @BotFather, or try "
            "`python -m bot playground` to use the offline playground",
            file=sys.stderr,
        )
        return EXIT_BAD_SETTINGS

    from storage.migrate import ensure_schema

    if command == "playground":
        from bot.playground import playground_settings, run_playground

        settings = playground_settings(settings)
        asyncio.run(ensure_schema(settings.database_url))
        asyncio.run(run_playground(settings))
        return 0
    migrated = asyncio.run(ensure_schema(settings.database_url))
    if command == "migrate":
        print("Database migrated; it is up to date." if migrated else "Database is up to date.")
        return 0
    run_bot(settings)
    return 0


def run_bot(settings: Settings) -> None:
    """Talk to Telegram: long polling, or a webhook when WEBHOOK_URL is set (bot.server)."""
    from bot.app import build_application
    from bot.server import run

    application = build_application(settings)
    # What start-up built (every module, the Application: ~125k objects) lives as long as
    # the process. Frozen out of the collector's sight, it is no longer walked by each full
    # collection: in the tick benchmark one such collection paused a tick for ~100 ms about
    # every ninth tick. Only here, in the long-lived process (tests build many Applications,
    # and theirs must still be collected).
    gc.freeze()
    asyncio.run(run(application, settings))


if __name__ == "__main__":
    sys.exit(main())
