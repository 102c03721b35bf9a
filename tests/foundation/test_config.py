"""Settings: defaults, validation, and the one-line error a person sees for a bad value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import DEFAULT_DATABASE_URL, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_need_no_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("BOT_TOKEN", "DATABASE_URL", "TELEGRAM_API_URL", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.token is None
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.reminder_tick_seconds == 15


def test_token_is_secret_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    token = "123456789:AAH-fake-token-for-tests-0123456789ab"
    monkeypatch.setenv("BOT_TOKEN", token)
    settings = load_settings()
    assert settings.token == token
    assert token not in repr(settings) and token not in str(settings.model_dump())


def test_api_url_loses_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    assert load_settings().telegram_api_url == "http://127.0.0.1:8081"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("BOT_TOKEN", "not-a-token", "BOT_TOKEN"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        ("TELEGRAM_API_URL", "localhost:8081", "TELEGRAM_API_URL"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
        ("REMINDER_TICK_SECONDS", "-5", "REMINDER_TICK_SECONDS"),
    ],
)
def test_bad_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(f"Invalid setting {expected}:")
    assert "\n" not in str(caught.value)


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.isupper() or k in ("PATH", "HOME")}
    full_env.update(env)
    full_env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=full_env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_bad_setting_is_one_line_and_status_2(tmp_path: Path) -> None:
    result = _cli([], {"LOG_LEVEL": "LOUD"}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Invalid setting LOG_LEVEL: expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL"
    ]
    assert "Traceback" not in result.stderr + result.stdout


def test_cli_run_without_token_explains(tmp_path: Path) -> None:
    result = _cli(["run"], {}, tmp_path)
    assert result.returncode == 2
    assert "BOT_TOKEN" in result.stderr and "playground" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_migrate_creates_the_database(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'x.db'}"
    result = _cli(["migrate"], {"DATABASE_URL": url}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "migrated" in result.stdout and "up to date" in result.stdout
    assert (tmp_path / "data" / "x.db").exists()
    again = _cli(["migrate"], {"DATABASE_URL": url}, tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "Database is up to date."


def test_the_mini_app_url_defaults_from_the_webhook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINI_APP_URL", raising=False)
    monkeypatch.delenv("WEBHOOK_URL", raising=False)
    assert load_settings().effective_mini_app_url is None  # polling: no Mini App unless set
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.com/limber/hook")
    settings = load_settings()
    assert settings.effective_mini_app_url == "https://bot.example.com/app/"
    assert settings.mini_app_auth_max_age_seconds == 24 * 3600
    monkeypatch.setenv("MINI_APP_URL", "https://app.example.com/limber/app/")
    assert load_settings().effective_mini_app_url == "https://app.example.com/limber/app/"


@pytest.mark.parametrize(
    ("values", "allowed"),
    [
        ({"MINI_APP_URL": "https://bot.example.com/app/", "HEALTH_PORT": "8080"}, True),
        ({"MINI_APP_URL": "http://127.0.0.1:8080/app/", "HEALTH_PORT": "8080"}, True),
        # Telegram opens Mini Apps over HTTPS only.
        ({"MINI_APP_URL": "http://bot.example.com/app/", "HEALTH_PORT": "8080"}, False),
        # Polling without HEALTH_PORT has no web server to serve it.
        ({"MINI_APP_URL": "https://bot.example.com/app/"}, False),
        ({"MINI_APP_AUTH_MAX_AGE_SECONDS": "0"}, False),
    ],
)
def test_a_mini_app_url_needs_https_and_a_server(
    monkeypatch: pytest.MonkeyPatch, values: dict[str, str], allowed: bool
) -> None:
    for name in ("WEBHOOK_URL", "HEALTH_PORT", "MINI_APP_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    if allowed:
        assert load_settings().effective_mini_app_url == values["MINI_APP_URL"]
        return
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith("Invalid setting MINI_APP_")
