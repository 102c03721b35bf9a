"""The bot's own HTTP server (Starlette on Uvicorn): Telegram's webhook, `GET /healthz`,
`GET /metrics` and, when there is a Mini App URL, the Mini App under /app/ (miniapp.web).

The webhook follows PTB's custom-webhook pattern: the Application has no Updater, and each
update Telegram posts is put on `application.update_queue`. A request is checked before
anything is queued: the secret header (403), the size and the JSON (400).

Telegram counts an update delivered once its request is answered 2xx, and delivers it again
otherwise. So a request is answered once its update is handled (the update processor says
when: ops.handling), or after WEBHOOK_ACK_SECONDS at most: an instance that dies while
handling an update never answers, and Telegram (or the proxy in front: nginx's
proxy_next_upstream) hands it to another. An update handled to the end is recorded
(storage.updates), so one delivered again is acknowledged without being handled twice.
See docs/ARCHITECTURE.md, "Webhook delivery".
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
from starlette.routing import BaseRoute, Mount, Route
from telegram import Update

from bot.app import ALLOWED_UPDATES, LimberApp, polling, webhook_path
from bot.config import Settings
from handlers import reminders
from handlers.context import services_of
from miniapp.web import create_mini_app
from ops.web import serve
from storage import guided, updates

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
    """`/healthz` and `/metrics`, plus the webhook's path when `webhook` is set and the Mini
    App under /app/ when it has a URL."""
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

    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
    if services.mini_app_url is not None:
        routes.append(Mount("/app", mini_app(application, settings)))
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
            if await _handled_before(application, update.update_id):
                return Response()  # delivered again: acknowledged, not handled twice
            handled, new = services.handling.expect(update.update_id)
            if new:
                await application.update_queue.put(update)
            try:
                await asyncio.wait_for(asyncio.shield(handled), settings.webhook_ack_seconds)
            except TimeoutError:
                # Slow: Telegram must not wait any longer (nor deliver it again: it hears
                # 200 now), and it is handled all the same.
                return Response()
            await _record_handled(application, update)
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


def mini_app(application: LimberApp, settings: Settings, **options: str) -> Starlette:
    """The Mini App (miniapp.web) with its initData checked against this bot's token."""
    assert settings.token is not None  # build_application refuses to build without one
    max_age = timedelta(seconds=settings.mini_app_auth_max_age_seconds)
    return create_mini_app(application, token=settings.token, max_age=max_age, **options)


def _parse_update(body: bytes, application: LimberApp) -> Update | None:
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return None
        return Update.de_json(data, application.bot)
    except Exception:  # whatever a malformed update breaks in PTB's parsing: refused, not a 500
        log.warning("Refused a webhook request whose body is not an update")
        return None


async def _handled_before(application: LimberApp, update_id: int) -> bool:
    services = services_of(application)
    try:
        async with services.db.read() as session:
            return await updates.was_handled(session, update_id)
    except Exception:  # the database is out: handle it (the handler reports its failure)
        log.warning("Could not look up whether update %s was handled", update_id, exc_info=True)
        return False


async def _record_handled(application: LimberApp, update: Update) -> None:
    services = services_of(application)
    try:
        async with services.db.transaction() as session:
            await updates.record(session, update.update_id, services.clock.now())
    except Exception:  # handled all the same; only a second delivery would run it again
        log.warning("Could not record update %s as handled", update.update_id, exc_info=True)


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
