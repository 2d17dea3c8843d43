"""Live updates: a small publish/subscribe interface and the in-process bus behind it.

Mutations publish after their transaction commits; subscriptions listen by topic. One
process needs nothing more. To run several server processes, put a shared broker behind the
same two methods (Redis pub/sub, NATS, or Neo4j's change data capture feeding one), and every
process's subscribers see every process's changes.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

QUEUE_SIZE = 100


@dataclass(frozen=True)
class Event:
    topic: str  # e.g. "campaign:c-00001"
    kind: str  # what happened, in a word or two
    subject_id: str  # the graph id of what it happened to
    other_id: str | None = None  # the other end, for events about a pair


class EventBus(Protocol):
    async def publish(self, event: Event) -> None: ...

    def subscribe(self, topic: str) -> AsyncIterator[Event]: ...


class InProcessBus:
    """Subscribers of one process. A slow subscriber loses its oldest events, never blocks a mutation."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[Event]]] = defaultdict(set)

    async def publish(self, event: Event) -> None:
        for queue in list(self._queues.get(event.topic, ())):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(event)

    @asynccontextmanager
    async def _queue(self, topic: str) -> AsyncIterator[asyncio.Queue[Event]]:
        queue: asyncio.Queue[Event] = asyncio.Queue(QUEUE_SIZE)
        self._queues[topic].add(queue)
        try:
            yield queue
        finally:
            self._queues[topic].discard(queue)
            if not self._queues[topic]:
                del self._queues[topic]

    async def subscribe(self, topic: str) -> AsyncIterator[Event]:
        async with self._queue(topic) as queue:
            while True:
                yield await queue.get()

    def subscriber_count(self, topic: str) -> int:
        return len(self._queues.get(topic, ()))
