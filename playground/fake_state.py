"""The state of a fake Telegram for one bot: users act (write, share a location, tap buttons,
block the bot), the Bot API methods change the chats, and tests or the chat page read them."""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from playground.fake_files import FileStore
from playground.fake_groups import GROUP_TYPES, IN_CHAT, STATUSES, member_json
from playground.fake_types import (
    JSON,
    ApiError,
    CallbackRecord,
    ChatEvent,
    ChatMessage,
    Faults,
    LimitStats,
    chat_json,
    user_json,
)
from playground.fake_updates import UpdateQueue

T = TypeVar("T")


@dataclass
class ChatState:
    """One chat: its messages in order, the shared message-id counter, the reply keyboard."""

    chat: JSON
    messages: dict[int, ChatMessage] = field(default_factory=dict)
    next_message_id: int = 1
    reply_keyboard: JSON | None = None

    def take_id(self) -> int:
        self.next_message_id += 1
        return self.next_message_id - 1


class FakeTelegram:
    """The state of a fake Telegram as seen by one bot (token) and its users."""

    def __init__(
        self,
        token: str,
        *,
        bot_id: int = 7000001,
        bot_username: str = "limber_bot",
        bot_first_name: str = "Limber",
    ) -> None:
        self.token = token
        self.bot_user: JSON = {
            **user_json(bot_id, bot_first_name, None, is_bot=True),
            "username": bot_username,
        }
        self.commands: list[dict[str, Any]] = []  # default scope, any language
        self.command_scopes: dict[str, list[dict[str, Any]]] = {}  # "scope:chat:language" → list
        # setMyDescription / setMyShortDescription, by language_code ("" for the default)
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        # setChatMenuButton: the default of every chat, and chats' own (playground.fake_webapp)
        self.menu_button: JSON = {"type": "default"}
        self.chat_menu_buttons: dict[int, JSON] = {}
        self.uploads = 0
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.faults = Faults()
        # What the rate limits (Faults) count seconds by; a test may hold it still.
        self.clock: Callable[[], float] = time.monotonic
        # What message dates say (Message.date, edit_date, a member update's date), in Unix
        # seconds: the real time, or the bot's clock when the playground moves it forward.
        self.date_clock: Callable[[], float] = time.time
        self.limit_stats = LimitStats()
        self.files = FileStore()
        self.updates = UpdateQueue(self.notify)
        self.chats: dict[int, ChatState] = {}
        self.users: dict[int, JSON] = {}
        self.blocked: set[int] = set()
        # Groups: each member's status by chat, and the bot's own ("member", or "kicked"
        # once removed); a user with no status in a group has "left" it (or never joined).
        self.members: dict[int, dict[int, str]] = {}
        self.bot_status: dict[int, str] = {}
        self.muted: set[int] = set()  # groups where the bot may not write (mute_bot)
        self.callbacks: dict[str, CallbackRecord] = {}
        self._next_query = 0
        self._changed = asyncio.Event()
        self._subscribers: list[asyncio.Queue[ChatEvent]] = []

    def commands_for(self, chat_id: int) -> list[dict[str, Any]]:
        """The "/" menu a private chat shows, as Telegram picks it: the chat's own list, else
        the default list for the user's app language, else the default list."""
        user = self.users.get(chat_id) or {}
        language = str(user.get("language_code") or "").split("-")[0]
        for key in (f"chat:{chat_id}:", f"default::{language}", "default::"):
            if key in self.command_scopes:
                return self.command_scopes[key]
        return []

    def menu_button_for(self, chat_id: int) -> JSON:
        """The menu button a private chat shows: its own, else the bot's default. A group's
        is the command list: Telegram sets menu buttons for private chats only."""
        if chat_id < 0:
            return {"type": "commands"}
        return self.chat_menu_buttons.get(chat_id, self.menu_button)

    # ---- acting as users -------------------------------------------------------------

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str | None = None,
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        """The user writes `text`; a leading /command (also /cmd@bot) gets its entity. A user
        keeps the first name they last wrote with (the first time: `first_name` or Ann)."""
        content: JSON = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            length = len(command.encode("utf-16-le")) // 2
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self._user_message(user_id, content, chat_id, chat_type, first_name, language_code)

    def send_location(
        self, user_id: int, latitude: float, longitude: float, **kwargs: Any
    ) -> dict[str, Any]:
        """The user shares a location (as the "request_location" button does)."""
        content = {"location": {"latitude": latitude, "longitude": longitude}}
        return self._user_message(user_id, content, **kwargs)

    def send_sticker(self, user_id: int, **kwargs: Any) -> dict[str, Any]:
        """The user sends a sticker: input the bot should not expect."""
        return self._user_message(user_id, {"sticker": self.files.add_sticker()}, **kwargs)

    def tap(self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None) -> str:
        """The user taps a button of `message_id` carrying `data` (any data, even forged)."""
        chat = self.chats.get(chat_id if chat_id is not None else user_id)
        message = chat.messages.get(message_id) if chat else None
        if chat is None or message is None:
            raise KeyError(f"no message {message_id} in chat {chat_id or user_id} to tap")
        if not self._can_read(chat, user_id):
            raise PermissionError(f"user {user_id} is not in chat {chat.chat['id']}")
        self._next_query += 1
        query_id = str(4_000_000_000_000_000_000 + self._next_query)
        self.callbacks[query_id] = CallbackRecord(
            query_id, chat.chat["id"], message_id, user_id, data
        )
        query = {
            "id": query_id,
            "from": self._user(user_id),
            "message": copy.deepcopy(message.raw),
            "chat_instance": str(abs(hash((self.bot_user["id"], chat.chat["id"])))),
            "data": data,
        }
        self.updates.push({"callback_query": query})
        self.notify()
        return query_id

    # ---- groups --------------------------------------------------------------------------

    def add_group(
        self,
        chat_id: int,
        title: str,
        *,
        creator: int,
        chat_type: str = "supergroup",
        username: str | None = None,
        first_name: str | None = None,
        language_code: str | None = "en",
    ) -> None:
        """`creator` makes a group and adds the bot to it (Telegram tells the bot with a
        my_chat_member update); a group with a `username` is public: anyone can read it.
        A creator Telegram knows keeps their name unless `first_name` gives another."""
        if chat_id >= 0 or chat_type not in GROUP_TYPES:
            raise ValueError("a group's id is negative and its type group or supergroup")
        chat: JSON = {"id": chat_id, "type": chat_type, "title": title}
        if username:
            chat["username"] = username
        self.chats.setdefault(chat_id, ChatState(chat))
        self.set_member(
            chat_id, creator, "creator", first_name=first_name, language_code=language_code
        )
        self.bot_status[chat_id] = "member"
        self._member_update(chat_id, creator, "left", "member")

    def set_member(
        self,
        chat_id: int,
        user_id: int,
        status: str = "member",
        *,
        first_name: str | None = None,
        language_code: str | None = "en",
    ) -> None:
        """A user joins a group, becomes an admin, leaves it or is banned (`status`)."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}")
        if first_name is not None or user_id not in self.users:
            self.users[user_id] = user_json(user_id, first_name or "Ann", language_code)
        self.members.setdefault(chat_id, {})[user_id] = status
        self.notify()

    def member_status(self, chat_id: int, user_id: int) -> str:
        return self.members.get(chat_id, {}).get(user_id, "left")

    def mute_bot(self, chat_id: int, muted: bool = True) -> None:
        """An admin takes away (or gives back) the bot's right to write in a group: its sends
        there fail with 400 meanwhile, as Telegram's do."""
        if muted:
            self.muted.add(chat_id)
        else:
            self.muted.discard(chat_id)

    def remove_bot(self, chat_id: int, by: int) -> None:
        """A group admin removes the bot: its sends there fail with 403 from now on."""
        self.bot_status[chat_id] = "kicked"
        self._member_update(chat_id, by, "member", "kicked")

    def block(self, user_id: int) -> None:
        """The user blocks the bot: its sends to them fail with 403 from now on."""
        self.blocked.add(user_id)
        self._member_update(user_id, user_id, "member", "kicked")

    def unblock(self, user_id: int) -> None:
        self.blocked.discard(user_id)
        self._member_update(user_id, user_id, "kicked", "member")

    # ---- reading what users see --------------------------------------------------------

    def history(self, chat_id: int) -> list[ChatMessage]:
        """User and bot messages in order, edits applied in place (snapshots)."""
        chat = self.chats.get(chat_id)
        return [m.snapshot() for m in chat.messages.values()] if chat else []

    def bot_messages(self, chat_id: int) -> list[ChatMessage]:
        chat = self.chats.get(chat_id)
        return [m.snapshot() for m in chat.messages.values() if m.from_bot] if chat else []

    def last_bot_message(self, chat_id: int) -> ChatMessage | None:
        # Called by wait_for predicates after every API call: copy one message, not the chat.
        chat = self.chats.get(chat_id)
        ours = [m for m in chat.messages.values() if m.from_bot] if chat else []
        return ours[-1].snapshot() if ours else None

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The reply keyboard the user currently sees under the input field, if any."""
        chat = self.chats.get(chat_id)
        return copy.deepcopy(chat.reply_keyboard) if chat else None

    def callback_answer(self, callback_query_id: str) -> dict[str, Any] | None:
        record = self.callbacks.get(callback_query_id)
        return dict(record.answer) if record and record.answer is not None else None

    async def wait_for(self, predicate: Callable[[], T | None], timeout: float = 10.0) -> T:
        """Wait until predicate() is truthy, re-checking after every Bot API call and user act."""
        deadline = time.monotonic() + timeout
        while True:
            changed = self._changed  # taken before checking, so no change is missed
            result = predicate()
            if result:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(self._timeout_message(predicate, timeout))
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                continue  # one last check above, then the helpful error

    def _timeout_message(self, predicate: Callable[[], object], timeout: float) -> str:
        name = getattr(predicate, "__qualname__", repr(predicate))
        code = getattr(predicate, "__code__", None)
        where = f" ({code.co_filename}:{code.co_firstlineno})" if code else ""
        recent = ", ".join(method for method, _ in self.calls[-8:]) or "none"
        return (
            f"wait_for: {name}{where} still falsy after {timeout} s; "
            f"last Bot API calls: {recent}; updates not yet taken by the bot: "
            f"{self.updates.pending}"
        )

    async def subscribe(self) -> AsyncIterator[ChatEvent]:
        """Every chat change (message, edit, delete, callback_answer, keyboard) as it happens."""
        queue: asyncio.Queue[ChatEvent] = asyncio.Queue()
        self._subscribers.append(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._subscribers.remove(queue)

    # ---- shared by the Bot API methods ---------------------------------------------------

    def notify(self) -> None:
        """Wake wait_for callers: something may have changed."""
        self._changed.set()
        self._changed = asyncio.Event()

    def emit(
        self, kind: str, chat_id: int, message: ChatMessage | None = None, **extra: Any
    ) -> None:
        event = ChatEvent(
            kind,
            chat_id,
            message.message_id if message else extra.pop("message_id", None),
            message.snapshot() if message else None,
            **extra,
        )
        for queue in self._subscribers:
            queue.put_nowait(event)

    def date(self) -> int:
        """Now as a message's `date`: whole Unix seconds by `date_clock`."""
        return int(self.date_clock())

    def chat_for_bot(self, chat_id: object) -> ChatState:
        """The chat the bot addresses: 400 if no user ever wrote there, 403 if blocked."""
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat.chat["type"] == "private" and chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        status = self.bot_status.get(chat.chat["id"], "member")
        if chat.chat["type"] != "private" and status not in IN_CHAT:
            kind = chat.chat["type"]
            if status == "kicked":
                raise ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind} chat")
        return chat

    def add_message(
        self, chat: ChatState, raw: JSON, *, from_bot: bool, silent: bool = False
    ) -> ChatMessage:
        message = ChatMessage(
            message_id=raw["message_id"],
            chat_id=chat.chat["id"],
            from_bot=from_bot,
            text=None,
            caption=None,
            photo_file_id=None,
            document=None,
            animation=None,
            reply_markup=None,
            edits=0,
            date=raw["date"],
            raw=raw,
            silent=silent,
        )
        message.update_from(raw, raw.get("reply_markup"))
        chat.messages[message.message_id] = message
        self.emit("message", chat.chat["id"], message)
        return message

    def set_reply_keyboard(self, chat: ChatState, keyboard: JSON | None) -> None:
        chat.reply_keyboard = keyboard
        self.emit("keyboard", chat.chat["id"], keyboard=keyboard)

    # ---- internals ---------------------------------------------------------------------

    def _user(self, user_id: int) -> JSON:
        return copy.deepcopy(self.users.get(user_id) or user_json(user_id, "Ann", "en"))

    def _user_message(
        self,
        user_id: int,
        content: JSON,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str | None = None,
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        first_name = first_name or (self.users.get(user_id) or {}).get("first_name") or "Ann"
        self.users[user_id] = user_json(user_id, first_name, language_code)
        chat_id = user_id if chat_id is None else chat_id
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = self.chats[chat_id] = ChatState(chat_json(chat_id, chat_type, first_name))
        if chat.chat["type"] in GROUP_TYPES:
            # Whoever writes in a group is in it (tests of groups need not add everyone),
            # unless they left or were banned: then Telegram lets them write nothing there.
            members = self.members.setdefault(chat_id, {})
            if members.setdefault(user_id, "member") not in IN_CHAT:
                raise PermissionError(f"user {user_id} is not in chat {chat_id}")
        raw = {
            "message_id": chat.take_id(),
            "from": self._user(user_id),
            "chat": copy.deepcopy(chat.chat),
            "date": self.date(),
            **content,
        }
        self.add_message(chat, raw, from_bot=False)
        if chat.reply_keyboard and chat.reply_keyboard.get("one_time_keyboard"):
            self.set_reply_keyboard(chat, None)
        self.updates.push({"message": copy.deepcopy(raw)})
        self.notify()
        return copy.deepcopy(raw)

    def _can_read(self, chat: ChatState, user_id: int) -> bool:
        """Whether a user sees a chat's messages: their own private chat; a group they are in,
        or a public one (anyone may read it)."""
        if chat.chat["type"] not in GROUP_TYPES:
            return bool(chat.chat["id"] == user_id)
        status = self.member_status(chat.chat["id"], user_id)
        return status in IN_CHAT or ("username" in chat.chat and status != "kicked")

    def _member_update(self, chat_id: int, by: int, old: str, new: str) -> None:
        """Telegram's my_chat_member: the bot's status in a chat changed, by `by`'s doing."""
        chat = self.chats.get(chat_id)
        if chat is not None:
            member = {
                "chat": copy.deepcopy(chat.chat),
                "from": self._user(by),
                "date": self.date(),
                "old_chat_member": member_json(old, self.bot_user),
                "new_chat_member": member_json(new, self.bot_user),
            }
            self.updates.push({"my_chat_member": member})
        self.notify()
