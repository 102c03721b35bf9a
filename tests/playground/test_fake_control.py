"""The control API over HTTP (what the chat page and tools use) and the live event stream."""

from __future__ import annotations

import asyncio

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from playground.fake_telegram import ChatEvent, FakeTelegram
from tests.playground.helpers import TOKEN, USER, png

BUTTONS = InlineKeyboardMarkup([[InlineKeyboardButton("Done ✓", callback_data="v1:done")]])


async def test_a_user_conversation_through_the_control_api(
    bot: Bot, fake: FakeTelegram, control: httpx.AsyncClient
) -> None:
    sent = await control.post(f"/users/{USER}/text", json={"text": "/start", "first_name": "Bea"})
    assert sent.status_code == 200
    assert sent.json()["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    [update] = await bot.get_updates()
    assert update.effective_user is not None
    assert update.effective_user.first_name == "Bea"

    photo = await bot.send_photo(USER, png(120, 80), caption="Step 1", reply_markup=BUTTONS)
    tapped = await control.post(
        f"/users/{USER}/tap", json={"message_id": photo.message_id, "data": "v1:done"}
    )
    query_id = tapped.json()["callback_query_id"]
    await bot.answer_callback_query(query_id, text="Nice!")
    await bot.edit_message_caption(USER, photo.message_id, caption="Step 1 ✓")

    history = (await control.get(f"/chats/{USER}/history")).json()
    assert [(m["message_id"], m["from_bot"]) for m in history] == [(1, False), (2, True)]
    shown = history[1]
    assert (shown["caption"], shown["edits"]) == ("Step 1 ✓", 1)
    assert shown["reply_markup"] is None  # the edit did not repeat the keyboard
    assert shown["callback_answers"] == [
        {
            "callback_query_id": query_id,
            "data": "v1:done",
            "answer": {"text": "Nice!", "show_alert": False, "url": None},
        }
    ]
    picture = await control.get(f"/files/{shown['photo_file_id']}")
    assert picture.headers["content-type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG")

    stats = (await control.get("/stats")).json()
    assert stats["uploads"] == 1
    assert stats["methods"]["sendPhoto"] == 1
    assert stats["calls"] == len(fake.calls)


async def test_location_sticker_commands_and_faults(
    bot: Bot, fake: FakeTelegram, control: httpx.AsyncClient
) -> None:
    location = await control.post(
        f"/users/{USER}/location", json={"latitude": 40.7, "longitude": -74.0}
    )
    assert location.json()["location"] == {"latitude": 40.7, "longitude": -74.0}
    sticker = await control.post(f"/users/{USER}/sticker")
    assert "sticker" in sticker.json()

    await bot.set_my_commands([("stretch", "Start a session")])
    assert (await control.get("/commands")).json() == [
        {"command": "stretch", "description": "Start a session"}
    ]

    put = await control.put("/faults", json={"error_5xx_every": 3, "methods": ["sendMessage"]})
    assert put.json()["error_5xx_every"] == 3
    assert fake.faults.methods == {"sendMessage"}
    assert (await control.get("/faults")).json()["methods"] == ["sendMessage"]


async def test_control_errors_are_explained(control: httpx.AsyncClient) -> None:
    no_text = await control.post(f"/users/{USER}/text", json={"first_name": "Bea"})
    assert (no_text.status_code, no_text.json()) == (400, {"error": "'text' is required"})
    await control.post(f"/users/{USER}/text", json={"text": "hi"})
    missing = await control.post(f"/users/{USER}/tap", json={"message_id": 99, "data": "x"})
    assert missing.status_code == 404
    assert "no message 99" in missing.json()["error"]
    assert (await control.get("/chats/31337/history")).status_code == 404
    assert (await control.get("/files/nope")).status_code == 404


async def test_subscribe_streams_chat_changes(bot: Bot, fake: FakeTelegram) -> None:
    events: list[ChatEvent] = []

    async def collect() -> None:
        async for event in fake.subscribe():
            events.append(event)
            if event.kind == "delete":
                return

    collector = asyncio.create_task(collect())
    await asyncio.sleep(0)  # let the subscription register
    fake.send_text(USER, "/start")
    sent = await bot.send_message(USER, "Hello", reply_markup=BUTTONS)
    query_id = fake.tap(USER, sent.message_id, "v1:done")
    await bot.answer_callback_query(query_id, text="ok")
    await bot.edit_message_text("Hello again", chat_id=USER, message_id=sent.message_id)
    await bot.delete_message(USER, sent.message_id)
    await asyncio.wait_for(collector, 5)

    assert [(e.kind, e.message_id) for e in events] == [
        ("message", 1),
        ("message", 2),
        ("callback_answer", 2),
        ("edit", 2),
        ("delete", 2),
    ]
    assert events[3].message is not None
    assert events[3].message.text == "Hello again"
    assert events[2].answer == {"text": "ok", "show_alert": False, "url": None}
    assert TOKEN not in repr(fake.calls)
