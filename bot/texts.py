"""Every user-facing string, in one place (ready for translation). Tests assert against these.

Texts use Telegram's HTML parse mode; values from users are escaped by the caller
with `html.escape` before formatting. Each feature has its own section below.
"""

from __future__ import annotations

# ── Commands: the /help list and Telegram's command menu are both built from this. ──
COMMANDS: tuple[tuple[str, str], ...] = (
    ("stretch", "Start today's guided stretches"),
    ("help", "What Limber does and how to use it"),
)

# ── Foundation: welcome, help, groups, errors ──
WELCOME = (
    "👋 Hi {name}! I'm <b>Limber</b>. Every day I'll walk you through two gentle back "
    "stretches, lying down, in about five minutes."
)
SAFETY = "⚠️ Stop if anything hurts sharply. This is general guidance, not medical advice."
HELP_HEADER = "<b>Limber</b> guides two daily back stretches, step by step with pictures."
HELP_COMMAND_LINE = "/{command} — {description}"
HELP_CREDIT = (
    'The routine follows "Healthy Back Stretches" by Dr. Ben Kim, retold in our own words.'
)
GROUP_ONLY_PRIVATE = "I coach stretches in private chats. Tap here to start: {link}"
ERROR_GENERIC = "😕 Sorry, something went wrong on my side. Please try again in a moment."
BUTTON_EXPIRED = "This button has expired — send /stretch"
UNKNOWN_COMMAND = "I don't know that command. Send /help to see what I can do."
UNKNOWN_TEXT = "I didn't catch that. Send /stretch to stretch now, or /help for everything else."
UNSUPPORTED_MESSAGE = "I can only read text here. Send /help to see what I can do."
