"""A group's board as the group sees it: one line per member who joined, today's sets and
streak, and the Join and Leave buttons (pure; handlers.board_flush draws and edits it)."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from coach.buttons import Button, Rows, as_rows
from coach.callbacks import BoardJoin, BoardLeave
from coach.texts import Texts
from coach.together import PersonDay, first_name


@dataclass(frozen=True)
class BoardView:
    text: str
    buttons: Rows
    shown: str  # a digest of text and buttons: equal digests, nothing to edit


def member_line(member: PersonDay, texts: Texts) -> str:
    """ "✓ Ana 12/12 · 🔥 5" or "◻️ Ben 4/12"."""
    template = texts.BOARD_DONE_LINE if member.met else texts.BOARD_OPEN_LINE
    name = html.escape(first_name(member.name))
    line = template.format(name=name, done=min(member.done, member.target), target=member.target)
    if member.streak > 0:
        line += texts.BUDDY_STREAK.format(days=member.streak)
    return line


def render_board(
    chat_id: int, day: date, zone: str, members: Sequence[PersonDay], texts: Texts
) -> BoardView:
    """The board of `day` in the group's language (`texts`), members in order of joining."""
    lines = [texts.BOARD_TITLE.format(date=texts.short_date(day)), ""]
    if members:
        lines += [member_line(member, texts) for member in members]
        done = sum(1 for member in members if member.met)
        lines += ["", texts.BOARD_FOOTER.format(done=done, count=len(members), zone=zone)]
    else:
        lines.append(texts.BOARD_EMPTY)
    lines.append(texts.BOARD_HINT)
    text = "\n".join(lines)
    buttons = as_rows(
        [
            [
                Button(texts.BOARD_JOIN_BUTTON, BoardJoin(chat_id).encode()),
                Button(texts.BOARD_LEAVE_BUTTON, BoardLeave(chat_id).encode()),
            ]
        ]
    )
    digest = hashlib.sha256(repr((text, buttons)).encode()).hexdigest()[:32]
    return BoardView(text, buttons, digest)
