"""Time opinion groups end to end on a generated 100,000 × 5,000 vote matrix, 1% filled.

Run from the project root:  .venv/bin/python benchmarks/consolidate_math.py
Options: --participants N --statements M --fill F --seed S

The votes have a planted structure (two camps that agree on opposite halves of the
statements, 20% noise, 15% passes) so the PCA and clustering have something to find;
the wall time covers in-conversation, sparse PCA, projection, base k-means (k = 100) and
the choice of opinion groups; support per group, group-informed consensus and
representative statements are timed separately. Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from server.consolidation.matrix import VoteMatrix
from server.consolidation.opinion import opinion_groups
from server.consolidation.partitions import adjusted_rand_index
from server.consolidation.repness import (
    group_informed_consensus,
    repness_stats,
    select_representative,
)
from server.consolidation.support import support_by_group


def generate(n_p: int, n_s: int, fill: float, seed: int) -> tuple[VoteMatrix, np.ndarray]:
    rng = np.random.default_rng(seed)
    keys = np.unique(rng.integers(0, n_p * n_s, size=int(n_p * n_s * fill)))
    participant = (keys // n_s).astype(np.int32)
    statement = (keys % n_s).astype(np.int32)
    camp = rng.integers(0, 2, size=n_p)
    polarity = np.where(np.arange(n_s) < n_s // 2, 1, -1)
    vote = np.where(camp[participant] == 0, 1, -1) * polarity[statement]
    vote = np.where(rng.random(len(keys)) < 0.2, -vote, vote)
    vote = np.where(rng.random(len(keys)) < 0.15, 0, vote).astype(np.int8)
    return VoteMatrix(participant, statement, vote, n_p, n_s), camp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--statements", type=int, default=5_000)
    parser.add_argument("--fill", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    t0 = time.perf_counter()
    votes, camp = generate(args.participants, args.statements, args.fill, args.seed)
    t1 = time.perf_counter()
    groups = opinion_groups(votes)
    t2 = time.perf_counter()
    counts = support_by_group(votes, groups.group_of, groups.n_groups)
    group_informed_consensus(counts.agree, counts.seen)
    select_representative(repness_stats(counts.agree, counts.disagree, counts.seen))
    t3 = time.perf_counter()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    member = groups.group_of >= 0
    print(f"matrix: {votes.n_participants:,} × {votes.n_statements:,}, {votes.n_votes:,} votes "
          f"({votes.n_votes / (votes.n_participants * votes.n_statements):.2%} filled), "
          f"generated in {t1 - t0:.2f} s")
    print(f"opinion groups end to end: {t2 - t1:.2f} s wall")
    print(f"then support + intervals, GIC and representative statements: {t3 - t2:.2f} s")
    print(f"in conversation: {member.sum():,}; base clusters: {len(groups.base_center)}; "
          f"groups: {groups.n_groups} of sizes {np.bincount(groups.group_of[member]).tolist()}")
    print("silhouette by k: " + ", ".join(f"{k}: {s:.3f}" for k, s in groups.silhouette_by_k))
    print(f"ARI against the planted camps: "
          f"{adjusted_rand_index(groups.group_of[member], camp[member]):.3f}")
    print(f"peak memory (max RSS): {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
