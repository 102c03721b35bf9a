"""The Bot API methods besides messages (those are in fake_messages): callback answers,
files, commands, the bot's identity and update delivery."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from playground.fake_registry import Method
from playground.fake_types import JSON, QUERY_TOO_OLD, bad_request

if TYPE_CHECKING:
    from playground.fake_content import Params
    from playground.fake_state import FakeTelegram

COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


async def answer_callback_query(fake: FakeTelegram, params: Params) -> bool:
    record = fake.callbacks.get(str(params.get("callback_query_id")))
    if record is None or record.answer is not None:
        raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
    if len(params.get("text") or "") > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    url = params.get("url")
    if url is not None and not _opens_the_bot(fake, str(url)):
        # Telegram opens only a game's URL or a link to the bot itself (t.me/<bot>?start=…).
        raise bad_request("URL_INVALID")
    record.answer = {
        "text": params.get("text"),
        "show_alert": bool(params.get("show_alert") or False),
        "url": params.get("url"),
    }
    fake.emit(
        "callback_answer",
        record.chat_id,
        message_id=record.message_id,
        callback_query_id=record.callback_query_id,
        answer=dict(record.answer),
    )
    return True


START_LINK = re.compile(
    r"^(?:https?://)?(?:t\.me|telegram\.me)/(?P<bot>[A-Za-z0-9_]{5,32})"
    r"(?:\?start=[A-Za-z0-9_-]{1,64})?$"
)


def _opens_the_bot(fake: FakeTelegram, url: str) -> bool:
    found = START_LINK.match(url)
    return found is not None and found["bot"].lower() == str(fake.bot_user["username"]).lower()


async def get_file(fake: FakeTelegram, params: Params) -> JSON:
    stored = fake.files.get(str(params.require("file_id")))
    if stored is None:
        raise bad_request("invalid file_id")
    return stored.file()


def _scope_key(params: Params) -> str:
    scope = params.get("scope") or {"type": "default"}
    return f"{scope.get('type')}:{scope.get('chat_id', '')}:{_language_code(params)}"


async def set_my_commands(fake: FakeTelegram, params: Params) -> bool:
    commands = [dict(c) for c in params.get("commands") or []]
    for command in commands:
        if not COMMAND_RE.match(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    fake.command_scopes[_scope_key(params)] = commands
    fake.commands = fake.command_scopes.get("default::", [])
    return True


async def get_my_commands(fake: FakeTelegram, params: Params) -> list[JSON]:
    return copy.deepcopy(fake.command_scopes.get(_scope_key(params), []))


async def delete_my_commands(fake: FakeTelegram, params: Params) -> bool:
    fake.command_scopes.pop(_scope_key(params), None)
    fake.commands = fake.command_scopes.get("default::", [])
    return True


LANGUAGE_CODE_RE = re.compile(r"^([a-z]{2})?$")
DESCRIPTION_LIMIT, SHORT_DESCRIPTION_LIMIT = 512, 120


def _language_code(params: Params) -> str:
    """The language a bot setting is for: "" (everyone else) or an ISO 639-1 code, as Telegram
    checks it ("pt", never "pt_BR")."""
    code = str(params.get("language_code") or "")
    if not LANGUAGE_CODE_RE.match(code):
        raise bad_request("LANGUAGE_CODE_INVALID")
    return code


def _set_text(store: dict[str, str], params: Params, key: str, limit: int, error: str) -> bool:
    """setMyDescription / setMyShortDescription: one text per language; empty removes it."""
    text = str(params.get(key) or "")
    if len(text) > limit:
        raise bad_request(error)
    code = _language_code(params)
    if text:
        store[code] = text
    else:
        store.pop(code, None)
    return True


async def set_my_description(fake: FakeTelegram, params: Params) -> bool:
    return _set_text(
        fake.descriptions, params, "description", DESCRIPTION_LIMIT, "BOT_DESCRIPTION_INVALID"
    )


async def get_my_description(fake: FakeTelegram, params: Params) -> JSON:
    return {"description": fake.descriptions.get(_language_code(params), "")}


async def set_my_short_description(fake: FakeTelegram, params: Params) -> bool:
    return _set_text(
        fake.short_descriptions,
        params,
        "short_description",
        SHORT_DESCRIPTION_LIMIT,
        "BOT_SHORT_DESCRIPTION_INVALID",
    )


async def get_my_short_description(fake: FakeTelegram, params: Params) -> JSON:
    return {"short_description": fake.short_descriptions.get(_language_code(params), "")}


async def get_me(fake: FakeTelegram, params: Params) -> JSON:
    return {
        **fake.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


async def get_updates(fake: FakeTelegram, params: Params) -> list[JSON]:
    return copy.deepcopy(await fake.updates.get_updates(params.values))


async def set_webhook(fake: FakeTelegram, params: Params) -> bool:
    fake.updates.set_webhook(params.values)
    return True


async def delete_webhook(fake: FakeTelegram, params: Params) -> bool:
    fake.updates.set_webhook({"url": "", **{k: v for k, v in params.values.items() if k != "url"}})
    return True


async def get_webhook_info(fake: FakeTelegram, params: Params) -> JSON:
    return fake.updates.webhook_info()


# The Bot API methods of this module, by their canonical names; fake_app wires them in.
METHODS: dict[str, Method] = {
    "answerCallbackQuery": answer_callback_query,
    "getFile": get_file,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setMyDescription": set_my_description,
    "getMyDescription": get_my_description,
    "setMyShortDescription": set_my_short_description,
    "getMyShortDescription": get_my_short_description,
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}
