"""Phases are data: each says which actions it opens to which roles, and until when.

A round stores its list of phases as JSON (so a facilitator can shape a round without a
deploy); services ask the current phase whether an action is open instead of comparing
dates themselves.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from server.config import LOCALES
from server.errors import Invalid
from server.i18n import N_, PerLocale, translate
from server.people.rules import STAFF_ROLES
from server.validation import shown, usable

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
ROUND_ROLES = ("participant", "facilitator", "admin", "drafter")
ROLE_NAMES: dict[str, str] = {
    "participant": N_("Members"),
    "facilitator": N_("Facilitators"),
    "admin": N_("Administrators"),
    "drafter": N_("Drafters"),
}
KEY = re.compile(r"[a-z0-9_]{1,40}")  # current_phase is a String(40)
NAME_LENGTH = 80

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
    names: Mapping[str, str] = field(default_factory=dict)  # locale -> a name the facilitator gave

    def title(self, locale: str) -> str:
        """The phase's name for a reader: the facilitator's in their language, else the usual one."""
        if self.names.get(locale):
            return self.names[locale]
        if self.key in PHASE_NAMES:
            return translate(PHASE_NAMES[self.key], locale)
        return next((name for name in self.names.values() if name), self.key)

    def shown_name(self) -> PerLocale:
        """The name as a message parameter, shown in each reader's language."""
        return PerLocale({locale: self.title(locale) for locale in LOCALES})

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
            **({"names": dict(self.names)} if self.names else {}),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Phase:
        return cls(
            key=data["key"],
            opens={action: frozenset(roles) for action, roles in data.get("opens", {}).items()},
            starts_at=_time(data.get("starts_at")),
            ends_at=_time(data.get("ends_at")),
            names=dict(data.get("names") or {}),
        )


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


_EVERYONE = frozenset(ROUND_ROLES) - {"drafter"}  # a round's people; a drafter only drafts
_STAFF = STAFF_ROLES  # a round's facilitators and administrators
_DRAFTING = _STAFF | {"drafter"}  # and the drafters given the round

TEMPLATES: dict[str, tuple[Phase, ...]] = {
    "standard": (
        Phase("needs", {"submit_need": _EVERYONE, "endorse_need": _EVERYONE, "comment": _EVERYONE}),
        Phase("drafting", {"propose_draft": _DRAFTING, "edit_draft": _DRAFTING, "endorse_need": _EVERYONE,
                           "comment": _EVERYONE}),
        # a clause changed now becomes a new version, put to the vote again (drafts/rules.py)
        Phase("deliberation", {"vote": _EVERYONE, "comment": _EVERYONE, "propose_amendment": _EVERYONE,
                               "edit_draft": _DRAFTING}),
        Phase("consolidation"),
        Phase("published", {"comment": _EVERYONE}),
        Phase("follow_up", {"comment": _EVERYONE}),
    ),
}


def validate(phases: list[Phase], *, before: Sequence[Phase] | None = None, current: str | None = None) -> None:
    """A round's phases must be usable: unique keys, known actions and roles, sane dates and names.

    Given the phases `before` a change and the `current` one, the past stays as it was: the current
    phase and those that already ran are kept, in their order, and nothing new goes before the current.
    """
    invalid = Invalid()
    keys = [p.key for p in phases]
    invalid.check(bool(phases), "phases", N_("A round needs at least one phase."))
    invalid.check(len(set(keys)) == len(keys), "phases", N_("Each phase needs a different name."))
    for phase in phases:
        invalid.check(bool(KEY.fullmatch(phase.key)), "phases",
                      N_("Phase keys use lower-case letters, digits and _ (got {name})."), name=shown(phase.key, 40))
        unknown = set(phase.opens) - set(ACTIONS)
        invalid.check(not unknown, "phases", N_("Unknown action: {name}."), name=shown(", ".join(sorted(unknown)), 80))
        roles = set().union(*phase.opens.values()) if phase.opens else set()
        invalid.check(roles <= set(ROUND_ROLES), "phases", N_("Unknown role: {name}."),
                      name=shown(", ".join(sorted(roles - set(ROUND_ROLES))), 80))
        if phase.starts_at and phase.ends_at:
            invalid.check(phase.starts_at < phase.ends_at, f"phase.{phase.key}",
                          N_("The {phase} phase must end after it starts."), phase=phase.shown_name())
        for locale, name in phase.names.items():
            invalid.check(locale in LOCALES and usable(name) and len(name) <= NAME_LENGTH,
                          f"phase.{phase.key}", N_("Give the {phase} phase a name of at most {limit} characters."),
                          phase=phase.shown_name(), limit=NAME_LENGTH)
    if before is not None and current is not None:
        _keep_the_past(invalid, phases, before, current)
    invalid.raise_if_any()


def _keep_the_past(invalid: Invalid, after: Sequence[Phase], before: Sequence[Phase], current: str) -> None:
    old = [p.key for p in before]
    new = [p.key for p in after]
    named = {p.key: p.shown_name() for p in (*before, *after)}
    if current not in new:
        invalid.add("phases", N_("The {phase} phase is the current one, so it cannot be removed. Move the round "
                                 "to another phase first."), phase=named[current])
        return
    ran, now_before = old[:old.index(current)], new[:new.index(current)]
    for key in ran:
        if key not in new:
            invalid.add(f"phase.{key}", N_("The {phase} phase has already run, so it cannot be removed."),
                        phase=named[key])
        elif key not in now_before:
            invalid.add(f"phase.{key}", N_("The {phase} phase has already run, so it must stay before the current "
                                           "phase."), phase=named[key])
    for key in now_before:
        if key not in ran:
            invalid.add(f"phase.{key}", N_("The {phase} phase has not run yet, so it cannot go before the current "
                                           "phase ({current})."), phase=named[key], current=named[current])
    if set(now_before) == set(ran) and now_before != ran:
        invalid.add("phases", N_("Phases that have already run keep their order."))


def next_due(phases: Sequence[Phase], current: str, now: datetime) -> Phase | None:
    """The phase a round moves on to by its dates, now: the next one, once the current phase has ended
    or the next has started. None when no date says so (a round without dates never moves by itself)."""
    keys = [p.key for p in phases]
    if current not in keys or keys.index(current) + 1 >= len(keys):
        return None
    here, after = phases[keys.index(current)], phases[keys.index(current) + 1]
    if (here.ends_at is not None and here.ends_at <= now) or (after.starts_at is not None and after.starts_at <= now):
        return after
    return None


def has_opened(phases: Sequence[Phase], current: str, action: str) -> bool:
    """Whether the round has reached a phase that opens `action` to anyone (the current one or one before)."""
    keys = [p.key for p in phases]
    reached = phases[:keys.index(current) + 1] if current in keys else phases
    return any(p.opens.get(action) for p in reached)


def votes_now(phase: Phase, now: datetime) -> bool:
    """Whether people can still vote (and so change what a proposal says) in this phase, now."""
    return bool(phase.opens.get("vote")) and phase.is_running(now)


def load(data: list[dict[str, Any]]) -> list[Phase]:
    return [Phase.from_data(d) for d in data]
