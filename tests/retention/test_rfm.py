from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from shopkeep.retention import SEGMENTS
from shopkeep.retention.rfm import (
    SEGMENT_RULES,
    band_scores,
    explain,
    frequency_scores,
    segment_for,
    segment_indexes,
    top_threshold,
)


def test_every_score_triple_gets_exactly_one_segment_and_every_segment_is_reachable():
    hit: dict[str, int] = {}
    for r, f, m in itertools.product(range(1, 6), repeat=3):
        first = [
            rule.name
            for rule in SEGMENT_RULES
            if rule.r[0] <= r <= rule.r[1] and rule.f[0] <= f <= rule.f[1] and rule.m[0] <= m <= rule.m[1]
        ]
        assert first, f"no rule covers {r}{f}{m}"
        name = segment_for(r, f, m)
        assert name == first[0]  # read top to bottom: the first matching row wins
        hit[name] = hit.get(name, 0) + 1
    assert sum(hit.values()) == 125
    assert set(hit) == set(SEGMENTS)
    assert len(SEGMENTS) == 11


def test_narrow_segments_win_over_broad_ones():
    assert segment_for(5, 5, 5) == "Champions"  # also inside Loyal Customers' ranges
    assert segment_for(1, 5, 5) == "Can't Lose Them"  # also inside At Risk's ranges
    assert segment_for(5, 5, 1) == "Loyal Customers"
    assert segment_for(2, 3, 1) == "At Risk"
    assert segment_for(5, 1, 3) == "New Customers"
    assert segment_for(1, 1, 5) == "Lost"


def test_segments_of_many_triples_at_once_agree_with_the_table():
    r, f, m = (np.array(column) for column in zip(*itertools.product(range(1, 6), repeat=3), strict=True))
    names = [SEGMENTS[k] for k in segment_indexes(r, f, m).tolist()]
    assert names == [segment_for(*triple) for triple in itertools.product(range(1, 6), repeat=3)]


@settings(max_examples=100)
@given(st.lists(st.integers(min_value=-1000, max_value=1000), min_size=1, max_size=60))
def test_equal_values_always_get_the_same_score_and_better_never_scores_lower(values):
    scores = band_scores(np.array(values)).tolist()
    by_value = dict(zip(values, scores, strict=True))
    assert all(by_value[v] == s for v, s in zip(values, scores, strict=True))
    assert all(1 <= s <= 5 for s in scores)
    ordered = sorted(by_value)
    assert all(by_value[a] <= by_value[b] for a, b in itertools.pairwise(ordered))


def test_quintiles_split_a_spread_shop_into_fifths():
    scores = band_scores(np.arange(100)).tolist()
    assert [scores[v] for v in (0, 19, 20, 59, 80, 99)] == [1, 1, 2, 3, 5, 5]


def test_the_top_tenth_starts_above_the_ninetieth_value():
    assert top_threshold(np.arange(1, 101), 0.9) == 90
    assert top_threshold(np.array([], dtype=np.int64), 0.9) == float("inf")


def test_frequency_one_order_is_always_one_and_repeat_buyers_share_scores_on_ties():
    counts = [1] * 70 + [2] * 20 + [3] * 5 + [8] * 5 + [0]
    scores = dict(zip(counts, frequency_scores(np.array(counts)).tolist(), strict=True))
    assert scores[1] == 1
    assert scores[0] == 1
    assert 2 <= scores[2] <= scores[3] <= scores[8] == 5
    # a shop where everybody ordered twice: all the same score, above one-timers
    same = frequency_scores(np.array([2, 2, 2])).tolist()
    assert len(set(same)) == 1 and same[0] > 1


def test_explanation_is_plain_words_with_the_numbers():
    text = explain("At Risk", 2, 4, 3, 94, 6, "310.00 EUR")
    assert text.startswith("At Risk: R=2 (last order 94 days ago), F=4 (6 orders), M=3 (310.00 EUR spent)")
    assert "older than most customers'" in text  # what R=2 says, within this shop: no "long time" it cannot know
