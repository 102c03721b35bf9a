"""Photos and documents: multipart uploads checked with Pillow, re-sending by file_id,
editMessageMedia, getFile and downloads, through a real PTB Bot."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from telegram import Bot, InputMediaDocument, InputMediaPhoto
from telegram.error import BadRequest, TelegramError

from playground.fake_telegram import FakeTelegram
from playground.fake_types import WRONG_FILE_ID
from tests.playground.helpers import last, png


def ptb_message(description: str) -> str:
    return TelegramError(description).message


async def test_photo_upload_then_resend_by_file_id(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    first = await bot.send_photo(chat, png(640, 480), caption="Step 1")
    largest = first.photo[-1]
    assert (largest.width, largest.height) == (640, 480)
    assert max(first.photo[0].width, first.photo[0].height) == 90  # Telegram's preview size
    assert fake.uploads == 1

    again = await bot.send_photo(chat, largest.file_id, caption="Step 1 again")
    assert again.photo[-1].file_id == largest.file_id
    assert fake.uploads == 1  # the cached file_id costs no upload
    shown = fake.bot_messages(chat)
    assert [(m.photo_file_id, m.caption) for m in shown] == [
        (largest.file_id, "Step 1"),
        (largest.file_id, "Step 1 again"),
    ]


async def test_download_gives_back_the_uploaded_image(bot: Bot, chat: int) -> None:
    sent = await bot.send_photo(chat, png(200, 100, "orange"))
    file = await bot.get_file(sent.photo[-1].file_id)
    data = await file.download_as_bytearray()
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (200, 100)
        assert image.convert("RGB").getpixel((10, 10)) == (255, 165, 0)


async def test_not_an_image_and_unknown_file_id(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    with pytest.raises(BadRequest) as broken:
        await bot.send_photo(chat, b"this is not a picture")
    assert broken.value.message == ptb_message("Bad Request: IMAGE_PROCESS_FAILED")
    with pytest.raises(BadRequest) as unknown:
        await bot.send_photo(chat, "AgACnever-uploaded")
    assert unknown.value.message == ptb_message(WRONG_FILE_ID)
    assert fake.bot_messages(chat) == []


async def test_caption_limit_after_html(bot: Bot, chat: int) -> None:
    photo = png()
    await bot.send_photo(chat, photo, caption=f"<i>{'b' * 1024}</i>", parse_mode="HTML")
    with pytest.raises(BadRequest) as error:
        await bot.send_photo(chat, photo, caption="b" * 1025)
    assert error.value.message == ptb_message("Bad Request: message caption is too long")


async def test_document_send_and_download(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    payload = b'{"streak": 3}'
    sent = await bot.send_document(chat, payload, filename="limber-export.json")
    assert sent.document is not None
    assert (sent.document.file_name, sent.document.mime_type) == (
        "limber-export.json",
        "application/json",
    )
    assert last(fake, chat).document == sent.document.to_dict()
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == payload
    assert fake.uploads == 1


async def test_edit_media_by_upload_and_by_file_id(bot: Bot, fake: FakeTelegram, chat: int) -> None:
    sent = await bot.send_photo(chat, png(100, 100), caption="Lie on your back")
    step_two = await bot.edit_message_media(
        InputMediaPhoto(png(300, 200, "navy"), caption="Knees to the right"),
        chat_id=chat,
        message_id=sent.message_id,
    )
    assert not isinstance(step_two, bool)
    assert step_two.caption == "Knees to the right"
    shown = last(fake, chat)
    assert (shown.message_id, shown.caption, shown.edits) == (
        sent.message_id,
        "Knees to the right",
        1,
    )
    assert (shown.raw["photo"][-1]["width"], shown.raw["photo"][-1]["height"]) == (300, 200)
    assert fake.uploads == 2

    await bot.edit_message_media(
        InputMediaPhoto(sent.photo[-1].file_id, caption="Back to the start"),
        chat_id=chat,
        message_id=sent.message_id,
    )
    shown = last(fake, chat)
    assert (shown.photo_file_id, shown.edits) == (sent.photo[-1].file_id, 2)
    assert fake.uploads == 2

    with pytest.raises(BadRequest):  # same picture, same caption: nothing to change
        await bot.edit_message_media(
            InputMediaPhoto(sent.photo[-1].file_id, caption="Back to the start"),
            chat_id=chat,
            message_id=sent.message_id,
        )
    await bot.edit_message_media(
        InputMediaDocument(b"notes", filename="notes.txt"), chat_id=chat, message_id=sent.message_id
    )
    shown = last(fake, chat)
    assert (shown.photo_file_id, shown.document and shown.document["file_name"]) == (
        None,
        "notes.txt",
    )
