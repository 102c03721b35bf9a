"""Plain data of the fake Telegram: what a chat shows, injected faults, API errors, chat events."""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from typing import Any

JSON = dict[str, Any]

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
WRONG_FILE_ID = "Bad Request: wrong file identifier/HTTP URL specified"
BLOCKED = "Forbidden: bot was blocked by the user"


class ApiError(Exception):
    """A Bot API error answer: `{"ok": false, "error_code": code, "description": ...}`."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


@dataclass
class Faults:
    """Faults injected into the bot's calls (getUpdates and getMe are spared unless listed).

    `chats` scopes every fault to calls addressed to those chats (a slow network for one user).
    The per-chat limits are Telegram's own kind: `chat_rate_per_second` for each private chat
    (with bursts up to `chat_burst`), `group_rate_per_minute` for each group; they count only
    the calls that put something in a chat (send*, edit*, copy*, forward*).
    `too_many_every` answers every Nth call 429 whatever the pace: a storm that happens as
    surely on a slow machine, where the bot may never reach `rate_limit_per_second`.
    `rate_limit_per_second` is the bot's pace as Telegram counts it: messages (calls addressed
    to a chat) in any one second, a 429 for the one over; `paid_rate_per_second` the pace with
    paid broadcasts (`allow_paid_broadcast`, up to 1,000 a second): a message with the flag
    goes while all messages in the second are fewer, one without it only within the free
    pace; unset, a paid broadcast is refused (the bot has no Stars for it)."""

    rate_limit_per_second: float | None = None
    paid_rate_per_second: float | None = None
    retry_after: int = 1
    error_5xx_every: int | None = None
    too_many_every: int | None = None
    delay_seconds: float = 0
    # Scripted delays: the next calls the faults apply to wait these, one each, in order;
    # then delay_seconds again (replays a network that answers out of order).
    delay_sequence: list[float] = field(default_factory=list)
    methods: set[str] | None = None
    chats: set[int] | None = None
    chat_rate_per_second: float | None = None
    chat_burst: int = 3
    group_rate_per_minute: float | None = None

    def applies_to(self, method: str, chat_id: object = None) -> bool:
        if self.chats is not None and chat_id not in self.chats:
            return False
        if self.methods is None:
            return method not in ("getUpdates", "getMe")
        return method in self.methods

    def to_json(self) -> JSON:
        data = asdict(self)
        data["methods"] = sorted(self.methods) if self.methods is not None else None
        data["chats"] = sorted(self.chats) if self.chats is not None else None
        return data

    @classmethod
    def from_json(cls, data: JSON) -> Faults:
        methods, chats = data.get("methods"), data.get("chats")
        return cls(
            rate_limit_per_second=_optional_float(data.get("rate_limit_per_second")),
            paid_rate_per_second=_optional_float(data.get("paid_rate_per_second")),
            retry_after=int(data.get("retry_after", 1)),
            error_5xx_every=data.get("error_5xx_every"),
            too_many_every=data.get("too_many_every"),
            delay_seconds=float(data.get("delay_seconds", 0)),
            delay_sequence=[float(d) for d in data.get("delay_sequence") or []],
            methods=set(methods) if methods is not None else None,
            chats={int(chat) for chat in chats} if chats is not None else None,
            chat_rate_per_second=_optional_float(data.get("chat_rate_per_second")),
            chat_burst=int(data.get("chat_burst", 3)),
            group_rate_per_minute=_optional_float(data.get("group_rate_per_minute")),
        )


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def ensure_utf8(value: Any, where: str) -> None:
    """Refuse strings that cannot be sent as UTF-8 (a lone UTF-16 surrogate such as "\\ud83d"):
    once queued, one would make every later answer that includes it fail to encode."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"{where}: strings must be encoded in UTF-8") from exc
    elif isinstance(value, dict):
        for key, item in value.items():
            ensure_utf8(key, where)
            ensure_utf8(item, where)
    elif isinstance(value, list | tuple):
        for item in value:
            ensure_utf8(item, where)


@dataclass
class LimitStats:
    """How the bot fared against the rate limits: 429s answered, and calls that came back
    before a 429's retry_after had run out (a client that honours every 429 has none)."""

    answered_429: int = 0
    early_after_429: int = 0
    # Messages sent with allow_paid_broadcast (each costs the bot 0.1 Star).
    paid_messages: int = 0


@dataclass
class ChatMessage:
    """One message as the user sees it in the chat, with edits applied in place."""

    message_id: int
    chat_id: int
    from_bot: bool
    text: str | None
    caption: str | None
    photo_file_id: str | None
    document: JSON | None  # an animation's message has its file here too, as on Telegram
    animation: JSON | None
    reply_markup: JSON | None
    edits: int
    date: int
    raw: JSON = field(repr=False)
    # Sent with disable_notification: it arrives without a sound (Telegram's Message does not
    # say so; the fake remembers it for the tests and the page).
    silent: bool = False

    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """The inline keyboard as rows of (text, callback_data or url); [] without one."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [
            [(button["text"], button.get("callback_data", button.get("url"))) for button in row]
            for row in rows
        ]

    def update_from(self, raw: JSON, markup: JSON | None) -> None:
        """Mirror the Telegram Message dict into the fields a test reads."""
        self.raw = raw
        self.text = raw.get("text")
        self.caption = raw.get("caption")
        photo = raw.get("photo")
        self.photo_file_id = photo[-1]["file_id"] if photo else None
        self.document = raw.get("document")
        self.animation = raw.get("animation")
        self.reply_markup = markup

    def snapshot(self) -> ChatMessage:
        """A copy that later edits do not change (tests compare before and after)."""
        return copy.deepcopy(self)

    def to_json(self) -> JSON:
        return asdict(self)


@dataclass
class ChatEvent:
    """A change in a chat, for live views: kind is message, edit, delete, callback_answer
    or keyboard (the chat's reply keyboard changed)."""

    kind: str
    chat_id: int
    message_id: int | None = None
    message: ChatMessage | None = None
    callback_query_id: str | None = None
    answer: JSON | None = None
    keyboard: JSON | None = None

    def to_json(self) -> JSON:
        return asdict(self)


@dataclass
class CallbackRecord:
    """A tap on a button and, once the bot answered, what the user was shown."""

    callback_query_id: str
    chat_id: int
    message_id: int
    user_id: int
    data: str
    answer: JSON | None = None


def user_json(
    user_id: int, first_name: str, language_code: str | None, *, is_bot: bool = False
) -> JSON:
    user: JSON = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if language_code is not None:
        user["language_code"] = language_code
    return user


def chat_json(chat_id: int, chat_type: str, first_name: str) -> JSON:
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": first_name}
    return {"id": chat_id, "type": chat_type, "title": f"{first_name}'s group"}
