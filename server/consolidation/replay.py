"""Replaying a Pol.is export's timestamped votes through Pol.is's own update step.

A live Pol.is conversation's groups are the end of a history: its math worker polled for new
votes once a second (components/config.clj, ``:polling-interval 1000``) and ran ``conv-update``
(math/conversation.clj) on the conversation it kept from the last update. The export keeps
every vote with its time (votes.csv), so that history can be replayed and its last groups
compared with, or stored instead of, the groups Pol.is exported. Each update here is Pol.is's:

- Rows in the order participants first voted (named_matrix.clj appends rows as votes come);
  columns of statements moderated out stay, set to 0 for every voter (``zero-out-columns``).
- In conversation (``:in-conv``): once in, always in; in when one's votes (``user-vote-counts``,
  counted on the raw matrix, so votes on moderated-out statements count) reach min(7, the
  statements with votes); while fewer than 15 are in, the most active others up to 15, at every
  update (``greedy-n``).
- PCA: column means imputed, 100 power iterations per component started from the last update's
  components (polis_math.polis_pca); the sparsity-aware projection scaled by
  sqrt(n_statements / n_votes) where moderated-out cells count as votes (pca.clj).
- Base clusters: Pol.is's k-means, k = 100, at most 100 iterations, warm-started from the last
  update's base clusters (ids kept, new people far from every centre found new clusters).
- Groups: for k = 2..min(5, 2 + n_base // 12), Pol.is's k-means of the base-cluster centres
  weighted by their members (20 iterations), scored by the silhouette over the centres,
  unweighted; the best k wins (the larger on a tie, as Clojure's ``max-key``).

What Pol.is keeps between updates is what it stores (conv_man.clj ``prep-main`` writes the
conversation to math_main and ``restructure-json-conv`` reads it back whenever a worker loads a
conversation): the PCA, the base clusters, in-conv and moderation, but neither the group
k-means at each k (``:group-clusterings``) nor the k smoother (``:group-k-smoother``), which live
only in the worker's memory. The replay makes every update from that stored state: the group
k-means starts cold (the first k distinct base-cluster centres, by base-cluster id) and k is the
best silhouette's. A worker that ran for long without a restart warm-started both; the replay
cannot know when Pol.is's workers restarted, and the export's groups are those of the last
update, which for a conversation whose last votes came months after the rest followed a reload.
benchmarks/README.md ("Replay of an import") measures both.

Cadence. Pol.is updated on every poll that found new votes. Replaying every poll costs one update
per poll (vtaiwan.uberx: about 40,000), so the replay updates at the end of each poll window, but
no more often than every ``growth`` × the votes so far (1% by default): every poll while a
conversation is small, when its groups move most, and about 100 updates per tenfold growth after.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .clustering import pairwise_distances, silhouette
from .history import GroupsWithHistory, KSmoother, Prior
from .matrix import VoteMatrix, column_means, from_votes
from .opinion import OpinionGroups, VotePCA
from .polis_export import PolisExport
from .polis_math import PolisClusters, polis_kmeans, polis_pca

POLL_MS = 1_000  # Pol.is's math poller looked for new votes once a second
GROWTH = 0.01
# conversation.clj's defaults (base-conv-update-graph :opts') and in-conv rule
MIN_VOTES = 7
GREEDY_N = 15
BASE_K = 100
BASE_ITERS = 100
MAX_K = 5
K_BUFFER = 4  # :group-k-buffer


@dataclass(frozen=True)
class VoteLog:
    """Every vote event in time order (re-votes included), on the export's rows; the columns
    are the export's statements, then those moderated out (``hidden``)."""

    participant: np.ndarray
    statement: np.ndarray
    value: np.ndarray
    time_ms: np.ndarray
    n_participants: int
    hidden: np.ndarray  # bool per column

    def matrix(self, n_events: int) -> tuple[VoteMatrix, np.ndarray]:
        """The votes after the first ``n_events`` events as Pol.is's math saw them, and each
        participant's number of votes.

        Pol.is kept the columns of moderated-out statements and set them to 0 for every
        voter (``zero-out-columns``): they carry no opinion but count as votes in the
        projection's sqrt(n_statements / n_votes), and votes on them count towards the 7
        that put someone in conversation. Both are reproduced here.
        """
        n_columns = len(self.hidden)
        latest = from_votes(self.participant[:n_events], self.statement[:n_events],
                            self.value[:n_events], self.n_participants, n_columns)
        counts = latest.votes_per_participant()
        if not self.hidden.any():
            return latest, counts
        shown = ~self.hidden[latest.statement]
        voters = np.flatnonzero(counts > 0)
        hidden_cols = np.flatnonzero(self.hidden & (latest.votes_per_statement() > 0))
        zero_p = np.repeat(voters, len(hidden_cols))
        zero_s = np.tile(hidden_cols, len(voters))
        matrix = from_votes(np.concatenate([latest.participant[shown], zero_p]),
                            np.concatenate([latest.statement[shown], zero_s]),
                            np.concatenate([latest.value[shown], np.zeros(len(zero_p), np.int8)]),
                            self.n_participants, n_columns)
        return matrix, counts


