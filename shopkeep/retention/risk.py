"""Churn risk and the expected next order, from each customer's own rhythm or the shop's.

churn_risk = the probability that the customer places no order in the next HORIZON_DAYS without
being contacted. Two models, one per kind of customer:

- Repeat buyers (two or more order days): a BG/NBD model. While "alive" a customer orders at a
  Poisson rate drawn from Gamma(r, alpha); after each order they may drop out with p ~ Beta(a, b).
  The four numbers are fitted to this shop (moments, then maximum likelihood on a sample once
  there are enough repeat buyers). The longer the silence compared with the customer's own
  rhythm, the lower the chance they are still alive. Given alive, the chance of an order within
  the horizon is the Poisson one, raised towards the customer's own rhythm (gaps around their
  usual gap) where that is higher, so a yearly gift buyer is expected back when the year comes round.
- One-time buyers: the shop's own time-to-second-order distribution (Kaplan–Meier, so customers
  still waiting count as censored): of the first-time buyers who waited as long as this one, how
  many ordered again within the horizon (blended with the BG/NBD chance of a first repeat order).
  While the shop has few repeat orders the curve is blended with a cautious prior, so nobody is
  ever treated as certainly alive or certainly gone.

How much the customer's own evidence (their rhythm; the shop's second-order curve) counts against
the plain BG/NBD chance is not fixed: `choose_blend` replays the shop's history as of HORIZON_DAYS
ago and keeps the blend that would have told best who ordered again (AUC). A shop with too
little history keeps the default: the customer's own rhythm.
"""

from __future__ import annotations

import bisect
import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

HORIZON_DAYS = 180
YEAR_DAYS = 365
DEFAULT_SECOND_ORDER_DAYS = 90  # until the shop has seen a second order, expect one after ~3 months
PRIOR_EVENTS = 20  # repeat orders needed before the shop's own curve outweighs the prior
DROPOUT_A, DROPOUT_B = 1.0, 3.0  # prior chance of dropping out after an order: 1 in 4
RISK_FLOOR, RISK_CEILING = 0.01, 0.99
MIN_REPEAT_BUYERS_TO_FIT = 30  # fewer: the moment estimates and the prior dropout stand
FIT_SAMPLE = 1000  # customers the likelihood is maximised on: enough for four parameters
Numbers = float | np.ndarray  # one customer's figure, or many customers' at once
LOG_PARAM_BOUND = 30  # |log| of each parameter: wide enough for a shop where nobody seems to drop out
FIT_CACHE = 8  # fitted samples kept: the likelihood search is the costliest step of a compute
_FITS: dict[tuple, list[float]] = {}  # sample (start, histories grouped by repeats) -> best log-parameters


def _prior_reorder(waited: int, horizon: int) -> float:
    """Cautious default: a quarter of first-time buyers come back, sooner rather than later."""
    return 0.25 * (1 - math.exp(-horizon / 120)) * 120 / (120 + waited)


class SecondOrderCurve:
    """Kaplan–Meier survival of 'no second order yet' over days since the first order."""

    def __init__(self, waits: np.ndarray, reordered: np.ndarray):
        """Per customer (numpy arrays): days to the second order where `reordered`, else days waited so far."""
        events = dict(zip(*(a.tolist() for a in np.unique(waits[reordered], return_counts=True)), strict=True))
        censored = dict(zip(*(a.tolist() for a in np.unique(waits[~reordered], return_counts=True)), strict=True))
        self.events = sum(events.values())
        at_risk = len(waits)
        survival = 1.0
        self._times: list[int] = []
        self._survival: list[float] = []
        for day in sorted(set(events) | set(censored)):
            died = events.get(day, 0)
            if died and at_risk:
                survival *= 1 - died / at_risk
                self._times.append(day)
                self._survival.append(survival)
            at_risk -= died + censored.get(day, 0)
        observed = np.sort(waits[reordered]).tolist()
        self.median_days = statistics.median(observed) if observed else DEFAULT_SECOND_ORDER_DAYS

    def survival(self, day: float) -> float:
        i = bisect.bisect_right(self._times, day)
        return 1.0 if i == 0 else self._survival[i - 1]

    def reorder_chance(self, waited: int, horizon: int) -> float:
        """P(second order within `horizon` days | none in the first `waited` days)."""
        now = self.survival(waited)
        empirical = 0.0 if now <= 0 else 1 - self.survival(waited + horizon) / now
        weight = self.events / (self.events + PRIOR_EVENTS)
        return weight * empirical + (1 - weight) * _prior_reorder(waited, horizon)


def _betaln(p: float, q: float) -> float:
    return math.lgamma(p) + math.lgamma(q) - math.lgamma(p + q)


