"""/help and the command menu cover every command the bot answers, one line each."""

from __future__ import annotations

from telegram.ext import CommandHandler

from coach.texts import ENGLISH
from tests.harness import Harness

USER = 7201
# /start is how Telegram opens a chat (its own button), so the menu leaves it out.
NOT_LISTED = {"start"}


async def test_help_lists_each_command_once_and_the_menu_matches(harness: Harness) -> None:
    await harness.send(USER, "/help")
    reply = harness.last(USER).text or ""
    lines = [line for line in reply.splitlines() if line.startswith("/")]
    assert lines == [f"/{command} — {description}" for command, description in ENGLISH.COMMANDS]
    menu = [(c["command"], c["description"]) for c in harness.fake.commands]
    assert menu == list(ENGLISH.COMMANDS)


async def test_every_registered_command_is_listed(harness: Harness) -> None:
    registered = {
        command
        for group in harness.app.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    listed = {command for command, _ in ENGLISH.COMMANDS}
    assert {"progress", "settings", "export", "deleteme"} <= listed
    assert registered - NOT_LISTED == listed
