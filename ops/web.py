"""Run an ASGI app with Uvicorn inside the current event loop, on a socket bound before start
(port 0 picks a free ephemeral port), for the playground and for tests."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn

# Idle keep-alive connections are closed after this long, as Uvicorn does by default and as
# many servers and proxies in front of a Bot API do: the bot's client must cope (bot.http).
KEEP_ALIVE_SECONDS = 5


@asynccontextmanager
async def serve(app: Any, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Serve `app` until the block ends; yields the base URL, e.g. http://127.0.0.1:43121.

    If the app has a callable `app.state.before_shutdown`, it is called first on the way out,
    so requests that would otherwise hold the server up (long polls) can finish at once."""
    # Binding here, not in Uvicorn, means the port is known (and ours) before start-up.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # asyncio turns Nagle off only for sockets whose proto is IPPROTO_TCP, and a socket made
    # like this one (and every connection accepted from it) has proto 0. Without this, each
    # response waits ~40 ms for the client's delayed ACK. Linux passes it on to accepted sockets.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    bound_port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_config=None,  # leave the process's logging set-up alone
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()  # start-up failed: raise its error here
                raise RuntimeError("uvicorn stopped during start-up")
            await asyncio.sleep(0.01)
        url_host = f"[{host}]" if family == socket.AF_INET6 else host
        yield f"http://{url_host}:{bound_port}"
    finally:
        before_shutdown = getattr(getattr(app, "state", None), "before_shutdown", None)
        if callable(before_shutdown):
            before_shutdown()
        server.should_exit = True
        try:
            await task
        finally:
            sock.close()
