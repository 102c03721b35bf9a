"""The services every handler and job needs, and the update's turn, reachable from PTB's
context (PTB's `ContextTypes`, as its contexttypesbot example does)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from coach.clock import Clock
from handlers.media import Pictures
from ops.metrics import Metrics
from storage.db import Database
from storage.reminders import LEASE

if TYPE_CHECKING:
    from handlers.turn import Turn


@dataclass
class Services:
    """Built once by `build_application` and shared; holds no per-user state."""

    db: Database
    clock: Clock
    pictures: Pictures
    # This Application's own Prometheus registry and instruments (see ops.metrics).
    metrics: Metrics = field(default_factory=Metrics)
    # How long the reminder tick's claim on due users lasts (REMINDER_LEASE_SECONDS).
    reminder_lease: timedelta = LEASE
    # Set when the process shuts down: the tick starts no more sends (handlers.reminders).
    stopping: asyncio.Event = field(default_factory=asyncio.Event)


class LimberContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context plus `.services` and, while an update is handled, its `.turn`."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id, user_id)
        self._turn: Turn | None = None

    @property
    def services(self) -> Services:
        return services_of(self.application)

    @property
    def turn(self) -> Turn:
        """This update's turn (handlers.turn builds it before any other handler runs)."""
        if self._turn is None:
            raise RuntimeError("no turn: only handlers of an update have one (handlers.turn)")
        return self._turn

    def begin_turn(self, turn: Turn) -> None:
        self._turn = turn


def services_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    services = application.bot_data["services"]
    assert isinstance(services, Services)
    return services
