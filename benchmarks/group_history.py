"""Do opinion groups hold still between versions? And does replaying an export's history
bring them to the groups Pol.is itself exported?

Run from the project root:  .venv/bin/python benchmarks/group_history.py
Options: --only NAME (one conversation, or "synthetic"), --no-replay, --versions N,
--why NAME (only: how far Pol.is's groups are from any clustering of the replay's projection),
--meta IDS (with --why: also replay with these comments zeroed out as Pol.is's is_meta)

Stability. Each conversation's votes are taken in time order (votes.csv; the synthetic
conversation's in a seeded random order) and a version is computed after 80%, 81%, ...,
100% of them, so each version has 1% more votes than the one before. For every pair of
consecutive versions it prints the adjusted Rand index (ARI) of their groups, over the
people grouped in both, for groups recomputed from scratch ("cold") and for groups that
carry their history (history.py, as stored versions do: warm start from the previous
groups, k smoothing, sticky membership). It also prints the silhouette of both, over the
participants' projections (not the base clusters), averaged over the versions: history
should cost next to nothing of it.

Replay. Each export's votes replayed through Pol.is's own update step at Pol.is's cadence
(replay.py), and the final groups' ARI against Pol.is's group-id: from the stored state (each
update as after a reload, the default), with a worker's memory (group k-means and k smoother kept
between updates), Ruam's cold start on the final votes, and one Ruam history step from the
replay's groups (what an import stores as its first version, up to row order).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from statistics import median

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from server.consolidation.clustering import kmeans, pairwise_distances, silhouette
from server.consolidation.history import GroupsWithHistory, Prior, groups_with_history
from server.consolidation.matrix import VoteMatrix, from_votes
from server.consolidation.opinion import opinion_groups
from server.consolidation.partitions import adjusted_rand_index
from server.consolidation.polis_export import read_polis_export
from server.consolidation.replay import read_vote_log, replay, update_points
from tests.camps import three_camps

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "polis"
CONVERSATIONS = ["london.youth.policing", "scoop-hivemind.freshwater", "brexit-consensus",
                 "canadian-electoral-reform", "vtaiwan.uberx"]


def ari(a: np.ndarray, b: np.ndarray) -> float:
    both = (a >= 0) & (b >= 0)
    return adjusted_rand_index(a[both], b[both])


def people_silhouette(projection: np.ndarray, group_of: np.ndarray) -> float:
    placed = group_of >= 0
    if len(np.unique(group_of[placed])) < 2:
        return 0.0
    return silhouette(pairwise_distances(projection[placed]), group_of[placed])


def stability(events: tuple[np.ndarray, np.ndarray, np.ndarray, int, int], n_versions: int) -> dict[str, float]:
    p, s, v, n_p, n_s = events
    cuts = [round(len(p) * (1 - 0.01 * i)) for i in range(n_versions - 1, -1, -1)]
    cold_prev = hist_prev = None
    state: GroupsWithHistory | None = None
    cold_ari, hist_ari, cold_sil, hist_sil, ties = [], [], [], [], 0
    for cut in cuts:
        votes: VoteMatrix = from_votes(p[:cut], s[:cut], v[:cut], n_p, n_s)
        cold = opinion_groups(votes)
        state = groups_with_history(votes, state.prior if state else None)
        cold_sil.append(people_silhouette(cold.projection, cold.group_of))
        hist_sil.append(people_silhouette(state.groups.projection, state.groups.group_of))
        ties += state.runner_up is not None
        if cold_prev is not None and hist_prev is not None:
            cold_ari.append(ari(cold_prev, cold.group_of))
            hist_ari.append(ari(hist_prev, state.groups.group_of))
        cold_prev, hist_prev = cold.group_of, state.groups.group_of
    assert state is not None
    return {"cold_median": median(cold_ari), "cold_min": min(cold_ari), "hist_median": median(hist_ari),
            "hist_min": min(hist_ari), "cold_sil": float(np.mean(cold_sil)), "hist_sil": float(np.mean(hist_sil)),
            "k_cold": cold.n_groups, "k_hist": state.groups.n_groups, "ties": ties}


def polis_events(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    export = read_polis_export(DATA / name)
    log = read_vote_log(DATA / name, export)
    shown = ~log.hidden[log.statement]  # Ruam leaves out statements moderated out
    return (log.participant[shown], log.statement[shown], log.value[shown], export.votes.n_participants,
            export.votes.n_statements)


def why(name: str, seeds: int = 200, meta: list[int] | None = None) -> None:
    """How far Pol.is's groups are from anything a clustering of the replay's final projection
    can give: their silhouette there, 1-nearest-neighbour agreement, the best ARI of k-means
    (k = 2..5, ``seeds`` seeds each) against them, and their sizes and members' vote counts."""
    export = read_polis_export(DATA / name)
    log = read_vote_log(DATA / name, export)
    final = replay(log, update_points(log.time_ms)).groups
    both = (export.polis_group >= 0) & (final.group_of >= 0)
    points, polis, ours = final.projection[both], export.polis_group[both], final.group_of[both]
    dist = pairwise_distances(points)
    neighbour = (dist + np.diag(np.full(len(points), np.inf))).argmin(axis=1)
    best, best_k = max((ari(kmeans(points, k, seed=s).label, polis), k) for k in range(2, 6) for s in range(seeds))
    print(f"{name}: {int(both.sum())} grouped by both; Pol.is sizes {np.bincount(polis).tolist()}, "
          f"replay's {np.bincount(ours).tolist()}")
    print(f"  on the replay's final projection: silhouette of Pol.is's groups {silhouette(dist, polis):.3f}, "
          f"of the replay's {silhouette(dist, ours):.3f}; 1-NN agreement {np.mean(polis[neighbour] == polis):.2f} "
          f"and {np.mean(ours[neighbour] == ours):.2f}; best k-means ARI against Pol.is {best:.3f} (k = {best_k})")
    counts = export.votes.votes_per_participant()
    for g in range(int(polis.max()) + 1):
        c = counts[both][polis == g]
        print(f"  Pol.is group {g}: {len(c)} people, votes min {c.min()}, median {int(np.median(c))}, max {c.max()}")
    low = (counts < 7) & (counts > 0)
    print(f"  voters with 1-6 votes: {int(low.sum())}, of whom Pol.is grouped {int((low & (export.polis_group >= 0)).sum())}"
          f" and the replay {int((low & (final.group_of >= 0)).sum())}")
    if meta:
        zeroed = read_vote_log(DATA / name, export, meta=meta)
        for memory in (False, True):
            groups = replay(zeroed, update_points(log.time_ms), worker_memory=memory).groups.group_of
            print(f"  statements {meta} zeroed as is_meta, {'with a worker' + chr(39) + 's memory' if memory else 'stored state'}: "
                  f"ARI {ari(groups, export.polis_group):.3f}, sizes {np.bincount(groups[groups >= 0]).tolist()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only")
    parser.add_argument("--no-replay", action="store_true")
    parser.add_argument("--versions", type=int, default=21)
    parser.add_argument("--why", metavar="NAME", help="only: why the replay's groups differ from Pol.is's")
    parser.add_argument("--meta", metavar="IDS", help="with --why: comment ids to zero out as Pol.is's is_meta")
    args = parser.parse_args()
    if args.why:
        why(args.why, meta=[int(i) for i in args.meta.split(",")] if args.meta else None)
        return
    names = [args.only] if args.only else [*CONVERSATIONS, "synthetic"]

    print(f"Stability: {args.versions} versions, each with 1% more votes than the last")
    print(f"{'conversation':28} {'ARI cold med/min':>17} {'ARI history med/min':>20} "
          f"{'silhouette cold/history':>24} {'k cold/hist':>11} {'ties':>5}")
    for name in names:
        events = three_camps() if name == "synthetic" else polis_events(name)
        r = stability(events, args.versions)
        print(f"{name:28} {r['cold_median']:8.3f}/{r['cold_min']:.3f} {r['hist_median']:11.3f}/{r['hist_min']:.3f} "
              f"{r['cold_sil']:15.3f}/{r['hist_sil']:.3f} {r['k_cold']:7}/{r['k_hist']} {r['ties']:5}", flush=True)
    if args.no_replay:
        return

    print("\nReplay of each export's votes through Pol.is's own update step (replay.py), final groups against "
          "Pol.is's group-id:\nfrom the stored state (default), with a worker's memory (group k-means and k smoother "
          "kept), Ruam's cold start on the final votes, and one Ruam history step from the replay (an import's "
          "first version, on the export's row order)")
    print(f"{'conversation':28} {'updates':>7} {'seconds':>8} {'ARI replay':>10} {'memory':>7} {'cold':>6} "
          f"{'import':>7} {'k ours/Pol.is':>14}")
    found = []
    for name in names:
        if name == "synthetic":
            continue
        export = read_polis_export(DATA / name)
        log = read_vote_log(DATA / name, export)
        points = update_points(log.time_ms)
        start = time.perf_counter()
        final = replay(log, points)
        seconds = time.perf_counter() - start
        memory = replay(log, points, worker_memory=True)
        cold = opinion_groups(export.votes)
        first_version = groups_with_history(export.votes, Prior(final.groups.group_of, final.smoother))
        found.append(ari(final.groups.group_of, export.polis_group))
        print(f"{name:28} {len(points):7} {seconds:8.1f} {found[-1]:10.3f} "
              f"{ari(memory.groups.group_of, export.polis_group):7.3f} {ari(cold.group_of, export.polis_group):6.3f} "
              f"{ari(first_version.groups.group_of, export.polis_group):7.3f} {final.groups.n_groups:9}/"
              f"{int(export.polis_group.max()) + 1}", flush=True)
    if found:
        print(f"median ARI {median(found):.3f}, lowest {min(found):.3f}")


if __name__ == "__main__":
    main()
