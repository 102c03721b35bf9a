"""Pictures in chats, uploaded once per bot and then re-sent by the file_id Telegram gave us.

MediaCache rows are keyed by bot id, asset key and a hash of the file's bytes, so a redrawn
picture is uploaded afresh and another bot (token) never sees our file_ids. A file_id that
Telegram rejects ("wrong file identifier") is uploaded again and its row replaced.

Each lookup and each store is its own short transaction: the upload itself happens outside
any transaction, so a slow HTTP call never holds the database (SQLite's write lock above all).

A file_id, once known, is kept in memory too: it names fixed bytes, so any instance may keep
it (a rejected one is dropped and replaced like the stored one). While a picture has no
file_id yet, its first upload goes alone and the others wait for the file_id it brings,
instead of a hundred users at 07:00 each uploading the same bytes.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputMediaPhoto, Message
from telegram.error import BadRequest

from coach.session_flow import Picture
from storage import media as media_cache
from storage.db import Database

log = logging.getLogger(__name__)

CacheKey = tuple[int, str, str]  # bot id, asset key, content hash


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


class Pictures:
    """Sends and edits pictures for one Application; remembers file_ids in its database and,
    once read, in memory (bounded by the pictures in the repo times the bots using it)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._known: dict[CacheKey, str] = {}
        self._uploading: dict[CacheKey, asyncio.Lock] = {}

    async def file_id(self, bot_id: int, picture: Picture) -> str | None:
        """The file_id of this exact picture (same bytes) uploaded by this bot, if any."""
        key = _key(bot_id, picture)
        if key in self._known:
            return self._known[key]
        async with self.db.transaction() as session:
            found = await media_cache.file_id(session, *key)
        if found is not None:
            self._known[key] = found
        return found

    async def remember(self, bot_id: int, picture: Picture, file_id: str) -> None:
        """Store (or replace) the file_id of an uploaded picture."""
        key = _key(bot_id, picture)
        async with self.db.transaction() as session:
            await media_cache.remember(session, *key, file_id)
        self._known[key] = file_id

    async def send(
        self,
        bot: Bot,
        chat_id: int,
        picture: Picture,
        caption: str,
        markup: InlineKeyboardMarkup | None,
    ) -> Message:
        """Send a photo with caption and keyboard, by cached file_id when there is one."""
        options: dict[str, Any] = {
            "caption": caption,
            "reply_markup": markup,
        }

        async def by_file_id(file_id: str) -> Message:
            return await bot.send_photo(chat_id, photo=file_id, **options)

        async def upload(data: bytes) -> Message:
            return await bot.send_photo(chat_id, photo=data, filename=picture.path.name, **options)

        sent = await self._by_file_id_or_upload(bot.id, picture, by_file_id, upload)
        assert isinstance(sent, Message)
        return sent

    async def edit(
        self,
        bot: Bot,
        chat_id: int,
        message_id: int,
        picture: Picture,
        caption: str,
        markup: InlineKeyboardMarkup | None,
    ) -> None:
        """Replace a message's photo, caption and keyboard in place."""

        async def by_file_id(file_id: str) -> Message | bool:
            return await _edit_media(bot, chat_id, message_id, file_id, None, caption, markup)

        async def upload(data: bytes) -> Message | bool:
            name = picture.path.name
            return await _edit_media(bot, chat_id, message_id, data, name, caption, markup)

        await self._by_file_id_or_upload(bot.id, picture, by_file_id, upload)

    async def _by_file_id_or_upload(
        self,
        bot_id: int,
        picture: Picture,
        by_file_id: Callable[[str], Awaitable[Message | bool]],
        upload: Callable[[bytes], Awaitable[Message | bool]],
    ) -> Message | bool:
        """Send by the cached file_id; without one (or when Telegram refuses it), upload once
        while concurrent senders of the same picture wait for the file_id it brings."""
        file_id = await self.file_id(bot_id, picture)
        if file_id is None:
            async with self._uploading.setdefault(_key(bot_id, picture), asyncio.Lock()):
                file_id = await self.file_id(bot_id, picture)
                if file_id is None:
                    return await self._upload(bot_id, picture, upload)
        try:
            return await by_file_id(file_id)
        except BadRequest as error:
            if not _is_stale_file_id(error):
                raise
            log.info("Cached file_id for %s was rejected; uploading again", picture.asset_key)
            self._known.pop(_key(bot_id, picture), None)
        return await self._upload(bot_id, picture, upload)

    async def _upload(
        self,
        bot_id: int,
        picture: Picture,
        upload: Callable[[bytes], Awaitable[Message | bool]],
    ) -> Message | bool:
        sent = await upload(_content(picture.path)[0])
        if (uploaded := _uploaded_file_id(sent)) is not None:
            await self.remember(bot_id, picture, uploaded)
        return sent


def _key(bot_id: int, picture: Picture) -> CacheKey:
    return bot_id, picture.asset_key, _content(picture.path)[1]


def _uploaded_file_id(message: Message | bool) -> str | None:
    if isinstance(message, Message) and message.photo:
        return message.photo[-1].file_id  # the largest size is the one we sent
    return None


async def _edit_media(
    bot: Bot,
    chat_id: int,
    message_id: int,
    media: str | bytes,
    filename: str | None,
    caption: str,
    markup: InlineKeyboardMarkup | None,
) -> Message | bool:
    photo = InputMediaPhoto(media, caption=caption, filename=filename)
    try:
        return await bot.edit_message_media(
            photo, chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except BadRequest as error:
        if is_not_modified(error):
            # Handlers skip identical edits; this is the last resort for a race we missed.
            log.debug("Telegram refused an identical media edit")
            return False
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
            reply_markup=markup,
        )
    except BadRequest as error:
        if not is_not_modified(error):
            raise
        log.debug("Telegram refused an identical caption edit")
