"""The data dictionary: every open data table, its columns, their types and meaning. The files are written
from it (column order) and datapackage.json is made from it, so the two cannot drift apart.

Types are the Frictionless Table Schema's. A column that holds several values (`multiple`) is one string
joined by ";" in the CSV, and an array in the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # string, integer, number, boolean, date, datetime
    description: str
    multiple: bool = False
    format: str | None = None  # "uuid" for ids: a Table Schema string format


@dataclass(frozen=True)
class Table:
    name: str  # the file's name without its extension
    title: str
    description: str
    fields: tuple[Field, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def _id(name: str, what: str) -> Field:
    return Field(name, "string", what, format="uuid")


GROUPS = Table("groups", "Declared groups", (
    "The round's declared stakeholder groups, as the published proposal counts them. A group of fewer than 3 "
    "people has no head count here: that figure could point at one or two people."), (
    Field("group", "string", "The group's key, used in the other tables."),
    Field("name_th", "string", "The group's name in Thai (empty when it has none)."),
    Field("name_en", "string", "The group's name in English (empty when it has none)."),
    Field("quorum", "integer", "How many of its members must vote on a statement before the group counts as heard."),
    Field("participants", "integer", "Members of the group counted by the proposal; empty when fewer than 3."),
    Field("fewer_than_three", "boolean", "True when the group has fewer than 3 members (its figures are not shown)."),
))

NEEDS = Table("needs", "Needs", (
    "Needs the communities told, as anyone may read them: only needs open to everyone (not hidden by a "
    "facilitator, not withdrawn), without who told them or who typed them in, and without photos."), (
    _id("need_id", "The need's id in Ruam."),
    Field("created_on", "date", "The day it was told (UTC)."),
    Field("area_code", "string", "Thai administrative area code where it is felt (2 digits a province, 4 a "
                                 "district, 6 a subdistrict)."),
    Field("sector", "string", "The policy sector's code."),
    Field("hazards", "string", "Codes of the climate hazards it concerns.", multiple=True),
    Field("severity", "integer", "How serious its tellers said it is, from 1 (a little) to 5 (very)."),
    Field("people_affected", "integer", "How many people it touches, as its tellers said; empty when not said."),
    Field("title", "string", "The need in a few words, as told."),
    Field("body", "string", "More about it, as told (may be empty)."),
    Field("language", "string", "The language it was told in (a BCP 47 tag)."),
    Field("group", "string", "The key of the declared group of whoever told it; empty when none, or when that "
                             "group has fewer than 3 members."),
))

CLAUSES = Table("clauses", "Clauses", (
    "The current text of every clause of the round's drafts (earlier versions and withdrawn clauses left "
    "out), with its draft and the organisation that wrote the draft."), (
    _id("clause_id", "The clause's id in Ruam."),
    _id("draft_id", "The draft it belongs to."),
    Field("draft_title", "string", "The draft's title."),
    Field("organisation_th", "string", "The organisation that wrote the draft, in Thai (empty when none)."),
    Field("organisation_en", "string", "The organisation that wrote the draft, in English (empty when none)."),
    Field("clause_number", "integer", "Its place in the draft, from 1."),
    Field("text", "string", "The clause as written."),
    Field("language", "string", "The language it is written in (a BCP 47 tag)."),
    Field("needs_answered", "string", "Ids of the needs (in needs) it answers.", multiple=True),
    Field("status", "string", "What the published proposal says of it: consensus, contested or under_heard; "
                              "empty when it came after the published version."),
    Field("amended", "boolean", "True when the proposal adopted an amendment in its place."),
    _id("adopted_statement_id", "The statement (in votes) whose text the proposal adopted for it."),
))

VOTES = Table("votes", "Votes per group", (
    "Agree, disagree and pass counts per statement (each clause and each amendment) and declared group, from "
    "the published proposal. A group's figures on a statement resting on fewer than 3 voters are left empty, "
    "and the statement's status then reads under_heard: otherwise one or two people's votes could be told. "
    "Individual votes are never given."), (
    _id("statement_id", "The clause's or the amendment's id."),
    Field("statement_kind", "string", "clause or amendment."),
    _id("clause_id", "The clause it is (or amends), in clauses."),
    Field("statement_text", "string", "The text voted on."),
    Field("status", "string", "consensus, contested or under_heard, as the public reads it."),
    Field("group", "string", "The declared group's key (in groups)."),
    Field("agree", "integer", "How many of the group agreed; empty when fewer than 3 of it voted."),
    Field("disagree", "integer", "How many of the group disagreed; empty when fewer than 3 of it voted."),
    Field("pass", "integer", "How many of the group passed; empty when fewer than 3 of it voted."),
    Field("seen", "integer", "How many of the group voted on it; empty when fewer than 3."),
    Field("shown", "boolean", "False when the group's figures are left out to protect a small group."),
))

COMMITMENTS = Table("commitments", "Commitments", (
    "What agencies took on for the published proposal's clauses, and how members judge the delivery "
    "(counts only, never who)."), (
    _id("commitment_id", "The commitment's id in Ruam."),
    _id("clause_id", "The clause it answers (in clauses)."),
    Field("agency", "string", "The agency that took it on."),
    Field("owner", "string", "The office or post responsible."),
    Field("due_date", "date", "When it is due; empty when not set."),
    Field("status", "string", "pending, accepted, in_progress, done or rejected."),
    Field("reason", "string", "Why the agency rejected it (only while rejected)."),
    Field("recorded_at", "datetime", "When it was recorded (UTC)."),
    Field("updated_at", "datetime", "When it last changed (UTC)."),
    Field("checks_delivered", "integer", "Members who said it was delivered."),
    Field("checks_partly", "integer", "Members who said it was partly delivered."),
    Field("checks_not_delivered", "integer", "Members who said it was not delivered."),
))

COMMITMENT_UPDATES = Table("commitment_updates", "Commitment updates", (
    "Each step in a commitment's history, oldest first; the first is its recording. Never changed once "
    "posted. Who posted it is left out."), (
    _id("update_id", "The update's id in Ruam."),
    _id("commitment_id", "The commitment (in commitments)."),
    Field("created_at", "datetime", "When it was posted (UTC)."),
    Field("previous_status", "string", "The status before it; empty for the recording."),
    Field("status", "string", "The status after it."),
    Field("due_date", "date", "The due date it set or moved to; empty when it left it as it was."),
    Field("note", "string", "What the agency or facilitator said."),
    Field("evidence_url", "string", "A link to evidence, when given."),
))

TABLES = (GROUPS, NEEDS, CLAUSES, VOTES, COMMITMENTS, COMMITMENT_UPDATES)

# The Pol.is files keep Pol.is's own column names (tests/data/polis/README.md), so Pol.is tools read them.
POLIS_COMMENTS = Table("comments", "Pol.is comments", (
    "Every statement (clause or amendment) of the round, numbered from 0 in the proposal's order. Ruam's "
    "statements are written by drafters, not voters, so author-id is empty."), (
    Field("timestamp", "integer", "When it was written, in milliseconds since 1970 (UTC)."),
    Field("datetime", "string", "The same, as text."),
    Field("comment-id", "integer", "The statement's number in this export."),
    Field("author-id", "integer", "Empty: statements are not written by voters."),
    Field("agrees", "integer", "Voters in this export who agree."),
    Field("disagrees", "integer", "Voters in this export who disagree."),
    Field("moderated", "integer", "1: accepted (statements hidden from the public are not exported)."),
    Field("comment-body", "string", "The statement's text."),
))
POLIS_VOTES = Table("votes", "Pol.is votes", (
    "Each final vote, one row per voter and statement. Times are cut to the day, so that a vote cannot be "
    "matched to a meeting or a moment."), (
    Field("timestamp", "integer", "The day of the vote, as milliseconds since 1970 at 00:00 UTC."),
    Field("datetime", "string", "The same, as text."),
    Field("comment-id", "integer", "The statement (in comments.csv)."),
    Field("voter-id", "integer", "The voter's pseudonym: the same across this round's files, different in "
                                 "every other round, and not made from anything published."),
    Field("vote", "integer", "1 agree, -1 disagree, 0 pass."),
))
POLIS_SUMMARY = Table("summary", "Pol.is summary", "key,value rows as Pol.is writes them (no header row).", (
    Field("key", "string", "topic, url, views, voters, voters-in-conv, commenters, comments, groups or "
                           "conversation-description."),
    Field("value", "string", "Its value."),
))
POLIS_PARTICIPANTS_VOTES = (
    "One row per voter (by pseudonym): participant, group-id (empty: Ruam's opinion groups are not exported "
    "per person), n-comments, n-votes, n-agree, n-disagree, then one column per comment-id holding the final "
    "vote (1, -1, 0) or empty.")
POLIS_NOTE = (
    "Only what the public may read: statements of open drafts, votes of people who have not left Ruam, and "
    "no votes on a statement by a declared group of which fewer than 3 voted on it (so that totals here "
    "cannot be set against the per-group figures to tell a small group's votes).")