def _log_likelihood(params: Sequence[float], by_repeats: dict[int, list[tuple[int, int]]]) -> float:
    """BG/NBD log-likelihood (Fader, Hardie & Lee 2005), params in logs; histories grouped by
    repeat orders x as (t_x, T) pairs, so the gamma functions run once per distinct x."""
    if any(abs(v) > LOG_PARAM_BOUND for v in params):
        return -math.inf
    r, alpha, a, b = (math.exp(v) for v in params)
    log, exp = math.log, math.exp
    base = -math.lgamma(r) + r * log(alpha) - _betaln(a, b)
    total = 0.0
    for x, spans in by_repeats.items():
        shape = r + x
        head = math.lgamma(shape) + base
        alive_c = _betaln(a, b + x)
        if x == 0:
            total += len(spans) * (head + alive_c) - shape * sum(log(alpha + age) for _, age in spans)
            continue
        dead_c = _betaln(a + 1, b + x - 1)
        for t_x, age in spans:
            alive = alive_c - shape * log(alpha + age)
            dead = dead_c - shape * log(alpha + t_x)
            hi = alive if alive > dead else dead
            total += head + hi + log(exp(alive - hi) + exp(dead - hi))
    return total


def _nelder_mead(fn, start: list[float], step: float = 0.5, rounds: int = 160) -> list[float]:
    """Maximise `fn` (a plain, derivative-free simplex search; four parameters)."""
    simplex = [start] + [[v + (step if i == j else 0.0) for j, v in enumerate(start)] for i in range(len(start))]
    scored = sorted(((fn(p), p) for p in simplex), key=lambda t: -t[0])
    for _ in range(rounds):
        best, worst = scored[0][0], scored[-1]
        centre = [sum(p[i] for _, p in scored[:-1]) / (len(scored) - 1) for i in range(len(start))]

        def towards(k: float, worst_point: list[float] = worst[1], centre: list[float] = centre) -> list[float]:
            return [c + k * (w - c) for c, w in zip(centre, worst_point, strict=True)]

        reflected = towards(-1.0)
        value = fn(reflected)
        if value > best:
            expanded = towards(-2.0)
            expanded_value = fn(expanded)
            scored[-1] = (expanded_value, expanded) if expanded_value > value else (value, reflected)
        elif value > scored[-2][0]:
            scored[-1] = (value, reflected)
        else:
            contracted = towards(0.5)
            contracted_value = fn(contracted)
            if contracted_value > worst[0]:
                scored[-1] = (contracted_value, contracted)
            else:
                top = scored[0][1]
                shrunk = [[t + 0.5 * (v - t) for t, v in zip(top, p, strict=True)] for _, p in scored[1:]]
                scored = [scored[0]] + [(fn(p), p) for p in shrunk]
        scored.sort(key=lambda t: -t[0])
        if scored[0][0] - scored[-1][0] < 1e-4:
            break
    return scored[0][1]


