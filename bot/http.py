"""The Bot API's HTTP client: PTB's request interface over aiohttp instead of httpx.

Why: httpcore 1.0.9 (under httpx, PTB's default) rescans every pooled connection, with a
poll() syscall on each idle socket, whenever a request enters or leaves its pool (httpcore
PR 1035, unreleased). At a hundred requests in flight that bookkeeping was most of the
bot's CPU: 100 concurrent answerCallbackQuery calls took 3.3 s over a warm pool on this
machine. aiohttp's connector keeps idle connections per host in a queue, so a request costs
the same whatever the pool holds. Long polling (getUpdates, one connection) stays on httpx.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from ops.metrics import Metrics

# As many requests in flight as updates may run at once (see bot.update_order).
CONNECTIONS = 256
READ_TIMEOUT = 5.0
WRITE_TIMEOUT = 5.0
CONNECT_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0
# Uploads (sendPhoto with bytes) may take longer than a small JSON call.
MEDIA_WRITE_TIMEOUT = 20.0
# An idle connection is dropped by us before the server drops it. Servers close idle
# keep-alive connections too (Uvicorn, so the fake Telegram, and many proxies after 5 s),
# and one closed while our loop is busy is still in the pool when the next call takes it:
# that POST then fails with "Server disconnected", and aiohttp rightly retries only
# idempotent methods. aiohttp's own default (15 s) left that window open; httpx, PTB's
# default client, keeps idle connections 5 s.
KEEPALIVE_SECONDS = 4.0
JSON_HEADERS = {"Content-Type": "application/json"}


class AiohttpRequest(BaseRequest):
    """PTB `BaseRequest` on one aiohttp session, created in `initialize`."""

    def __init__(self, connections: int = CONNECTIONS, metrics: Metrics | None = None) -> None:
        self._connections = connections
        self._metrics = metrics
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return READ_TIMEOUT

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._connections, limit_per_host=0, keepalive_timeout=KEEPALIVE_SECONDS
            )
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        body: aiohttp.FormData | bytes | None = None
        headers = None
        if files and request_data is not None:
            form = aiohttp.FormData(request_data.json_parameters)
            for name, (filename, content, mime_type) in files.items():
                form.add_field(name, content, filename=filename, content_type=mime_type)
            body = form
        elif request_data is not None:
            # A JSON body, which the Bot API takes as well: aiohttp's form encoding of the
            # same fields cost more CPU than the rest of the request.
            body, headers = request_data.json_payload, JSON_HEADERS
        write = _value(write_timeout, MEDIA_WRITE_TIMEOUT if files else WRITE_TIMEOUT)
        timeout = aiohttp.ClientTimeout(
            connect=_sum(
                _value(pool_timeout, POOL_TIMEOUT), _value(connect_timeout, CONNECT_TIMEOUT)
            ),
            # aiohttp has no separate write timeout: reading the answer waits for both.
            sock_read=_sum(_value(read_timeout, READ_TIMEOUT), write),
        )
        # The Bot API method is the URL's last part (…/bot<token>/sendMessage): never the token.
        api_method = url.rsplit("/", 1)[-1]
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as answer:
                status, content = answer.status, await answer.read()
        except TimeoutError as error:
            self._count(api_method, "timeout")
            raise TimedOut from error
        except aiohttp.ClientError as error:
            self._count(api_method, "network")
            raise NetworkError(f"aiohttp.{error.__class__.__name__}: {error}") from error
        self._count(api_method, None if status == 200 else str(status))
        return status, content

    def _count(self, api_method: str, error: str | None) -> None:
        if self._metrics is None:
            return
        self._metrics.api_calls.labels(api_method).inc()
        if error is not None:
            self._metrics.api_errors.labels(api_method, error).inc()


def _value(given: Any, default: float) -> Any:
    """PTB passes DEFAULT_NONE for "use the default" and None for "no limit"."""
    return default if isinstance(given, type(BaseRequest.DEFAULT_NONE)) else given


def _sum(*timeouts: float | None) -> float | None:
    return None if any(t is None for t in timeouts) else sum(t for t in timeouts if t)
