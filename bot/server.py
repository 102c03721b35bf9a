"""The bot's own HTTP server (Starlette on Uvicorn): Telegram's webhook, `GET /healthz` and
`GET /metrics`.

The webhook follows PTB's custom-webhook pattern: the Application has no Updater, and each
update Telegram posts is put on `application.update_queue`. A request is checked before
anything is queued: the secret header (403), the size and the JSON (400).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from importlib import metadata

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update

from bot.app import ALLOWED_UPDATES, LimberApp, polling, webhook_path
from bot.config import Settings
from handlers import reminders
from handlers.context import services_of
from ops.web import serve
from storage import guided

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are a few KiB; a file's content never comes inside one.
MAX_BODY_BYTES = 1 << 20
# /healthz answers 503 once the reminder tick has not finished for this many intervals.
STALE_TICKS = 3
DATABASE_TIMEOUT_SECONDS = 3.0
# After SIGTERM, how long the updates in flight may take before the process exits anyway.
SHUTDOWN_SECONDS = 8.0
# A guided session counts as active while it moved within this long (limber_guided_sessions_active).
ACTIVE_SESSION = timedelta(hours=1)


def version() -> str:
    try:
        return metadata.version("limber")
    except metadata.PackageNotFoundError:
        return "unknown"


def create_web_app(application: LimberApp, settings: Settings, *, webhook: bool) -> Starlette:
    """`/healthz` and `/metrics`, plus the webhook's path when `webhook` is set."""
    services = services_of(application)
    tick_limit = STALE_TICKS * settings.reminder_tick_seconds

    async def healthz(request: Request) -> Response:
        database = await _database_reachable(application)
        age = services.metrics.tick_age()
        healthy = database and age <= tick_limit
        body = {
            "status": "ok" if healthy else "unhealthy",
            "database_reachable": database,
            "reminder_tick_age_seconds": round(age, 3),
            "version": version(),
        }
        return JSONResponse(body, status_code=200 if healthy else 503)

    async def metrics(request: Request) -> Response:
        await _count_sessions(application)
        return Response(generate_latest(services.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
    if webhook:
        assert settings.webhook_url is not None
        secret = (settings.effective_webhook_secret or "").encode()

        async def receive(request: Request) -> Response:
            given = request.headers.get(SECRET_HEADER, "").encode()
            if not hmac.compare_digest(given, secret):
                return Response(status_code=403)
            body = await _read_limited(request)
            update = _parse_update(body, application) if body is not None else None
            if update is None:
                return Response(status_code=400)
            await application.update_queue.put(update)
            return Response()

        routes.append(Route(f"/{webhook_path(settings.webhook_url)}", receive, methods=["POST"]))
    return Starlette(routes=routes)


async def _read_limited(request: Request) -> bytes | None:
    """The body, or None when it is (or says it is) over MAX_BODY_BYTES."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_update(body: bytes, application: LimberApp) -> Update | None:
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return None
        return Update.de_json(data, application.bot)
    except Exception:  # whatever a malformed update breaks in PTB's parsing: refused, not a 500
        log.warning("Refused a webhook request whose body is not an update")
        return None


async def _database_reachable(application: LimberApp) -> bool:
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS):
            await services_of(application).db.ping()
    except Exception as error:  # any failure to reach it is the answer, not a crash
        log.warning("Health check: the database is unreachable (%s)", type(error).__name__)
        return False
    return True


async def _count_sessions(application: LimberApp) -> None:
    services = services_of(application)
    since = services.clock.now() - ACTIVE_SESSION
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS), services.db.read() as session:
            services.metrics.guided_sessions.set(await guided.count_active(session, since))
    except Exception as error:  # the other metrics are still worth serving
        log.warning("Metrics: could not count guided sessions (%s)", type(error).__name__)


@asynccontextmanager
async def webhook(application: LimberApp, settings: Settings) -> AsyncIterator[str]:
    """Run the bot in webhook mode inside the caller's event loop: start it, listen on
    WEBHOOK_LISTEN:WEBHOOK_PORT, then tell Telegram where to post. On the way out the server
    stops taking requests and finishes those in flight, then the Application handles what
    was queued and stops (post_init and post_shutdown run as with `bot.app.polling`)."""
    assert settings.webhook_url is not None
    app = create_web_app(application, settings, webhook=True)
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        try:
            async with serve(app, settings.webhook_listen, settings.webhook_port) as url:
                # After listening, so Telegram's first post finds us. Never deleted on the
                # way out: another instance may still be serving the same webhook.
                await application.bot.set_webhook(
                    url=settings.webhook_url,
                    secret_token=settings.effective_webhook_secret,
                    allowed_updates=ALLOWED_UPDATES,
                    max_connections=settings.webhook_max_connections,
                )
                log.info("Webhook server listening on %s", url)
                yield url
        finally:
            await application.stop()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


@asynccontextmanager
async def health_server(application: LimberApp, settings: Settings) -> AsyncIterator[str | None]:
    """In polling mode, /healthz and /metrics on WEBHOOK_LISTEN:HEALTH_PORT when it is set."""
    if settings.health_port is None:
        yield None
        return
    app = create_web_app(application, settings, webhook=False)
    async with serve(app, settings.webhook_listen, settings.health_port) as url:
        log.info("Health and metrics server listening on %s", url)
        yield url


async def run(
    application: LimberApp, settings: Settings, stop: asyncio.Event | None = None
) -> None:
    """Talk to Telegram until SIGINT or SIGTERM (or `stop`): by webhook when WEBHOOK_URL is
    set, else by long polling (with /healthz and /metrics on HEALTH_PORT when it is set)."""
    stop = stop or stop_on_signals()
    serving = asyncio.create_task(_serve(application, settings, stop))
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    try:
        # What is in flight gets this long to finish; a process manager's patience (systemd,
        # Docker: 10 s before SIGKILL) should not be what ends it.
        await asyncio.wait_for(serving, SHUTDOWN_SECONDS)
    except TimeoutError:
        log.warning("Shutdown took over %.0f s; stopped what was still running", SHUTDOWN_SECONDS)
        return
    log.info("Stopped cleanly")


async def _serve(application: LimberApp, settings: Settings, stop: asyncio.Event) -> None:
    if settings.webhook_url:
        async with webhook(application, settings):
            await stop.wait()
            reminders.stop_sending(application)
    else:
        async with polling(application), health_server(application, settings):
            await stop.wait()
            reminders.stop_sending(application)


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM, so shutting down runs the same path as the end of
    `run` (no KeyboardInterrupt in the middle of a handler)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop
