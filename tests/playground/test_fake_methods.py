"""The Bot API method table `create_app` builds: names match in any case, as on Telegram, an
unknown method is 404, and no method can be defined by two modules."""

from __future__ import annotations

import httpx
import pytest

from playground import fake_messages, fake_methods
from playground.fake_registry import method_table
from playground.fake_telegram import FakeTelegram
from tests.playground.helpers import TOKEN, USER


async def test_method_names_match_in_any_case(api_url: str, fake: FakeTelegram, chat: int) -> None:
    async with httpx.AsyncClient(base_url=f"{api_url}/bot{TOKEN}") as client:
        sent = await client.post("/SENDMESSAGE", json={"chat_id": chat, "text": "Hi"})
        me = await client.get("/getme")
        unknown = await client.post("/sendSticker", json={"chat_id": chat})
    assert sent.json()["result"]["text"] == "Hi"
    assert me.json()["result"]["username"] == "limber_bot"
    # Recorded under the canonical names, which is what tests and the fault gate look at.
    assert [name for name, _ in fake.calls] == ["sendMessage", "getMe"]
    assert (unknown.status_code, unknown.json()) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    assert [m.text for m in fake.history(USER)] == ["/start", "Hi"]


def test_a_method_defined_twice_is_refused() -> None:
    again = {"SendMessage": fake_methods.get_me}
    with pytest.raises(ValueError, match="SendMessage is defined twice"):
        method_table(fake_messages.METHODS, fake_methods.METHODS, again)
