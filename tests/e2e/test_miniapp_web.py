"""What the Mini App's server answers a browser: the page and its scripts under a
Content-Security-Policy that lets scripts come from the app and Telegram's script only, no
CORS header for any origin, and only the routine's own pictures."""

from __future__ import annotations

import re

from coach.clock import ManualClock
from coach.miniapp_view import served_pictures
from coach.routine import load_routine
from miniapp.web import TELEGRAM_SCRIPT
from tests.e2e.miniapp import init_data, mini_app_bot
from tests.helpers import ANN, make_user

EVIL = "https://evil.example"


async def test_the_page_loads_scripts_only_from_itself_and_telegram(
    database_url: str, clock: ManualClock
) -> None:
    async with mini_app_bot(database_url, clock) as app:
        page = await app.call("GET", "/", None)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        policy = page.headers["content-security-policy"]
        assert f"script-src 'self' {TELEGRAM_SCRIPT};" in policy
        assert "default-src 'none'" in policy and "connect-src 'self'" in policy
        # No inline script anywhere: every <script> has its own file.
        scripts = re.findall(r"<script([^>]*)>", page.text)
        assert scripts and all("src=" in attributes for attributes in scripts)
        assert f'<script src="{TELEGRAM_SCRIPT}"></script>' in page.text
        # The scripts it names are served, under the same policy.
        for src in re.findall(r'src="(static/[^"]+)"', page.text):
            script = await app.call("GET", f"/{src}", None)
            assert script.status_code == 200, src
            assert script.headers["content-security-policy"] == policy
            assert script.headers["x-content-type-options"] == "nosniff"


async def test_no_origin_is_allowed_to_call_the_api(database_url: str, clock: ManualClock) -> None:
    async with mini_app_bot(database_url, clock) as app:
        await make_user(app.harness, ANN)
        signed = init_data(ANN, clock.now())
        answer = await app.call("GET", "/api/day", signed, headers={"Origin": EVIL})
        assert answer.status_code == 200
        assert not [name for name in answer.headers if name.startswith("access-control-")]
        preflight = await app.call(
            "OPTIONS",
            "/api/sets",
            None,
            headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"},
        )
        assert preflight.status_code == 405
        assert not [name for name in preflight.headers if name.startswith("access-control-")]


async def test_only_the_routines_pictures_are_served(database_url: str, clock: ManualClock) -> None:
    async with mini_app_bot(database_url, clock) as app:
        pictures = served_pictures(load_routine())
        name, path = next((n, p) for n, p in pictures.items() if n.startswith("de/"))
        picture = await app.call("GET", f"/pictures/{name}", None)
        assert picture.status_code == 200
        assert picture.content == path.read_bytes()
        loop = next(n for n in pictures if n.endswith(".mp4"))
        assert (await app.call("GET", f"/pictures/{loop}", None)).headers[
            "content-type"
        ] == "video/mp4"
        for other in ("../routine.toml", "..%2Froutine.toml", "fonts/DejaVuSans.ttf", "log.png"):
            assert (await app.call("GET", f"/pictures/{other}", None)).status_code == 404, other
