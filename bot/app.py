"""`build_application`: the one place that wires settings, database, clock, handlers and jobs."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    Bot,
    BotCommand,
    MenuButton,
    MenuButtonDefault,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    BaseUpdateProcessor,
    ContextTypes,
    Defaults,
)

from bot.config import Settings
from bot.http import AiohttpRequest
from bot.log_context import observe_update
from bot.ratelimit import Limits, TelegramRateLimiter
from bot.update_order import PerUserOrderedProcessor
from coach import i18n
from coach.clock import Clock, SystemClock
from coach.texts import ENGLISH, texts_for
from handlers import (
    account,
    board,
    board_flush,
    buddy,
    common,
    errors,
    keyboard_sweep,
    maintenance,
    onboarding,
    pause,
    progress,
    reminder_buttons,
    session_timer,
    shortcuts,
    together,
    turn,
)
from handlers import help as help_
from handlers import language as language_handlers
from handlers import reminders as reminder_handlers
from handlers import session as session_handlers
from handlers import settings as settings_menu
from handlers.context import LimberContext, Services, services_of
from handlers.media import Pictures
from handlers.questions import answers
from ops.handling import Handling
from ops.metrics import Metrics
from ops.pace import STARS_PER_PAID_MESSAGE, MemoryBook, Pacer, Rates
from storage.db import SQLITE_CHECKPOINT_SECONDS, Database
from storage.send_pace import PostgresBook

# Placeholder token for an Application that only serves the offline playground.
PLAYGROUND_TOKEN = "1000001:playground-token-not-secret"

LimberApp = Application[Any, LimberContext, Any, Any, Any, Any]

# The update types our handlers use, asked for by setWebhook and getUpdates alike. Edited
# messages are left out on purpose: editing an old message runs nothing (handlers.common).
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    db: Database | None = None,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    update_processor: BaseUpdateProcessor | None = None,
) -> LimberApp:
    """Build (but do not start) the bot; nothing connects until the Application starts.

    `rate_limiter` defaults to Telegram's limits (`bot.ratelimit`) and `update_processor` to
    concurrent users in per-user order (`bot.update_order`); tests and benchmarks may pass
    others (some limits off; one update at a time, to compare).
    """
    if settings.token is None:
        raise ValueError("build_application needs BOT_TOKEN (the playground supplies its own)")
    metrics = Metrics()  # this Application's own registry (see ops.metrics for why)
    handling = Handling()  # the updates in flight, for the webhook's answers (bot.server)
    db = db or Database(settings.database_url)
    # Telegram's ~30/s is per bot: every instance on one PostgreSQL shares one pace.
    pace = Limits.at_pace(settings.telegram_messages_per_second)
    rate_limiter = rate_limiter or TelegramRateLimiter(pace)
    pacer = None
    if isinstance(rate_limiter, TelegramRateLimiter):
        if rate_limiter.metrics is None:
            rate_limiter.metrics = metrics
        pacer = rate_limiter.pacer = _pacer(settings, db, rate_limiter.limits)
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        # Bot API calls over aiohttp (see bot.http for why); long polling keeps PTB's default.
        .request(AiohttpRequest(metrics=metrics))
        .context_types(ContextTypes(context=LimberContext))
        # Every text we send is Telegram HTML (coach.texts escapes what users typed).
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        # Keeps us under Telegram's 30 msg/s overall, per-group and per-chat limits.
        .rate_limiter(rate_limiter)
        # Users at once, each user's updates in order (see bot.update_order for why); each
        # update is logged and measured with its id, user and route (bot.log_context).
        .concurrent_updates(
            update_processor
            or PerUserOrderedProcessor(observe=functools.partial(observe_update, metrics, handling))
        )
        .post_init(
            functools.partial(
                _post_init,
                tick_seconds=settings.reminder_tick_seconds,
                sweep_seconds=settings.keyboard_sweep_seconds,
                board_seconds=settings.board_tick_seconds,
            )
        )
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_url:
        # Same layout as a self-hosted telegram-bot-api server.
        builder = builder.base_url(f"{settings.telegram_api_url}/bot").base_file_url(
            f"{settings.telegram_api_url}/file/bot"
        )
    if settings.webhook_url:
        # Webhook mode: our own server (bot.server) puts Telegram's posts on the update queue.
        builder = builder.updater(None)
    application: LimberApp = builder.build()
    application.bot_data["services"] = Services(
        db=db,
        clock=clock or SystemClock(),
        pictures=Pictures(db),
        metrics=metrics,
        reminder_lease=timedelta(seconds=settings.reminder_lease_seconds),
        handling=handling,
        pacer=pacer,
        tick_interval=settings.reminder_tick_seconds,
        paid_after=timedelta(seconds=settings.telegram_paid_broadcast_after_seconds),
        mini_app_url=settings.effective_mini_app_url,
    )

    # First, alone in its group: the update's turn (sender, row, language, texts, now), which
    # every handler below reads from its context (handlers.turn).
    application.add_handlers(turn.handlers(), group=turn.TURN_GROUP)
    # The private-chat check runs next, in its own group, and stops group updates there.
    application.add_handlers(common.handlers(), group=common.PRE_GROUP)
    # Then any command from a user not set up yet (or deleted) goes to onboarding instead.
    application.add_handlers(onboarding.gate_handlers(), group=onboarding.GATE_GROUP)
    # Even earlier: answers to a question we asked (time zone, time). Only private chats match,
    # and anything that is not an answer goes on to the groups below untouched.
    application.add_handlers(answers.input_handlers(), group=answers.INPUT_GROUP)
    # Feature handlers, group 0: the first one that matches an update handles it.
    application.add_handlers(
        [
            *onboarding.handlers(),
            *answers.handlers(),
            *shortcuts.handlers(),
            *pause.handlers(),
            *reminder_buttons.handlers(),
            *session_handlers.handlers(),
            *help_.handlers(),
            *progress.handlers(),
            *settings_menu.handlers(),
            *account.handlers(),
            *language_handlers.handlers(),
            *buddy.handlers(),
            *board.handlers(),
            # Catch-alls last: expired buttons, unknown commands, text nobody expected.
            *errors.fallback_handlers(),
        ]
    )
    # After the features: someone who blocks the bot leaves every buddy view and board (the
    # reminders' own handler in group 0 has marked them blocked).
    application.add_handlers(together.handlers(), group=together.MEMBERSHIP_GROUP)
    application.add_error_handler(errors.on_error)
    return application


def _pacer(settings: Settings, db: Database, limits: Limits) -> Pacer | None:
    """The bot's pace in lanes (ops.pace): on PostgreSQL a book every instance shares
    (storage.send_pace), on SQLite (one instance) one in memory; none without an overall limit."""
    if not limits.overall:
        return None
    stars = settings.telegram_paid_broadcast_stars_per_day
    rates = Rates(
        free=limits.overall,
        paid=settings.telegram_paid_broadcast_per_second,
        paid_per_day=int(stars / STARS_PER_PAID_MESSAGE + 1e-9),
    )
    return Pacer(MemoryBook(rates) if db.is_sqlite else PostgresBook(db, rates))


async def _post_init(
    application: LimberApp, *, tick_seconds: float, sweep_seconds: float, board_seconds: float
) -> None:
    await set_bot_surfaces(application.bot)
    await set_menu_button(application.bot, services_of(application).mini_app_url)
    # One job for every user's reminder; it finds due users in the database
    # (docs/ARCHITECTURE.md, "The reminder tick").
    assert application.job_queue is not None
    services = services_of(application)
    interval = tick_seconds
    application.job_queue.run_repeating(
        reminder_handlers.tick, interval=interval, first=interval, name="reminder-tick"
    )
    # Hold timers are stored: resume those still running, and finish orphaned ones later.
    application.job_queue.run_once(session_timer.resume, when=0, name="hold-timers-resume")
    every_sweep = session_timer.SWEEP_SECONDS
    application.job_queue.run_repeating(
        session_timer.sweep, interval=every_sweep, first=every_sweep, name="hold-timers-sweep"
    )
    application.job_queue.run_repeating(
        keyboard_sweep.sweep, interval=sweep_seconds, first=sweep_seconds, name="keyboard-sweep"
    )
    # Group boards whose redraw had to wait for the group's pace (handlers.board_flush).
    application.job_queue.run_repeating(
        board_flush.tick, interval=board_seconds, first=board_seconds, name="board-flush"
    )
    every_prune = maintenance.PRUNE_SECONDS
    application.job_queue.run_repeating(
        maintenance.prune, interval=every_prune, first=every_prune, name="handled-updates-prune"
    )
    application.job_queue.run_repeating(
        buddy.prune_invites, interval=every_prune, first=every_prune, name="buddy-invites-prune"
    )
    if services.db.is_sqlite:
        every = SQLITE_CHECKPOINT_SECONDS
        application.job_queue.run_repeating(
            maintenance.checkpoint, interval=every, first=every, name="sqlite-checkpoint"
        )


async def set_bot_surfaces(bot: Bot) -> None:
    """Telegram's own surfaces in every language: the command menu, the description an empty
    chat shows before START, and the short one on the profile. English is the default (no
    language_code) for everyone else. Each is read first and set only when it differs, so a
    restart (or a second instance) makes no needless calls that Telegram would rate-limit."""
    for ours in i18n.LANGUAGES:
        code = None if ours == i18n.DEFAULT else language_code(ours)
        texts = texts_for(ours)
        commands = [BotCommand(command, about) for command, about in texts.COMMANDS]
        description, short = texts.BOT_DESCRIPTION, texts.BOT_SHORT_DESCRIPTION
        if tuple(await bot.get_my_commands(language_code=code)) != tuple(commands):
            await bot.set_my_commands(commands, language_code=code)
        if (await bot.get_my_description(language_code=code)).description != description:
            await bot.set_my_description(description, language_code=code)
        current = await bot.get_my_short_description(language_code=code)
        if current.short_description != short:
            await bot.set_my_short_description(short, language_code=code)


async def set_menu_button(bot: Bot, mini_app_url: str | None) -> None:
    """The chat's menu button: it opens the Mini App when there is one, else Telegram's own
    (the command list). Read first and set only when it differs, like the surfaces above."""
    wanted: MenuButton = MenuButtonDefault()
    if mini_app_url is not None:
        wanted = MenuButtonWebApp(ENGLISH.MINIAPP_MENU_BUTTON, WebAppInfo(mini_app_url))
    if await bot.get_chat_menu_button() != wanted:
        await bot.set_chat_menu_button(menu_button=wanted)


def language_code(language: str) -> str:
    """Telegram's language_code for one of ours: ISO 639-1 only ("pt_BR" → "pt")."""
    return language.split("_")[0]


async def _post_shutdown(application: LimberApp) -> None:
    await services_of(application).db.dispose()


@asynccontextmanager
async def polling(application: LimberApp, timeout: int = 10) -> AsyncIterator[LimberApp]:
    """Run the bot inside the caller's event loop, in the order `run_polling` uses.

    The playground and the tests share one loop with the fake Telegram, so they cannot call
    `run_polling` (it owns the loop); this keeps `post_init` and `post_shutdown` in the picture.
    """
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        assert application.updater is not None
        # start_polling deletes any webhook first (PTB's bootstrap), as Telegram requires.
        await application.updater.start_polling(
            poll_interval=0.0, timeout=timeout, allowed_updates=ALLOWED_UPDATES
        )
        await application.start()
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


def webhook_path(webhook_url: str) -> str:
    """The path our webhook server answers on: the one Telegram posts to (proxies keep it)."""
    return urlsplit(webhook_url).path.strip("/")
