"""Typed settings, read from the environment and an optional `.env` file."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Collection
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/limber.db"
# The playground keeps its pretend users apart from real ones.
PLAYGROUND_DATABASE_URL = "sqlite+aiosqlite:///./data/playground.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
# What Telegram accepts as a webhook's secret_token.
WEBHOOK_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Where our own web server serves the Mini App (miniapp.web); MINI_APP_URL's default path.
MINI_APP_PATH = "/app/"
# Telegram opens Mini Apps over HTTPS only; plain HTTP is for the playground on this machine.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class Settings(BaseSettings):
    """Every knob of the bot; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    bot_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    telegram_api_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # Telegram's most (its default is 40). A request is held until its update is handled, its
    # edit waiting for the pace included, so under a burst of taps 40 held connections made the
    # 41st user wait for one of them: in bench.cluster the last of 50 taps was answered 1.3 s on.
    webhook_max_connections: int = Field(default=100, ge=1, le=100)
    # A webhook request is answered once its update is handled, or after this long at most:
    # an update whose instance dies unanswered is delivered again (bot.server).
    webhook_ack_seconds: float = Field(default=10.0, gt=0, le=50)
    health_port: int | None = Field(default=None, ge=1, le=65535)
    log_level: str = "INFO"
    log_format: str = "text"
    reminder_tick_seconds: float = Field(default=15.0, gt=0, le=3600)
    # How often the buttons that stopped acting are taken away (handlers.keyboard_sweep).
    keyboard_sweep_seconds: float = Field(default=5.0, gt=0, le=3600)
    # How often group boards whose redraw had to wait for the group's pace are drawn
    # (handlers.board_flush); a change is drawn at once when the pace allows.
    board_tick_seconds: float = Field(default=2.0, gt=0, le=3600)
    # How long a tick's claim keeps other instances off a reminder; a crashed instance's
    # claims (about a second of its sends) come free after this long (storage.reminders.LEASE).
    reminder_lease_seconds: float = Field(default=3.0, gt=0, le=3600)
    # Telegram's limit is per bot: every instance on one PostgreSQL shares this pace.
    telegram_messages_per_second: float = Field(default=29.0, gt=0, le=1000)
    # Paid broadcasts (allow_paid_broadcast): the whole bot's pace with them, 0 for none; the
    # Stars they may cost a day; and how late the backlog would make reminders before they go.
    telegram_paid_broadcast_per_second: float = Field(default=0.0, ge=0, le=1000)
    telegram_paid_broadcast_stars_per_day: float = Field(default=0.0, ge=0)
    telegram_paid_broadcast_after_seconds: float = Field(default=300.0, ge=0, le=7200)
    playground_host: str = "127.0.0.1"
    playground_port: int = Field(default=8080, ge=0, le=65535)
    # The Mini App's public URL (its page is served under /app/ by our own web server);
    # None: WEBHOOK_URL's origin + /app/ when that is set, else no Mini App at all.
    mini_app_url: str | None = None
    # How old a Mini App's initData may be (its auth_date) before its calls get 401.
    mini_app_auth_max_age_seconds: int = Field(default=86_400, ge=60, le=30 * 86_400)

    @field_validator("bot_token", "webhook_secret", "health_port", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET_SHAPE.fullmatch(value.get_secret_value()):
            raise ValueError("expected 1-256 characters: letters, digits, _ and -")
        return value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # BotFather tokens look like "123456:ABC-..."; catching a pasted URL or a
        # quoted value here beats a confusing 401 from Telegram later.
        if value is not None:
            raw = value.get_secret_value()
            head, _, tail = raw.partition(":")
            if not head.isdigit() or not tail or any(c.isspace() for c in raw):
                raise ValueError("expected the token from @BotFather, like 123456:ABC-DEF")
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "expected sqlite+aiosqlite:///path.db or postgresql+asyncpg://user@host/db"
            )
        return value

    @field_validator("telegram_api_url", "webhook_url", mode="before")
    @classmethod
    def _url(cls, value: object) -> object:
        if value in ("", None):
            return None
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            raise ValueError("expected an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("mini_app_url", mode="before")
    @classmethod
    def _mini_app_url(cls, value: object, info: ValidationInfo) -> object:
        if value in ("", None):
            return None
        if not isinstance(value, str):
            raise ValueError("expected an https:// URL")
        parts = urlsplit(value)
        loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
        if parts.scheme != "https" and not loopback:
            raise ValueError("expected an https:// URL (Telegram opens Mini Apps over HTTPS only)")
        if info.data.get("webhook_url") is None and info.data.get("health_port") is None:
            # Our web server serves the page: the webhook's, or in polling mode HEALTH_PORT's.
            raise ValueError("nothing would serve it: set WEBHOOK_URL, or HEALTH_PORT to poll")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: object) -> object:
        return _one_of(value, LOG_LEVELS, str.upper)

    @field_validator("log_format", mode="before")
    @classmethod
    def _format(cls, value: object) -> object:
        return _one_of(value, LOG_FORMATS, str.lower)

    @property
    def token(self) -> str | None:
        return self.bot_token.get_secret_value() if self.bot_token else None

    @property
    def effective_mini_app_url(self) -> str | None:
        """MINI_APP_URL, or the webhook's origin + /app/ (the same server serves both);
        None: no Mini App, and no button or menu entry opens one."""
        if self.mini_app_url is not None:
            return self.mini_app_url
        if self.webhook_url is None:
            return None
        parts = urlsplit(self.webhook_url)
        if parts.scheme != "https" and parts.hostname not in LOOPBACK_HOSTS:
            return None  # Telegram would refuse the buttons
        return f"{parts.scheme}://{parts.netloc}{MINI_APP_PATH}"

    @property
    def effective_webhook_secret(self) -> str | None:
        """WEBHOOK_SECRET, or when it is not set one derived from the token: a webhook always
        checks a secret, and every instance of the bot derives the same one."""
        if self.webhook_secret is not None:
            return self.webhook_secret.get_secret_value()
        if self.token is None:
            return None
        return hmac.new(self.token.encode(), b"limber-webhook", hashlib.sha256).hexdigest()


def _one_of(value: object, choices: Collection[str], spelling: Callable[[str], str]) -> str:
    """`value` in its one spelling, when it names one of `choices` (any case)."""
    if isinstance(value, str) and spelling(value) in choices:
        return spelling(value)
    raise ValueError(f"expected one of {', '.join(choices)}")


class SettingsError(Exception):
    """Raised with a one-line, human-readable explanation of a bad setting."""


def load_settings(**overrides: object) -> Settings:
    """Read the settings; a bad value becomes one `SettingsError` line naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"Invalid setting {name}: {message}") from None
