"""Pictures in chats, uploaded once per bot and then re-sent by the file_id Telegram gave us.

MediaCache rows are keyed by bot id, asset key and a hash of the file's bytes, so a redrawn
picture is uploaded afresh and another bot (token) never sees our file_ids. A file_id that
Telegram rejects ("wrong file identifier") is uploaded again and its row replaced.

Each lookup and each store is its own short transaction: the upload itself happens outside
any transaction, so a slow HTTP call never holds the database (SQLite's write lock above all).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputMediaPhoto, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.session_flow import Picture
from storage import media as media_cache
from storage.db import Database

log = logging.getLogger(__name__)


@functools.cache
def _content(path: Path) -> tuple[bytes, str]:
    """A picture's bytes and their SHA-256; the pictures ship with the code and never change
    while it runs, so each is read once."""
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


def is_not_modified(error: BadRequest) -> bool:
    return "message is not modified" in error.message.lower()


def _is_stale_file_id(error: BadRequest) -> bool:
    text = error.message.lower()
    return "wrong file identifier" in text or "file reference" in text


async def cached_file_id(db: Database, bot_id: int, picture: Picture) -> str | None:
    """The file_id of this exact picture (same bytes) uploaded by this bot, if any."""
    _, digest = _content(picture.path)
    async with db.transaction() as session:
        return await media_cache.file_id(session, bot_id, picture.asset_key, digest)


async def remember_file_id(db: Database, bot_id: int, picture: Picture, file_id: str) -> None:
    """Store (or replace) the file_id of an uploaded picture."""
    _, digest = _content(picture.path)
    async with db.transaction() as session:
        await media_cache.remember(session, bot_id, picture.asset_key, digest, file_id)


def _uploaded_file_id(message: Message | bool) -> str | None:
    if isinstance(message, Message) and message.photo:
        return message.photo[-1].file_id  # the largest size is the one we sent
    return None


async def send_picture(
    bot: Bot,
    db: Database,
    chat_id: int,
    picture: Picture,
    caption: str,
    markup: InlineKeyboardMarkup | None,
) -> Message:
    """Send a photo with caption and keyboard, by cached file_id when there is one."""
    options: dict[str, Any] = {
        "caption": caption,
        "parse_mode": ParseMode.HTML,
        "reply_markup": markup,
    }
    file_id = await cached_file_id(db, bot.id, picture)
    if file_id is not None:
        try:
            return await bot.send_photo(chat_id, photo=file_id, **options)
        except BadRequest as error:
            if not _is_stale_file_id(error):
                raise
            log.info("Cached file_id for %s was rejected; uploading again", picture.asset_key)
    data, _ = _content(picture.path)
    message = await bot.send_photo(chat_id, photo=data, filename=picture.path.name, **options)
    if (uploaded := _uploaded_file_id(message)) is not None:
        await remember_file_id(db, bot.id, picture, uploaded)
    return message


async def edit_picture(
    bot: Bot,
    db: Database,
    chat_id: int,
    message_id: int,
    picture: Picture,
    caption: str,
    markup: InlineKeyboardMarkup | None,
) -> None:
    """Replace a message's photo, caption and keyboard in place."""
    file_id = await cached_file_id(db, bot.id, picture)
    if file_id is not None:
        try:
            await _edit_media(bot, chat_id, message_id, file_id, None, caption, markup)
            return
        except BadRequest as error:
            if not _is_stale_file_id(error):
                raise
            log.info("Cached file_id for %s was rejected; uploading again", picture.asset_key)
    data, _ = _content(picture.path)
    edited = await _edit_media(bot, chat_id, message_id, data, picture.path.name, caption, markup)
    if (uploaded := _uploaded_file_id(edited)) is not None:
        await remember_file_id(db, bot.id, picture, uploaded)


async def _edit_media(
    bot: Bot,
    chat_id: int,
    message_id: int,
    media: str | bytes,
    filename: str | None,
    caption: str,
    markup: InlineKeyboardMarkup | None,
) -> Message | bool:
    photo = InputMediaPhoto(media, caption=caption, parse_mode=ParseMode.HTML, filename=filename)
    try:
        return await bot.edit_message_media(
            photo, chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except BadRequest as error:
        if is_not_modified(error):
            return False  # a double tap re-rendered the same screen
        raise


async def edit_caption(
    bot: Bot, chat_id: int, message_id: int, caption: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Change a photo message's caption and keyboard, keeping its picture."""
    try:
        await bot.edit_message_caption(
            chat_id=chat_id,
            message_id=message_id,
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )
    except BadRequest as error:
        if not is_not_modified(error):
            raise
