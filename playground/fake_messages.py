"""The Bot API methods that send, edit and delete messages, with Telegram's checks: unknown
chat, blocked user, text and caption limits, keyboards, "message is not modified"."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from playground.fake_content import (
    Params,
    caption_content,
    check_markup,
    is_inline,
    resolve_media,
    text_content,
)
from playground.fake_registry import Method
from playground.fake_types import JSON, NOT_MODIFIED, bad_request

if TYPE_CHECKING:
    from playground.fake_state import ChatState, FakeTelegram
    from playground.fake_types import ChatMessage

CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
# The parts of a Message that editMessageMedia replaces (an animation also has a document).
MEDIA_KEYS = ("photo", "document", "animation")


# ---- sending ------------------------------------------------------------------------------


def _chat(fake: FakeTelegram, params: Params) -> ChatState:
    return fake.chat_for_bot(params.require("chat_id"))


def _send(fake: FakeTelegram, chat: ChatState, content: JSON, params: Params) -> JSON:
    if chat.chat["id"] in fake.muted:
        raise bad_request("not enough rights to send text messages to the chat")
    markup = check_markup(params.get("reply_markup"))
    raw: JSON = {
        "message_id": chat.take_id(),
        "from": dict(fake.bot_user),
        "chat": copy.deepcopy(chat.chat),
        "date": fake.date(),
        **content,
    }
    reply_to = (params.get("reply_parameters") or {}).get("message_id")
    if reply_to in chat.messages:
        raw["reply_to_message"] = copy.deepcopy(chat.messages[reply_to].raw)
    if is_inline(markup):
        raw["reply_markup"] = markup  # only inline keyboards belong to the Message object
    fake.add_message(chat, raw, from_bot=True, silent=bool(params.get("disable_notification")))
    if markup and "keyboard" in markup:
        fake.set_reply_keyboard(chat, markup)
    elif markup and markup.get("remove_keyboard"):
        fake.set_reply_keyboard(chat, None)
    if markup is not None and not is_inline(markup):
        chat.messages[raw["message_id"]].reply_markup = markup  # shown by the chat page
    return copy.deepcopy(raw)


async def send_message(fake: FakeTelegram, params: Params) -> JSON:
    chat = _chat(fake, params)
    return _send(fake, chat, text_content(params), params)


async def send_photo(fake: FakeTelegram, params: Params) -> JSON:
    return _send_media(fake, params, "photo")


async def send_document(fake: FakeTelegram, params: Params) -> JSON:
    return _send_media(fake, params, "document")


async def send_animation(fake: FakeTelegram, params: Params) -> JSON:
    """An MP4 or GIF loop: the Message has `animation` and, as on Telegram, `document` too."""
    return _send_media(fake, params, "animation")


def _send_media(fake: FakeTelegram, params: Params, kind: str) -> JSON:
    """A photo, document or animation (its parameter is named like its kind) with an optional
    caption."""
    chat = _chat(fake, params)
    caption = caption_content(
        params.get("caption"), params.get("parse_mode"), params.get("caption_entities")
    )
    media = resolve_media(fake.files, params, params.get(kind), kind, kind, params.values)
    return _send(fake, chat, {**media, **caption}, params)


async def send_chat_action(fake: FakeTelegram, params: Params) -> bool:
    _chat(fake, params)
    if params.get("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


# ---- editing and deleting -----------------------------------------------------------------


def _editable(fake: FakeTelegram, params: Params) -> tuple[ChatState, ChatMessage]:
    chat = _chat(fake, params)
    message = chat.messages.get(params.message_id())
    if message is None:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    if message.reply_markup is not None and not is_inline(message.reply_markup):
        # As on Telegram: a message sent with a reply keyboard (or its removal) stays as sent.
        raise bad_request("message can't be edited")
    return chat, message


def _edit(
    fake: FakeTelegram,
    chat: ChatState,
    message: ChatMessage,
    content: JSON,
    keys: tuple[str, ...],
    params: Params,
) -> JSON:
    """Replace the `keys` part of the message with `content` and its inline keyboard."""
    markup = check_markup(params.get("reply_markup"))
    if markup is not None and not is_inline(markup):
        raise bad_request("inline keyboard expected")
    old = {key: message.raw[key] for key in keys if key in message.raw}
    if old == content and markup == message.raw.get("reply_markup"):
        raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
    raw = {k: v for k, v in message.raw.items() if k not in (*keys, "reply_markup", "edit_date")}
    raw.update(content)
    if markup is not None:
        raw["reply_markup"] = markup
    raw["edit_date"] = fake.date()
    # An edit without reply_markup removes the inline keyboard, as on Telegram.
    message.update_from(raw, markup)
    message.edits += 1
    fake.emit("edit", chat.chat["id"], message)
    return copy.deepcopy(raw)


async def edit_message_text(fake: FakeTelegram, params: Params) -> JSON:
    chat, message = _editable(fake, params)
    if "text" not in message.raw:
        raise bad_request("there is no text in the message to edit")
    return _edit(fake, chat, message, text_content(params), ("text", "entities"), params)


async def edit_message_caption(fake: FakeTelegram, params: Params) -> JSON:
    chat, message = _editable(fake, params)
    if "text" in message.raw:
        raise bad_request("there is no caption in the message to edit")
    caption = caption_content(
        params.get("caption"), params.get("parse_mode"), params.get("caption_entities")
    )
    return _edit(fake, chat, message, caption, ("caption", "caption_entities"), params)


async def edit_message_media(fake: FakeTelegram, params: Params) -> JSON:
    chat, message = _editable(fake, params)
    if not any(key in message.raw for key in MEDIA_KEYS):
        raise bad_request("there is no media in the message to edit")
    media = params.require("media")
    kind = media.get("type") if isinstance(media, dict) else None
    if kind not in MEDIA_KEYS:
        raise bad_request("unsupported media type in InputMedia")
    content = resolve_media(fake.files, params, media.get("media"), kind, "media", media)
    caption = caption_content(
        media.get("caption"), media.get("parse_mode"), media.get("caption_entities")
    )
    keys = (*MEDIA_KEYS, "caption", "caption_entities")
    return _edit(fake, chat, message, {**content, **caption}, keys, params)


async def edit_message_reply_markup(fake: FakeTelegram, params: Params) -> JSON:
    chat, message = _editable(fake, params)
    return _edit(fake, chat, message, {}, (), params)


async def delete_message(fake: FakeTelegram, params: Params) -> bool:
    chat = _chat(fake, params)
    message_id = params.message_id()
    if chat.messages.pop(message_id, None) is None:
        raise bad_request("message to delete not found")
    fake.emit("delete", chat.chat["id"], message_id=message_id)
    return True


# The Bot API methods of this module, by their canonical names; fake_app wires them in.
METHODS: dict[str, Method] = {
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "sendAnimation": send_animation,
    "sendChatAction": send_chat_action,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageMedia": edit_message_media,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
}
