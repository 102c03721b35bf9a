"""Update delivery like Telegram's: a queue read by long polling (getUpdates with offsets)
or, once a webhook is set, POSTed to the bot's URL in order, retried until it answers 2xx."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import Awaitable, Callable

import httpx

from playground.fake_types import JSON, ApiError

# Telegram leaves these out unless allowed_updates names them.
NOT_DEFAULT = {"chat_member", "message_reaction", "message_reaction_count"}
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
TERMINATED = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
RETRY_DELAYS = (0.1, 0.5, 1.0, 2.0)  # seconds between webhook retries, then the last repeats


class UpdateQueue:
    """Pending updates for one bot; `on_change` is called whenever one was delivered."""

    def __init__(self, on_change: Callable[[], None]) -> None:
        self._updates: list[JSON] = []
        self._next_id = 500_000_001
        self._allowed: list[str] = []
        self._on_change = on_change
        self._wake = asyncio.Event()
        self._poll_generation = 0
        self._released = 0
        self.webhook: JSON = {}
        self._worker: asyncio.Task[None] | None = None

    @property
    def pending(self) -> int:
        return len(self._updates)

    def push(self, body: JSON) -> JSON:
        update = {"update_id": self._next_id, **body}
        self._next_id += 1
        self._updates.append(update)
        self._wake_up()
        self._ensure_worker()
        return update

    def _wake_up(self) -> None:
        self._wake.set()
        self._wake = asyncio.Event()

    def release_waiters(self) -> None:
        """Answer every long poll now (empty), so a server can shut down without waiting."""
        self._released += 1
        self._wake_up()

    def _select(self, limit: int) -> list[JSON]:
        allowed = set(self._allowed)
        kept = []
        for update in self._updates:
            kind = update_kind(update)
            if (kind in allowed) if allowed else (kind not in NOT_DEFAULT):
                kept.append(update)
        self._updates = kept  # updates of a type the bot did not ask for are dropped
        return kept[:limit]

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    async def get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook.get("url"):
            raise ApiError(409, WEBHOOK_ACTIVE)
        if params.get("allowed_updates") is not None:
            self._allowed = list(params["allowed_updates"])
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0)
        # A newer getUpdates ends an older one, as on Telegram.
        self._poll_generation += 1
        generation, released = self._poll_generation, self._released
        self._wake_up()
        self._confirm(params.get("offset"))
        deadline = time.monotonic() + timeout
        while True:
            batch = self._select(limit)
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or released != self._released:
                return batch
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), remaining)
            if generation != self._poll_generation:
                raise ApiError(409, TERMINATED)

    def set_webhook(self, params: JSON) -> None:
        url = params.get("url") or ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if not url:
            self.webhook = {}
        else:
            if not url.startswith(("http://", "https://")):
                raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
            self.webhook = {
                "url": url,
                "secret_token": params.get("secret_token"),
                "max_connections": int(params.get("max_connections") or 40),
            }
            if params.get("allowed_updates") is not None:
                self._allowed = list(params["allowed_updates"])
        self._restart_worker()

    def webhook_info(self) -> JSON:
        info: JSON = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
            if self._allowed:
                info["allowed_updates"] = list(self._allowed)
            for key in ("last_error_date", "last_error_message"):
                if key in self.webhook:
                    info[key] = self.webhook[key]
        return info

    def _restart_worker(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
        self._wake_up()
        self._ensure_worker()

    def _ensure_worker(self) -> None:
        if self.webhook.get("url") and (self._worker is None or self._worker.done()):
            self._worker = asyncio.get_running_loop().create_task(self._deliver(self.webhook))

    async def aclose(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker

    async def _deliver(self, webhook: JSON) -> None:
        """POST updates as Telegram does: up to `max_connections` at once, but one chat's
        updates one after another, each only once the previous one was answered 2xx (a
        failed one is retried, to whichever instance the URL leads, before its chat's next)."""
        headers = {}
        if webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook["secret_token"]
        busy: set[object] = set()  # chats with an update on its way
        posting: set[asyncio.Task[None]] = set()
        # A bot acknowledges an update once it has handled it (bot.server), which may take a
        # while; Telegram waits about a minute before it counts the attempt as failed.
        async with httpx.AsyncClient(timeout=60) as client:
            while self.webhook is webhook:
                wake = self._wake
                update = (
                    self._next_free(busy) if len(posting) < webhook["max_connections"] else None
                )
                if update is None:
                    await wake.wait()
                    continue
                key = queue_key(update)
                busy.add(key)
                task = asyncio.get_running_loop().create_task(
                    self._post_until_taken(client, webhook, headers, update)
                )
                posting.add(task)
                task.add_done_callback(posting.discard)
                task.add_done_callback(functools.partial(self._posted, key=key, busy=busy))

    def _next_free(self, busy: set[object]) -> JSON | None:
        """The oldest update whose chat has none on its way."""
        return next((u for u in self._select(len(self._updates)) if queue_key(u) not in busy), None)

    def _posted(self, task: asyncio.Task[None], *, key: object, busy: set[object]) -> None:
        busy.discard(key)  # the chat's next update may go now
        self._wake_up()

    async def _post_until_taken(
        self, client: httpx.AsyncClient, webhook: JSON, headers: dict[str, str], update: JSON
    ) -> None:
        failures = 0
        while self.webhook is webhook:
            error = await _post(client.post(webhook["url"], json=update, headers=headers))
            if error is None:
                with contextlib.suppress(ValueError):  # dropped meanwhile (drop_pending_updates)
                    self._updates.remove(update)
                self._on_change()
                return
            webhook["last_error_date"] = int(time.time())
            webhook["last_error_message"] = error
            self._on_change()
            await asyncio.sleep(RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)])
            failures += 1


async def _post(request: Awaitable[httpx.Response]) -> str | None:
    """None when the bot took the update, else the error Telegram would report."""
    try:
        response = await request
    except httpx.HTTPError as exc:
        return f"Connection failed: {type(exc).__name__}"
    if 200 <= response.status_code < 300:
        return None
    return f"Wrong response from the webhook: {response.status_code} {response.reason_phrase}"


def queue_key(update: JSON) -> object:
    """What a webhook keeps one update at a time for: the chat the update belongs to (of a
    tapped message's chat, or the sender when there is no chat), as Telegram's server does."""
    kind = update_kind(update)
    body = update[kind]
    if isinstance(body, dict):
        chat = body.get("chat") or (body.get("message") or {}).get("chat")
        if isinstance(chat, dict) and "id" in chat:
            return ("chat", chat["id"])
        sender = body.get("from")
        if isinstance(sender, dict) and "id" in sender:
            return ("user", sender["id"])
    return ("update", update["update_id"])


def update_kind(update: JSON) -> str:
    """The update's type: message, callback_query, my_chat_member, ..."""
    return next(key for key in update if key != "update_id")
