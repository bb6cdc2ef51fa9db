from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from shopkeep.retention import SEGMENTS
from shopkeep.retention.rfm import SEGMENT_RULES, FrequencyScorer, Ranker, explain, segment_for


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


@settings(max_examples=100)
@given(st.lists(st.integers(min_value=-1000, max_value=1000), min_size=1, max_size=60))
def test_equal_values_always_get_the_same_score_and_better_never_scores_lower(values):
    ranker = Ranker(values)
    scores = {v: ranker.score(v) for v in values}
    assert Ranker(values).table() == scores  # the one-walk table the engine uses agrees
    assert all(1 <= s <= 5 for s in scores.values())
    ordered = sorted(scores)
    assert all(scores[a] <= scores[b] for a, b in itertools.pairwise(ordered))


def test_quintiles_split_a_spread_shop_into_fifths():
    ranker = Ranker(list(range(100)))
    assert [ranker.score(v) for v in (0, 19, 20, 59, 80, 99)] == [1, 1, 2, 3, 5, 5]


def test_frequency_one_order_is_always_one_and_repeat_buyers_share_scores_on_ties():
    counts = [1] * 70 + [2] * 20 + [3] * 5 + [8] * 5
    scorer = FrequencyScorer(counts)
    assert scorer.score(1) == 1
    assert scorer.score(0) == 1
    assert 2 <= scorer.score(2) <= scorer.score(3) <= scorer.score(8) == 5
    # a shop where everybody ordered twice: all the same score, above one-timers
    same = FrequencyScorer([2, 2, 2])
    assert {same.score(2)} == {same.score(2)} and same.score(2) > 1


def test_explanation_is_plain_words_with_the_numbers():
    text = explain("At Risk", 2, 4, 3, 94, 6, "310.00 EUR")
    assert text.startswith("At Risk: R=2 (last order 94 days ago), F=4 (6 orders), M=3 (310.00 EUR spent)")
    assert "not for a long time" in text