def read_vote_log(folder: str | Path, export: PolisExport, meta: Collection[int] = ()) -> VoteLog:
    """votes.csv as events on the export's rows; statements the export leaves out
    (moderated out) become hidden columns after the export's own.

    ``meta``: comment ids that were marked is_meta (demographic questions, say), which Pol.is
    zeroes out like moderated-out comments (conversation.clj ``mod-update``) but the export
    does not mark: the replay hides them too."""
    row_of = {int(pid): i for i, pid in enumerate(export.participant_ids.tolist())}
    col_of = {int(cid): j for j, cid in enumerate(export.statement_ids.tolist())}
    participant, statement, value, time_ms = [], [], [], []
    with (Path(folder) / "votes.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            person = row_of.get(int(row["voter-id"]))
            if person is None:
                continue
            col = col_of.setdefault(int(row["comment-id"]), len(col_of))
            participant.append(person)
            statement.append(col)
            value.append(int(row["vote"]))
            time_ms.append(int(row["timestamp"]))
    order = np.argsort(np.asarray(time_ms, dtype=np.int64), kind="stable")  # same-ms events keep file order
    hidden = np.arange(len(col_of)) >= len(export.statement_ids)
    hidden[[col_of[i] for i in meta if i in col_of]] = True
    return VoteLog(
        participant=np.asarray(participant, dtype=np.int64)[order],
        statement=np.asarray(statement, dtype=np.int64)[order],
        value=np.asarray(value, dtype=np.int8)[order],
        time_ms=np.asarray(time_ms, dtype=np.int64)[order],
        n_participants=export.votes.n_participants,
        hidden=hidden,
    )


def update_points(time_ms: np.ndarray, poll_ms: int = POLL_MS, growth: float = GROWTH) -> list[int]:
    """Event counts after which the replay updates: the end of a poll window (the next vote
    comes more than ``poll_ms`` later) once at least ``growth`` × the votes so far have come
    in since the last update; always the last event."""
    n = len(time_ms)
    if n == 0:
        return []
    window_ends = np.flatnonzero(np.diff(time_ms) > poll_ms) + 1
    points, last = [], 0
    for end in window_ends.tolist():  # one pass over the poll windows
        if end - last >= max(1.0, growth * last):
            points.append(end)
            last = end
    if not points or points[-1] != n:
        points.append(n)
    return points


@dataclass(frozen=True)
class GramSums:
    """Sums over the votes on shown statements from which XᵀX of the centred, mean-imputed matrix
    follows for any column means μ: with V the votes (0 where none) and M their mask,
    (XᵀX)_jk = S_jk − μ_j A_jk − μ_k A_kj + μ_j μ_k N_jk, S = VᵀV, A = MᵀV, N = MᵀM. Moderated-out
    columns, all 0 with mean 0, add nothing. The sums are integers, so updating them with the rows
    that changed since the last update is exact, and costs those rows only."""

    votes: sp.csr_matrix  # votes on shown statements, passes kept as explicit zeros
    s: np.ndarray
    a: np.ndarray
    n: np.ndarray

    @classmethod
    def of(cls, votes: VoteMatrix, hidden: np.ndarray, previous: GramSums | None, changed: np.ndarray) -> GramSums:
        shown = ~hidden[votes.statement]
        current = sp.csr_matrix((votes.value[shown].astype(np.float64),
                                 (votes.participant[shown], votes.statement[shown])),
                                shape=(votes.n_participants, votes.n_statements))
        if previous is None:
            s_, a_, n_ = _sums(current)
        else:
            added, removed = _sums(current[changed]), _sums(previous.votes[changed])
            s_, a_, n_ = (kept + new - gone for kept, new, gone in
                          zip((previous.s, previous.a, previous.n), added, removed, strict=True))
        return cls(current, s_, a_, n_)

    def gram(self, mean: np.ndarray) -> np.ndarray:
        weighted = mean[:, None] * self.a
        gram: np.ndarray = self.s - weighted - weighted.T + np.outer(mean, mean) * self.n
        return gram


def _sums(votes: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mask = votes.copy()
    mask.data[:] = 1.0
    return ((votes.T @ votes).toarray(), (mask.T @ votes).toarray(), (mask.T @ mask).toarray())


@dataclass(frozen=True)
class PolisState:
    """What one Pol.is update leaves for the next (as math_main stores it): rows are the export's."""

    in_conv: np.ndarray  # bool per participant
    components: np.ndarray  # (2, n_columns), the last update's PCA axes
    seen: np.ndarray  # bool per column: statements the last update's matrix had
    base: PolisClusters | None  # label: base cluster per participant in conversation, in row order
    base_of: np.ndarray  # base cluster (index into base.ids) per participant, -1 if none
    # kept only with ``worker_memory`` (a worker's memory, not math_main): group k-means at each k,
    # labelled per base cluster of ``base``, and the k smoother (last best k, its run, smoothed k)
    group_clusterings: dict[int, PolisClusters] = field(default_factory=dict)
    smoother: tuple[int, int, int] | None = None
    sums: GramSums | None = None
    end: int = 0  # events seen


def _warm_groups(state: PolisState | None, k: int, base_ids: np.ndarray) -> PolisClusters | None:
    """The last update's group clustering at k, on this update's base clusters (by base id)."""
    if state is None or state.base is None or k not in state.group_clusterings:
        return None
    last = state.group_clusterings[k]
    of_id = dict(zip(state.base.ids.tolist(), last.label.tolist(), strict=True))
    label = np.array([of_id.get(b, -1) for b in base_ids.tolist()], dtype=np.int64)  # at most 100
    return PolisClusters(last.ids, last.center, label)


def _smooth_k(previous: tuple[int, int, int] | None, best: int) -> tuple[int, int, int]:
    """conversation.clj ``:group-k-smoother``: k changes once the same other k has been best for
    ``group-k-buffer`` updates in a row; the first update takes the best k at once."""
    last_k, run, smoothed = previous if previous is not None else (None, 0, None)
    run = run + 1 if best == last_k else 1
    return best, run, best if run >= K_BUFFER or smoothed is None else smoothed


def _in_conversation(previous: np.ndarray, counts: np.ndarray, order: np.ndarray, n_columns: int) -> np.ndarray:
    """conversation.clj ``:in-conv``: once in, always in; min(7, columns) votes; the most active
    others while fewer than 15 are in (ties in row order)."""
    member = previous | ((counts >= min(MIN_VOTES, n_columns)) & (counts > 0))
    missing = GREEDY_N - int(member.sum())
    if missing > 0:
        candidates = order[~member[order]]
        ranked = candidates[np.argsort(-counts[candidates], kind="stable")]
        member[ranked[:missing]] = True
    return member


def polis_update(log: VoteLog, end: int, state: PolisState | None, rng: np.random.Generator,
                 first_vote: np.ndarray, worker_memory: bool = False) -> tuple[PolisState, OpinionGroups]:
    """Pol.is's ``conv-update`` on the votes after the first ``end`` events, from ``state``.

    ``worker_memory``: also warm-start the group k-means at each k and smooth k, as a worker
    that kept the conversation in memory since the last update did."""
    votes, counts = log.matrix(end)
    n = votes.n_participants
    voted = first_vote < end
    order = np.flatnonzero(voted)[np.argsort(first_vote[voted], kind="stable")]  # rows as Pol.is adds them
    active = votes.votes_per_statement() > 0
    member = _in_conversation(state.in_conv if state else np.zeros(n, dtype=bool), counts, order,
                              int(active.sum()))

    center = column_means(votes)
    centred = votes.to_csr(votes.value - center[votes.statement])
    starts: list[np.ndarray | None] = [None, None]
    if state is not None:  # power-iteration pads statements new since with 1
        starts = [np.where(state.seen, axis, 1.0) * active for axis in state.components]
    since = slice(state.end if state else 0, end)
    changed = np.unique(log.participant[since][~log.hidden[log.statement[since]]])
    sums = GramSums.of(votes, log.hidden, state.sums if state else None, changed)
    axes = polis_pca(sums.gram(center), starts, rng)
    raw = np.asarray(centred @ axes.T)
    projection = raw * np.sqrt(active.sum() / np.maximum(votes.votes_per_participant(), 1))[:, None]

    rows = order[member[order]]
    if len(rows) == 0:  # no votes yet
        empty = np.full(n, -1, dtype=np.int64)
        nothing = OpinionGroups(member, projection, VotePCA(center, axes, np.zeros(2)), empty, np.zeros((0, 2)),
                                np.zeros(0), empty, 0, ())
        return PolisState(member, axes, active, None, empty, sums=sums, end=end), nothing
    last = None
    if state is not None and state.base is not None:
        last = PolisClusters(state.base.ids, state.base.center, state.base_of[rows])
    base = polis_kmeans(projection[rows], BASE_K, last=last, max_iters=BASE_ITERS)
    base_of = np.full(n, -1, dtype=np.int64)
    base_of[rows] = base.label
    weight = base.sizes().astype(np.float64)

    n_base = len(base.ids)
    dist = pairwise_distances(base.center)
    clusterings: dict[int, PolisClusters] = {}
    scores: list[tuple[int, float]] = []
    best_k, best_score = 0, -np.inf
    for k in range(2, min(MAX_K, 2 + n_base // 12) + 1):  # at most four candidates
        # from the stored state the group k-means starts cold: math_main keeps no group-clusterings
        last_groups = _warm_groups(state, k, base.ids) if worker_memory else None
        clusterings[k] = polis_kmeans(base.center, k, weights=weight, last=last_groups)
        scores.append((k, silhouette(dist, clusterings[k].label)))
        if scores[-1][1] >= best_score:  # max-key keeps the last of equals: the larger k
            best_k, best_score = k, scores[-1][1]
    smoother = None
    if clusterings and worker_memory:
        smoother = _smooth_k(state.smoother if state else None, best_k)
        best_k = smoother[2]
    group_of = np.full(n, -1, dtype=np.int64)
    if clusterings:
        group_of[rows] = np.unique(clusterings[best_k].label, return_inverse=True)[1][base.label]
    pca = VotePCA(center=center, components=axes, singular_values=np.linalg.norm(centred @ axes.T, axis=0))
    groups_now = OpinionGroups(
        in_conversation=member, projection=projection, pca=pca, base_label=base_of, base_center=base.center,
        base_weight=weight, group_of=group_of, n_groups=int(group_of.max()) + 1, silhouette_by_k=tuple(scores),
    )
    kept = clusterings if worker_memory else {}
    return PolisState(member, axes, active, base, base_of, kept, smoother, sums, end), groups_now


def replay(log: VoteLog, points: list[int], on_update: Callable[[int, GroupsWithHistory], None] | None = None,
           seed: int = 0, worker_memory: bool = False) -> GroupsWithHistory:
    """Pol.is's groups after each update point in turn, each from the last; returns the final one.
    ``worker_memory``: see ``polis_update`` (off: every update from what math_main stores).

    ``seed`` drives the random start of the first update's power iteration (Pol.is's is unseeded;
    100 iterations make the result independent of it on the five conversations in tests/data).
    """
    rng = np.random.default_rng(seed)
    first_vote = np.full(log.n_participants, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_vote, log.participant, np.arange(len(log.participant)))
    state: PolisState | None = None
    result: GroupsWithHistory | None = None
    for end in points or [0]:
        state, groups = polis_update(log, end, state, rng, first_vote, worker_memory)
        k = groups.n_groups
        smoother = KSmoother(k, k, 0)
        if state.smoother is not None:  # Pol.is's (last best k, its run, smoothed k) in Ruam's terms
            last_k, run, smoothed = state.smoother
            smoother = KSmoother(smoothed, last_k, run if last_k != smoothed else 0)
        result = GroupsWithHistory(groups, smoother, None, Prior(groups.group_of, smoother))
        if on_update is not None:
            on_update(end, result)
    assert result is not None
    return result
