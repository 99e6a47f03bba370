"""VoteMatrix construction and the Pol.is export reader on a hand-made folder."""

import numpy as np
import pytest

from server.consolidation.matrix import VoteMatrix, column_means, from_votes
from server.consolidation.polis_export import read_polis_export


def test_from_votes_keeps_the_latest_vote_per_pair():
    # participant 0 re-votes on statement 1: disagree, then agree.
    votes = from_votes([0, 0, 1, 0], [1, 0, 1, 1], [-1, 0, 1, 1], n_participants=3)
    assert votes.n_participants == 3 and votes.n_statements == 2
    cells = {(int(p), int(s)): int(v)
             for p, s, v in zip(votes.participant, votes.statement, votes.value, strict=False)}
    assert cells == {(0, 0): 0, (0, 1): 1, (1, 1): 1}
    assert votes.votes_per_participant().tolist() == [2, 1, 0]
    assert votes.votes_per_statement().tolist() == [1, 2]


def test_vote_matrix_rejects_bad_input():
    with pytest.raises(ValueError):
        VoteMatrix(np.array([0]), np.array([2]), np.array([1], np.int8), 1, 2)
    with pytest.raises(ValueError):
        VoteMatrix(np.array([0]), np.array([0]), np.array([2], np.int8), 1, 1)


def test_column_means_count_passes_as_zero_and_empty_columns_as_zero():
    votes = from_votes([0, 1, 2, 0], [0, 0, 0, 1], [1, 0, -1, 1], n_statements=3)
    assert column_means(votes).tolist() == [0.0, 1.0, 0.0]


def test_read_polis_export_drops_moderated_comments(tmp_path):
    (tmp_path / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        '1,x,0,0,1,0,1,"first, with a comma"\n'
        "1,x,1,0,0,1,-1,rejected\n"
        '1,x,2,1,1,1,0,"multi\nline"\n',
        encoding="utf-8",
    )
    (tmp_path / "participants-votes.csv").write_text(
        "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n"
        "10,,0,1,3,1,1,1,-1,0\n"
        "11,,,0,1,0,1,,,-1\n",
        encoding="utf-8",
    )
    export = read_polis_export(tmp_path)
    assert export.statement_ids.tolist() == [0, 2]
    assert export.participant_ids.tolist() == [10, 11]
    assert export.polis_group.tolist() == [0, -1]
    v = export.votes
    assert (v.n_participants, v.n_statements) == (2, 2)
    assert list(zip(v.participant.tolist(), v.statement.tolist(), v.value.tolist(), strict=False)) == [
        (0, 0, 1), (0, 1, 0), (1, 1, -1)]
