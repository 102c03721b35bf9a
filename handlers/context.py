"""The services every handler and job needs, reachable from PTB's context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from coach.clock import Clock
from handlers.media import Pictures
from handlers.metrics import Metrics
from storage.db import Database


@dataclass
class Services:
    """Built once by `build_application` and shared; holds no per-user state."""

    db: Database
    clock: Clock
    pictures: Pictures
    # This Application's own Prometheus registry and instruments (see handlers.metrics).
    metrics: Metrics = field(default_factory=Metrics)
    extras: dict[str, Any] = field(default_factory=dict)


class LimberContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context plus `.services`."""

    @property
    def services(self) -> Services:
        return services_of(self.application)


def services_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    services = application.bot_data["services"]
    assert isinstance(services, Services)
    return services
