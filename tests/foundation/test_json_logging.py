"""LOG_FORMAT=json: one JSON object per line, with the update's id, user and route inside an
update, redacted like the text lines; and the production settings that go with it."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.config import SettingsError, load_settings
from bot.log_context import CURRENT, ScopeFilter, UpdateScope
from bot.logging_setup import REDACTED, RedactingJsonFormatter

TOKEN = "123456789:AAH-fake-token-for-tests-0123456789ab"
SECRET = "hook-secret_42"


def _json_lines(emit: object) -> list[dict[str, object]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingJsonFormatter([TOKEN, SECRET]))
    handler.addFilter(ScopeFilter())
    log = logging.getLogger("test.json")
    log.addHandler(handler)
    log.propagate = False
    log.setLevel(logging.DEBUG)
    try:
        assert callable(emit)
        emit(log)
    finally:
        log.removeHandler(handler)
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_carry_the_update_and_hide_the_token() -> None:
    def emit(log: logging.Logger) -> None:
        log.info("outside any update")
        token = CURRENT.set(UpdateScope(update_id=501, user_id=77, route="command:help"))
        try:
            log.warning("calling /bot%s/getMe with secret %s", TOKEN, SECRET)
            try:
                raise RuntimeError(f"failed at /bot{TOKEN}/sendMessage")
            except RuntimeError:
                log.exception("boom")
        finally:
            CURRENT.reset(token)

    outside, warning, failure = _json_lines(emit)
    assert outside["message"] == "outside any update"
    assert outside["level"] == "INFO" and outside["logger"] == "test.json" and outside["time"]
    assert "update_id" not in outside
    for line in (warning, failure):
        assert (line["update_id"], line["user_id"], line["route"]) == (501, 77, "command:help")
    assert warning["message"] == f"calling /bot{REDACTED}/getMe with secret {REDACTED}"
    assert REDACTED in str(failure["exc_info"])
    text = json.dumps([outside, warning, failure])
    assert TOKEN not in text and SECRET not in text


def test_a_token_shape_in_any_field_is_redacted() -> None:
    other = "987654321:ZZZ-another-token-shape-0123456789"
    (line,) = _json_lines(lambda log: log.error("seen %s", other, extra={"url": f"/bot{other}"}))
    assert line["message"] == f"seen {REDACTED}"
    assert line["url"] == f"/bot{REDACTED}"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOG_FORMAT", "xml"),
        ("WEBHOOK_SECRET", "has spaces"),
        ("WEBHOOK_MAX_CONNECTIONS", "101"),
        ("HEALTH_PORT", "0"),
    ],
)
def test_bad_production_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(f"Invalid setting {name}:")


def test_production_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LOG_FORMAT", "WEBHOOK_MAX_CONNECTIONS", "WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HEALTH_PORT", "")
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    settings = load_settings(log_format="JSON")
    assert settings.log_format == "json"
    assert settings.webhook_max_connections == 100
    assert settings.health_port is None
    # No WEBHOOK_SECRET: one derived from the token, the same for every instance.
    derived = settings.effective_webhook_secret
    assert derived is not None and len(derived) == 64 and TOKEN not in derived
    assert load_settings().effective_webhook_secret == derived
