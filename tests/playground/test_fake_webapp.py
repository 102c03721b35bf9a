"""Mini Apps at the fake Telegram: the menu button (default, or a web app, per chat or for
all), the check on a web_app button's URL, and the initData the fake signs for a user who
opens one, which the bot's check (init-data-py, the bot's token) accepts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from init_data_py import validate_by_hash
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)
from telegram.error import BadRequest

from playground.fake_telegram import FakeTelegram
from tests.playground.helpers import TOKEN, USER, last

APP = "https://bot.example.com/app/"


async def test_the_menu_button_is_telegrams_until_a_bot_sets_one(bot: Bot, chat: int) -> None:
    assert await bot.get_chat_menu_button() == MenuButtonDefault()
    web_app = MenuButtonWebApp("Stretch", WebAppInfo(APP))
    assert await bot.set_chat_menu_button(menu_button=web_app)
    assert await bot.get_chat_menu_button() == web_app
    assert await bot.get_chat_menu_button(chat) == web_app  # a chat shows the default...
    assert await bot.set_chat_menu_button(chat, MenuButtonDefault())
    assert await bot.get_chat_menu_button(chat) == MenuButtonDefault()  # ...or its own
    assert await bot.get_chat_menu_button() == web_app


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        (APP, True),
        ("http://127.0.0.1:8080/app/", True),  # the playground, on this machine
        ("http://localhost:8080/app/", True),
        ("http://bot.example.com/app/", False),
        ("ftp://bot.example.com/app/", False),
        ("not a url", False),
    ],
)
async def test_web_app_buttons_open_https_only(
    bot: Bot, fake: FakeTelegram, chat: int, url: str, allowed: bool
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Open", web_app=WebAppInfo(url))]])
    if allowed:
        await bot.send_message(chat, "Hands-free?", reply_markup=markup)
        assert last(fake, chat).reply_markup == {
            "inline_keyboard": [[{"text": "Open", "web_app": {"url": url}}]]
        }
        return
    with pytest.raises(BadRequest):
        await bot.send_message(chat, "Hands-free?", reply_markup=markup)
    with pytest.raises(BadRequest):
        await bot.set_chat_menu_button(menu_button=MenuButtonWebApp("Open", WebAppInfo(url)))
    assert fake.bot_messages(chat) == []  # nothing was sent


async def test_opening_a_mini_app_signs_init_data_with_the_bots_token(
    fake: FakeTelegram, control: httpx.AsyncClient, chat: int
) -> None:
    fake.date_clock = lambda: datetime(2026, 12, 1, 9, 0, tzinfo=UTC).timestamp()
    opened = await control.post(f"/users/{USER}/web_app")
    assert opened.status_code == 200
    signed = opened.json()["init_data"]
    now = datetime(2026, 12, 1, 9, 5, tzinfo=UTC)
    data = validate_by_hash(signed, TOKEN, expires_in=timedelta(hours=1), now=now)
    assert data.user is not None and data.user.id == USER
    assert data.user.language_code == "en"
    assert data.issued_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # the fake's date
    assert data.chat_type == "private"
    assert (await control.post("/users/99/web_app")).status_code == 404  # never wrote to the bot


async def test_a_groups_menu_button_is_the_command_list(
    bot: Bot, fake: FakeTelegram, chat: int
) -> None:
    # Telegram sets menu buttons for private chats only: the chat page shows a group "/".
    assert await bot.set_chat_menu_button(menu_button=MenuButtonWebApp("Stretch", WebAppInfo(APP)))
    fake.add_group(-1_001_000_000_001, "Stretch club", creator=USER)
    assert fake.menu_button_for(-1_001_000_000_001) == {"type": "commands"}
    assert fake.menu_button_for(chat)["type"] == "web_app"
