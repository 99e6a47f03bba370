"""What each reader of an event may see of it: one declaration per event type, used by every reader.

An event says what happened in which round and when. Who did it, and the details, go only to
those who may know them elsewhere in Ruam (DESIGN.md, "Audiences"). Three audiences read events
(server/disclosure.Audience):

- a reader who does not facilitate the round: its members, members of other rounds, any token;
- a facilitator of the round (for events outside any round: an administrator);
- a webhook: another organisation's system, told what any reader may know unless declared otherwise;

and the person who acted reads their own vote or delivery check in full, as their own input, except
who acted: nobody reads that on these two, so that a vote's actor is never shown at all.

A thing with a visibility rule of its own (a need that may be hidden, a comment, a clause's
answers, a proposal version before it is published) appears to readers by its id at most: the
API answers for the thing itself, to those who may see it, so hiding it later leaves nothing
behind in the log. Individual votes leave the database one by one only for their author and the
round's facilitators; a live view learns that a vote was cast on a clause and reads the clause's
support again, which hides small groups as "fewer than 3". No running total is published with
it: a clause's total minus the groups shown would give the hidden ones' count.

A type not declared here shows its type, round and time to everyone and nothing else; a payload
key not declared for an audience is not shown to it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from server.disclosure import Audience


@dataclass(frozen=True)
class Shown:
    """What one audience sees of one event type, besides its type, round and time."""

    keys: frozenset[str] = frozenset()  # payload keys
    actor: bool = False  # who acted
    subject: bool = False  # the id of what changed (a need, a comment, a vote...)


NOTHING = Shown()


def shown(*keys: str, actor: bool = False, subject: bool = False) -> Shown:
    return Shown(frozenset(keys), actor, subject)


@dataclass(frozen=True)
class Declared:
    reader: Shown
    facilitator: Shown
    webhook: Shown | None = None  # None: what any reader sees
    own: Shown | None = None  # the person who acted, reading their own event; None: as their audience

    def for_webhook(self) -> Shown:
        return self.reader if self.webhook is None else self.webhook


def _facilitators_only(*keys: str, actor: bool = True, subject: bool = True) -> Declared:
    return Declared(reader=NOTHING, facilitator=shown(*keys, actor=actor, subject=subject))


def _public(*keys: str, more: tuple[str, ...] = ()) -> Declared:
    """Readers see `keys` and the subject; facilitators also who acted, and `more`."""
    return Declared(reader=shown(*keys, subject=True), facilitator=shown(*keys, *more, actor=True, subject=True))


VOTE = ("clause_id", "amendment_id", "choice", "group_id", "proxy_id")

EVENT_AUDIENCES: Mapping[str, Declared] = {
    # never who voted (actor), not even to facilitators or the voter; to readers not what, in which
    # group, by proxy, nor the vote's id (it stays when a person votes again: it would link their votes)
    "vote.cast": Declared(reader=shown("clause_id", "amendment_id"), facilitator=shown(*VOTE, subject=True),
                          own=shown(*VOTE, subject=True)),
    # a comment's stance, a need's content: read through the API, which hides hidden ones
    "comment.posted": _public("need_id", "draft_id", "clause_id", "parent_id", more=("stance", "proxy_id")),
    "comment.moderated": _public("previous", "state", more=("reason",)),
    "need.submitted": _public(more=("author_id", "proxy_id", "area_code", "sector", "hazards", "severity",
                                    "people_affected", "photo")),
    "need.endorsed": _public(more=("participant_id", "proxy_id")),
    "need.endorsement_withdrawn": _public(more=("participant_id", "proxy_id")),
    # a standing channel's triage (server/channels/): a merged or answered need is read through the API, which
    # shows it, its answer and its tags only to those who may see them
    "channel.created": _public("slug", "organisation_id", "area_codes"),
    "need.merged": _public("kept_id", more=("author_id",)),
    "need.tagged": _facilitators_only("tags", "added", "removed"),
    "need.taken_into_round": _public("target_round_id", more=("copy_id",)),
    "need.answered": _facilitators_only("public"),
    "amendment.proposed": _public("clause_id", more=("proxy_id",)),
    "draft.created": _public("organisation_id"),
    "clause.added": _public("draft_id", "position", more=("answers",)),  # answers may name hidden needs
    "clause.edited": _public("draft_id", "position", more=("previous_text",)),
    "clause.revised": _public("draft_id", "position", "previous_id"),  # a new version, voted afresh
    "clause.moved": _public("draft_id", "position", "previous_position"),
    "clause.withdrawn": _public("draft_id", "position"),
    "clause.needs_linked": _public(more=("answers",)),
    "clause.needs_unlinked": _public(more=("answers",)),
    # a proxy's id is the thread through everything entered for one named person
    "proxy.recorded": _facilitators_only("participant_id", "people_count", "method", "consent"),
    # counting joins per group, or invitations per group, would give small groups' sizes
    "membership.set": _facilitators_only("group", "facilitates"),
    "membership.joined": _facilitators_only("invite_id", actor=False, subject=False),
    "invites.created": _facilitators_only("group", "count", "max_uses"),
    "round.created": _public("slug", "template", "groups"),
    "round.phase_moved": _public("previous", "current", "by"),  # by a facilitator, or by its dates
    "round.phases_edited": _public("phases", "added", "removed"),
    # the groups a round declares are public (they weigh its proposal); who is in them is not
    "round.groups_edited": _public("groups", "added", "removed"),
    "round.phase_scheduled": _public("phase", "starts_at", "ends_at"),
    "round.open_data_licence_set": _public("licence", "previous"),  # the licence is printed on the open data
    # an imported round has one group: its total of participants is that group's size
    "round.imported": _public("source", "statements", more=("conversation", "participants", "votes")),
    # a version may never be published: readers hear of it with proposal.published
    "proposal.consolidated": _facilitators_only("version", "inputs_hash", actor=False),
    "proposal.published": _public("version"),
    "commitment.recorded": _public("clause_id", "update_id", "agency", "status", "due_date", "evidence"),
    "commitment.updated": _public("update_id", "previous_status", "status", "due_date", "evidence"),
    # follow-through: told by the worker (no actor) or cleared by a facilitator's update; a due date and the
    # time since the last update are public on the commitment already, so its flags are too
    "commitment.flagged": _public("flags", "due_date", "stale_after_days"),
    "commitment.unflagged": _public("flags", "remaining"),
    "commitment.stale_after_set": _public("days"),
    # the counts of answers are public; which answer was whose, nobody's but the member's
    "commitment.checked": Declared(reader=shown(subject=True), facilitator=shown(subject=True),
                                   own=shown("answer", subject=True)),
    "webhook.registered": _facilitators_only("host", "event_types"),
    "webhook.deactivated": _facilitators_only(),
    "webhook.delivery_retried": _facilitators_only("webhook_id"),
    # outside any round: administrators only, and not whom a token or a record is about
    "token.created": _facilitators_only("scopes", actor=False),
    "token.revoked": _facilitators_only(actor=False),
    "organisation.created": _facilitators_only("name", "kind"),
    "community.created": _facilitators_only("name"),
    "participant.created": _facilitators_only("role", actor=False, subject=False),
    "consent.recorded": _facilitators_only("purpose", "granted", "method", actor=False, subject=False),
    "sensitive_data.updated": _facilitators_only("fields", actor=False, subject=False),
    "exclusion_data.updated": _facilitators_only("fields", "by_proxy", actor=False, subject=False),
    "participant.withdrawn": _facilitators_only(actor=False, subject=False),
    # staff accounts: administrators only (outside any round), never a link's secret, which is not recorded
    # a person's own re-entry card: that one exists (or was made anew at a meeting) is the person's and the
    # facilitators' business, never the code itself (only its hash is kept)
    "card.issued": _facilitators_only("reissued"),
    "staff.invited": _facilitators_only("role", "rounds"),
    "staff.joined": _facilitators_only("role", "method"),
    "staff.sign_in_link_issued": _facilitators_only(),
    "staff.revoked": _facilitators_only(),
    "staff.round_given": _facilitators_only("given_round_id"),
    "staff.round_taken": _facilitators_only("taken_round_id"),
}


def seen_by(event_type: str, audience: Audience, actor_id: uuid.UUID | None = None) -> Shown:
    """What `audience` sees of an event of `event_type` whose actor was `actor_id`."""
    declared = EVENT_AUDIENCES.get(event_type)
    if declared is None:
        return NOTHING
    if audience.webhook:
        return declared.for_webhook()
    if declared.own is not None and actor_id is not None and audience.person_id == actor_id:
        return declared.own
    return declared.facilitator if audience.facilitator else declared.reader


class Recorded(Protocol):
    """An event as recorded: a row of the log, or a message the relay published."""

    @property
    def type(self) -> str: ...

    @property
    def actor_id(self) -> uuid.UUID | None: ...

    @property
    def subject_id(self) -> uuid.UUID | None: ...

    @property
    def payload(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class Disclosed:
    """An event as one audience reads it."""

    actor_id: uuid.UUID | None
    subject_id: uuid.UUID | None
    payload: dict[str, Any]


def disclose(event: Recorded, audience: Audience) -> Disclosed:
    seen = seen_by(event.type, audience, event.actor_id)
    return Disclosed(actor_id=event.actor_id if seen.actor else None,
                     subject_id=event.subject_id if seen.subject else None,
                     payload={k: v for k, v in (event.payload or {}).items() if k in seen.keys})
