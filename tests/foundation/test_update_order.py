"""The update processor: different users at once, one user's (or chat's) updates in order."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update

from bot.update_order import PerUserOrderedProcessor, ordering_keys


def update(update_id: int, user_id: int, chat_id: int | None = None) -> Update:
    chat = chat_id if chat_id is not None else user_id
    data: dict[str, Any] = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat, "type": "private" if chat > 0 else "group"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Ann"},
            "text": "hi",
        },
    }
    return Update.de_json(data, None)


class Journal:
    """Handlers that log when they start and end, and wait until the test lets them go."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.gates: dict[int, asyncio.Event] = {}

    async def handle(self, u: Update) -> None:
        self.log.append(f"start {u.update_id}")
        gate = self.gates.setdefault(u.update_id, asyncio.Event())
        await gate.wait()
        self.log.append(f"end {u.update_id}")

    def release(self, update_id: int) -> None:
        self.gates.setdefault(update_id, asyncio.Event()).set()


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def run_all(processor: PerUserOrderedProcessor, journal: Journal, *updates: Update) -> Any:
    return asyncio.gather(*(processor.process_update(u, journal.handle(u)) for u in updates))


async def test_one_users_updates_run_one_after_another_in_order() -> None:
    processor, journal = PerUserOrderedProcessor(), Journal()
    running = await run_all(processor, journal, update(1, 10), update(2, 10), update(3, 10))
    await settle()
    assert journal.log == ["start 1"]
    journal.release(2)  # the second may not run before the first has ended, gate or not
    await settle()
    assert journal.log == ["start 1"]
    journal.release(1)
    journal.release(3)
    await running
    assert journal.log == ["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]
    assert processor.waiting_keys == 0


async def test_other_users_are_not_held_up() -> None:
    processor, journal = PerUserOrderedProcessor(), Journal()
    running = await run_all(processor, journal, update(1, 10), update(2, 20), update(3, 30))
    journal.release(2)
    journal.release(3)
    await settle()
    assert {"end 2", "end 3"} <= set(journal.log)
    assert "end 1" not in journal.log
    journal.release(1)
    await running
    assert processor.waiting_keys == 0


async def test_a_group_chat_keeps_its_order_across_users() -> None:
    processor, journal = PerUserOrderedProcessor(), Journal()
    group = -500
    running = await run_all(processor, journal, update(1, 10, group), update(2, 20, group))
    await settle()
    assert journal.log == ["start 1"]
    journal.release(1)
    journal.release(2)
    await running
    assert journal.log == ["start 1", "end 1", "start 2", "end 2"]
    assert ordering_keys(update(9, 10, group)) == [("chat", group), ("user", 10)]


async def test_the_running_bound_holds_and_waiting_users_take_no_slot() -> None:
    processor, journal = PerUserOrderedProcessor(max_running=2), Journal()
    # User 10 has three updates queued; users 20 and 30 one each.
    updates = [update(1, 10), update(2, 10), update(3, 10), update(4, 20), update(5, 30)]
    running = await run_all(processor, journal, *updates)
    await settle()
    # Two run (1 and 4); 2 and 3 wait behind user 10 without a slot, 5 waits for a slot.
    assert sorted(journal.log) == ["start 1", "start 4"]
    journal.release(4)
    await settle()
    assert "start 5" in journal.log
    for n in (1, 2, 3, 5):
        journal.release(n)
    await running
    assert processor.waiting_keys == 0


async def test_a_cancelled_waiter_never_runs_and_keeps_the_order() -> None:
    processor, journal = PerUserOrderedProcessor(), Journal()
    first = asyncio.ensure_future(
        processor.process_update(update(1, 10), journal.handle(update(1, 10)))
    )
    second_update = update(2, 10)
    second = asyncio.ensure_future(
        processor.process_update(second_update, journal.handle(second_update))
    )
    third = asyncio.ensure_future(
        processor.process_update(update(3, 10), journal.handle(update(3, 10)))
    )
    await settle()
    second.cancel()
    journal.release(3)
    await settle()
    # The third still waits for the first, although the second (between them) is gone.
    assert journal.log == ["start 1"]
    journal.release(1)
    await asyncio.gather(first, third)
    assert second.cancelled()
    assert journal.log == ["start 1", "end 1", "start 3", "end 3"]
    assert processor.waiting_keys == 0