@dataclass(frozen=True)
class ShopModel:
    """How this shop's customers buy (BG/NBD parameters, time in days): while alive a customer orders
    at a Gamma(r, alpha)-distributed rate; after each order they drop out with p ~ Beta(a, b)."""

    r: float
    alpha: float
    a: float = DROPOUT_A
    b: float = DROPOUT_B

    @classmethod
    def fit(cls, repeats: np.ndarray, spans: np.ndarray, ages: np.ndarray) -> ShopModel:
        """Per customer (numpy arrays): repeat order days x, days from first to last t_x, days since
        the first T. Moments give a start; with enough repeat buyers, maximum likelihood on a sample of them."""
        seen = ages > 0
        rates = (repeats[seen] / ages[seen]).tolist()
        if not any(rates):
            return cls(1.0, float(DEFAULT_SECOND_ORDER_DAYS))
        n = len(rates)
        mean = math.fsum(rates) / n
        noise = math.fsum((repeats[seen] / (ages[seen] * ages[seen])).tolist()) / n
        variance = math.fsum([(rate - mean) ** 2 for rate in rates]) / n - noise
        variance = max(variance, mean * mean / 10)  # at most r = 10: keep the prior weak
        start = cls(mean * mean / variance, mean / variance)
        if np.count_nonzero(repeats > 0) < MIN_REPEAT_BUYERS_TO_FIT:
            return start
        step = max(1, len(repeats) // FIT_SAMPLE)
        by_repeats: dict[int, list[tuple[int, int]]] = {}
        in_order = np.lexsort((ages, spans, repeats))[::step]  # the sorted (x, t_x, T) triples, every step-th
        for x, t_x, age in zip(
            repeats[in_order].tolist(), spans[in_order].tolist(), ages[in_order].tolist(), strict=True
        ):
            if age > 0:
                by_repeats.setdefault(x, []).append((t_x, age))
        logs = [math.log(v) for v in (start.r, start.alpha, start.a, start.b)]
        key = (*logs, *((x, *spans) for x, spans in by_repeats.items()))
        best = _FITS.get(key)
        if best is None:  # the same sample fits the same: reuse (a compute per screen refresh)
            if len(_FITS) >= FIT_CACHE:
                _FITS.pop(next(iter(_FITS)))
            best = _FITS[key] = _nelder_mead(lambda p: _log_likelihood(p, by_repeats), logs)
        return cls(*(math.exp(v) for v in best))

    def alive(self, repeats: Numbers, span: Numbers, age: Numbers) -> Numbers:
        """P(still alive) after `repeats` >= 1 repeat orders, the last `span` days after the first,
        the first `age` days ago (one customer, or numpy arrays of many)."""
        odds_dead = (self.a / (self.b + repeats - 1)) * ((self.alpha + age) / (self.alpha + span)) ** (self.r + repeats)
        return 1 / (1 + odds_dead)

    def poisson(self, repeats: Numbers, age: Numbers) -> Numbers:
        """P(an order within HORIZON_DAYS | alive)."""
        return 1 - ((self.alpha + age) / (self.alpha + age + HORIZON_DAYS)) ** (self.r + repeats)

    def rate(self, repeats: Numbers, age: Numbers) -> Numbers:
        """Orders per day | alive."""
        return (self.r + repeats) / (self.alpha + age)

    def outlook(self, repeats: int, span: int, age: int) -> tuple[float, float, float]:
        """(P(still alive), P(an order within HORIZON_DAYS | alive), order rate per day | alive)."""
        alive = self.alive(repeats, span, age) if repeats else 1.0
        return alive, self.poisson(repeats, age), self.rate(repeats, age)


@dataclass(frozen=True)
class Blend:
    """How much each customer's own evidence counts against the shop-wide BG/NBD model (0..1):
    `rhythm`: a repeat buyer's own gaps; `curve`: the shop's second-order curve for one-time buyers."""

    rhythm: float
    curve: float


TRUST_RHYTHM = Blend(1.0, 1.0)  # the default while the shop's history is too short to check
BLEND_STEPS = (1.0, 0.5, 0.0)
HOLDOUT_SAMPLE = 4000  # customers the blend is checked on
MIN_HOLDOUT_OUTCOMES = 30  # of each kind (came back, did not) before the check is trusted


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """P(a random positive scores above a random negative), ties counting half."""
    positive = np.asarray(labels, dtype=bool)
    pos = int(positive.sum())
    neg = len(positive) - pos
    if not pos or not neg:
        return 0.5
    _, group, size = np.unique(np.asarray(scores, dtype=np.float64), return_inverse=True, return_counts=True)
    mid_rank = np.cumsum(size) - (size - 1) / 2  # 1-based, shared by equal scores (half-integers: sums are exact)
    rank_sum = float(mid_rank[group][positive].sum())
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def usual_gaps(days: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each customer's median gap between order days (NaN below two days), all at once: every
    customer's gaps sorted in one numpy pass instead of 100k small sorts. `days`: all customers'
    order days one after the other, `counts` of them per customer."""
    owner = np.repeat(np.arange(len(counts)), counts)
    inside = owner[1:] == owner[:-1]  # not across two customers
    gaps, gap_owner = np.diff(days)[inside], owner[1:][inside]
    gaps = gaps[np.lexsort((gaps, gap_owner))]
    n = np.maximum(counts - 1, 0)
    mid = np.cumsum(n) - n + n // 2  # the upper middle gap of each customer
    has = n > 0
    medians = np.full(len(counts), np.nan)
    medians[has] = (gaps[mid[has] - 1 + n[has] % 2] + gaps[mid[has]]) / 2  # lower = upper when odd
    return medians


def _replay(occasions: Sequence[Sequence[int]], cut: int, model: ShopModel) -> list[float] | None:
    """As of the day `cut`, from the orders up to then: the AUC of each blend (BLEND_STEPS squared)
    for 'ordered again within HORIZON_DAYS'. None while too few customers did and did not."""
    early = [o for o in occasions if o and o[0] <= cut]
    early = early[:: max(1, len(early) // HOLDOUT_SAMPLE)]
    truncated = [o[: bisect.bisect_right(o, cut)] for o in early]
    labels = [bisect.bisect_right(o, cut + HORIZON_DAYS) > len(t) for t, o in zip(truncated, early, strict=True)]
    came_back = sum(labels)
    if min(came_back, len(labels) - came_back) < MIN_HOLDOUT_OUTCOMES:
        return None
    counts = np.fromiter(map(len, truncated), dtype=np.int64, count=len(truncated))
    waits = np.array([t[1] - t[0] if len(t) >= 2 else cut - t[0] for t in truncated], dtype=np.int64)
    curve = SecondOrderCurve(waits, counts >= 2)
    days = np.fromiter(itertools.chain.from_iterable(truncated), dtype=np.int64, count=int(counts.sum()))
    parts = []  # (is a repeat buyer, alive, BG/NBD chance given alive, own evidence)
    for t, gap in zip(truncated, usual_gaps(days, counts).tolist(), strict=True):
        if len(t) >= 2:
            alive, poisson, _ = model.outlook(len(t) - 1, t[-1] - t[0], cut - t[0])
            parts.append((True, alive, poisson, max(poisson, _due_within(cut - t[-1], gap, HORIZON_DAYS))))
        else:
            waited = cut - t[0]
            parts.append((False, 1.0, model.outlook(0, 0, waited)[1], curve.reorder_chance(waited, HORIZON_DAYS)))
    return [
        auc([alive * (p + (w if repeat else v) * (own - p)) for repeat, alive, p, own in parts], labels)
        for w in BLEND_STEPS
        for v in BLEND_STEPS
    ]


def choose_blend(occasions: Sequence[Sequence[int]], today: int, model: ShopModel) -> Blend:
    """Replays the shop's own history: as of HORIZON_DAYS ago, which blend would have told best who
    ordered again since? The default while the history is too short to tell.
    `occasions`: each customer's order days (ordinals, sorted, up to today)."""
    aucs = _replay(occasions, today - HORIZON_DAYS, model)
    if aucs is None:
        return TRUST_RHYTHM
    best = max(range(len(aucs)), key=aucs.__getitem__)  # the first of equals: trust the rhythm
    return Blend(BLEND_STEPS[best // len(BLEND_STEPS)], BLEND_STEPS[best % len(BLEND_STEPS)])


class Outlook(NamedTuple):
    churn_risk: float
    expected_orders_year: float
    reason: str


def _due_within(recency: Numbers, usual_gap: Numbers, horizon: int) -> Numbers:
    """The customer's own rhythm: P(the next gap ends within `horizon` days | it is already `recency` long),
    for gaps ~ Gamma(shape 2, scale usual_gap / 2): fairly regular rhythms (survival (1 + z) e^-z, z = days / scale)."""
    theta = np.maximum(usual_gap, 1.0) / 2
    z = recency / theta
    return 1 - (1 + z + horizon / theta) / (1 + z) * np.exp(-horizon / theta)


def _clamp(risk: float) -> float:
    return min(RISK_CEILING, max(RISK_FLOOR, risk))


def repeat_outlooks(
    repeats: np.ndarray, spans: np.ndarray, ages: np.ndarray, usual_gaps: np.ndarray, model: ShopModel, blend: Blend
) -> tuple[np.ndarray, np.ndarray]:
    """Customers with `repeats` >= 1 orders after the first, the last `spans` days after the first,
    the first `ages` days ago (numpy arrays: all repeat buyers at once): their churn risks and
    expected orders per year (the reasons: repeat_reason)."""
    recency = ages - spans
    alive, poisson = model.alive(repeats, spans, ages), model.poisson(repeats, ages)
    rhythm = _due_within(recency, usual_gaps, HORIZON_DAYS)
    orders_if_alive = poisson + blend.rhythm * np.maximum(0.0, rhythm - poisson)
    risks = np.minimum(RISK_CEILING, np.maximum(RISK_FLOOR, 1 - alive * orders_if_alive))
    per_year = alive * model.rate(repeats, ages) * YEAR_DAYS
    return risks, per_year


def repeat_reason(usual_gap: float, recency: int) -> str:
    """Why a repeat buyer's risk is what it is (built when shown: see repeat_outlooks)."""
    overdue = " (more than twice the usual gap)" if recency > 2 * usual_gap else ""
    return f"usually orders every {usual_gap:.0f} days; {recency} days since the last order{overdue}"


def one_time_outlook(waited: int, curve: SecondOrderCurve, model: ShopModel, blend: Blend = TRUST_RHYTHM) -> Outlook:
    """A customer with one order day, `waited` days ago."""
    chance = blend.curve * curve.reorder_chance(waited, HORIZON_DAYS)
    if blend.curve < 1:
        chance += (1 - blend.curve) * model.outlook(0, 0, waited)[1]
    reason = (
        f"one order, {waited} days ago; in this shop about {chance:.0%} of first-time buyers who waited "
        f"that long ordered again within {HORIZON_DAYS} days"
    )
    return Outlook(_clamp(1 - chance), curve.reorder_chance(waited, YEAR_DAYS), reason)


NO_ORDER = Outlook(RISK_CEILING, 0.0, "no kept order: only refunded, cancelled or credited ones")
