"""Phases are data: each says which actions it opens to which roles, and until when.

A round stores its list of phases as JSON (so a facilitator can shape a round without a
deploy); services ask the current phase whether an action is open instead of comparing
dates themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from server.errors import Invalid
from server.i18n import N_
from server.people.rules import STAFF_ROLES

# Actions that phases open. Facilitation (moving phases, moderating, proxy entry) is not
# phase-bound: it is decided by who facilitates the round, in access.py.
ACTIONS: dict[str, str] = {
    "submit_need": N_("submitting a need"),
    "endorse_need": N_("endorsing a need"),
    "propose_draft": N_("proposing a draft"),
    "edit_draft": N_("editing a draft"),
    "vote": N_("voting"),
    "comment": N_("commenting"),
    "propose_amendment": N_("proposing an amendment"),
}
ROUND_ROLES = ("participant", "facilitator", "admin")

PHASE_NAMES: dict[str, str] = {
    "needs": N_("Needs"),
    "drafting": N_("Drafting"),
    "deliberation": N_("Deliberation"),
    "consolidation": N_("Consolidation"),
    "published": N_("Published"),
    "follow_up": N_("Follow-up"),
}


@dataclass(frozen=True)
class Phase:
    key: str
    opens: Mapping[str, frozenset[str]] = field(default_factory=dict)
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def allows(self, action: str, role: str) -> bool:
        return role in self.opens.get(action, frozenset())

    def is_running(self, now: datetime) -> bool:
        return (self.starts_at is None or self.starts_at <= now) and (
            self.ends_at is None or now < self.ends_at
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "opens": {action: sorted(roles) for action, roles in self.opens.items()},
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "ends_at": self.ends_at.isoformat() if self.ends_at else None,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Phase:
        return cls(
            key=data["key"],
            opens={action: frozenset(roles) for action, roles in data.get("opens", {}).items()},
            starts_at=_time(data.get("starts_at")),
            ends_at=_time(data.get("ends_at")),
        )


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


_EVERYONE = frozenset(ROUND_ROLES)
_STAFF = STAFF_ROLES  # a round's facilitators and administrators

TEMPLATES: dict[str, tuple[Phase, ...]] = {
    "standard": (
        Phase("needs", {"submit_need": _EVERYONE, "endorse_need": _EVERYONE, "comment": _EVERYONE}),
        Phase("drafting", {"propose_draft": _STAFF, "edit_draft": _STAFF, "endorse_need": _EVERYONE,
                           "comment": _EVERYONE}),
        Phase("deliberation", {"vote": _EVERYONE, "comment": _EVERYONE, "propose_amendment": _EVERYONE}),
        Phase("consolidation"),
        Phase("published", {"comment": _EVERYONE}),
        Phase("follow_up", {"comment": _EVERYONE}),
    ),
}


def validate(phases: list[Phase]) -> None:
    """A round's phases must be usable: unique keys, known actions and roles, sane dates."""
    invalid = Invalid()
    keys = [p.key for p in phases]
    invalid.check(bool(phases), "phases", N_("A round needs at least one phase."))
    invalid.check(len(set(keys)) == len(keys), "phases", N_("Each phase needs a different name."))
    for phase in phases:
        unknown = set(phase.opens) - set(ACTIONS)
        invalid.check(not unknown, "phases", N_("Unknown action: {name}."), name=", ".join(sorted(unknown)))
        roles = set().union(*phase.opens.values()) if phase.opens else set()
        invalid.check(roles <= _EVERYONE, "phases", N_("Unknown role: {name}."),
                      name=", ".join(sorted(roles - _EVERYONE)))
        if phase.starts_at and phase.ends_at:
            invalid.check(phase.starts_at < phase.ends_at, "phases",
                          N_("A phase must end after it starts."))
    invalid.raise_if_any()


def load(data: list[dict[str, Any]]) -> list[Phase]:
    return [Phase.from_data(d) for d in data]
