"""Group chats in the fake Telegram, as Telegram reports them: who is in a group and as what
(`getChatMember`), and the ChatMember objects PTB reads."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from playground.fake_registry import Method
from playground.fake_types import JSON, ApiError, bad_request

if TYPE_CHECKING:
    from playground.fake_content import Params
    from playground.fake_state import FakeTelegram

# The statuses the fake models (Telegram also has "restricted").
STATUSES = ("creator", "administrator", "member", "left", "kicked")
IN_CHAT = frozenset({"creator", "administrator", "member"})
GROUP_TYPES = frozenset({"group", "supergroup"})
_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
)


def member_json(status: str, user: JSON) -> JSON:
    """A ChatMember object of `status`, with the fields Telegram always sends for it."""
    member: JSON = {"status": status, "user": copy.deepcopy(user)}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update({"can_be_edited": False, "is_anonymous": False, "can_promote_members": False})
        member.update(dict.fromkeys(_ADMIN_RIGHTS, True))
    elif status == "kicked":
        member["until_date"] = 0
    return member


async def get_chat_member(fake: FakeTelegram, params: Params) -> JSON:
    """A user's membership of a chat the bot is in: "left" for someone Telegram knows who is
    not in it, 400 for a user id nobody ever used."""
    chat = fake.chat_for_bot(params.require("chat_id"))
    user_id = params.require("user_id")
    user_id = (
        int(user_id) if isinstance(user_id, str) and user_id.lstrip("-").isdigit() else user_id
    )
    if user_id == fake.bot_user["id"]:
        return member_json(fake.bot_status.get(chat.chat["id"], "member"), fake.bot_user)
    user = fake.users.get(user_id) if isinstance(user_id, int) else None
    if user is None:
        raise bad_request("PARTICIPANT_ID_INVALID")
    if chat.chat["type"] == "private":
        if chat.chat["id"] != user_id:
            raise ApiError(400, "Bad Request: user not found")
        return member_json("member", user)
    return member_json(fake.member_status(chat.chat["id"], user_id), user)


METHODS: dict[str, Method] = {"getChatMember": get_chat_member}
