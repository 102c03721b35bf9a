"""Every user-facing string, in one place. Tests assert against these.

`Texts` holds every text in one language; `texts_for(language)` builds it from the English
defaults below, which are the msgids of their translations (coach/locale, gettext), and
`ENGLISH` is the English one. A handler speaks through its turn's texts
(`turn.texts.SET_LOGGED`), a job through `texts_for(recipient's language)`.

Texts use Telegram's HTML parse mode; values from users are escaped by the caller
with `html.escape` before formatting. Each feature has its own section below.
"""

from __future__ import annotations

import dataclasses
import functools
import gettext
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from coach import i18n

# (singular, plural) msgids of the ngettext calls (`days_word`, `sets_left`): a translation's
# singular may say {n} (Russian uses it for 21, 31 …).
DAYS_PLURAL = ("day", "days")
SETS_LEFT_PLURAL = ("one set left", "{n} sets left")
PLURALS: tuple[tuple[str, str], ...] = (DAYS_PLURAL, SETS_LEFT_PLURAL)


@dataclass(frozen=True)
class Texts:
    """Every text in `language`: the defaults are English; `texts_for` fills in the others."""

    language: str = i18n.DEFAULT

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
        ("buddy", "Stretch with a friend: see each other's day"),
        ("board", "In a group: a daily board of who has stretched"),
        ("help", "What Limber does and how to use it"),
    )
    # What Telegram shows before START (an empty chat: up to 512 characters, plain text) and on
    # the bot's profile and share link (up to 120); set per language at start (bot/app.py).
    BOT_DESCRIPTION: str = (
        "Limber walks you through two gentle back stretches every day, lying down, in about ten "
        "minutes: step by step, with a picture for each step. A daily reminder at your local time, "
        "one tap per set, and a streak to keep.\n\n"
        "General guidance, not medical advice: stop if anything hurts sharply."
    )
    BOT_SHORT_DESCRIPTION: str = (
        "Two gentle back stretches a day, step by step with pictures. About ten minutes."
    )

    # ── Feature: /language ──
    LANGUAGE_ASK: str = "🌐 Which language should I speak?"
    LANGUAGE_SET: str = "✅ From now on I'll speak English. Send /language to change it again."
    LANGUAGE_SET_TOAST: str = "English ✅"
    LANGUAGE_EXPIRED: str = "This question has expired — send /language again."

    # ── Foundation: welcome, help, groups, errors ──
    WELCOME: str = (
        "👋 Hi {name}! I'm <b>Limber</b>. Every day I'll walk you through two gentle back "
        "stretches, lying down, in about ten minutes."
    )
    SAFETY: str = "⚠️ Stop if anything hurts sharply. This is general guidance, not medical advice."
    HELP_HEADER: str = "<b>Limber</b> guides two daily back stretches, step by step with pictures."
    HELP_COMMAND_LINE: str = "/{command} — {description}"
    HELP_CREDIT: str = (
        'The routine follows "Healthy Back Stretches" by Dr. Ben Kim, retold in our own words.'
    )
    GROUP_ONLY_PRIVATE: str = "I coach stretches in private chats. Tap here to start: {link}"
    ERROR_GENERIC: str = "😕 Sorry, something went wrong on my side. Please try again in a moment."
    BUTTON_EXPIRED: str = "This button has expired — send /stretch"
    BUTTON_EXPIRED_NO_USER: str = "This button has expired — send /start to begin again."
    SESSION_ALREADY_OPEN: str = "Your session is open below 👇 (send /stretch to bring it here)"
    UNKNOWN_COMMAND: str = "I don't know that command. Send /help to see what I can do."
    UNKNOWN_TEXT: str = (
        "I didn't catch that. Send /stretch to stretch now, or /help for everything else."
    )
    UNSUPPORTED_MESSAGE: str = "I can only read text here. Send /help to see what I can do."

    # ── Feature: guided /stretch session ──
    SESSION_INTRO_TITLE: str = "🧘 <b>Today's back stretches</b>"
    SESSION_PLAN: str = "About {minutes} minutes · {sets} sets of about {seconds} s on each side."
    SESSION_TODAY: str = "Today: <b>{done}/{target}</b> sets"
    SESSION_STREAK: str = "🔥 Streak: <b>{current}</b> {days} (best {best})"
    SESSION_HEADING: str = "<b>{stretch}</b>\n{side_label} · {where}"
    SESSION_STEP_OF: str = "step {number} of {count}"
    SESSION_HOLD_WHERE: str = "hold"
    SESSION_HOLD_HINT: str = "⏳ Hold each set about {seconds} s."
    SESSION_SETS: str = "Sets: {tracker}"
    SESSION_SIDE_DONE: str = "✅ All {sets} sets done on this side — tap Next."
    SESSION_TIMER_RUNNING: str = "⏱ {seconds} s left — keep breathing slowly."
    SESSION_TIMER_DONE: str = "⏱ Time's up! Set {number} done?"
    SESSION_TIMER_OVER: str = "⏱ Time's up!"
    SESSION_SUMMARY_DONE: str = "🎉 <b>All done for today!</b> Your back thanks you."
    SESSION_SUMMARY_PARTIAL: str = (
        "<b>Nice work.</b> Some sets are still open today — tap Log sets."
    )
    FEEL_QUESTION: str = "How does your back feel today?"
    FEEL_NOTED: str = "Back today: {face} {score}/10 — tap another face to change it."
    FEEL_TOAST: str = "Noted: {face} {score}/10. Thank you!"
    # Five faces for the 0–10 scale, bad to great; the chosen one is marked.
    FEEL_FACES: tuple[str, ...] = ("😖", "🙁", "😐", "🙂", "😄")
    FEEL_SELECTED: str = "·{face}·"
    MILESTONE: str = "🏅 <b>{days} days in a row!</b> {cheer}"
    MILESTONE_CHEERS: tuple[tuple[int, str], ...] = (
        (3, "A habit is starting."),
        (7, "A whole week — well done."),
        (14, "Two weeks strong."),
        (30, "A month of a happier back."),
        (100, "One hundred days. Remarkable."),
    )
    SESSION_LOG_TITLE: str = "📋 <b>Log sets</b>"
    SESSION_BTN_WATCH: str = "▶ Watch the move"
    SESSION_DEMO_WHERE: str = "the whole move"
    SESSION_DEMO_HINT: str = "Watch it once from start to hold; it loops. Then set up with step 1."
    SESSION_BTN_TO_STEP: str = "Step 1 ▶"
    # Drawn in the summary picture (coach.tracker_image).
    TRACKER_TITLE: str = "Today: {done}/{target} sets"
    SIDE_LEFT: str = "Left"
    SIDE_RIGHT: str = "Right"
    SESSION_LOG_HELP: str = "Tap 🔲 to log a set you did, tap ✅ to undo it."
    SESSION_MARK_DONE: str = "✅"
    SESSION_MARK_OPEN: str = "🔲"
    TRACKER_DONE: str = "●"
    TRACKER_OPEN: str = "○"
    SESSION_BTN_START: str = "▶ Start"
    SESSION_BTN_NEXT: str = "Next ▶"
    SESSION_BTN_BACK: str = "◀ Back"
    SESSION_BTN_FINISH: str = "🏁 Finish"
    SESSION_BTN_LOG: str = "📋 Log sets"
    SESSION_BTN_GUIDED: str = "🧘 Guided session"
    SESSION_BTN_SUMMARY: str = "🏁 Summary"
    SESSION_BTN_GUIDE_STRETCH: str = "📖 {title}"
    SESSION_BTN_SET_DONE: str = "✅ Set {number} done"
    SESSION_BTN_TIMER: str = "⏱ Timer {seconds} s"
    SESSION_BTN_LOG_SET: str = "{mark} {side} {number}"
    SESSION_SET_LOGGED: str = "Set {number} logged ✅"
    SESSION_SET_ALREADY: str = "Set {number} is already logged ✅"
    SESSION_SET_UNDONE: str = "Set {number} undone ↩️ (not counted)"
    SESSION_SET_NOT_LOGGED: str = "Set {number} is not logged"
    SESSION_TIMER_STARTED: str = "⏱ {seconds} s — breathe slowly"

    # ── Feature: the Mini App, a hands-free session (miniapp/) ──
    # The chat's button that opens it (session intro, reminder) and the chat's menu button.
    MINIAPP_BUTTON: str = "🎧 Hands-free session"
    MINIAPP_MENU_BUTTON: str = "Stretch"
    # The page's words: plain text (the page shows them as text, never as HTML).
    MINIAPP_TITLE: str = "Hands-free session"
    MINIAPP_INTRO: str = (
        "Lie down with your phone where you can hear it. Tones and vibrations tell you when "
        "to hold, rest and switch sides: no taps needed."
    )
    MINIAPP_PLAN: str = "{sets} sets of {seconds} s on each side · about {minutes} min"
    MINIAPP_STREAK: str = "🔥 Streak: {current} {days} (best {best})"
    MINIAPP_ALL_DONE: str = (
        "Today's sets are all done. Stretch again if you like: nothing more is logged."
    )
    MINIAPP_PAUSE: str = "⏸ Pause"
    MINIAPP_RESUME: str = "▶ Resume"
    MINIAPP_PAUSED: str = "Paused"
    MINIAPP_SKIP: str = "Skip"
    MINIAPP_DONE_EARLY: str = "Done"
    MINIAPP_CLOSE: str = "Close"
    MINIAPP_SOUND_ON: str = "Sound on"
    MINIAPP_SOUND_OFF: str = "Sound off"
    MINIAPP_SOUND_LOCKED: str = "🔈 Tap here to turn the sound on"
    MINIAPP_MOVE: str = "The whole move"
    MINIAPP_STEP: str = "Step {number} of {count}"
    MINIAPP_READY: str = "Get ready"
    MINIAPP_READY_HINT: str = "Settle into the hold. Set {number} starts with the tone."
    MINIAPP_HOLD: str = "Hold"
    MINIAPP_REST: str = "Rest"
    MINIAPP_SET_OF: str = "Set {number} of {count}"
    MINIAPP_SECONDS: str = "seconds"
    MINIAPP_SUMMARY_DONE: str = "All done for today!"
    MINIAPP_SUMMARY_PARTIAL: str = "Nice work! Some sets are still open today."
    MINIAPP_SUMMARY_CHAT: str = "Your summary is in the chat."
    MINIAPP_SAVING: str = "Saving…"
    MINIAPP_RETRYING: str = "Not saved yet, trying again…"
    MINIAPP_ERROR_AUTH: str = "This session has expired. Close it and open it again from the chat."
    MINIAPP_ERROR_OUTSIDE: str = "Open this from the Limber chat in Telegram."
    MINIAPP_ERROR_NO_USER: str = "Send /start in the chat first, then open the session again."
    MINIAPP_ERROR_DAY: str = "A new stretch day has begun. Close this and open the session again."
    MINIAPP_ERROR_BUSY: str = "Too many requests at once. Wait a moment and try again."

    # ── Feature: /progress ──
    PROGRESS_TEXT: str = (
        "📈 <b>Your progress</b>\n"
        "🔥 Streak: <b>{current}</b> {current_days} (best {best})\n"
        "✅ Today: <b>{done}/{target}</b> sets\n"
        "📅 This week: {week_met} {week_days} with the full target\n"
        "🧮 Total: {total} sets"
    )
    PROGRESS_PAUSED_LINE: str = (
        "⏸ Paused {span} — days you skip while paused don't break your streak."
    )
    PROGRESS_NO_USER: str = "Send /start first, and I'll set you up."
    # Drawn in the /progress picture (coach.calendar_image, in DejaVu Sans).
    CALENDAR_TITLE: str = "Limber · last 12 weeks"
    CALENDAR_SUBTITLE: str = "Streak {current} · best {best} · {total} sets in all"

    WEEKDAY_SHORT: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    WEEKDAY_LONG: tuple[str, ...] = (
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    )
    MONTH_SHORT: tuple[str, ...] = (
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    )
    # Chosen reminder weekdays in words (bot/schedule.describe_weekdays).
    WEEKDAYS_EVERY_DAY: str = "every day"
    WEEKDAYS_WORKWEEK: str = "weekdays"
    WEEKDAYS_WEEKEND: str = "weekends"
    WEEKDAYS_NONE: str = "no days"
    # Words drawn into the /progress calendar picture (bot/calendar_image).
    CALENDAR_LESS: str = "Less"
    CALENDAR_MORE: str = "More"
    CALENDAR_PAUSED: str = "Paused"
    CALENDAR_TODAY: str = "Today"
    # The row of weekly back-feel averages (0–10) under the grid, and its key in the legend.
    CALENDAR_FEEL: str = "Back feel"
    CALENDAR_FEEL_KEY: str = "Back feel, 0–10"

    # ── Feature: /settings ──
    SETTINGS_TITLE: str = "⚙️ <b>Settings</b>"
    SETTINGS_REMINDER: str = "⏰ Reminder: <b>{time}</b> on {weekdays}"
    SETTINGS_REMINDER_UNSET: str = "⏰ Reminder: <i>no time set yet</i>"
    SETTINGS_ZONE: str = "🌍 Time zone: {zone}"
    SETTINGS_ZONE_UNSET: str = "🌍 Time zone: <i>not set</i>"
    SETTINGS_SETS: str = "🔁 Sets per side: <b>{sets}</b>"
    SETTINGS_HOLD: str = "⏱ Hold: <b>{hold} s</b>"
    SETTINGS_HINT: str = "Tap to change. Rows: weekdays · sets per side · hold · pause."
    SETTINGS_PAUSED: str = "⏸ Paused <b>{span}</b> (no reminders; your streak is safe)"
    SETTINGS_NEXT: str = "Next reminder: <b>{when}</b>"
    SETTINGS_BUTTON_TIME: str = "⏰ Time"
    SETTINGS_BUTTON_ZONE: str = "🌍 Time zone"
    SETTINGS_LANGUAGE: str = "🌐 Language: {language}"
    SETTINGS_BUTTON_LANGUAGE: str = "🌐 Language"
    SETTINGS_BUTTON_SETS: str = "{n}×"
    SETTINGS_BUTTON_HOLD: str = "{n}s"
    SETTINGS_BUTTON_PAUSE: str = "⏸ {n}d"
    SETTINGS_BUTTON_PAUSE_OPEN: str = "⏸ Until I resume"
    SETTINGS_BUTTON_RESUME: str = "▶ Resume now"
    SETTINGS_BUTTON_DONE: str = "✔ Done"
    SETTINGS_RECAP_ON: str = "📬 Weekly recap: <b>on</b> (with the week's first reminder)"
    SETTINGS_RECAP_OFF: str = "📬 Weekly recap: <b>off</b>"
    SETTINGS_BUTTON_RECAP_ON: str = "📬 Turn weekly recap on"
    SETTINGS_BUTTON_RECAP_OFF: str = "📭 Turn weekly recap off"
    SETTINGS_RECAP_ON_TOAST: str = "Weekly recap on"
    SETTINGS_RECAP_OFF_TOAST: str = "No more weekly recaps"
    SETTINGS_SELECTED: str = "•{label}•"
    SETTINGS_DAY_ON: str = "✓{day}"
    SETTINGS_WEEKDAY_SHORT: tuple[str, ...] = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
    SETTINGS_SAVED: str = "Saved"
    SETTINGS_DAY_ON_TOAST: str = "{day}: reminders on"
    SETTINGS_DAY_OFF_TOAST: str = "{day}: no reminders"
    SETTINGS_SETS_TOAST: str = "Sets per side: {n}"
    # Today has logged sets: it keeps the target it started with (bot/streaks.py).
    SETTINGS_SETS_FROM_TOMORROW_TOAST: str = (
        "Sets per side: {n} from tomorrow — today keeps {today}"
    )
    SETTINGS_HOLD_TOAST: str = "Hold: {n} s"
    SETTINGS_UNCHANGED: str = "Already set — nothing changed."
    SETTINGS_MENU_EXPIRED: str = "This menu has expired — send /settings for a fresh one."
    SETTINGS_OUT_OF_RANGE: str = "That value isn't available — nothing changed."
    SETTINGS_PAUSED_TOAST: str = "Paused {span}"
    SETTINGS_PAUSED_FROM_TOMORROW_TOAST: str = "Today is already met, so: paused {span}"
    SETTINGS_RESUMED_TOAST: str = "Welcome back — the pause is over"
    SETTINGS_CLOSED: str = "⚙️ Settings saved. Send /settings to change them again."

    # ── Feature: /export and /deleteme ──
    EXPORT_CAPTION: str = "📦 Everything Limber stores about you, as JSON."
    DELETE_CONFIRM: str = (
        "🗑 <b>Delete all your data?</b>\n"
        "Your settings, every logged set, reminders and pauses will be erased for good. "
        "Send /export first if you want a copy."
    )
    DELETE_BUTTON_YES: str = "Yes, delete everything"
    DELETE_BUTTON_NO: str = "Cancel"
    DELETE_DONE: str = (
        "✅ Done — everything Limber stored about you is deleted. Send /start to begin again."
    )
    DELETE_CANCELLED: str = "👍 Nothing was deleted."
    DELETE_EXPIRED: str = "This confirmation has expired — send /deleteme again"
    TIME_EXPIRED: str = "This question is answered already — change the time in /settings."

    # ── Feature: onboarding, /time, /timezone, /pause, /resume ──
    ASK_ZONE: str = (
        "🌍 First, your time zone, so reminders arrive at your local time. Tap "
        "<b>📍 Share location</b>, or type a city or an offset, e.g. {examples}."
    )
    # /timezone, "pick another" and the settings menu: the same question, not the first one.
    ASK_ZONE_AGAIN: str = (
        "🌍 Which time zone are you in? Tap <b>📍 Share location</b>, or type a city or an "
        "offset, e.g. {examples}."
    )
    SHARE_LOCATION_BUTTON: str = "📍 Share location"
    # Buttons under the zone question: places people of the language live (ZONE_SUGGESTIONS).
    ZONE_EXAMPLE_BUTTONS: tuple[str, ...] = ("London", "Berlin", "New York", "UTC+5:30")
    ZONE_EXAMPLES: str = "Berlin, New York, Europe/Paris or UTC+5:30"
    ZONE_HINT: str = (
        "🤔 I don't know that time zone. Try a city, a zone name or an offset, e.g. {examples}."
    )
    LOCATION_NO_ZONE: str = (
        "🤔 I couldn't find a time zone there. Type a city or an offset, e.g. {examples}."
    )
    ZONE_SET: str = "✅ Time zone: <b>{zone}</b> — it's {local_time} there now."
    # How a confirmation names a zone: "EST → America/New_York, UTC-05:00 now, UTC-04:00 in summer".
    ZONE_VIA: str = "{via} → {zone}"
    ZONE_SEASONS: str = "{zone}, {now} now, {other} in {season}"
    ZONE_SUMMER: str = "summer"
    ZONE_WINTER: str = "winter"
    ZONE_GUESSED: str = "Not the zone you meant?"
    ZONE_PICK_ANOTHER_BUTTON: str = "🌍 Pick another"
    ZONE_PICK_ANOTHER_EXPIRED: str = "This button has expired — send /timezone to change your zone."
    ZONE_CHOOSE: str = (
        "🌍 {place} has several time zones. Which one is yours? You can also type a city."
    )
    ZONE_CHOICE_BUTTON: str = "{city} ({offset})"
    ZONE_CHOICE_EXPIRED: str = "This question is answered already — change the zone in /settings."
    ASK_TIME: str = (
        "⏰ When should I remind you each day? Tap a time or type one (7:30, 19:45, 7pm)."
    )
    TIME_HINT: str = "🤔 I didn't understand that time. Try 7:30, 19:45, 7pm or noon."
    TIME_CHOSEN: str = "⏰ Reminder time: <b>{time}</b>"
    ONBOARDING_DONE: str = (
        "🎉 All set! Your first reminder: <b>{next}</b>.\nFeel like stretching right now?"
    )
    START_NOW_BUTTON: str = "▶ Start now"
    WELCOME_BACK: str = (
        "👋 Welcome back, {name}! Next reminder: <b>{next}</b>. Send /stretch to stretch now."
    )
    # The next reminder, as it reads inside a sentence ("until tomorrow at …", "Next: today at …").
    NEXT_TODAY: str = "today at {time} ({zone})"
    NEXT_TOMORROW: str = "tomorrow at {time} ({zone})"
    NEXT_LATER: str = "{when} at {time} ({zone})"  # when: "Wed 2 Dec" (i18n.short_date)
    NEXT_PAUSED: str = "none — paused until you /resume"
    NEXT_UNSET: str = "none yet — send /start to finish setting up"
    TIME_CHANGED: str = "⏰ Reminder time set to <b>{time}</b>. Next reminder: <b>{next}</b>."
    ZONE_CHANGED: str = "🌍 Time zone set to <b>{zone}</b>. Next reminder: <b>{next}</b>."

    # ── Feature: the pause (/pause, /resume and the settings menu) ──
    # How a pause reads in a sentence: "Paused until Fri 4 Dec", "Paused until you resume".
    PAUSE_SPAN_UNTIL: str = "until {until}"
    PAUSE_SPAN_OPEN: str = "until you resume"
    PAUSE_SPAN_FROM_TOMORROW: str = "from tomorrow {span}"
    PAUSE_ASK: str = (
        "⏸ <b>Pause</b> — no reminders, and days you skip while paused don't break your streak "
        "(days you do finish still count). For how long?"
    )
    PAUSE_ASK_PAUSED: str = (
        "⏸ You're paused {span}. Pick a new length, or send /resume to come back."
    )
    PAUSE_BUTTON_DAYS: str = "{n} {days}"
    PAUSE_BUTTON_OPEN: str = "Until I resume"
    PAUSED: str = (
        "⏸ Paused {span}: no reminders, and your streak is safe. Send /resume to come back sooner."
    )
    PAUSED_OPEN: str = "⏸ Paused until you send /resume: no reminders, and your streak is safe."
    PAUSE_STARTS_TOMORROW: str = "✅ Today's target is already met, so the pause starts tomorrow."
    PAUSE_EXPIRED: str = "This question has expired — send /pause again."
    RESUMED: str = "▶ Welcome back — the pause is over. Next reminder: <b>{next}</b>."
    PAUSE_CANCELLED: str = "▶ Your pause from tomorrow is cancelled. Next reminder: <b>{next}</b>."
    NOT_PAUSED: str = "▶ You're not paused. Next reminder: <b>{next}</b>."

    # ── Feature: daily reminder ──
    REMINDER: str = "🧘 Time for your back stretches, lying down."
    REMINDER_STREAK: str = "🔥 Your streak: <b>{days}</b> {days_word}. Keep it going!"
    REMINDER_NO_STREAK: str = "✨ Today is a great day to start a streak."
    REMINDER_TODAY_SO_FAR: str = "✅ Today so far: <b>{done}/{target}</b> done — {left}."
    # The day's reminder once the target is met: edited to this, without buttons.
    REMINDER_DONE: str = "✅ Today's stretches are done ({target}/{target} sets). See you tomorrow!"
    REMINDER_START_BUTTON: str = "▶ Start"

    # ── Feature: the weekly recap (with the week's first reminder) ──
    RECAP_TITLE: str = "📬 <b>Your week with Limber</b>"
    RECAP_DAYS: str = "✅ {days} {days_word} of 7 with the full target · {sets} sets"
    RECAP_STREAK: str = "🔥 Streak: <b>{current}</b> (best {best})"
    RECAP_FEEL: str = "🙂 Your back felt {feel}/10 on average."
    RECAP_FEEL_TREND: str = (
        "🙂 Your back felt {feel}/10 on average ({trend} from {before}/10 the week before)."
    )
    RECAP_FEEL_NONE: str = "🙂 Tap a face on the summary to see how your back feels week by week."
    RECAP_UP: str = "up"
    RECAP_DOWN: str = "down"
    RECAP_SAME: str = "about the same"
    RECAP_CLOSING: str = "A new week starts today — your stretches are below."
    # The same, on a day whose stretches are done already (no reminder follows the recap).
    RECAP_CLOSING_DONE: str = "A new week starts today, and today's stretches are done already."
    REMINDER_SNOOZE_15_BUTTON: str = "⏰ 15 min"
    REMINDER_SNOOZE_60_BUTTON: str = "⏰ 1 h"
    REMINDER_SKIP_BUTTON: str = "Skip today"
    REMINDER_SNOOZED: str = "⏰ Snoozed — I'll remind you again at {time}."
    REMINDER_SNOOZED_TOAST: str = "See you at {time}"
    REMINDER_SKIPPED: str = "👌 Skipped today — no more reminders until {next}."
    REMINDER_SKIPPED_NO_NEXT: str = "👌 Skipped today."  # paused, or no reminder time
    REMINDER_SKIPPED_TOAST: str = "Skipped today"
    REMINDER_EXPIRED: str = "This reminder is from another day."

    # ── Feature: stretching together — a buddy (/buddy) and a group's board (/board) ──
    # Names are first names as Telegram gives them, never declined or inflected: each text
    # puts the name where no grammar depends on it (no gender, no case).
    BUDDY_TITLE: str = "👯 <b>Stretch buddies</b>"
    BUDDY_NONE: str = (
        "No buddy yet. A buddy sees your day and streak, and you see theirs, in /progress and "
        "in your reminders."
    )
    BUDDY_INVITE_LINK: str = "Invite a friend with this link (it works once, for 7 days):\n{link}"
    BUDDY_FULL: str = (
        "You have {count} buddies, the most Limber keeps: end a pairing below to invite someone "
        "new."
    )
    BUDDY_NUDGE_HINT: str = (
        "🔔 A nudge is a silent message when that buddy finishes: at most one a day, never "
        "between 22:00 and 08:00 your time."
    )
    BUDDY_NUDGE_MARK: str = " · 🔔"
    BUDDY_SHARE_BUTTON: str = "📤 Share the invite"
    BUDDY_SHARE_TEXT: str = (
        "Let's look after our backs together: about ten minutes a day with Limber."
    )
    BUDDY_NUDGE_ON_BUTTON: str = "🔔 Nudge me: {name}"
    BUDDY_NUDGE_OFF_BUTTON: str = "🔕 No nudges: {name}"
    BUDDY_END_BUTTON: str = "End: {name}"
    BUDDY_END_CONFIRM: str = (
        "End the pairing with {name}? You both stop seeing each other's day; {name} is not told."
    )
    BUDDY_END_YES: str = "Yes, end it"
    BUDDY_END_NO: str = "◀ Keep"
    BUDDY_ENDED_TOAST: str = "Pairing ended: {name}"
    BUDDY_NUDGE_ON_TOAST: str = "Nudges on: {name}"
    BUDDY_NUDGE_OFF_TOAST: str = "Nudges off: {name}"
    BUDDY_MENU_EXPIRED: str = "This menu has expired — send /buddy for a fresh one."
    BUDDY_GONE_TOAST: str = "That pairing has ended already — nothing changed."
    # The invite, as the friend who opened the link sees it.
    BUDDY_INVITED: str = (
        "👯 {name} invites you to be stretch buddies: you'd see each other's day and streak in "
        "/progress and in your reminders. Either of you can end it in /buddy."
    )
    BUDDY_ACCEPT_BUTTON: str = "✅ Accept"
    BUDDY_DECLINE_BUTTON: str = "No, thanks"
    BUDDY_ACCEPTED: str = (
        "✅ You and {name} are buddies now: see each other's day in /progress and in your "
        "reminders."
    )
    BUDDY_ACCEPTED_INVITER: str = (
        "👯 {name} accepted your invite: you're buddies now. See /progress."
    )
    BUDDY_DECLINED: str = "👍 Declined. Nothing changed, and {name} is not told."
    BUDDY_INVITE_FIRST: str = (
        "👯 {name} invited you to stretch together. First, two quick questions to set you up."
    )
    BUDDY_INVITE_EXPIRED: str = (
        "This invite has expired (a link lasts 7 days). Ask {name} for a new one: /buddy makes it."
    )
    BUDDY_INVITE_USED: str = "This invite has been used already. Ask {name} for a new one."
    BUDDY_INVITE_INVALID: str = (
        "This invite link isn't valid. Ask your friend for a new one: /buddy makes it."
    )
    BUDDY_INVITE_SELF: str = "That's your own invite link: share it with a friend instead."
    BUDDY_ALREADY: str = "You and {name} are buddies already."
    BUDDY_LIMIT_YOURS: str = (
        "You have {count} buddies already, the most Limber keeps. End a pairing in /buddy first."
    )
    BUDDY_LIMIT_THEIRS: str = "{name} has {count} buddies already, the most Limber keeps."
    BUDDY_QUESTION_EXPIRED: str = "This invite question has expired — open the invite link again."
    # A buddy's day in /progress and the /buddy screen, and in the reminder.
    BUDDIES_HEADING: str = "👯 <b>Buddies</b>"
    BUDDY_DAY: str = "{name} · today {done}/{target}"
    BUDDY_DAY_DONE: str = "{name} · today ✓ {done}/{target}"
    BUDDY_STREAK: str = " · 🔥 {days}"
    BUDDY_REMINDER_DONE: str = "👯 {name}: today's stretches done ✓"
    BUDDY_REMINDER_SOME: str = "👯 {name}: {done}/{target} sets so far today"
    BUDDY_NUDGE: str = "🔔 {name}: today's stretches done ✓ Your turn? /stretch"
    # The board, as the group sees it (in the group's language), and the answers to its taps.
    BOARD_TITLE: str = "🧘 <b>Limber board</b> · {date}"
    BOARD_DONE_LINE: str = "✓ {name} {done}/{target}"
    BOARD_OPEN_LINE: str = "◻️ {name} {done}/{target}"
    BOARD_EMPTY: str = "Nobody is on the board yet."
    BOARD_FOOTER: str = "{done} of {count} done today · the day starts at 03:00 ({zone})"
    BOARD_HINT: str = (
        "✋ Join puts your first name, today's sets and your streak here. You stretch with me "
        "in a private chat."
    )
    BOARD_JOIN_BUTTON: str = "✋ Join"
    BOARD_LEAVE_BUTTON: str = "👋 Leave"
    BOARD_JOINED_TOAST: str = (
        "You're on the board: the group sees your first name, today's sets and your streak."
    )
    BOARD_LEFT_TOAST: str = "You've left the board."
    BOARD_ALREADY_TOAST: str = "You're on this board already."
    BOARD_NOT_MEMBER_TOAST: str = "You're not on this board — nothing changed."
    BOARD_OTHER_GROUP_TOAST: str = "This button is from another group's board — nothing changed."
    BOARD_STALE_TOAST: str = "This board is from an earlier day — use the newest one."
    BOARD_CLOSED_TOAST: str = "This board is closed."
    BOARD_FULL_TOAST: str = "This board is full ({count} people)."
    BOARD_GROUP_ONLY_TOAST: str = "Only members of this group can join its board."
    BOARD_ADMIN_ONLY: str = (
        "Only a group admin can start the board, change its time zone or end it."
    )
    BOARD_STARTED: str = (
        "🧘 Board started. Its day follows {zone}; an admin can change that with /board and a "
        "city (/board Berlin), or end the board with /board off."
    )
    BOARD_ZONE_SET: str = "🌍 The board's day now follows {zone}."
    BOARD_ZONE_HINT: str = (
        "🤔 I don't know that time zone. Try a city, a zone name or an offset after /board, "
        "e.g. {examples}."
    )
    BOARD_OFF: str = "Board ended: its members are forgotten. An admin can start a new one: /board."
    BOARD_IN_GROUPS: str = "The board lives in groups: add me to a group and send /board there."
    BOARD_JOIN_FIRST: str = "🧘 To join the board in {group}: first, two quick questions."
    BOARD_JOINED: str = (
        "✅ You're on the board in {group}: the group sees your first name, today's sets and "
        "your streak. 👋 Leave on the board takes you off."
    )
    BOARD_BACK_BUTTON: str = "↩ Back to {group}"
    BOARD_LINK_INVALID: str = "This board link isn't valid any more."
    BOARD_GROUP_ONLY: str = "Only members of {group} can join its board."

    @property
    def catalog(self) -> gettext.NullTranslations:
        return i18n.catalog(self.language)

    def gettext(self, message: str) -> str:
        """A text that is not one of ours above (a routine text, a picture label)."""
        return self.catalog.gettext(message)

    def pgettext(self, context: str, message: str) -> str:
        return self.catalog.pgettext(context, message)

    def days_word(self, count: int) -> str:
        """ "day" or "days" after `count` (Russian has three forms: the catalog's plural rules)."""
        return self.catalog.ngettext(*DAYS_PLURAL, count)

    def sets_left(self, count: int) -> str:
        """ "one set left", "3 sets left"."""
        return self.catalog.ngettext(*SETS_LEFT_PLURAL, count).format(n=count)

    def short_date(self, day: date) -> str:
        """A day as a caption says it: "Wed 2 Dec", "Mi., 2. Dez.", "ср, 2 дек."."""
        return i18n.short_date(day, self.language)

    @property
    def language_name(self) -> str:
        return i18n.NAMES[self.language]


