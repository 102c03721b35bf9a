"""Logging that never shows the bot token, whatever the record or traceback contains."""

from __future__ import annotations

import logging
import re

# Any string shaped like a Bot API token, even one that is not ours (a pasted test token).
TOKEN_SHAPE = re.compile(r"(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}")
REDACTED = "[REDACTED]"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes the token (and anything token-shaped) from the text."""

    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_SHAPE.sub(REDACTED, text)

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))


def configure_logging(level: str, *secrets: str | None) -> None:
    """Root logging for the process: one stream handler that redacts `secrets` (the token,
    the webhook secret) from every line; PTB logs request parameters at DEBUG."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter(
            "%(asctime)s %(levelname)s %(name)s: %(message)s", [s for s in secrets if s]
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # Job bookkeeping every tick and Alembic's plugin set-up are noise outside DEBUG.
    level_no = logging.getLevelName(level)
    quiet = level_no if level_no <= logging.DEBUG else max(level_no, logging.WARNING)
    logging.getLogger("apscheduler").setLevel(quiet)
    logging.getLogger("alembic.runtime.plugins").setLevel(quiet)
