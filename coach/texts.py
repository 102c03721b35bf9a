"""Every user-facing string, in one place, in English. Tests assert against these.

Texts use Telegram's HTML parse mode; values from users are escaped by the caller
with `html.escape` before formatting. Each feature has its own section below.

Each English text is the msgid of its translations (coach/locale, gettext). The constants
below are moved into `_ENGLISH` at the end of this module, and `texts.NAME` is answered by a
module `__getattr__` in the language of the update being handled (coach.i18n), so call
sites read `texts.NAME` as before; `from coach.texts import NAME` would freeze English.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from typing import TYPE_CHECKING

from coach import i18n

# ── Commands: the /help list and Telegram's command menu are both built from this. ──
COMMANDS: tuple[tuple[str, str], ...] = (
    ("stretch", "Start today's guided stretches"),
    ("progress", "Your streak, today's sets and a calendar of recent weeks"),
    ("settings", "Reminder time, weekdays, time zone, sets, hold, pause"),
    ("export", "Download everything Limber stores about you (JSON)"),
    ("deleteme", "Delete all your data from Limber"),
    ("time", "Change your daily reminder time"),
    ("timezone", "Change your time zone"),
    ("pause", "Pause for a few days: no reminders, your streak is safe"),
    ("resume", "End a pause"),
    ("language", "Change the language Limber speaks"),
    ("help", "What Limber does and how to use it"),
)
# What Telegram shows before START (an empty chat: up to 512 characters, plain text) and on
# the bot's profile and share link (up to 120); set per language at start (bot/app.py).
BOT_DESCRIPTION = (
    "Limber walks you through two gentle back stretches every day, lying down, in about five "
    "minutes: step by step, with a picture for each step. A daily reminder at your local time, "
    "one tap per set, and a streak to keep.\n\n"
    "General guidance, not medical advice: stop if anything hurts sharply."
)
BOT_SHORT_DESCRIPTION = (
    "Two gentle back stretches a day, step by step with pictures. About five minutes."
)

# ── Feature: /language ──
LANGUAGE_ASK = "🌐 Which language should I speak?"
LANGUAGE_SET = "✅ From now on I'll speak English. Send /language to change it again."
LANGUAGE_SET_TOAST = "English ✅"
LANGUAGE_EXPIRED = "This question has expired — send /language again."

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
BUTTON_EXPIRED_NO_USER = "This button has expired — send /start to begin again."
SESSION_ALREADY_OPEN = "Your session is open below 👇 (send /stretch to bring it here)"
UNKNOWN_COMMAND = "I don't know that command. Send /help to see what I can do."
UNKNOWN_TEXT = "I didn't catch that. Send /stretch to stretch now, or /help for everything else."
UNSUPPORTED_MESSAGE = "I can only read text here. Send /help to see what I can do."

# ── Feature: guided /stretch session ──
SESSION_INTRO_TITLE = "🧘 <b>Today's back stretches</b>"
SESSION_PLAN = "About {minutes} minutes · {sets} sets of about {seconds} s on each side."
SESSION_TODAY = "Today: <b>{done}/{target}</b> sets"
SESSION_STREAK = "🔥 Streak: <b>{current}</b> {days} (best {best})"
SESSION_HEADING = "<b>{stretch}</b>\n{side_label} · {where}"
SESSION_STEP_OF = "step {number} of {count}"
SESSION_HOLD_WHERE = "hold"
SESSION_HOLD_HINT = "⏳ Hold each set about {seconds} s."
SESSION_SETS = "Sets: {tracker}"
SESSION_SIDE_DONE = "✅ All {sets} sets done on this side — tap Next."
SESSION_TIMER_RUNNING = "⏱ {seconds} s left — keep breathing slowly."
SESSION_TIMER_DONE = "⏱ Time's up! Set {number} done?"
SESSION_TIMER_OVER = "⏱ Time's up!"
SESSION_SUMMARY_DONE = "🎉 <b>All done for today!</b> Your back thanks you."
SESSION_SUMMARY_PARTIAL = "<b>Nice work.</b> Some sets are still open today — tap Log sets."
FEEL_QUESTION = "How does your back feel today?"
FEEL_NOTED = "Back today: {face} {score}/10 — tap another face to change it."
FEEL_TOAST = "Noted: {face} {score}/10. Thank you!"
# Five faces for the 0–10 scale, bad to great; the chosen one is marked.
FEEL_FACES = ("😖", "🙁", "😐", "🙂", "😄")
FEEL_SELECTED = "·{face}·"
MILESTONE = "🏅 <b>{days} days in a row!</b> {cheer}"
MILESTONE_CHEERS = (
    (3, "A habit is starting."),
    (7, "A whole week — well done."),
    (14, "Two weeks strong."),
    (30, "A month of a happier back."),
    (100, "One hundred days. Remarkable."),
)
SESSION_LOG_TITLE = "📋 <b>Log sets</b>"
SESSION_BTN_WATCH = "▶ Watch the move"
SESSION_DEMO_WHERE = "the whole move"
SESSION_DEMO_HINT = "Watch it once from start to hold; it loops. Then set up with step 1."
SESSION_BTN_TO_STEP = "Step 1 ▶"
# Drawn in the summary picture (coach.tracker_image).
TRACKER_TITLE = "Today: {done}/{target} sets"
SIDE_LEFT = "Left"
SIDE_RIGHT = "Right"
SESSION_LOG_HELP = "Tap 🔲 to log a set you did, tap ✅ to undo it."
SESSION_MARK_DONE = "✅"
SESSION_MARK_OPEN = "🔲"
TRACKER_DONE = "●"
TRACKER_OPEN = "○"
SESSION_BTN_START = "▶ Start"
SESSION_BTN_NEXT = "Next ▶"
SESSION_BTN_BACK = "◀ Back"
SESSION_BTN_FINISH = "🏁 Finish"
SESSION_BTN_LOG = "📋 Log sets"
SESSION_BTN_GUIDED = "🧘 Guided session"
SESSION_BTN_SUMMARY = "🏁 Summary"
SESSION_BTN_GUIDE_STRETCH = "📖 {title}"
SESSION_BTN_SET_DONE = "✅ Set {number} done"
SESSION_BTN_TIMER = "⏱ Timer {seconds} s"
SESSION_BTN_LOG_SET = "{mark} {side} {number}"
SESSION_SET_LOGGED = "Set {number} logged ✅"
SESSION_SET_ALREADY = "Set {number} is already logged ✅"
SESSION_SET_UNDONE = "Set {number} undone ↩️ (not counted)"
SESSION_SET_NOT_LOGGED = "Set {number} is not logged"
SESSION_TIMER_STARTED = "⏱ {seconds} s — breathe slowly"

# ── Feature: /progress ──
PROGRESS_TEXT = (
    "📈 <b>Your progress</b>\n"
    "🔥 Streak: <b>{current}</b> {current_days} (best {best})\n"
    "✅ Today: <b>{done}/{target}</b> sets\n"
    "📅 This week: {week_met} {week_days} with the full target\n"
    "🧮 Total: {total} sets"
)
PROGRESS_PAUSED_LINE = "⏸ Paused {span} — days you skip while paused don't break your streak."
PROGRESS_NO_USER = "Send /start first, and I'll set you up."
# Drawn in the /progress picture (coach.calendar_image, in DejaVu Sans).
CALENDAR_TITLE = "Limber · last 12 weeks"
CALENDAR_SUBTITLE = "Streak {current} · best {best} · {total} sets in all"


WEEKDAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_LONG = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Chosen reminder weekdays in words (bot/schedule.describe_weekdays).
WEEKDAYS_EVERY_DAY = "every day"
WEEKDAYS_WORKWEEK = "weekdays"
WEEKDAYS_WEEKEND = "weekends"
WEEKDAYS_NONE = "no days"
# Words drawn into the /progress calendar picture (bot/calendar_image).
CALENDAR_LESS, CALENDAR_MORE = "Less", "More"
CALENDAR_PAUSED, CALENDAR_TODAY = "Paused", "Today"
CALENDAR_FEEL = "Back"  # the row of weekly back-feel averages, 0-10


def days_word(count: int) -> str:
    """ "day" or "days" after `count` (Russian has three forms: the catalog's plural rules)."""
    return i18n.ngettext("day", "days", count)


def sets_left(count: int) -> str:
    """ "one set left", "3 sets left"."""
    return i18n.ngettext(_REMINDER_LEFT_ONE, _REMINDER_LEFT_MANY, count).format(n=count)


# ── Feature: /settings ──
SETTINGS_TITLE = "⚙️ <b>Settings</b>"
SETTINGS_REMINDER = "⏰ Reminder: <b>{time}</b> on {weekdays}"
SETTINGS_REMINDER_UNSET = "⏰ Reminder: <i>no time set yet</i>"
SETTINGS_ZONE = "🌍 Time zone: {zone}"
SETTINGS_ZONE_UNSET = "🌍 Time zone: <i>not set</i>"
SETTINGS_SETS = "🔁 Sets per side: <b>{sets}</b>"
SETTINGS_HOLD = "⏱ Hold: <b>{hold} s</b>"
SETTINGS_HINT = "Tap to change. Rows: weekdays · sets per side · hold · pause."
SETTINGS_PAUSED = "⏸ Paused <b>{span}</b> (no reminders; your streak is safe)"
SETTINGS_NEXT = "Next reminder: <b>{when}</b>"
SETTINGS_BUTTON_TIME = "⏰ Time"
SETTINGS_BUTTON_ZONE = "🌍 Time zone"
SETTINGS_LANGUAGE = "🌐 Language: {language}"
SETTINGS_BUTTON_LANGUAGE = "🌐 Language"
SETTINGS_BUTTON_SETS = "{n}×"
SETTINGS_BUTTON_HOLD = "{n}s"
SETTINGS_BUTTON_PAUSE = "⏸ {n}d"
SETTINGS_BUTTON_PAUSE_OPEN = "⏸ Until I resume"
SETTINGS_BUTTON_RESUME = "▶ Resume now"
SETTINGS_BUTTON_DONE = "✔ Done"
SETTINGS_RECAP_ON = "📬 Weekly recap: <b>on</b> (with the week's first reminder)"
SETTINGS_RECAP_OFF = "📬 Weekly recap: <b>off</b>"
SETTINGS_BUTTON_RECAP_ON = "📬 Weekly recap on"
SETTINGS_BUTTON_RECAP_OFF = "📭 Weekly recap off"
SETTINGS_RECAP_ON_TOAST = "Weekly recap on"
SETTINGS_RECAP_OFF_TOAST = "No more weekly recaps"
SETTINGS_SELECTED = "•{label}•"
SETTINGS_DAY_ON = "✓{day}"
SETTINGS_WEEKDAY_SHORT = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
SETTINGS_SAVED = "Saved"
SETTINGS_DAY_ON_TOAST = "{day}: reminders on"
SETTINGS_DAY_OFF_TOAST = "{day}: no reminders"
SETTINGS_SETS_TOAST = "Sets per side: {n}"
# Today has logged sets: it keeps the target it started with (bot/streaks.py).
SETTINGS_SETS_FROM_TOMORROW_TOAST = "Sets per side: {n} from tomorrow — today keeps {today}"
SETTINGS_HOLD_TOAST = "Hold: {n} s"
SETTINGS_UNCHANGED = "Already set — nothing changed."
SETTINGS_MENU_EXPIRED = "This menu has expired — send /settings for a fresh one."
SETTINGS_OUT_OF_RANGE = "That value isn't available — nothing changed."
SETTINGS_PAUSED_TOAST = "Paused {span}"
SETTINGS_PAUSED_FROM_TOMORROW_TOAST = "Today is already met, so: paused {span}"
SETTINGS_RESUMED_TOAST = "Welcome back — the pause is over"
SETTINGS_CLOSED = "⚙️ Settings saved. Send /settings to change them again."

# ── Feature: /export and /deleteme ──
EXPORT_CAPTION = "📦 Everything Limber stores about you, as JSON."
DELETE_CONFIRM = (
    "🗑 <b>Delete all your data?</b>\n"
    "Your settings, every logged set, reminders and pauses will be erased for good. "
    "Send /export first if you want a copy."
)
DELETE_BUTTON_YES = "Yes, delete everything"
DELETE_BUTTON_NO = "Cancel"
DELETE_DONE = "✅ Done — everything Limber stored about you is deleted. Send /start to begin again."
DELETE_CANCELLED = "👍 Nothing was deleted."
DELETE_EXPIRED = "This confirmation has expired — send /deleteme again"
TIME_EXPIRED = "This question is answered already — change the time in /settings."

# ── Feature: onboarding, /time, /timezone, /pause, /resume ──
ASK_ZONE = (
    "🌍 First, your time zone, so reminders arrive at your local time. Tap "
    "<b>📍 Share location</b>, or type a city or an offset, e.g. {examples}."
)
SHARE_LOCATION_BUTTON = "📍 Share location"
ZONE_EXAMPLE_BUTTONS = ("London", "Berlin", "New York", "UTC+5:30")
ZONE_EXAMPLES = "Berlin, New York, Europe/Paris or UTC+5:30"
ZONE_HINT = "🤔 I don't know that time zone. Try a city, a zone name or an offset, e.g. {examples}."
LOCATION_NO_ZONE = (
    "🤔 I couldn't find a time zone there. Type a city or an offset, e.g. {examples}."
)
ZONE_SET = "✅ Time zone: <b>{zone}</b> — it's {local_time} there now."
# How a confirmation names a zone: "EST → America/New_York, UTC-05:00 now, UTC-04:00 in summer".
ZONE_VIA = "{via} → {zone}"
ZONE_SEASONS = "{zone}, {now} now, {other} in {season}"
ZONE_SUMMER, ZONE_WINTER = "summer", "winter"
ZONE_GUESSED = "Not the zone you meant?"
ZONE_PICK_ANOTHER_BUTTON = "🌍 Pick another"
ZONE_PICK_ANOTHER_EXPIRED = "This button has expired — send /timezone to change your zone."
ZONE_CHOOSE = "🌍 {place} has several time zones. Which one is yours? You can also type a city."
ZONE_CHOICE_BUTTON = "{city} ({offset})"
ZONE_CHOICE_EXPIRED = "This question is answered already — change the zone in /settings."
ASK_TIME = "⏰ When should I remind you each day? Tap a time or type one (7:30, 19:45, 7pm)."
TIME_HINT = "🤔 I didn't understand that time. Try 7:30, 19:45, 7pm or noon."
TIME_CHOSEN = "⏰ Reminder time: <b>{time}</b>"
ONBOARDING_DONE = "🎉 All set! Your first reminder: <b>{next}</b>.\nFeel like stretching right now?"
START_NOW_BUTTON = "▶ Start now"
WELCOME_BACK = (
    "👋 Welcome back, {name}! Next reminder: <b>{next}</b>. Send /stretch to stretch now."
)
NEXT_TODAY = "Today at {time} ({zone})"
NEXT_TOMORROW = "Tomorrow at {time} ({zone})"
NEXT_LATER = "{when} at {time} ({zone})"  # when: "Wed 2 Dec" (i18n.short_date)
NEXT_PAUSED = "none — paused until you /resume"
NEXT_UNSET = "none yet — send /start to finish setting up"
TIME_CHANGED = "⏰ Reminder time set to <b>{time}</b>. Next reminder: <b>{next}</b>."
ZONE_CHANGED = "🌍 Time zone set to <b>{zone}</b>. Next reminder: <b>{next}</b>."

# ── Feature: the pause (/pause, /resume and the settings menu) ──
# How a pause reads in a sentence: "Paused until Fri 4 Dec", "Paused until you resume".
PAUSE_SPAN_UNTIL = "until {until}"
PAUSE_SPAN_OPEN = "until you resume"
PAUSE_SPAN_FROM_TOMORROW = "from tomorrow {span}"
PAUSE_ASK = (
    "⏸ <b>Pause</b> — no reminders, and days you skip while paused don't break your streak "
    "(days you do finish still count). For how long?"
)
PAUSE_ASK_PAUSED = "⏸ You're paused {span}. Pick a new length, or send /resume to come back."
PAUSE_BUTTON_DAYS = "{n} {days}"
PAUSE_BUTTON_OPEN = "Until I resume"
PAUSED = "⏸ Paused {span}: no reminders, and your streak is safe. Send /resume to come back sooner."
PAUSED_OPEN = "⏸ Paused until you send /resume: no reminders, and your streak is safe."
PAUSE_STARTS_TOMORROW = "✅ Today's target is already met, so the pause starts tomorrow."
PAUSE_EXPIRED = "This question has expired — send /pause again."
RESUMED = "▶ Welcome back — the pause is over. Next reminder: <b>{next}</b>."
PAUSE_CANCELLED = "▶ Your pause from tomorrow is cancelled. Next reminder: <b>{next}</b>."
NOT_PAUSED = "▶ You're not paused. Next reminder: <b>{next}</b>."

# ── Feature: daily reminder ──
REMINDER = "🧘 Time for your back stretches — about five minutes, lying down."
REMINDER_STREAK = "🔥 Your streak: <b>{days}</b> {days_word}. Keep it going!"
REMINDER_NO_STREAK = "✨ Today is a great day to start a streak."
REMINDER_TODAY_SO_FAR = "✅ Today so far: <b>{done}/{target}</b> done — {left}."
# Through ngettext (sets_left): a translation's singular may say {n} (Russian: 21, 31 …).
_REMINDER_LEFT_ONE = "one set left"
_REMINDER_LEFT_MANY = "{n} sets left"
# The day's reminder once the target is met: edited to this, without buttons.
REMINDER_DONE = "✅ Today's stretches are done ({target}/{target} sets). See you tomorrow!"
REMINDER_START_BUTTON = "▶ Start"

# ── Feature: the weekly recap (with the week's first reminder) ──
RECAP_TITLE = "📬 <b>Your week with Limber</b>"
RECAP_DAYS = "✅ {days} {days_word} of 7 with the full target · {sets} sets"
RECAP_STREAK = "🔥 Streak: <b>{current}</b> (best {best})"
RECAP_FEEL = "🙂 Your back felt {feel}/10 on average."
RECAP_FEEL_TREND = (
    "🙂 Your back felt {feel}/10 on average ({trend} from {before}/10 the week before)."
)
RECAP_FEEL_NONE = "🙂 Tap a face on the summary to see how your back feels week by week."
RECAP_UP, RECAP_DOWN, RECAP_SAME = "up", "down", "about the same"
RECAP_CLOSING = "A new week starts today — your stretches are below."
REMINDER_SNOOZE_15_BUTTON = "⏰ 15 min"
REMINDER_SNOOZE_60_BUTTON = "⏰ 1 h"
REMINDER_SKIP_BUTTON = "Skip today"
REMINDER_SNOOZED = "⏰ Snoozed — I'll remind you again at {time}."
REMINDER_SNOOZED_TOAST = "See you at {time}"
REMINDER_SKIPPED = "👌 Skipped today — no more reminders until {next}."
REMINDER_SKIPPED_TOAST = "Skipped today"
REMINDER_EXPIRED = "This reminder is from another day."

# ── Per-language access (coach.i18n) ──
# (singular, plural) msgids of the ngettext calls above, for the catalog (scripts/i18n.py).
PLURALS: tuple[tuple[str, str], ...] = (
    ("day", "days"),
    (_REMINDER_LEFT_ONE, _REMINDER_LEFT_MANY),
)
# Kept as they are in every language: names a user may type back to us (ZONE_EXAMPLES is
# translated for its "or" only: the zone parser reads English city names).
UNTRANSLATED = frozenset({"ZONE_EXAMPLE_BUTTONS", "PLURALS", "UNTRANSLATED"})


def _commands(english: object) -> object:
    assert isinstance(english, tuple)
    return tuple((command, i18n.gettext(about)) for command, about in english)


# Names whose words come from Babel's locale data (CLDR) or need their own rule.
_RULES: dict[str, Callable[[object], object]] = {
    "COMMANDS": _commands,
    "WEEKDAY_SHORT": lambda _: i18n.weekday_names("abbreviated"),
    "WEEKDAY_LONG": lambda _: i18n.weekday_names("wide"),
    "SETTINGS_WEEKDAY_SHORT": lambda _: i18n.weekday_names("short"),
    "MONTH_SHORT": lambda _: i18n.month_names("abbreviated"),
}


_TAG = re.compile(r"<[^>]*>")


def has_words(text: str) -> bool:
    """Whether a text has words to translate once its {placeholders} are left out."""
    literal = "".join(part for part, _, _, _ in string.Formatter().parse(text))
    return any(ch.isalpha() for ch in _TAG.sub("", literal))


def _translated(value: object) -> object:
    if isinstance(value, str):
        return i18n.gettext(value) if has_words(value) else value
    if isinstance(value, tuple):
        return tuple(_translated(item) for item in value)
    return value


_ENGLISH: dict[str, object] = {
    name: value
    for name, value in globals().items()
    if name.isupper() and name[0] != "_" and isinstance(value, str | tuple)
}
for _name in _ENGLISH:
    if _name not in ("PLURALS", "UNTRANSLATED"):
        del globals()[_name]
_CACHE: dict[tuple[str, str], object] = {}


def english(name: str) -> object:
    """The English value of a text, whatever the current language."""
    return _ENGLISH[name]


def names() -> tuple[str, ...]:
    """Every text constant's name."""
    return tuple(_ENGLISH)


if not TYPE_CHECKING:  # mypy reads the constants above, with their types, instead

    def __getattr__(name: str) -> object:
        language = i18n.current()
        try:
            return _CACHE[language, name]
        except KeyError:
            pass
        if name not in _ENGLISH:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = _ENGLISH[name]
        if language != i18n.DEFAULT and name not in UNTRANSLATED:
            rule = _RULES.get(name)
            value = rule(value) if rule is not None else _translated(value)
        _CACHE[language, name] = value
        return value
