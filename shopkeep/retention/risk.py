"""Churn risk: the chance that a customer places no order in the next HORIZON_DAYS without being
contacted, told by whichever way of reading the shop's history would have told best in its own past.

Five ways compete (CANDIDATES):
- recency: days since the last order alone.
- BG/NBD: the shop-wide "buy till you die" model. While "alive" a customer orders at a Poisson rate
  drawn from Gamma(r, alpha); after each order they may drop out with p ~ Beta(a, b). The four
  numbers are fitted to this shop (moments, then maximum likelihood on a sample once there are
  enough repeat buyers).
- rhythm: BG/NBD, raised towards each repeat buyer's own rhythm (gaps around their usual gap, so a
  yearly gift buyer is expected back when the year comes round); for one-time buyers the shop's
  own time-to-second-order curve (Kaplan–Meier: of the first-time buyers who waited as long, how
  many ordered again within the horizon), blended with a cautious prior while it rests on few
  repeat orders.
- fitted: a logistic regression on log-recency (and its square), order days, tenure, how overdue
  the customer is against their own usual gap, the first order's value and the rhythm chance,
  fitted (numpy Newton steps) on the shop's own replayed outcomes.
- season: a table of the replay (Bands): of its customers as many days past their last order (in
  bands of SEASON_BAND_DAYS) with as many order days, how many ordered again. Any curve over days
  since the last order, so a shop whose customers come back when the season comes round is read
  by its calendar; it wins only where its replay says so.

`choose` replays the shop as of REPLAY_OFFSETS days ago (a year ago when the shop is old enough, so
the replay covers the same season as the coming HORIZON_DAYS; else HORIZON_DAYS ago): each way is
fitted on four fifths of that day's customers and judged (AUC for "ordered again within
HORIZON_DAYS") on the other fifth, for each fifth in turn. The best mean wins; recency unless another beats it by
more than TIE_MARGIN. The winner is then fitted on all of them, which also calibrates it: every way
is a logistic regression on its inputs (for a single score, Platt scaling) or a table of shares, so its chances match
what happened in the replay. A shop too young for a replay HORIZON_DAYS ago is replayed over a
shorter look-ahead (SHORT_LOOK_AHEADS: that many days ago, judged by that many days after); the
winner's order is then kept, at the levels of the BG/NBD model (chances over HORIZON_DAYS).

The level (the mean chance) mixes two estimates: the replay's, which takes the coming months to be
like the replayed ones, and BG/NBD's, fitted on the whole history, which ages the customers; in a
shop whose customers age (a cohort) or whose seasons shift, the replay alone is too hopeful. Their
shares come from trying both on the replay day itself, whose outcome is known (a replay as long
before it); half and half while the shop is too young for that.

When the history is too short for any replay, or no way told who came back (AUC below
CANNOT_TELL_AUC), the risk follows days since the last order and RiskQuality says so.

Everything is fitted on orders up to the day the figures are for: a replay's outcomes end by then.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from shopkeep.i18n import N_, _, ngettext

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

REPLAY_OFFSETS = (YEAR_DAYS, HORIZON_DAYS)  # replay days tried, in days before today: the first that can tell
SHORT_LOOK_AHEADS = (120, 90)  # days: a younger shop is replayed this many days ago, looking as far ahead
REPLAY_SAMPLE = 20_000  # customers of the replay day the ways are fitted and judged on
MIN_REPLAY_HISTORY = 60  # days of orders before the replay day: fewer, and its customers are all alike
MIN_REPLAY_OUTCOMES = 30  # of each kind (ordered again, did not) before a replay is trusted
JUDGE_FOLDS = 5  # the replay's customers are split in as many parts to judge each way on unseen ones
BGNBD_LEVEL = 0.5  # BG/NBD's share in the level of the replay-fitted chances, until an earlier replay tells
CANNOT_TELL_AUC = 0.55  # below: the shop's history cannot tell who comes back
TIE_MARGIN = 0.001  # a way must beat recency by more than this on the replay to replace it
RIDGE = 1e-3  # L2 penalty per customer on the (standardised) logistic weights
NEWTON_STEPS = 30
RECENCY_SLOPE = 0.05  # the least fall in log-odds per standard deviation of log-recency in the fallback
EXTRAPOLATION = 3.0  # standard deviations an input may lie beyond the replay's range before it is capped
CANNOT_TELL = N_("not enough history to rank who is slipping away; showing days since last order")


def _prior_reorder(waited: Numbers, horizon: int) -> Numbers:
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
        times: list[int] = []
        survivals = [1.0]  # before the first event
        for day in sorted(set(events) | set(censored)):
            died = events.get(day, 0)
            if died and at_risk:
                survival *= 1 - died / at_risk
                times.append(day)
                survivals.append(survival)
            at_risk -= died + censored.get(day, 0)
        self._times, self._survival = np.array(times, dtype=np.float64), np.array(survivals)
        observed = np.sort(waits[reordered])
        self.median_days = float(np.median(observed)) if len(observed) else DEFAULT_SECOND_ORDER_DAYS

    def survival(self, days: Numbers) -> Numbers:
        return self._survival[np.searchsorted(self._times, days, side="right")]

    def reorder_chance(self, waited: Numbers, horizon: int) -> Numbers:
        """P(second order within `horizon` days | none in the first `waited` days)."""
        now = np.asarray(self.survival(waited))
        later = np.asarray(self.survival(np.asarray(waited) + horizon))
        empirical = np.where(now > 0, 1 - later / np.where(now > 0, now, 1.0), 0.0)
        weight = self.events / (self.events + PRIOR_EVENTS)
        return weight * empirical + (1 - weight) * _prior_reorder(waited, horizon)


def _betaln(p: float, q: float) -> float:
    return math.lgamma(p) + math.lgamma(q) - math.lgamma(p + q)


class _Histories(NamedTuple):
    """A sample's histories grouped by repeat orders x: per group (x ascending) its x and where its rows start
    and end; per row t_x and T (floats), and its group's x."""

    xs: list[int]
    starts: list[int]
    ends: list[int]
    sizes: np.ndarray  # rows per group
    x: np.ndarray
    t_x: np.ndarray
    age: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray, t_x: np.ndarray, age: np.ndarray) -> _Histories:
        """From per-row arrays sorted by x."""
        bounds = (np.flatnonzero(np.diff(x)) + 1).tolist()
        starts, ends = [0, *bounds], [*bounds, len(x)]
        if not len(x):
            starts, ends = [], []
        xs = [int(x[start]) for start in starts]
        sizes = np.subtract(ends, starts, dtype=np.int64)
        return cls(xs, starts, ends, sizes, x.astype(np.float64), t_x.astype(np.float64), age.astype(np.float64))


