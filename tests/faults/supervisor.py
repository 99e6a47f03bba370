"""What systemd does for Ruam's processes in deploy/ (Restart=on-failure, RestartSec=3): a process that
exits on its own with a failure is started again a few seconds later. Every such exit is recorded, since
a process that gives up when PostgreSQL or Redis goes away is a finding even when it is brought back."""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass, field

from tests.faults.servers import RuamProcess


@dataclass
class Exit:
    name: str
    at: float  # time.time() it was seen gone
    code: int | None
    restarted: float | None = None  # when it answered again
    error: str = ""

    def to_json(self, started: float) -> dict:
        return {**asdict(self), "at": round(self.at - started, 1),
                "restarted": None if self.restarted is None else round(self.restarted - started, 1)}


@dataclass
class Supervisor:
    processes: list[RuamProcess]
    delay: float = 3.0  # RestartSec; 0: a process that exits stays down
    held: set[str] = field(default_factory=set)  # names a fault is stopping and starting itself
    exits: list[Exit] = field(default_factory=list)

    async def run(self, stop: asyncio.Event) -> None:
        restarting: dict[str, asyncio.Task] = {}
        while not stop.is_set():
            busy = self.held | {name for name, task in restarting.items() if not task.done()}
            for process in self.processes:
                if process.name in busy or process.process is None or process.running:
                    continue
                code = process.process.returncode
                exit_ = Exit(process.name, time.time(), code)
                self.exits.append(exit_)
                if self.delay and code != 0:
                    restarting[process.name] = asyncio.create_task(self._restart(process, exit_, stop))
                else:
                    process.process = None  # seen: not counted again
            try:
                await asyncio.wait_for(stop.wait(), timeout=0.25)
            except TimeoutError:
                pass
        await asyncio.gather(*restarting.values())

    async def _restart(self, process: RuamProcess, exit_: Exit, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await asyncio.sleep(self.delay)
            try:
                await asyncio.to_thread(process.start)
            except RuntimeError as error:  # it failed again while starting: systemd would try again too
                exit_.error = str(error).splitlines()[0]
                continue
            exit_.restarted = time.time()
            return
