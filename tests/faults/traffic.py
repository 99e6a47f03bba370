"""Simulated members of a round: votes, comments and needs over GraphQL, with every request recorded.

Requests arrive at a steady average rate (Poisson arrivals: an open loop, so an outage does not slow the
load down the way it would slow a closed loop of clients), each taken by a member who has nothing in
flight, so one member's requests never overlap and the last one acknowledged is the one that must hold.
Each request goes to the next web process in turn, as from a load balancer without health checks. Every
member comes from an address of their own (X-Forwarded-For, which `ruam serve` trusts from 127.0.0.1),
as members on their own phones would, so the per-address rate limit sees each of them.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import time
from dataclasses import dataclass, field

import httpx

from tests.faults.seed import AREA, SeededRound

CAST_VOTE = """mutation CastVote($clause: ID!, $choice: VoteChoice!) {
  castVote(clauseId: $clause, choice: $choice) {
    __typename
    ... on Vote { choice updatedAt }
    ... on Error { message code }
  }
}"""
POST_COMMENT = """mutation PostComment($input: PostCommentInput!) {
  postComment(input: $input) {
    __typename
    ... on Comment { id }
    ... on Error { message code }
  }
}"""
SUBMIT_NEED = """mutation SubmitNeed($input: SubmitNeedInput!) {
  submitNeed(input: $input) {
    __typename
    ... on Need { id }
    ... on Error { message code }
  }
}"""
CHOICES = ("AGREE", "DISAGREE", "PASS")
STANCES = ("SUPPORT", "OPPOSE", "QUESTION")
COMMENTS = ("เห็นด้วย เพราะชุมชนรอมานานแล้ว", "ควรถามชาวเลก่อน", "งบประมาณมาจากไหน",
            "ต้องมีกำหนดเวลาที่ชัดเจน", "ไม่เห็นด้วย ที่ดินเป็นของชุมชน")
NEEDS = ("น้ำกัดเซาะชายฝั่ง", "ไม่มีน้ำประปา", "เรือประมงไม่มีที่จอด", "โรงเรียนอยู่ไกล")
# what each mutation answers when it did what was asked
DONE = {"vote": ("castVote", "Vote"), "comment": ("postComment", "Comment"), "need": ("submitNeed", "Need")}


@dataclass
class Attempt:
    """One request and what came of it.

    outcome: `ack` (done: a Vote, Comment or Need came back), `refused` (a typed refusal: nothing written),
    `error` (an HTTP error status or GraphQL errors: most likely nothing written) or `unknown` (no answer:
    a timeout or a connection lost after sending, so it may or may not have been written). `code` says
    which: the typename or error code, `HTTP 503`, `timeout`, `connect`..."""

    kind: str
    member: int
    web: int
    sent: float  # time.time(), comparable with the database's clock and UUIDv7 ids on this machine
    latency: float = 0.0
    outcome: str = "unknown"
    code: str = ""
    clause: int | None = None
    choice: str | None = None
    made_id: str | None = None  # the Comment's or Need's id


@dataclass
class Mix:
    comments: float = 0.07
    needs: float = 0.03

    def pick(self, rng: random.Random) -> str:
        x = rng.random()
        return "comment" if x < self.comments else "need" if x < self.comments + self.needs else "vote"


@dataclass
class Traffic:
    round: SeededRound
    web_urls: list[str]
    rate: float
    mix: Mix = field(default_factory=Mix)
    timeout: float = 10.0
    seed: int = 1
    attempts: list[Attempt] = field(default_factory=list)
    dropped: int = 0  # arrivals that found every member busy (all waiting on an answer)
    choices: dict[tuple[int, int], str] = field(default_factory=dict)  # last acknowledged, per (member, clause)

    async def run(self, seconds: float) -> None:
        rng = random.Random(self.seed)
        idle = list(range(len(self.round.tokens)))
        rng.shuffle(idle)
        turn = itertools.cycle(range(len(self.web_urls)))
        # idle connections closed before uvicorn's 5 s keep-alive timeout does: a request sent just as the
        # server closes its end would fail for the client's timing, not the server's
        limits = httpx.Limits(max_connections=len(idle), max_keepalive_connections=len(idle), keepalive_expiry=4)
        clients = [httpx.AsyncClient(base_url=url, timeout=self.timeout, limits=limits) for url in self.web_urls]
        in_flight: set[asyncio.Task] = set()

        async def one(member: int) -> None:
            try:
                await self._request(clients, member, next(turn), rng)
            finally:
                idle.append(member)

        try:
            end = time.monotonic() + seconds
            next_at = time.monotonic()
            while True:
                next_at += rng.expovariate(self.rate)
                if next_at >= end:
                    break
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
                if not idle:
                    self.dropped += 1
                    continue
                member = idle.pop(rng.randrange(len(idle)))
                task = asyncio.create_task(one(member))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
            if in_flight:
                await asyncio.wait(list(in_flight))
        finally:
            for task in in_flight:
                task.cancel()
            for client in clients:
                await client.aclose()

    async def _request(self, clients: list[httpx.AsyncClient], member: int, web: int,
                       rng: random.Random) -> None:
        kind = self.mix.pick(rng)
        attempt = Attempt(kind, member, web, time.time())
        clause = rng.randrange(len(self.round.clauses))
        if kind == "vote":
            # a change every time: a vote that repeats the last choice would leave the proposal as it is
            current = self.choices.get((member, clause))
            attempt.clause, attempt.choice = clause, rng.choice([c for c in CHOICES if c != current])
            body = {"query": CAST_VOTE, "variables": {"clause": self.round.clause_gid(clause),
                                                      "choice": attempt.choice}}
        elif kind == "comment":
            attempt.clause = clause
            body = {"query": POST_COMMENT, "variables": {"input": {
                "clauseId": self.round.clause_gid(clause), "stance": rng.choice(STANCES),
                "body": f"{rng.choice(COMMENTS)} ({member + 1})"}}}
        else:
            body = {"query": SUBMIT_NEED, "variables": {"input": {
                "roundId": self.round.gid, "title": f"{rng.choice(NEEDS)} ({member + 1})",
                "areaCode": f"{AREA}0101", "sector": "land_housing", "severity": rng.randint(1, 5),
                "peopleAffected": rng.randint(1, 500)}}}
        headers = {"Authorization": f"Bearer {self.round.tokens[member]}", "Accept-Language": "en",
                   "X-Forwarded-For": f"10.{member // 250}.{member % 250}.7"}
        self.attempts.append(attempt)
        started = time.perf_counter()
        try:
            answer = await clients[web].post("/graphql", json=body, headers=headers)
        except httpx.ConnectError:
            attempt.outcome, attempt.code = "error", "connect"  # refused before anything was sent
        except httpx.TimeoutException as error:
            sent = not isinstance(error, (httpx.ConnectTimeout, httpx.PoolTimeout))
            attempt.outcome = "unknown" if sent else "error"
            attempt.code = "timeout"
        except httpx.TransportError as error:
            attempt.outcome, attempt.code = "unknown", type(error).__name__
        else:
            self._read(attempt, answer)
        attempt.latency = time.perf_counter() - started
        if attempt.outcome == "ack" and kind == "vote":
            self.choices[(member, clause)] = attempt.choice

    @staticmethod
    def _read(attempt: Attempt, answer: httpx.Response) -> None:
        field_name, done = DONE[attempt.kind]
        try:
            payload = answer.json()
        except json.JSONDecodeError:
            payload = None
        if answer.status_code != 200 or not isinstance(payload, dict):
            attempt.outcome, attempt.code = "error", f"HTTP {answer.status_code}"
            if isinstance(payload, dict) and payload.get("errors"):
                attempt.code += f" {_error_code(payload['errors'][0])}"
            return
        result = (payload.get("data") or {}).get(field_name)
        if payload.get("errors") or not result:
            attempt.outcome = "error"
            attempt.code = f"GraphQL {_error_code((payload.get('errors') or [{}])[0])}"
        elif result["__typename"] == done:
            attempt.outcome, attempt.code, attempt.made_id = "ack", done, result.get("id")
        else:
            attempt.outcome, attempt.code = "refused", result.get("code") or result["__typename"]


def _error_code(error: dict) -> str:
    extensions = error.get("extensions") or {}
    return str(extensions.get("code") or error.get("message", "")[:60])