def _log_likelihood(params: Sequence[float], h: _Histories) -> float:
    """BG/NBD log-likelihood (Fader, Hardie & Lee 2005), params in logs. The gamma functions run once per
    distinct number of repeat orders x; the logs of every row at once, then summed group by group (each
    group's sum as numpy sums that group alone: the same figure to the last bit as a loop over groups, at
    a third of its time, issue 19)."""
    if any(abs(v) > LOG_PARAM_BOUND for v in params):
        return -math.inf
    r, alpha, a, b = (math.exp(v) for v in params)
    base = -math.lgamma(r) + r * math.log(alpha) - _betaln(a, b)
    shape = r + h.x
    alive = np.repeat([_betaln(a, b + x) for x in h.xs], h.sizes) - shape * np.log(alpha + h.age)
    # x = 0: never dropped out (no dead term; its beta function may not even exist)
    dead = np.repeat([_betaln(a + 1, b + x - 1) if x else 0.0 for x in h.xs], h.sizes) - shape * np.log(alpha + h.t_x)
    terms = np.logaddexp(alive, dead)
    if h.xs and h.xs[0] == 0:  # the first group, when there is one with no repeat order
        terms[: h.ends[0]] = alive[: h.ends[0]]
    total = 0.0
    for x, start, end in zip(h.xs, h.starts, h.ends, strict=True):
        head = math.lgamma(r + x) + base
        total += (end - start) * head + float(terms[start:end].sum())
    return total


