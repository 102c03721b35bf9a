"""Mini Apps at the fake Telegram: the chat's menu button (setChatMenuButton,
getChatMenuButton), the check Telegram makes on a `web_app` button's URL, and what Telegram
does when a user opens a Mini App: it signs `initData` for them with the bot's token
(`POST /control/users/{user_id}/web_app`, which the chat page's stand-in for
telegram-web-app.js asks for; the bot checks it as it would Telegram's).

Telegram opens Mini Apps over HTTPS only; the fake also takes plain HTTP on this machine
(127.0.0.1, localhost), where the playground serves its Mini App.
"""

from __future__ import annotations

import copy
import json
import secrets
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from init_data_py import sign
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from playground.fake_registry import Method
from playground.fake_types import JSON, bad_request

if TYPE_CHECKING:
    from playground.fake_content import Params
    from playground.fake_state import FakeTelegram

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
DEFAULT_MENU_BUTTON: JSON = {"type": "default"}
MENU_BUTTON_TYPES = frozenset({"default", "commands", "web_app"})


def check_web_app_url(url: object) -> str:
    """A web_app button's URL as Telegram takes it (400 otherwise)."""
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or not parts.netloc:
        raise bad_request("BUTTON_URL_INVALID")
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
        raise bad_request(
            f"inline keyboard button Web App URL '{url}' is invalid: Only HTTPS links are allowed"
        )
    return str(url)


def _menu_button(params: Params) -> JSON:
    button = params.get("menu_button") or DEFAULT_MENU_BUTTON
    if not isinstance(button, dict) or button.get("type") not in MENU_BUTTON_TYPES:
        raise bad_request("can't parse menu button JSON object")
    if button["type"] == "web_app":
        if not str(button.get("text") or "").strip():
            raise bad_request("menu button text is empty")
        check_web_app_url((button.get("web_app") or {}).get("url"))
    return copy.deepcopy(button)


async def set_chat_menu_button(fake: FakeTelegram, params: Params) -> bool:
    """The menu button of one private chat (`chat_id`), or the default of every chat."""
    button = _menu_button(params)
    chat_id = params.get("chat_id")
    if chat_id is None:
        fake.menu_button = button
    else:
        fake.chat_for_bot(chat_id)
        fake.chat_menu_buttons[chat_id] = button
    return True


async def get_chat_menu_button(fake: FakeTelegram, params: Params) -> JSON:
    chat_id = params.get("chat_id")
    return copy.deepcopy(fake.menu_button_for(chat_id) if chat_id is not None else fake.menu_button)


def init_data(fake: FakeTelegram, user_id: int) -> str:
    """What Telegram hands a Mini App opened by `user_id` in their chat with the bot: the
    user, the chat's kind and a query id, signed with the bot's token at the fake's date."""
    user = fake.users.get(user_id)
    if user is None:
        raise KeyError(user_id)
    fields = {
        "query_id": f"AAF{secrets.token_urlsafe(18)}",
        "user": json.dumps(
            {key: user[key] for key in ("id", "first_name", "language_code") if key in user},
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        "chat_type": "private",
        "chat_instance": str(abs(hash((fake.bot_user["id"], user_id)))),
    }
    return sign(fields, fake.token, auth_date=fake.date())


def web_app_routes(fake: FakeTelegram) -> list[Route]:
    """`POST /control/users/{user_id}/web_app`: the signed initData for a Mini App the user
    opens now (404 for a user who never wrote to the bot)."""

    async def open_web_app(request: Request) -> Response:
        try:
            user_id = int(request.path_params["user_id"])
            signed = init_data(fake, user_id)
        except (KeyError, ValueError):
            return JSONResponse({"error": "no such user"}, status_code=404)
        return JSONResponse({"init_data": signed})

    return [Route("/control/users/{user_id}/web_app", open_web_app, methods=["POST"])]


# The Bot API methods of this module, by their canonical names; fake_app wires them in.
METHODS: dict[str, Method] = {
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
}
