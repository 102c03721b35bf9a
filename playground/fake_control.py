"""The control API: act as users and read chats over HTTP (JSON in, JSON out), for the chat
page and for tools. Errors are `{"error": "..."}` with 400 (bad input) or 404 (unknown)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from playground.fake_types import JSON, ChatMessage, Faults, ensure_utf8

if TYPE_CHECKING:
    from playground.fake_state import FakeTelegram

Endpoint = Callable[[Request], Awaitable[Response]]
# Optional body fields passed on to FakeTelegram.send_* as keyword arguments.
USER_FIELDS = ("chat_id", "chat_type", "first_name", "language_code")
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def _body(request: Request) -> JSON:
    raw = await request.body()
    try:
        data = json.loads(raw) if raw.strip() else {}
    except ValueError as exc:
        raise ControlError(400, "the body must be JSON") from exc
    if not isinstance(data, dict):
        raise ControlError(400, "the body must be a JSON object")
    try:
        ensure_utf8(data, "the body")
    except ValueError as exc:
        raise ControlError(400, str(exc)) from exc
    return data


def _field(body: JSON, name: str, kind: type | tuple[type, ...]) -> Any:
    value = body.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ControlError(400, f"{name!r} is required")
    return value


def _id(request: Request, name: str) -> int:
    # Group chats have negative ids, which Starlette's int convertor does not match.
    try:
        return int(request.path_params[name])
    except ValueError as exc:
        raise ControlError(400, f"{name} must be an integer") from exc


def _user_kwargs(body: JSON) -> dict[str, Any]:
    return {name: body[name] for name in USER_FIELDS if name in body}


def message_json(fake: FakeTelegram, message: ChatMessage) -> JSON:
    """A ChatMessage as JSON, with the answers to taps on its buttons."""
    data = message.to_json()
    data["callback_answers"] = [
        {"callback_query_id": r.callback_query_id, "data": r.data, "answer": r.answer}
        for r in fake.callbacks.values()
        if r.chat_id == message.chat_id and r.message_id == message.message_id
    ]
    return data


def ranged(request: Request, data: bytes, media_type: str) -> Response:
    """The file, or the one byte range the request asks for: a browser's <video> reads by
    ranges, and seeks (to loop, say) only in a file served that way."""
    headers = {"Accept-Ranges": "bytes"}
    match = _RANGE.fullmatch(request.headers.get("range", "").strip())
    if match is None or not data:
        return Response(data, media_type=media_type, headers=headers)
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last) if last else len(data) - 1, len(data) - 1)
    elif last:  # "bytes=-N": the last N bytes
        start, end = max(len(data) - int(last), 0), len(data) - 1
    else:
        return Response(data, media_type=media_type, headers=headers)
    if start > end:
        headers["Content-Range"] = f"bytes */{len(data)}"
        return Response(status_code=416, headers=headers)
    headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
    return Response(data[start : end + 1], status_code=206, media_type=media_type, headers=headers)


def _guarded(endpoint: Endpoint) -> Endpoint:
    async def run(request: Request) -> Response:
        try:
            return await endpoint(request)
        except ControlError as exc:
            return JSONResponse({"error": str(exc)}, status_code=exc.status)

    return run


def control_routes(fake: FakeTelegram) -> list[Route]:
    """Routes under /control for one fake Telegram."""

    async def text(request: Request) -> Response:
        body = await _body(request)
        user_id = _id(request, "user_id")
        try:
            sent = fake.send_text(user_id, _field(body, "text", str), **_user_kwargs(body))
        except PermissionError as exc:
            raise ControlError(403, str(exc)) from exc
        return JSONResponse(sent)

    async def location(request: Request) -> Response:
        body = await _body(request)
        latitude = _field(body, "latitude", (int, float))
        longitude = _field(body, "longitude", (int, float))
        user_id = _id(request, "user_id")
        return JSONResponse(fake.send_location(user_id, latitude, longitude, **_user_kwargs(body)))

    async def sticker(request: Request) -> Response:
        body = await _body(request)
        return JSONResponse(fake.send_sticker(_id(request, "user_id"), **_user_kwargs(body)))

    async def tap(request: Request) -> Response:
        body = await _body(request)
        message_id = _field(body, "message_id", int)
        data = _field(body, "data", str)
        try:
            query_id = fake.tap(
                _id(request, "user_id"), message_id, data, chat_id=body.get("chat_id")
            )
        except KeyError as exc:
            raise ControlError(404, str(exc.args[0])) from exc
        except PermissionError as exc:
            raise ControlError(403, str(exc)) from exc
        return JSONResponse({"callback_query_id": query_id})

    async def group(request: Request) -> Response:
        """Make a group (the body's `creator` makes it and adds the bot); an existing group
        is left as it is. Its members as {user id: status}."""
        body = await _body(request)
        chat_id = _id(request, "chat_id")
        if chat_id >= 0:
            raise ControlError(400, "a group's id is negative")
        if chat_id not in fake.chats:
            creator = _field(body, "creator", int)
            fake.add_group(
                chat_id,
                str(body.get("title") or "Group"),
                creator=creator,
                chat_type=str(body.get("chat_type") or "supergroup"),
                first_name=body.get("first_name"),
                language_code=body.get("language_code"),
            )
        members = fake.members.get(chat_id, {})
        return JSONResponse(
            {"chat": fake.chats[chat_id].chat, "members": {str(k): v for k, v in members.items()}}
        )

    async def member(request: Request) -> Response:
        """A user joins the group (or leaves it, or is made an admin: `status`)."""
        body = await _body(request)
        chat_id = _id(request, "chat_id")
        if chat_id not in fake.chats:
            raise ControlError(404, f"no chat {chat_id}")
        try:
            fake.set_member(
                chat_id,
                _field(body, "user_id", int),
                str(body.get("status") or "member"),
                first_name=body.get("first_name"),
                language_code=body.get("language_code"),
            )
        except ValueError as exc:
            raise ControlError(400, str(exc)) from exc
        return JSONResponse({"status": fake.member_status(chat_id, body["user_id"])})

    async def block(request: Request) -> Response:
        fake.block(_id(request, "user_id"))
        return JSONResponse({"blocked": True})

    async def unblock(request: Request) -> Response:
        fake.unblock(_id(request, "user_id"))
        return JSONResponse({"blocked": False})

    async def chats(request: Request) -> Response:
        return JSONResponse(
            [{"chat": state.chat, "messages": len(state.messages)} for state in fake.chats.values()]
        )

    async def history(request: Request) -> Response:
        chat_id = _id(request, "chat_id")
        if chat_id not in fake.chats:
            raise ControlError(404, f"no chat {chat_id}")
        return JSONResponse([message_json(fake, m) for m in fake.history(chat_id)])

    async def keyboard(request: Request) -> Response:
        return JSONResponse({"reply_keyboard": fake.reply_keyboard(_id(request, "chat_id"))})

    async def file(request: Request) -> Response:
        stored = fake.files.get(request.path_params["file_id"])
        if stored is None:
            raise ControlError(404, "no such file")
        return ranged(request, stored.data, stored.mime_type)

    async def commands(request: Request) -> Response:
        """The "/" menu: a chat's (?chat_id=, as Telegram picks it for that chat), or the
        default one."""
        chat = request.query_params.get("chat_id", "")
        if chat.lstrip("-").isdigit():
            return JSONResponse(fake.commands_for(int(chat)))
        return JSONResponse(fake.commands)

    async def faults(request: Request) -> Response:
        if request.method == "PUT":
            try:
                fake.faults = Faults.from_json(await _body(request))
            except (TypeError, ValueError) as exc:
                raise ControlError(400, f"bad faults: {exc}") from exc
        return JSONResponse(fake.faults.to_json())

    async def stats(request: Request) -> Response:
        methods = Counter(method for method, _ in fake.calls)
        return JSONResponse(
            {
                "uploads": fake.uploads,
                "calls": len(fake.calls),
                "methods": dict(methods),
                "pending_updates": fake.updates.pending,
                "answered_429": fake.limit_stats.answered_429,
                "early_after_429": fake.limit_stats.early_after_429,
                "paid_messages": fake.limit_stats.paid_messages,
            }
        )

    user = "/control/users/{user_id}"
    chat = "/control/chats/{chat_id}"
    table: list[tuple[str, Endpoint, list[str]]] = [
        (f"{user}/text", text, ["POST"]),
        (f"{user}/location", location, ["POST"]),
        (f"{user}/sticker", sticker, ["POST"]),
        (f"{user}/tap", tap, ["POST"]),
        (f"{user}/block", block, ["POST"]),
        (f"{user}/unblock", unblock, ["POST"]),
        ("/control/chats", chats, ["GET"]),
        (f"{chat}/history", history, ["GET"]),
        (f"{chat}/keyboard", keyboard, ["GET"]),
        (f"{chat}/group", group, ["POST"]),
        (f"{chat}/members", member, ["POST"]),
        ("/control/files/{file_id}", file, ["GET"]),
        ("/control/commands", commands, ["GET"]),
        ("/control/faults", faults, ["GET", "PUT"]),
        ("/control/stats", stats, ["GET"]),
    ]
    return [Route(path, _guarded(endpoint), methods=methods) for path, endpoint, methods in table]
