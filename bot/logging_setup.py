"""Logging that never shows the bot token, whatever the record or traceback contains."""

from __future__ import annotations

import json
import logging
import re

from pythonjsonlogger.json import JsonFormatter

from bot.log_context import ScopeFilter

# Any string shaped like a Bot API token, even one that is not ours (a pasted test token).
TOKEN_SHAPE = re.compile(r"(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}")
REDACTED = "[REDACTED]"


class Redactor:
    """Removes the given secrets, and anything token-shaped, from a finished log line."""

    def __init__(self, secrets: list[str]) -> None:
        found = [s for s in secrets if s]
        # As a JSON string would spell them, too (a secret with a quote or a backslash).
        self._secrets = sorted({*found, *(json.dumps(s)[1:-1] for s in found)}, key=len)[::-1]

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_SHAPE.sub(REDACTED, text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes the token (and anything token-shaped) from the text."""

    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        self._redactor = Redactor(secrets)

    def redact(self, text: str) -> str:
        return self._redactor.redact(text)

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))


class RedactingJsonFormatter(JsonFormatter):
    """One JSON object per line (time, level, logger, message, and the update's id, user and
    route inside one), redacted like the text lines."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__(
            "{asctime}{levelname}{name}{message}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )
        self._redactor = Redactor(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return self._redactor.redact(super().format(record))


def configure_logging(level: str, *secrets: str | None, log_format: str = "text") -> None:
    """Root logging for the process: one stream handler that redacts `secrets` (the token,
    the webhook secret) from every line; PTB logs request parameters at DEBUG. `log_format`
    "json" writes one JSON object per line."""
    handler = logging.StreamHandler()
    kept = [s for s in secrets if s]
    if log_format == "json":
        handler.setFormatter(RedactingJsonFormatter(kept))
        handler.addFilter(ScopeFilter())
        # Python's warnings would otherwise print plain text lines among the JSON ones.
        logging.captureWarnings(True)
    else:
        handler.setFormatter(
            RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", kept)
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
