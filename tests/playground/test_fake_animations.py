"""Animations (the short looping MP4s the bot demonstrates stretches with): sendAnimation by
upload and by file_id, the Animation and Document objects Telegram gives back, editMessageMedia
between a photo and an animation, refused file_ids, getFile and downloads."""

from __future__ import annotations

import asyncio
import io
import struct
from pathlib import Path

import httpx
import pytest
from PIL import Image
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaAnimation,
    InputMediaPhoto,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from playground.fake_telegram import FakeTelegram
from playground.fake_types import JSON, NOT_MODIFIED, WRONG_FILE_ID
from tests.playground.helpers import last, png

FIGURES = Path(__file__).parents[2] / "coach" / "content" / "figures"
LOOP = FIGURES / "lower_back-anim-left.mp4"
OTHER_LOOP = FIGURES / "mid_trunk-anim-right.mp4"
LOOPS = sorted(FIGURES.glob("*-anim-*.mp4"))
LOOP_DATA = LOOP.read_bytes()


def ptb_message(description: str) -> str:
    return TelegramError(description).message


def buttons(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.title(), callback_data=d) for d in data]])


def gif(frames: int = 4, frame_ms: int = 500) -> bytes:
    """A real animated GIF, 120 × 80."""
    images = [Image.new("RGB", (120, 80), color) for color in ("red", "blue") * frames]
    buffer = io.BytesIO()
    images[0].save(
        buffer, "GIF", save_all=True, append_images=images[1:frames], duration=frame_ms, loop=0
    )
    return buffer.getvalue()


def bare_mp4() -> bytes:
    """An MP4 that says nothing about its size or length: an `ftyp` box and an empty `mdat`."""
    ftyp = struct.pack(">I4s4sI4s", 20, b"ftyp", b"isom", 512, b"isom")
    return ftyp + struct.pack(">I4s", 8, b"mdat")


def shown_animation(fake: FakeTelegram, chat: int) -> JSON:
    """The Animation of the bot's latest message, as the fake stores it."""
    animation = last(fake, chat).animation
    assert animation is not None, "the bot's latest message has no animation"
    return animation


@pytest.mark.parametrize("path", LOOPS, ids=lambda p: p.name)
async def test_send_animation_by_upload_reads_the_mp4(
    bot: Bot, fake: FakeTelegram, chat: int, path: Path
) -> None:
    sent = await bot.send_animation(
        chat,
        path,
        caption="<b>Knees</b> to the left",
        parse_mode=ParseMode.HTML,
        reply_markup=buttons("next"),
    )
    assert sent.animation is not None
    animation = sent.animation
    assert (animation.width, animation.height) == (800, 500)
    assert (animation.mime_type, animation.file_name) == ("video/mp4", path.name)
    assert animation.file_size == len(await asyncio.to_thread(path.read_bytes))
    assert sent.caption == "Knees to the left"
    assert [(e.type, e.offset, e.length) for e in sent.caption_entities] == [("bold", 0, 5)]
    assert sent.reply_markup == buttons("next")
    # As on Telegram, the animation's message carries the same file as a Document too.
    assert sent.document is not None
    assert (sent.document.file_id, sent.document.mime_type) == (animation.file_id, "video/mp4")
    assert sent.photo == ()

    shown = last(fake, chat)
    assert shown.animation is not None
    assert 6 <= shown.animation["duration"] <= 8
    assert shown.animation["file_id"] == animation.file_id
    assert (shown.photo_file_id, shown.caption) == (None, "Knees to the left")
    assert shown.buttons() == [[("Next", "next")]]
    assert fake.uploads == 1