# The zone question's buttons in each language: cities its speakers live in, spelled as they
# write them (the zone parser reads them back: coach.zones). Data, not a translation.
ZONE_SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "en": ("London", "Berlin", "New York", "UTC+5:30"),
    "es": ("Madrid", "Ciudad de México", "Buenos Aires", "UTC-5"),
    "pt_BR": ("São Paulo", "Manaus", "Lisboa", "UTC-3"),
    "ru": ("Москва", "Санкт-Петербург", "Новосибирск", "UTC+3"),
    "de": ("Berlin", "Wien", "Zürich", "UTC+1"),
}
# Texts that are not looked up in the catalog (see _RULES for where they come from instead).
UNTRANSLATED = frozenset({"ZONE_EXAMPLE_BUTTONS"})
ENGLISH = Texts()
_TAG = re.compile(r"<[^>]*>")


def has_words(text: str) -> bool:
    """Whether a text has words to translate once its {placeholders} are left out."""
    literal = "".join(part for part, _, _, _ in string.Formatter().parse(text))
    return any(ch.isalpha() for ch in _TAG.sub("", literal))


def names() -> tuple[str, ...]:
    """Every text's name (the fields in capitals)."""
    return tuple(f.name for f in dataclasses.fields(Texts) if f.name.isupper())


