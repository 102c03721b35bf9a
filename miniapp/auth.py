"""Who is calling the Mini App's API: the `initData` Telegram signed for the user who opened
it, checked with init-data-py against the bot token (the HMAC Telegram documents), no older
than MINI_APP_AUTH_MAX_AGE_SECONDS by the bot's clock. The user is taken from it and from
nothing else; anything that does not pass is `Refused` (401) before the database is touched.

The page sends it as `Authorization: tma <initData>`, the scheme Telegram's own examples use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from init_data_py import errors, strip_auth_header, validate_by_hash

# Telegram's initData is a few hundred bytes; anything far longer is not one.
MAX_INIT_DATA = 4096


class Refused(Exception):
    """A call that is not answered: its HTTP status and a short machine-readable reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Caller:
    """The Telegram user the initData was signed for."""

    user_id: int
    first_name: str
    language_code: str | None


def caller_of(authorization: str | None, token: str, max_age: timedelta, now: datetime) -> Caller:
    """The user a request's Authorization header proves, or `Refused` (401): no initData, a
    hash that does not match (tampered, or signed for another bot), an expired auth_date, or
    initData without a user."""
    if not authorization or len(authorization) > MAX_INIT_DATA:
        raise Refused(401, "missing")
    try:
        raw = strip_auth_header(authorization)
        data = validate_by_hash(raw, token, expires_in=max_age, now=now)
    except errors.ExpiredError as error:
        raise Refused(401, "expired") from error
    except errors.InvalidInitDataError as error:
        raise Refused(401, "invalid") from error
    if data.user is None:
        raise Refused(401, "no_user")
    return Caller(data.user.id, data.user.first_name, data.user.language_code)
