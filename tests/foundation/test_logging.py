"""The log formatter removes the token from messages, arguments and tracebacks."""

from __future__ import annotations

import io
import logging

from bot.logging_setup import RedactingFormatter, configure_logging

TOKEN = "123456789:AAH-fake-token-for-tests-0123456789ab"


def test_formatter_redacts_message_args_and_traceback() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter("%(message)s", [TOKEN]))
    log = logging.getLogger("test.redaction")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("calling https://api.telegram.org/bot%s/getMe", TOKEN)
        try:
            raise RuntimeError(f"failed at /bot{TOKEN}/sendMessage")
        except RuntimeError:
            log.exception("boom")
        log.warning("GET /bot987654321:ZZZ-another-token-shape-0123456789/getMe")
    finally:
        log.removeHandler(handler)
    output = stream.getvalue()
    assert TOKEN not in output
    assert "987654321:ZZZ" not in output
    assert output.count("[REDACTED]") == 3  # the message, the exception, the other token


def test_httpx_request_logger_is_silenced() -> None:
    configure_logging("DEBUG", TOKEN)
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    assert logging.getLogger("bot").isEnabledFor(logging.DEBUG)


def test_scheduler_chatter_only_at_debug() -> None:
    configure_logging("INFO", TOKEN)
    assert not logging.getLogger("apscheduler").isEnabledFor(logging.INFO)
    configure_logging("DEBUG", TOKEN)
    assert logging.getLogger("apscheduler").isEnabledFor(logging.DEBUG)