def english(name: str) -> object:
    """The English value of a text."""
    return getattr(ENGLISH, name)


def _translated(value: object, catalog: gettext.NullTranslations) -> object:
    if isinstance(value, str):
        return catalog.gettext(value) if has_words(value) else value
    if isinstance(value, tuple):
        return tuple(_translated(item, catalog) for item in value)
    return value


def _commands(english: object, catalog: gettext.NullTranslations) -> object:
    assert isinstance(english, tuple)
    return tuple((command, catalog.gettext(about)) for command, about in english)


# Texts whose words come from Babel's locale data (CLDR) or need a rule of their own.
_RULES: dict[str, Callable[[object, str], object]] = {
    "COMMANDS": lambda english, language: _commands(english, i18n.catalog(language)),
    "WEEKDAY_SHORT": lambda _, language: i18n.weekday_names(language, "abbreviated"),
    "WEEKDAY_LONG": lambda _, language: i18n.weekday_names(language, "wide"),
    "SETTINGS_WEEKDAY_SHORT": lambda _, language: i18n.weekday_names(language, "short"),
    "MONTH_SHORT": lambda _, language: i18n.month_names(language, "abbreviated"),
    "ZONE_EXAMPLE_BUTTONS": lambda _, language: ZONE_SUGGESTIONS[language],
}


@functools.cache
def texts_for(language: str | None) -> Texts:
    """Every text in `language` (English when it is not one of ours), built once."""
    chosen = i18n.known(language)
    if chosen == i18n.DEFAULT:
        return ENGLISH
    catalog = i18n.catalog(chosen)
    values: dict[str, object] = {}
    for name in names():
        value = english(name)
        rule = _RULES.get(name)
        values[name] = rule(value, chosen) if rule is not None else _translated(value, catalog)
    return dataclasses.replace(ENGLISH, language=chosen, **values)  # type: ignore[arg-type]
