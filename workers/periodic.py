"""A look that every worker repeats on a timer (the schedule, follow-through): run until cancelled, waiting
out PostgreSQL outages (logged when one starts, once a minute while it lasts, and when it ends) and
logging any other failure, so that one bad look never ends the loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from server.database import unavailable
from server.outage import Outage


async def every(poll: float, look: Callable[[], Awaitable[object]], *, log: logging.Logger, outage: str,
                failed: str) -> None:
    down = Outage(log, outage)
    while True:
        try:
            await look()
        except Exception as error:
            if not unavailable(error):
                log.exception(failed)
            down.failed(error)
            await asyncio.sleep(down.backoff(most=poll))
            continue
        down.recovered()
        await asyncio.sleep(poll)
