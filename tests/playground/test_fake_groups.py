"""Groups in the fake Telegram, checked as Telegram checks them: members and admins
(getChatMember), the bot added to and removed from a group (my_chat_member, then 403), who
may read a group's buttons, answers that open a link (only to the bot itself), and messages
sent without a sound."""

from __future__ import annotations

import httpx
import pytest
from telegram import (
    Bot,
    ChatMemberAdministrator,
    ChatMemberLeft,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.error import BadRequest, Forbidden

from playground.fake_telegram import FakeTelegram
from tests.playground.helpers import USER

GROUP = -1_001_555_000_001
ADMIN, MEMBER, STRANGER = 501, 502, 503


@pytest.fixture
def group(fake: FakeTelegram) -> int:
    fake.add_group(GROUP, "Stretch club", creator=ADMIN, first_name="Ada")
    fake.set_member(GROUP, MEMBER, first_name="Max")
    fake.set_member(GROUP, USER, "administrator", first_name="Ann")
    fake.send_text(STRANGER, "/start", first_name="Sam")  # known to Telegram, not in the group
    return GROUP


async def test_get_chat_member_says_who_is_in_the_group(bot: Bot, group: int) -> None:
    owner = await bot.get_chat_member(group, ADMIN)
    assert isinstance(owner, ChatMemberOwner) and owner.user.first_name == "Ada"
    assert isinstance(await bot.get_chat_member(group, USER), ChatMemberAdministrator)
    assert (await bot.get_chat_member(group, MEMBER)).status == "member"
    assert isinstance(await bot.get_chat_member(group, STRANGER), ChatMemberLeft)
    with pytest.raises(BadRequest, match=r"(?i)participant_id_invalid"):
        await bot.get_chat_member(group, 999_999)  # nobody ever used that id
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.get_chat_member(-1_009_999_999_999, ADMIN)


async def test_the_bot_hears_it_was_added_and_removed(
    fake: FakeTelegram, bot: Bot, group: int
) -> None:
    added = await bot.get_updates()
    assert [u.my_chat_member.new_chat_member.status for u in added if u.my_chat_member] == [
        "member"
    ]
    await bot.send_message(group, "Hello")
    fake.remove_bot(group, by=ADMIN)
    removed = await bot.get_updates(offset=added[-1].update_id + 1)
    change = next(u.my_chat_member for u in removed if u.my_chat_member)
    assert (change.chat.id, change.from_user.id, change.new_chat_member.status) == (
        group,
        ADMIN,
        "kicked",
    )
    with pytest.raises(Forbidden, match=r"(?i)kicked from the supergroup chat"):
        await bot.send_message(group, "Still here?")


async def test_only_members_tap_in_a_private_group_anyone_in_a_public_one(
    fake: FakeTelegram, bot: Bot, group: int
) -> None:
    sent = await bot.send_message(group, "Board", reply_markup=_one_button())
    fake.tap(MEMBER, sent.message_id, "v1:x", chat_id=group)
    with pytest.raises(PermissionError):
        fake.tap(STRANGER, sent.message_id, "v1:x", chat_id=group)
    fake.set_member(group, MEMBER, "left")
    with pytest.raises(PermissionError):
        fake.send_text(MEMBER, "/board", chat_id=group)
    public = -1_001_555_000_002
    fake.add_group(public, "Open club", creator=ADMIN, username="openclub")
    shown = await bot.send_message(public, "Board", reply_markup=_one_button())
    fake.tap(STRANGER, shown.message_id, "v1:x", chat_id=public)


async def test_a_tap_answer_may_open_only_the_bot_itself(
    fake: FakeTelegram, bot: Bot, chat: int
) -> None:
    sent = await bot.send_message(chat, "Board", reply_markup=_one_button())
    good, bad, other = (fake.tap(USER, sent.message_id, "v1:x") for _ in range(3))
    assert await bot.answer_callback_query(good, url="https://t.me/limber_bot?start=g_abc-1")
    with pytest.raises(BadRequest, match=r"(?i)url_invalid"):
        await bot.answer_callback_query(bad, url="https://example.com/")
    with pytest.raises(BadRequest, match=r"(?i)url_invalid"):
        await bot.answer_callback_query(other, url="https://t.me/another_bot?start=x")


async def test_a_message_sent_without_sound_is_marked_silent(
    fake: FakeTelegram, bot: Bot, chat: int
) -> None:
    await bot.send_message(chat, "Loud")
    await bot.send_message(chat, "Quiet", disable_notification=True)
    assert [(m.text, m.silent) for m in fake.bot_messages(chat)] == [
        ("Loud", False),
        ("Quiet", True),
    ]


async def test_the_control_api_makes_groups_and_members(
    fake: FakeTelegram, control: httpx.AsyncClient
) -> None:
    made = await control.post(
        f"/chats/{GROUP}/group", json={"creator": ADMIN, "title": "Club", "first_name": "Ada"}
    )
    assert made.json()["members"] == {str(ADMIN): "creator"}
    joined = await control.post(
        f"/chats/{GROUP}/members", json={"user_id": MEMBER, "first_name": "Max"}
    )
    assert joined.json() == {"status": "member"}
    refused = await control.post(f"/users/{STRANGER}/text", json={"text": "hi", "chat_id": GROUP})
    assert refused.status_code == 200  # writing in a group makes one a member, as joining does
    fake.set_member(GROUP, STRANGER, "kicked")
    banned = await control.post(f"/users/{STRANGER}/text", json={"text": "hi", "chat_id": GROUP})
    assert banned.status_code == 403


def _one_button() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Join", callback_data="v1:x")]])
