"""Pictures in chats, uploaded once per bot and then re-sent by the file_id Telegram gave us.

A picture is a PNG from the repo, a demonstration loop (MP4, sent as an animation), or the
summary's tracker, drawn off the event loop when first needed and kept by what it shows; all
three are cached the same way, so a tracker that many users see (12 of 12, say) goes up once.

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

from telegram import Bot, InlineKeyboardMarkup, InputMediaAnimation, InputMediaPhoto, Message
from telegram.error import BadRequest

from coach.session_flow import ANIMATION, Picture, Tracker
from storage import media as media_cache
from storage.db import Database

log = logging.getLogger(__name__)

CacheKey = tuple[int, str, str]  # bot id, asset key, content hash


@functools.cache
def _file_content(path: Path) -> tuple[bytes, str]:
    """A file's bytes and their SHA-256; the pictures ship with the code and never change
    while it runs, so each is read once."""
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


# Trackers drawn so far, by what they show (few distinct ones exist); the oldest go first.
_drawn: dict[Tracker, tuple[bytes, str]] = {}
DRAWN_KEPT = 512


def _tracker_content(tracker: Tracker) -> tuple[bytes, str]:
    """The tracker drawn: tens of ms of CPU, so it runs in a thread (see `_content`)."""
    from coach.tracker_image import TrackerSide, TrackerStretch, render_tracker

    stretches = [
        TrackerStretch(name, [TrackerSide(label, done, target) for label, done, target in sides])
        for name, sides in tracker.stretches
    ]
    data = render_tracker(stretches, title=tracker.title)
    return data, hashlib.sha256(data).hexdigest()


async def _content(picture: Picture) -> tuple[bytes, str]:
    if picture.path is not None:
        return _file_content(picture.path)
    assert picture.tracker is not None, picture
    # A send asks for the content several times (cache key, upload): one thread hop at most.
    found = _drawn.get(picture.tracker)
    if found is None:
        found = await asyncio.to_thread(_tracker_content, picture.tracker)
        if len(_drawn) >= DRAWN_KEPT:
            del _drawn[next(iter(_drawn))]
        _drawn[picture.tracker] = found
    return found


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
        key = await _key(bot_id, picture)
        if key in self._known:
            return self._known[key]
        async with self.db.transaction() as session:
            found = await media_cache.file_id(session, *key)
        if found is not None:
            self._known[key] = found
        return found

    async def remember(self, bot_id: int, picture: Picture, file_id: str) -> None:
        """Store (or replace) the file_id of an uploaded picture."""
        key = await _key(bot_id, picture)
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
        """Send a photo (or an animation) with caption and keyboard, by cached file_id when
        there is one."""
        options: dict[str, Any] = {
            "caption": caption,
            "reply_markup": markup,
        }

        async def by_file_id(file_id: str) -> Message:
            if picture.kind == ANIMATION:
                return await bot.send_animation(chat_id, animation=file_id, **options)
            return await bot.send_photo(chat_id, photo=file_id, **options)

        async def upload(data: bytes) -> Message:
            name = picture.filename
            if picture.kind == ANIMATION:
                return await bot.send_animation(chat_id, animation=data, filename=name, **options)
            return await bot.send_photo(chat_id, photo=data, filename=name, **options)

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
        """Replace a message's photo (or animation), caption and keyboard in place."""

        async def by_file_id(file_id: str) -> Message | bool:
            media = _input_media(picture, file_id, None, caption)
            return await _edit_media(bot, chat_id, message_id, media, markup)

        async def upload(data: bytes) -> Message | bool:
            media = _input_media(picture, data, picture.filename, caption)
            return await _edit_media(bot, chat_id, message_id, media, markup)

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
            key = await _key(bot_id, picture)
            async with self._uploading.setdefault(key, asyncio.Lock()):
                file_id = await self.file_id(bot_id, picture)
                if file_id is None:
                    return await self._upload(bot_id, picture, upload)
        try:
            return await by_file_id(file_id)
        except BadRequest as error:
            if not _is_stale_file_id(error):
                raise
            log.info("Cached file_id for %s was rejected; uploading again", picture.asset_key)
            self._known.pop(await _key(bot_id, picture), None)
        return await self._upload(bot_id, picture, upload)

    async def _upload(
        self,
        bot_id: int,
        picture: Picture,
        upload: Callable[[bytes], Awaitable[Message | bool]],
    ) -> Message | bool:
        sent = await upload((await _content(picture))[0])
        if (uploaded := _uploaded_file_id(sent)) is not None:
            await self.remember(bot_id, picture, uploaded)
        return sent


async def _key(bot_id: int, picture: Picture) -> CacheKey:
    return bot_id, picture.asset_key, (await _content(picture))[1]


def _uploaded_file_id(message: Message | bool) -> str | None:
    if not isinstance(message, Message):
        return None
    if message.animation is not None:
        return message.animation.file_id
    if message.photo:
        return message.photo[-1].file_id  # the largest size is the one we sent
    return None


def _input_media(
    picture: Picture, media: str | bytes, filename: str | None, caption: str
) -> InputMediaPhoto | InputMediaAnimation:
    if picture.kind == ANIMATION:
        return InputMediaAnimation(media, caption=caption, filename=filename)
    return InputMediaPhoto(media, caption=caption, filename=filename)


async def _edit_media(
    bot: Bot,
    chat_id: int,
    message_id: int,
    media: InputMediaPhoto | InputMediaAnimation,
    markup: InlineKeyboardMarkup | None,
) -> Message | bool:
    try:
        return await bot.edit_message_media(
            media, chat_id=chat_id, message_id=message_id, reply_markup=markup
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
