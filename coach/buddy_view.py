"""What buddies see of each other: the lines in /progress and in the reminder, the /buddy
screen, the invite question and the nudge (pure; the handlers gather the data)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from coach.buttons import Button, Rows, as_rows
from coach.callbacks import BuddyAnswer, BuddyEnd, BuddyMenu, BuddyNudge
from coach.texts import Texts
from coach.together import MAX_BUDDIES, PersonDay, first_name


def shown_name(person: PersonDay) -> str:
    """A buddy's first name, ready for an HTML text."""
    return html.escape(first_name(person.name))


def day_line(person: PersonDay, texts: Texts) -> str:
    """ "Ana · today ✓ 12/12 · 🔥 5": a buddy's day as /progress and /buddy show it."""
    template = texts.BUDDY_DAY_DONE if person.met else texts.BUDDY_DAY
    line = template.format(
        name=shown_name(person), done=min(person.done, person.target), target=person.target
    )
    if person.streak > 0:
        line += texts.BUDDY_STREAK.format(days=person.streak)
    return line


def progress_lines(buddies: Sequence[PersonDay], texts: Texts) -> list[str]:
    """The buddies' part of /progress: a heading and one line each; nothing without buddies."""
    if not buddies:
        return []
    return [texts.BUDDIES_HEADING, *(day_line(buddy, texts) for buddy in buddies)]


def reminder_lines(buddies: Sequence[PersonDay], texts: Texts) -> list[str]:
    """One line in the reminder for each buddy who has stretched today (a buddy who has not
    started is left out: a reminder encourages, it does not report on anyone)."""
    lines = []
    for buddy in buddies:
        if buddy.met:
            lines.append(texts.BUDDY_REMINDER_DONE.format(name=shown_name(buddy)))
        elif buddy.done > 0:
            lines.append(
                texts.BUDDY_REMINDER_SOME.format(
                    name=shown_name(buddy), done=buddy.done, target=buddy.target
                )
            )
    return lines


def nudge_text(buddy: PersonDay, texts: Texts) -> str:
    return texts.BUDDY_NUDGE.format(name=shown_name(buddy))


@dataclass(frozen=True)
class Buddy:
    """A buddy as the /buddy screen lists them: who, their day, and whether I get nudged."""

    user_id: int
    day: PersonDay
    nudge: bool


@dataclass(frozen=True)
class BuddyScreen:
    """The /buddy message: its text, its buttons, and the share link for the invite (None
    when the user has as many buddies as Limber keeps)."""

    text: str
    buttons: Rows
    share_url: str | None


def buddy_screen(buddies: Sequence[Buddy], invite_link: str | None, texts: Texts) -> BuddyScreen:
    """The buddies with their day, a nudge switch and an end button each, and the invite."""
    lines = [texts.BUDDY_TITLE]
    if buddies:
        for buddy in buddies:
            mark = texts.BUDDY_NUDGE_MARK if buddy.nudge else ""
            lines.append(day_line(buddy.day, texts) + mark)
        lines += ["", texts.BUDDY_NUDGE_HINT]
    else:
        lines.append(texts.BUDDY_NONE)
    share = None
    if invite_link is not None and len(buddies) < MAX_BUDDIES:
        lines += ["", texts.BUDDY_INVITE_LINK.format(link=invite_link)]
        share = share_url(invite_link, texts)
    else:
        lines += ["", texts.BUDDY_FULL.format(count=MAX_BUDDIES)]
    rows = []
    for buddy in buddies:
        name = first_name(buddy.day.name)  # a button's label is plain text
        nudge = (
            Button(
                texts.BUDDY_NUDGE_OFF_BUTTON.format(name=name),
                BuddyNudge(buddy.user_id, 0).encode(),
            )
            if buddy.nudge
            else Button(
                texts.BUDDY_NUDGE_ON_BUTTON.format(name=name), BuddyNudge(buddy.user_id, 1).encode()
            )
        )
        end = Button(texts.BUDDY_END_BUTTON.format(name=name), BuddyEnd(buddy.user_id, 0).encode())
        rows.append([nudge, end])
    return BuddyScreen("\n".join(lines), as_rows(rows), share)


def share_url(invite_link: str, texts: Texts) -> str:
    """Telegram's share link: the user picks a chat, and the invite goes there with a line."""
    url, text = quote(invite_link, safe=""), quote(texts.BUDDY_SHARE_TEXT, safe="")
    return f"https://t.me/share/url?url={url}&text={text}"


def end_question(buddy: Buddy, texts: Texts) -> tuple[str, Rows]:
    """ "End the pairing with Ana?" with Yes and Keep."""
    text = texts.BUDDY_END_CONFIRM.format(name=shown_name(buddy.day))
    yes = Button(texts.BUDDY_END_YES, BuddyEnd(buddy.user_id, 1).encode())
    keep = Button(texts.BUDDY_END_NO, BuddyMenu().encode())
    return text, as_rows([[yes, keep]])


def invite_question(inviter: str, token: str, texts: Texts) -> tuple[str, Rows]:
    """What the friend who opened an invite link is asked, with Accept and No, thanks."""
    text = texts.BUDDY_INVITED.format(name=html.escape(first_name(inviter)))
    accept = Button(texts.BUDDY_ACCEPT_BUTTON, BuddyAnswer("yes", token).encode())
    decline = Button(texts.BUDDY_DECLINE_BUTTON, BuddyAnswer("no", token).encode())
    return text, as_rows([[accept, decline]])
