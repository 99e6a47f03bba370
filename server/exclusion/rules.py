"""Who may give a person's exclusion data: the one definition. Pure: the service reads the facts first.

The answers say who lacks papers or a welfare card, which can put someone at risk, so they are given by
the person themself, or typed by a facilitator who sits with them: then only through a proxy record the
facilitator made for that very person (it says how the answers were gathered and with what consent),
and only where the people rules let the facilitator act for them at all.
"""

from __future__ import annotations

import uuid
from typing import Protocol


class ProxyFacts(Protocol):
    @property
    def entered_by_id(self) -> uuid.UUID: ...
    @property
    def participant_id(self) -> uuid.UUID | None: ...


def may_give(actor_id: uuid.UUID, person_id: uuid.UUID, *, may_act_for: bool, proxy: ProxyFacts | None,
             facilitates_its_round: bool) -> bool:
    """May `actor_id` give `person_id`'s exclusion data, without a proxy record (`proxy` None) or through one?"""
    if not may_act_for:
        return False
    if proxy is None:
        return actor_id == person_id
    return (proxy.entered_by_id == actor_id and proxy.participant_id == person_id
            and actor_id != person_id and facilitates_its_round)
