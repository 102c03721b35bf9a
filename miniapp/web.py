"""The Mini App over HTTP, mounted at /app/ on the bot's own web server (bot.server; the
playground mounts it on its own): the page and its scripts, the step pictures, and the API.

What every answer carries: a Content-Security-Policy that lets scripts come only from the app
itself and Telegram's telegram-web-app.js, no CORS header at all (the page calls its own
origin), and nothing cached that should not be. The API reads bodies of at most
`MAX_BODY_BYTES`, takes the user from the initData only, and answers every refusal with a
JSON error and a sentence in the user's language for the page to show.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coach import i18n, miniapp_view
from coach.routine import load_routine
from coach.texts import texts_for
from handlers.context import services_of
from handlers.session_summary import AnyApplication
from miniapp.api import JSON, MiniAppApi, error_text
from miniapp.auth import Caller, Refused, caller_of

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
# Telegram's script, as its documentation asks Mini Apps to load it.
TELEGRAM_SCRIPT = "https://telegram.org/js/telegram-web-app.js"
# The page's script tag names it here (the playground passes its own stand-in).
SCRIPT_SLOT = "{{telegram_web_app_js}}"
# A set is a few dozen bytes of JSON.
MAX_BODY_BYTES = 1024
CSP = "; ".join(
    (
        "default-src 'none'",
        f"script-src 'self' {TELEGRAM_SCRIPT}",
        "style-src 'self'",
        "img-src 'self'",
        "media-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        # Telegram Web shows Mini Apps in a frame; the playground's chat page is our origin.
        "frame-ancestors 'self' https://web.telegram.org",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
NO_STORE = {"Cache-Control": "no-store"}

Endpoint = Callable[[Request], Awaitable[Response]]


class SecurityHeaders:
    """Puts `SECURITY_HEADERS` on every answer of the Mini App, static files included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


def create_mini_app(
    application: AnyApplication,
    *,
    token: str,
    max_age: timedelta,
    telegram_script: str = TELEGRAM_SCRIPT,
) -> Starlette:
    """The Mini App's ASGI app, to mount at /app: initData is checked against `token` and may
    be `max_age` old. `telegram_script` is where the page loads `window.Telegram.WebApp` from:
    Telegram's own script, or the playground's stand-in."""
    services, api = services_of(application), MiniAppApi(application)
    page = (STATIC / "index.html").read_text().replace(SCRIPT_SLOT, telegram_script)
    pictures = miniapp_view.served_pictures(load_routine())

    def answering(endpoint: Callable[[Caller, Request], Awaitable[JSON]]) -> Endpoint:
        """An API endpoint: its caller proven first, its answer JSON, its refusals too."""

        @functools.wraps(endpoint)
        async def run(request: Request) -> Response:
            who: Caller | None = None
            try:
                authorization = request.headers.get("authorization")
                who = caller_of(authorization, token, max_age, services.clock.now())
                return JSONResponse(await endpoint(who, request), headers=NO_STORE)
            except Refused as refused:
                return _refusal(request, refused, who)
            except Exception:  # a failure of ours (the database, say): a sentence, not a page
                log.exception("Mini App call %s failed", request.url.path)
                return _refusal(request, Refused(500, "failed"), who)

        return run

    async def index(request: Request) -> Response:
        return HTMLResponse(page, headers=NO_STORE)

    async def picture(request: Request) -> Response:
        path = pictures.get(request.path_params["name"])
        if path is None:
            return Response(status_code=404)
        return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})

    @answering
    async def day(who: Caller, request: Request) -> JSON:
        return await api.day(who)

    @answering
    async def log_set(who: Caller, request: Request) -> JSON:
        return await api.log_set(who, await _json_body(request))

    @answering
    async def finish(who: Caller, request: Request) -> JSON:
        return await api.finish(who, await _json_body(request))

    return Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route("/pictures/{name:path}", picture, methods=["GET"]),
            Route("/api/day", day, methods=["GET"]),
            Route("/api/sets", log_set, methods=["POST"]),
            Route("/api/finish", finish, methods=["POST"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[Middleware(SecurityHeaders)],
    )


async def _json_body(request: Request) -> JSON:
    """The request's JSON object, read no further than `MAX_BODY_BYTES`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise Refused(413, "too_large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise Refused(413, "too_large")
    try:
        data = json.loads(body)
    except ValueError as error:
        raise Refused(400, "bad_request") from error
    if not isinstance(data, dict):
        raise Refused(400, "bad_request")
    return data


def _refusal(request: Request, refused: Refused, who: Caller | None) -> Response:
    """The JSON error of a refused call, with a sentence for the page in the language of the
    caller's Telegram app (its Accept-Language while the caller is not proven)."""
    if who is not None:
        wanted = who.language_code
    else:
        wanted = request.headers.get("accept-language", "").split(",")[0].split(";")[0].strip()
    texts = texts_for(i18n.negotiate(wanted or None))
    body = {"error": refused.reason, "message": error_text(refused.reason, texts)}
    return JSONResponse(body, status_code=refused.status, headers=NO_STORE)
