"""The fake Telegram over HTTP: the Bot API (`/bot{token}/{method}`), file downloads
(`/file/bot{token}/{path}`) and the control API (`/control/...`) for tools and the chat page.
`create_app` is where the fake's Bot API methods are put together into one table."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from playground import fake_groups, fake_messages, fake_methods, fake_webapp
from playground.fake_content import Params, Upload
from playground.fake_control import control_routes
from playground.fake_gate import BotApi
from playground.fake_registry import method_table
from playground.fake_types import JSON, ApiError, bad_request, ensure_utf8

if TYPE_CHECKING:
    from playground.fake_state import FakeTelegram

# Form and multipart fields arrive as strings; these are decoded like Telegram does.
JSON_FIELDS = {
    "reply_markup",
    "menu_button",
    "entities",
    "caption_entities",
    "media",
    "commands",
    "allowed_updates",
    "scope",
    "link_preview_options",
    "reply_parameters",
}
INT_FIELDS = {
    "chat_id",
    "user_id",
    "message_id",
    "offset",
    "limit",
    "timeout",
    "cache_time",
    "max_connections",
    "message_thread_id",
    "width",
    "height",
    "duration",
}
BOOL_FIELDS = {
    "show_alert",
    "disable_notification",
    "protect_content",
    "drop_pending_updates",
    "has_spoiler",
    "disable_content_type_detection",
    "show_caption_above_media",
    "allow_sending_without_reply",
}


def _decode(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError as exc:
            raise bad_request(f"can't parse {name} JSON object") from exc
    if name in INT_FIELDS and value.lstrip("-").isdigit():
        return int(value)
    if name in BOOL_FIELDS and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


async def _read_params(request: Request) -> tuple[JSON, dict[str, Upload]]:
    """Parameters from the query string and a JSON, urlencoded or multipart body."""
    raw: JSON = dict(request.query_params)
    files: dict[str, Upload] = {}
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        body = await request.body()
        data = json.loads(body) if body.strip() else {}
        if not isinstance(data, dict):
            raise bad_request("parameters must be a JSON object")
        raw.update(data)
    elif content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        async with request.form(max_files=50, max_fields=200) as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    files[key] = Upload(await value.read(), value.filename, value.content_type)
                else:
                    raw[key] = value
    values = {name: _decode(name, value) for name, value in raw.items()}
    try:
        ensure_utf8(values, "parameters")
    except ValueError as exc:
        raise bad_request("strings must be encoded in UTF-8") from exc
    return values, files


def _error(error: ApiError) -> JSONResponse:
    return JSONResponse(error.payload(), status_code=error.code)


async def _until_disconnected(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


def create_app(fake: FakeTelegram) -> Starlette:
    """Bot API routes, file downloads and the control API for one fake Telegram."""
    methods = method_table(
        fake_messages.METHODS, fake_methods.METHODS, fake_groups.METHODS, fake_webapp.METHODS
    )
    api = BotApi(fake, methods)

    async def bot_api(request: Request) -> Response:
        if request.path_params["token"] != fake.token:
            return _error(ApiError(401, "Unauthorized"))
        method = api.canonical(request.path_params["method"])
        if method is None:
            return _error(ApiError(404, "Not Found"))
        try:
            values, files = await _read_params(request)
        except ApiError as exc:
            return _error(exc)
        except ValueError:
            return _error(bad_request("can't parse request body"))
        fake.uploads += len(files)
        call = asyncio.ensure_future(api.call(method, Params(values, files)))
        # A long poll whose client went away must not hold the server (or its shutdown) up.
        gone = asyncio.ensure_future(_until_disconnected(request))
        try:
            await asyncio.wait({call, gone}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            call.cancel()  # no-op once done
            gone.cancel()
            await asyncio.gather(call, gone, return_exceptions=True)
        if call.cancelled():
            return Response(status_code=499)  # nobody is listening any more
        try:
            result = call.result()
        except ApiError as exc:
            return _error(exc)
        return JSONResponse({"ok": True, "result": result})

    async def download(request: Request) -> Response:
        if request.path_params["token"] != fake.token:
            return _error(ApiError(401, "Unauthorized"))
        stored = fake.files.by_path(request.path_params["file_path"])
        if stored is None:
            return _error(ApiError(404, "Not Found"))
        return Response(stored.data, media_type=stored.mime_type)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await fake.updates.aclose()

    app = Starlette(
        routes=[
            Route("/bot{token}/{method}", bot_api, methods=["GET", "POST"]),
            Route("/file/bot{token}/{file_path:path}", download, methods=["GET"]),
            *control_routes(fake),
            *fake_webapp.web_app_routes(fake),
        ],
        lifespan=lifespan,
    )
    app.state.fake = fake
    # ops.web.serve calls this before stopping, so pending long polls end at once.
    app.state.before_shutdown = fake.updates.release_waiters
    return app
