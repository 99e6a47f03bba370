"""A short soak in the suite: members vote, comment and submit needs while the worker is SIGKILLed
(mid-consolidation when one is caught running) and restarted; nothing acknowledged may be lost, and once
quiet the proposal must count every vote. benchmarks/soak.py runs the long one with every fault."""

from __future__ import annotations

import asyncio

from tests.faults.soak import SoakConfig, run_soak

# small enough for a loaded two-core machine: the checks are about what was kept, not how fast
SHORT = SoakConfig(duration=10, rate=15, participants=30, clauses=8, faults="worker@3:1", worker_wait=3,
                   quiesce=20)


async def test_a_worker_killed_mid_run_loses_nothing_and_the_proposal_catches_up(tmp_path):
    async with asyncio.timeout(90):  # a hung server fails the test instead of holding the suite
        result = await run_soak(SHORT, tmp_path / "soak")
    report = result.report()
    assert result.ledger.acknowledged_votes > 0, report
    assert result.ledger.failures == [], report
    (fault,) = result.faults
    assert fault.repaired is not None, report
    assert result.settled.staleness == 0 and result.settled.unpublished == 0, report
    assert result.proposal_current["current"] is True, report