async def test_resend_animation_by_file_id(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    first = await bot.send_animation(chat, LOOP, caption="Round 1")
    assert first.animation is not None
    again = await bot.send_animation(chat, first.animation.file_id, caption="Round 2")
    assert again.animation == first.animation
    assert again.document == first.document
    assert again.message_id != first.message_id
    assert fake.uploads == 1  # the cached file_id costs no upload
    assert [
        (m.caption, m.animation and m.animation["file_id"]) for m in fake.bot_messages(chat)
    ] == [
        ("Round 1", first.animation.file_id),
        ("Round 2", first.animation.file_id),
    ]


async def test_photo_to_animation_and_back_in_place(
    bot: Bot, fake: FakeTelegram, chat: int
) -> None:
    photo = await bot.send_photo(chat, png(800, 500), caption="Step 1", reply_markup=buttons("a"))
    photo_id = photo.photo[-1].file_id

    # Photo → animation, uploaded with the edit (attach://).
    moving = await bot.edit_message_media(
        InputMediaAnimation(LOOP_DATA, caption="<i>Watch</i> first", parse_mode="HTML"),
        chat_id=chat,
        message_id=photo.message_id,
        reply_markup=buttons("b"),
    )
    assert not isinstance(moving, bool)
    assert moving.animation is not None
    assert (moving.animation.width, moving.animation.height) == (800, 500)
    assert moving.photo == ()
    assert moving.caption == "Watch first"
    assert moving.edit_date is not None
    shown = last(fake, chat)
    assert (shown.message_id, shown.edits, shown.photo_file_id) == (photo.message_id, 1, None)
    assert shown.animation is not None and 6 <= shown.animation["duration"] <= 8
    assert shown.document is not None and shown.document["file_id"] == moving.animation.file_id
    assert shown.buttons() == [[("B", "b")]]
    assert len(fake.bot_messages(chat)) == 1  # edited, not sent anew

    # Animation → another animation by file_id, then back to the photo by file_id.
    other = await bot.send_animation(chat, OTHER_LOOP)
    assert other.animation is not None
    await bot.edit_message_media(
        InputMediaAnimation(other.animation.file_id, caption="Now the other way"),
        chat_id=chat,
        message_id=photo.message_id,
    )
    shown = fake.bot_messages(chat)[0]
    assert shown.animation is not None
    assert (shown.animation["file_id"], shown.edits) == (other.animation.file_id, 2)
    assert shown.buttons() == []  # an edit without reply_markup drops the keyboard

    back = await bot.edit_message_media(
        InputMediaPhoto(photo_id, caption="Step 1"),
        chat_id=chat,
        message_id=photo.message_id,
        reply_markup=buttons("a"),
    )
    assert not isinstance(back, bool)
    assert (back.animation, back.document) == (None, None)
    assert back.photo[-1].file_id == photo_id
    shown = fake.bot_messages(chat)[0]
    assert (shown.photo_file_id, shown.animation, shown.document, shown.edits) == (
        photo_id,
        None,
        None,
        3,
    )
    assert "animation" not in shown.raw and "document" not in shown.raw
    assert fake.uploads == 3  # the photo, the edit's MP4, the other MP4


async def test_animation_caption_edit_and_not_modified(
    bot: Bot, fake: FakeTelegram, chat: int
) -> None:
    sent = await bot.send_animation(chat, LOOP, caption="Hold", reply_markup=buttons("done"))
    assert sent.animation is not None
    edited = await bot.edit_message_caption(
        chat, sent.message_id, caption="Hold 2", reply_markup=buttons("done")
    )
    assert not isinstance(edited, bool)
    assert edited.animation == sent.animation
    with pytest.raises(BadRequest) as same:
        await bot.edit_message_media(
            InputMediaAnimation(sent.animation.file_id, caption="Hold 2"),
            chat_id=chat,
            message_id=sent.message_id,
            reply_markup=buttons("done"),
        )
    assert same.value.message == ptb_message(NOT_MODIFIED)
    assert last(fake, chat).edits == 1


async def test_refused_file_ids(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    photo = await bot.send_photo(chat, png())
    with pytest.raises(BadRequest) as as_animation:
        await bot.send_animation(chat, photo.photo[-1].file_id)
    assert as_animation.value.message == ptb_message(
        "Bad Request: can't use file of type Photo as Animation"
    )
    with pytest.raises(BadRequest) as unknown:
        await bot.send_animation(chat, "CgACnever-uploaded")
    assert unknown.value.message == ptb_message(WRONG_FILE_ID)

    loop = await bot.send_animation(chat, LOOP)
    assert loop.animation is not None
    with pytest.raises(BadRequest) as as_photo:
        await bot.send_photo(chat, loop.animation.file_id)
    assert as_photo.value.message == ptb_message(
        "Bad Request: can't use file of type Animation as Photo"
    )
    with pytest.raises(BadRequest) as edit_as_photo:
        await bot.edit_message_media(
            InputMediaPhoto(loop.animation.file_id), chat_id=chat, message_id=photo.message_id
        )
    assert edit_as_photo.value.message == as_photo.value.message
    assert [m.message_id for m in fake.bot_messages(chat)] == [photo.message_id, loop.message_id]


async def test_message_with_a_reply_keyboard_stays_as_sent(bot: Bot, chat: int) -> None:
    keyboard = ReplyKeyboardMarkup([[KeyboardButton("Done")]])
    sent = await bot.send_photo(chat, png(), reply_markup=keyboard)
    with pytest.raises(BadRequest) as error:
        await bot.edit_message_media(
            InputMediaAnimation(LOOP_DATA), chat_id=chat, message_id=sent.message_id
        )
    assert error.value.message == ptb_message("Bad Request: message can't be edited")


async def test_download_gives_back_the_uploaded_mp4(
    bot: Bot, chat: int, control: httpx.AsyncClient
) -> None:
    data = LOOP_DATA
    sent = await bot.send_animation(chat, data, filename="loop.mp4")
    assert sent.animation is not None
    file = await bot.get_file(sent.animation.file_id)
    assert file.file_size == len(data)
    assert file.file_path is not None and file.file_path.endswith(".mp4")
    assert bytes(await file.download_as_bytearray()) == data

    # The chat page's <video> reads the file by byte ranges.
    whole = await control.get(f"/files/{sent.animation.file_id}")
    assert (whole.status_code, whole.content) == (200, data)
    assert whole.headers["content-type"] == "video/mp4"
    assert whole.headers["accept-ranges"] == "bytes"
    part = await control.get(f"/files/{sent.animation.file_id}", headers={"Range": "bytes=100-"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-{len(data) - 1}/{len(data)}"
    assert part.content == data[100:]
    tail = await control.get(f"/files/{sent.animation.file_id}", headers={"Range": "bytes=-8"})
    assert (tail.status_code, tail.content) == (206, data[-8:])
    past = await control.get(
        f"/files/{sent.animation.file_id}", headers={"Range": f"bytes={len(data)}-"}
    )
    assert past.status_code == 416


async def test_gif_and_what_the_request_says(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    sent = await bot.send_animation(chat, gif(frames=4, frame_ms=500), filename="wave.gif")
    assert sent.animation is not None
    assert (sent.animation.width, sent.animation.height) == (120, 80)
    assert (sent.animation.mime_type, sent.animation.file_name) == ("image/gif", "wave.gif")
    assert shown_animation(fake, chat)["duration"] == 2

    # An MP4 whose boxes say nothing: the sizes the request gives are taken instead.
    bare = await bot.send_animation(
        chat, bare_mp4(), filename="bare.mp4", width=320, height=200, duration=5
    )
    assert bare.animation is not None
    assert (bare.animation.width, bare.animation.height) == (320, 200)
    assert shown_animation(fake, chat)["duration"] == 5


async def test_a_file_that_is_no_animation_arrives_as_a_document(
    bot: Bot, fake: FakeTelegram, chat: int
) -> None:
    sent = await bot.send_animation(chat, b"plain notes, not a video", filename="notes.txt")
    assert sent.animation is None
    assert sent.document is not None
    assert (sent.document.file_name, sent.document.mime_type) == ("notes.txt", "text/plain")
    assert last(fake, chat).document == sent.document.to_dict()