def _nelder_mead(fn, start: list[float], step: float = 0.5, rounds: int = 160) -> list[float]:
    """Maximise `fn` (a plain, derivative-free simplex search; four parameters)."""
    simplex = [start] + [[v + (step if i == j else 0.0) for j, v in enumerate(start)] for i in range(len(start))]
    scored = sorted(((fn(p), p) for p in simplex), key=lambda t: -t[0])
    for _round in range(rounds):
        best, worst = scored[0][0], scored[-1]
        centre = [sum(p[i] for _score, p in scored[:-1]) / (len(scored) - 1) for i in range(len(start))]

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
                shrunk = [[t + 0.5 * (v - t) for t, v in zip(top, p, strict=True)] for _score, p in scored[1:]]
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
        rates = repeats[seen] / ages[seen]
        if not rates.any():
            return cls(1.0, float(DEFAULT_SECOND_ORDER_DAYS))
        mean = float(rates.mean())
        noise = float((repeats[seen] / (ages[seen] * ages[seen])).mean())
        variance = float(((rates - mean) ** 2).mean()) - noise
        variance = max(variance, mean * mean / 10)  # at most r = 10: keep the prior weak
        start = cls(mean * mean / variance, mean / variance)
        if np.count_nonzero(repeats > 0) < MIN_REPEAT_BUYERS_TO_FIT:
            return start
        step = max(1, len(repeats) // FIT_SAMPLE)
        in_order = np.lexsort((ages, spans, repeats))[::step]  # the sorted (x, t_x, T) triples, every step-th
        x, t_x, age = repeats[in_order], spans[in_order], ages[in_order]
        x, t_x, age = x[age > 0], t_x[age > 0], age[age > 0]
        histories = _Histories.of(x, t_x, age)
        logs = [math.log(v) for v in (start.r, start.alpha, start.a, start.b)]
        key = (*logs, x.tobytes(), t_x.tobytes(), age.tobytes())
        best = _FITS.get(key)
        if best is None:  # the same sample fits the same: reuse (a compute per screen refresh)
            if len(_FITS) >= FIT_CACHE:
                _FITS.pop(next(iter(_FITS)))
            best = _FITS[key] = _nelder_mead(lambda p: _log_likelihood(p, histories), logs)
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


def auc(scores: Sequence[float] | np.ndarray, labels: Sequence[bool] | np.ndarray) -> float:
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
    """Each customer's median gap between order days (NaN below two days), all at once. `days`: all
    customers' order days one after the other, `counts` of them per customer.
    The customers with as many gaps are taken together, their gaps as the rows of one matrix sorted row by row:
    a few dozen short sorts instead of one sort of every gap (3x faster at 1M orders, issue 19)."""
    owner = np.repeat(np.arange(len(counts)), counts)
    inside = owner[1:] == owner[:-1]  # not across two customers
    gaps = np.diff(days)[inside]  # each customer's gaps one after the other, in order of days
    n = np.maximum(counts - 1, 0)
    starts = np.cumsum(n) - n
    medians = np.full(len(counts), np.nan)
    for k in np.unique(n[n > 0]).tolist():
        who = np.flatnonzero(n == k)
        rows = np.sort(gaps[starts[who][:, None] + np.arange(k)], axis=1)
        medians[who] = (rows[:, (k - 1) // 2] + rows[:, k // 2]) / 2  # lower and upper middle: the same when k is odd
    return medians


def _due_within(recency: Numbers, usual_gap: Numbers, horizon: int) -> Numbers:
    """The customer's own rhythm: P(the next gap ends within `horizon` days | it is already `recency` long),
    for gaps ~ Gamma(shape 2, scale usual_gap / 2): fairly regular rhythms (survival (1 + z) e^-z, z = days / scale)."""
    theta = np.maximum(usual_gap, 1.0) / 2
    z = recency / theta
    return 1 - (1 + z + horizon / theta) / (1 + z) * np.exp(-horizon / theta)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(0.5 * z))  # no overflow for any z


class Snapshot:
    """Every customer's order history as of one day, as the ways of telling read it: numpy arrays,
    one entry per customer with at least one order day."""

    def __init__(self, days: np.ndarray, counts: np.ndarray, values: np.ndarray, today: int):
        """`days`: all customers' order days (ordinals, up to `today`), one customer's after the
        other's and sorted, `counts` of them each (>= 1); `values`: each one's first order value."""
        ends = np.cumsum(counts)
        starts = ends - counts
        self.today, self.counts, self.values = today, counts, values
        self.first, self.last = days[starts], days[ends - 1]
        self.recency, self.age, self.span = today - self.last, today - self.first, self.last - self.first
        self.repeat = counts >= 2
        self.gaps = usual_gaps(days, counts)
        waits = self.age.copy()
        waits[self.repeat] = days[starts[self.repeat] + 1] - self.first[self.repeat]
        self.curve = SecondOrderCurve(waits, self.repeat)
        self.model = ShopModel.fit(counts - 1, self.span, self.age)

    def __len__(self) -> int:
        return len(self.counts)

    @functools.cached_property
    def alive(self) -> np.ndarray:
        """BG/NBD: P(still alive); one-time buyers are alive until they show otherwise."""
        alive = np.ones(len(self))
        r = self.repeat
        alive[r] = self.model.alive(self.counts[r] - 1, self.span[r], self.age[r])
        return alive

    @functools.cached_property
    def bgnbd_chance(self) -> np.ndarray:
        """BG/NBD: P(an order within HORIZON_DAYS)."""
        return self.alive * self.model.poisson(self.counts - 1, self.age)

    @functools.cached_property
    def rhythm_chance(self) -> np.ndarray:
        """BG/NBD raised towards each repeat buyer's own rhythm; the shop's second-order curve for one-time buyers."""
        r = self.repeat
        chance = np.asarray(self.curve.reorder_chance(self.age, HORIZON_DAYS), dtype=np.float64)
        poisson = self.model.poisson(self.counts[r] - 1, self.age[r])
        own = _due_within(self.recency[r], self.gaps[r], HORIZON_DAYS)
        chance[r] = self.alive[r] * np.maximum(poisson, own)
        return chance

    def inputs(self, names: Sequence[str]) -> np.ndarray:
        """The named inputs (INPUTS) as the columns of one matrix."""
        return np.column_stack([INPUTS[name](self) for name in names])


def _overdue(s: Snapshot) -> np.ndarray:
    """log((days since the last order + 1) / (usual gap + 1)) for repeat buyers, 0 for one-time buyers."""
    return np.where(s.repeat, np.log1p(s.recency) - np.log1p(np.nan_to_num(s.gaps)), 0.0)


SEASON_BAND_DAYS = 30  # width of a band of days since the last order in the "season" way
SEASON_BANDS = 37  # bands of days since the last order: up to three years, then one for all before
ORDER_DAY_BANDS = 3  # one order day, two, three or more
BAND_PRIOR = 20  # customers' worth of the wider share (the band's, the shop's) a cell's share is pulled towards


INPUTS = {
    "recency band": lambda s: np.minimum(s.recency // SEASON_BAND_DAYS, SEASON_BANDS - 1).astype(np.float64),
    "order days band": lambda s: (np.minimum(s.counts, ORDER_DAY_BANDS) - 1).astype(np.float64),
    "log recency": lambda s: np.log1p(s.recency),
    "log recency squared": lambda s: np.log1p(s.recency) ** 2,
    "log order days": lambda s: np.log(s.counts),
    "log tenure": lambda s: np.log1p(s.age),
    "repeat buyer": lambda s: s.repeat.astype(np.float64),
    "overdue": _overdue,
    "log first order value": lambda s: np.log1p(np.maximum(s.values, 0)),
    "BG/NBD": lambda s: _logit(s.bgnbd_chance),
    "rhythm": lambda s: _logit(s.rhythm_chance),
}


@dataclass(frozen=True)
class Way:
    """One way of telling who will order again: a logistic regression on some of the INPUTS (or a table)."""

    name: str
    words: str  # what it is, in plain words
    inputs: tuple[str, ...]
    sign: int = 0  # one input whose chance can only rise (+1) or fall (-1) with it; 0: free
    table: bool = False  # Bands instead of a logistic regression


CANDIDATES = (
    Way("recency", N_("days since the last order"), ("log recency",), -1),
    Way("BG/NBD", N_("the BG/NBD buying model"), ("BG/NBD",), +1),
    Way("rhythm", N_("each customer's own rhythm"), ("rhythm",), +1),
    Way(
        "fitted",
        N_("a model fitted on this shop's own past"),
        (
            "log recency",
            "log recency squared",
            "log order days",
            "log tenure",
            "repeat buyer",
            "overdue",
            "log first order value",
            "rhythm",
        ),
    ),
    Way(
        "season",
        N_("how this shop's customers came back, by days since their last order"),
        ("recency band", "order days band"),
        table=True,
    ),
)
RECENCY = CANDIDATES[0]


@dataclass(frozen=True)
class Logistic:
    """P(an order within HORIZON_DAYS) = sigmoid(w0 + w . z), z = (x - centre) / scale capped to
    [low, high]: the range the fit saw, widened by EXTRAPOLATION (no wild guesses far outside it)."""

    centre: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # intercept first
    low: np.ndarray
    high: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, sign: int = 0, ridge: float = RIDGE) -> Logistic:
        """Maximum likelihood with a small L2 penalty (not on the intercept), by Newton steps. `sign`:
        the one input's weight must have this sign (+1, -1); else it is left out (the rate alone)."""
        centre, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1.0
        z = (x - centre) / scale
        low, high = z.min(axis=0) - EXTRAPOLATION, z.max(axis=0) + EXTRAPOLATION
        design = np.column_stack([np.ones(len(x)), z])
        rate = min(max(float(y.mean()), 1e-3), 1 - 1e-3)
        w = np.zeros(design.shape[1])
        w[0] = math.log(rate / (1 - rate))
        penalty = ridge * len(x) * np.eye(len(w))
        penalty[0, 0] = 0.0
        intercept_only = w.copy()
        for _step in range(NEWTON_STEPS):
            p = _sigmoid(design @ w)
            gradient = design.T @ (p - y) + penalty @ w
            hessian = (design * (p * (1 - p))[:, None]).T @ design + penalty
            step = np.linalg.solve(hessian + 1e-9 * np.eye(len(w)), gradient)
            w = w - step
            if np.abs(step).max() < 1e-7:
                break
        if sign and w[1] * sign < 0:  # the wrong way round on this shop: it tells nothing here
            w = intercept_only
        return cls(centre, scale, w, low, high)

    def chance(self, x: np.ndarray) -> np.ndarray:
        z = np.clip((x - self.centre) / self.scale, self.low, self.high)
        return _sigmoid(self.weights[0] + z @ self.weights[1:])


@dataclass(frozen=True)
class Bands:
    """P(an order within the look-ahead) read from a table of the replay: the share who ordered again
    among its customers in the same band of days since the last order and of order days, pulled
    towards the band's share, and that towards the shop's, by BAND_PRIOR customers. Any curve over
    days since the last order: a seasonal shop's chance rises again as the season comes round. A band
    the replay had nobody in takes the nearest band's share."""

    shares: np.ndarray  # [recency band, order days band]

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, sign: int = 0) -> Bands:
        band, days = x[:, 0].astype(np.int64), x[:, 1].astype(np.int64)
        shop = float(y.mean())
        seen = np.bincount(band, minlength=SEASON_BANDS)
        shares = (np.bincount(band, y, minlength=SEASON_BANDS) + BAND_PRIOR * shop) / (seen + BAND_PRIOR)
        where = np.flatnonzero(seen)
        if len(where):  # the nearest band anybody was in
            nearest = where[np.abs(np.arange(SEASON_BANDS)[:, None] - where[None, :]).argmin(axis=1)]
            shares = shares[nearest]
        cell = band * ORDER_DAY_BANDS + days
        size = SEASON_BANDS * ORDER_DAY_BANDS
        wider = np.repeat(shares, ORDER_DAY_BANDS)
        in_cell = np.bincount(cell, minlength=size)
        table = (np.bincount(cell, y, minlength=size) + BAND_PRIOR * wider) / (in_cell + BAND_PRIOR)
        return cls(np.clip(table, 1e-4, 1 - 1e-4).reshape(SEASON_BANDS, ORDER_DAY_BANDS))

    def chance(self, x: np.ndarray) -> np.ndarray:
        return self.shares[x[:, 0].astype(np.int64), x[:, 1].astype(np.int64)]


@dataclass(frozen=True)
class RiskQuality:
    """Which way tells churn risk in this shop, and how well it told on the shop's own past."""

    method: str  # a Way's name
    words: str  # the way, in plain words
    replay_day: dt.date | None  # the day the shop was replayed as of; None: too little history
    replay_auc: float | None  # the way's AUC on the replay (judged on customers it was not fitted on)
    can_tell: bool  # False: the history cannot tell who comes back; the risk follows recency
    message: str  # plain words for the owner
    aucs: Mapping[str, float] = field(default_factory=dict)  # every way's replay AUC
    look_ahead: int = HORIZON_DAYS  # days after the replay day it judged by (shorter in a young shop)


@dataclass(frozen=True)
class RiskChoice:
    quality: RiskQuality
    way: Way
    fit: Logistic | Bands | None  # None: no replay; recency order at the levels of the BG/NBD model
    levels_of_bgnbd: bool = False  # the fit's order at the levels of the BG/NBD model (a short replay)
    bgnbd_level: float = BGNBD_LEVEL  # BG/NBD's share in the level of the chances (see _bgnbd_weight)

    def chances(self, s: Snapshot) -> np.ndarray:
        """P(an order within HORIZON_DAYS) for every customer of `s`."""
        if self.fit is None:
            return _handed_out(s.bgnbd_chance, -s.recency)
        chances = self.fit.chance(s.inputs(self.way.inputs))
        if self.levels_of_bgnbd:  # the fit tells chances within a shorter look-ahead: only its order is kept
            return _handed_out(s.bgnbd_chance, chances)
        # The level: the replay's (the coming months like the replayed ones) and BG/NBD's (fitted on all
        # of the history, ageing its customers), mixed as _bgnbd_weight found; aimed so that the mean
        # squeezed risk is 1 - it.
        level = (1 - self.bgnbd_level) * float(chances.mean()) + self.bgnbd_level * float(s.bgnbd_chance.mean())
        target = (level - RISK_FLOOR) / (RISK_CEILING - RISK_FLOOR)
        return _sigmoid(_logit(chances) + _level_shift(_logit(chances), target))


def _level_shift(z: np.ndarray, target: float) -> float:
    """The shift of all log-odds `z` that makes their mean chance `target` (bisection)."""
    low, high = -10.0, 10.0
    for _step in range(40):
        middle = (low + high) / 2
        if float(_sigmoid(z + middle).mean()) < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _handed_out(chances: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The same chances, handed out by `order` (the highest gets the highest); equal order, equal chance."""
    by = np.argsort(order, kind="stable")
    out = np.empty(len(chances))
    out[by] = np.sort(chances)
    _, group = np.unique(order, return_inverse=True)
    return (np.bincount(group, out) / np.bincount(group))[group]


def replay(
    days: np.ndarray, counts: np.ndarray, values: np.ndarray, cut: int, look_ahead: int = HORIZON_DAYS
) -> tuple[Snapshot, np.ndarray] | None:
    """The shop as of day `cut` (a sample of up to REPLAY_SAMPLE of the customers of then) and whether
    each ordered again within `look_ahead` days after it; None while too few did, or did not, or the shop
    had sold for less than MIN_REPLAY_HISTORY days by then."""
    n = len(counts)
    if not n or days.min() > cut - MIN_REPLAY_HISTORY:
        return None
    owner = np.repeat(np.arange(n), counts)
    upto = days <= cut
    then = np.bincount(owner[upto], minlength=n)
    chosen = np.flatnonzero(then)
    chosen = chosen[:: -(-len(chosen) // REPLAY_SAMPLE) or 1]
    came_back = np.bincount(owner[(days > cut) & (days <= cut + look_ahead)], minlength=n)[chosen] > 0
    outcomes = int(came_back.sum())
    if min(outcomes, len(chosen) - outcomes) < MIN_REPLAY_OUTCOMES:
        return None
    picked = np.zeros(n, dtype=bool)
    picked[chosen] = True
    return Snapshot(days[upto & picked[owner]], then[chosen], values[chosen], cut), came_back


def judge(s: Snapshot, came_back: np.ndarray) -> dict[str, float]:
    """Each way's AUC on the replay, on customers it was not fitted on: JUDGE_FOLDS parts, each judged
    by a fit on the others; the mean."""
    y = came_back.astype(np.float64)
    part = np.arange(len(s)) % JUDGE_FOLDS
    aucs = {}
    for way in CANDIDATES:
        x = s.inputs(way.inputs)
        model = Bands if way.table else Logistic
        fits = ((model.fit(x[part != k], y[part != k], way.sign), part == k) for k in range(JUDGE_FOLDS))
        aucs[way.name] = sum(auc(fit.chance(x[judged]), came_back[judged]) for fit, judged in fits) / JUDGE_FOLDS
    return aucs


def choose(days: np.ndarray, counts: np.ndarray, values: np.ndarray, today: int) -> RiskChoice:
    """Replays the shop (see the module text) and keeps the way that would have told best who ordered
    again. `days`, `counts`, `values`: as for Snapshot, up to `today`."""
    tries = [(offset, HORIZON_DAYS) for offset in REPLAY_OFFSETS] + [(h, h) for h in SHORT_LOOK_AHEADS]
    for offset, look_ahead in tries:
        found = replay(days, counts, values, today - offset, look_ahead)
        if found is not None:
            break
    else:
        quality = RiskQuality(RECENCY.name, RECENCY.words, None, None, False, _(CANNOT_TELL))
        return RiskChoice(quality, RECENCY, None)
    s, came_back = found
    aucs = judge(s, came_back)
    best = max(CANDIDATES, key=lambda way: aucs[way.name])
    if aucs[best.name] <= aucs[RECENCY.name] + TIE_MARGIN:
        best = RECENCY
    day = dt.date.fromordinal(s.today)
    y = came_back.astype(np.float64)
    can_tell = aucs[best.name] >= CANNOT_TELL_AUC
    way = best if can_tell else RECENCY
    fit = _fit(way, s, y, can_tell)
    short = look_ahead < HORIZON_DAYS
    weight = (
        BGNBD_LEVEL if short else _bgnbd_weight(way, can_tell, s, y, replay(days, counts, values, s.today - offset))
    )
    if not can_tell:
        message = _(
            "{cannot_tell} (replaying this shop as of {day}, no way of reading its history told who ordered "
            "again within {days} days better than chance)"
        ).format(cannot_tell=_(CANNOT_TELL), day=day, days=look_ahead)
        quality = RiskQuality(RECENCY.name, RECENCY.words, day, aucs[RECENCY.name], False, message, aucs, look_ahead)
        return RiskChoice(quality, RECENCY, fit, short, weight)
    message = _(
        "churn risk from {way}: replaying this shop as of {day}, it ranked a customer who ordered "
        "again within {days} days above one who did not {share:.0%} of the time"
    ).format(way=_(best.words), day=day, days=look_ahead, share=aucs[best.name])
    quality = RiskQuality(best.name, best.words, day, aucs[best.name], True, message, aucs, look_ahead)
    return RiskChoice(quality, best, fit, short, weight)


def _fit(way: Way, s: Snapshot, y: np.ndarray, can_tell: bool) -> Logistic | Bands:
    """The way fitted on a replay; where the history cannot tell, recency, falling at least by RECENCY_SLOPE."""
    if can_tell:
        return (Bands if way.table else Logistic).fit(s.inputs(way.inputs), y, way.sign)
    fit = Logistic.fit(s.inputs(RECENCY.inputs), y)
    if fit.weights[1] > -RECENCY_SLOPE:  # no fall with recency: keep the order, at the shop's rate
        rate = min(max(float(y.mean()), 1e-3), 1 - 1e-3)
        weights = np.array([math.log(rate / (1 - rate)), -RECENCY_SLOPE])
        fit = Logistic(fit.centre, fit.scale, weights, fit.low, fit.high)
    return fit


def _bgnbd_weight(
    way: Way, can_tell: bool, s: Snapshot, y: np.ndarray, earlier: tuple[Snapshot, np.ndarray] | None
) -> float:
    """BG/NBD's share in the level of the chances (RiskChoice.chances). The two estimates of the level,
    a replay's and BG/NBD's, are tried on the replay day itself, whose outcome is known: the way fitted
    on a replay as long before it (`earlier`), and BG/NBD as fitted on the history up to it. Each counts
    in inverse proportion to how far it missed the share who ordered again; half and half without an
    earlier replay."""
    if earlier is None:
        return BGNBD_LEVEL
    before, came_back = earlier
    truth = float(y.mean())
    replay_miss = abs(
        float(_fit(way, before, came_back.astype(np.float64), can_tell).chance(s.inputs(way.inputs)).mean()) - truth
    )
    bgnbd_miss = abs(float(s.bgnbd_chance.mean()) - truth)
    if replay_miss + bgnbd_miss == 0:
        return BGNBD_LEVEL
    return replay_miss / (replay_miss + bgnbd_miss)


def squeeze(risk: np.ndarray) -> np.ndarray:
    """Into [RISK_FLOOR, RISK_CEILING], keeping the order (nobody is certainly staying or certainly gone)."""
    return RISK_FLOOR + (RISK_CEILING - RISK_FLOOR) * risk


def reason(recency: int, usual_gap: float | None, chance: float, can_tell: bool) -> str:
    """Why a customer's risk is what it is, in words that follow the figure: the facts it reads, then
    the chance of another order it comes to (1 - churn risk). Built when shown."""
    if usual_gap is None:
        facts = ngettext("one order, {n} day ago", "one order, {n} days ago", recency).format(n=recency)
    else:
        gap = round(usual_gap)
        facts = ngettext(
            "usually orders every {gap} days; {n} day since the last order",
            "usually orders every {gap} days; {n} days since the last order",
            recency,
        ).format(gap=gap, n=recency)
    if not can_tell:
        return facts
    return _("{facts}; about {share} likely to order again within {days} days").format(
        facts=facts, share=f"{chance:.0%}", days=HORIZON_DAYS
    )


NO_ORDER_REASON = N_("no kept order: only refunded, cancelled or credited ones")
