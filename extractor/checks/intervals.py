"""Interval arithmetic on printed figures, after XBRL Calculations 1.1 (Arelle's `rangeValue`).

A figure printed with k decimals in unit U stands for every true value that prints that way:
[v − ½·10^−k·U, v + ½·10^−k·U] when the issuer rounds (四舍五入), [v, v + 10^−k·U) when it
truncates. A sum or a ratio holds when the stated figure's interval meets the interval computed from
the other figures, so honest rounding never raises a finding and no fixed epsilon is needed.
Money printed down to the 分 is exact: there is no smaller coin to round away. All Decimal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from ..config import Config, derived
from ..records import Fact, Finding
from .engine import make_finding

ZERO = Decimal(0)
HUNDRED = Decimal(100)
ROUND, TRUNCATE = "round", "truncate"


@dataclass(frozen=True)
class Bounds:
    """An interval of Decimals; an open end excludes its endpoint."""

    low: Decimal
    high: Decimal
    low_open: bool = False
    high_open: bool = False

    def __add__(self, other: Bounds) -> Bounds:
        return Bounds(
            self.low + other.low,
            self.high + other.high,
            self.low_open or other.low_open,
            self.high_open or other.high_open,
        )

    def __neg__(self) -> Bounds:
        return Bounds(-self.high, -self.low, self.high_open, self.low_open)

    def scaled(self, factor: Decimal) -> Bounds:
        if factor >= 0:
            return Bounds(self.low * factor, self.high * factor, self.low_open, self.high_open)
        return Bounds(self.high * factor, self.low * factor, self.high_open, self.low_open)  # the ends swap

    def __truediv__(self, other: Bounds) -> Bounds:
        """Quotient over the endpoint quotients; the denominator must be positive throughout."""
        if other.low <= 0:
            raise ZeroDivisionError("denominator interval reaches zero")
        ends = [
            (a / b, a_open or b_open)
            for a, a_open in ((self.low, self.low_open), (self.high, self.high_open))
            for b, b_open in ((other.low, other.low_open), (other.high, other.high_open))
        ]
        low, high = min(ends, key=lambda e: e[0]), max(ends, key=lambda e: e[0])
        return Bounds(low[0], high[0], low[1], high[1])

    def capped(self, limit: Decimal) -> Bounds:
        """min(x, limit) for every x of the interval."""
        if self.low >= limit:
            return Bounds(limit, limit)
        if self.high > limit:
            return Bounds(self.low, limit, self.low_open, False)
        return self

    def intersection(self, other: Bounds) -> Bounds | None:
        # at equal endpoints the open one is the tighter: (x, True) sorts above (x, False)
        low, low_open = max((self.low, self.low_open), (other.low, other.low_open))
        high, high_closed = min((self.high, not self.high_open), (other.high, not other.high_open))
        if low > high or (low == high and (low_open or not high_closed)):
            return None
        return Bounds(low, high, low_open, not high_closed)

    def meets(self, other: Bounds) -> bool:
        return self.intersection(other) is not None


@dataclass(frozen=True)
class Measure:
    """A figure: the value as printed (or computed from printed values) and the true values it allows."""

    value: Decimal
    bounds: Bounds

    @classmethod
    def exact(cls, value: Decimal) -> Measure:
        return cls(value, Bounds(value, value))

    def __add__(self, other: Measure) -> Measure:
        return Measure(self.value + other.value, self.bounds + other.bounds)

    def __neg__(self) -> Measure:
        return Measure(-self.value, -self.bounds)

    def __sub__(self, other: Measure) -> Measure:
        return self + -other

    def scaled(self, factor: Decimal) -> Measure:
        return Measure(self.value * factor, self.bounds.scaled(factor))

    def __truediv__(self, other: Measure) -> Measure:
        return Measure(self.value / other.value, self.bounds / other.bounds)

    def capped(self, limit: Decimal) -> Measure:
        return Measure(min(self.value, limit), self.bounds.capped(limit))

    def times(self, other: Measure) -> Measure:
        """The product of two non-negative measures (分值 × 执行率)."""
        low = max(self.bounds.low, ZERO) * max(other.bounds.low, ZERO)
        bounds = Bounds(low, self.bounds.high * other.bounds.high, self.bounds.low_open, self.bounds.high_open)
        return Measure(self.value * other.value, bounds)


def decimals_of(value: Decimal) -> int:
    """Digits after the decimal point as printed: Decimal keeps them (Decimal("100.00") -> 2)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def printed(
    value: Decimal, decimals: int, scale: Decimal = Decimal(1), mode: str = ROUND, exact_step: Decimal | None = None
) -> Measure:
    """The measure of `value` printed with `decimals` digits in a unit worth `scale`.

    `exact_step`: a last printed digit worth no more than this is exact (money printed to the 分).
    """
    step = Decimal(1).scaleb(-decimals) * scale
    amount = value * scale
    if exact_step is not None and step <= exact_step:
        return Measure.exact(amount)
    if mode == TRUNCATE:
        if amount > 0:
            return Measure(amount, Bounds(amount, amount + step, high_open=True))
        if amount < 0:
            return Measure(amount, Bounds(amount - step, amount, low_open=True))
        return Measure(amount, Bounds(-step, step, True, True))
    half = step / 2
    return Measure(amount, Bounds(amount - half, amount + half))


def number(value: Decimal, mode: str = ROUND) -> Measure:
    """A plain number as printed (a percentage in percent, a score in points)."""
    return printed(value, decimals_of(value), mode=mode)


def total(measures: Iterable[Measure]) -> Measure:
    result = Measure.exact(ZERO)
    for measure in measures:
        result = result + measure
    return result


@derived
def _units(config: Config) -> dict[str, Decimal]:
    return {unit: Decimal(entry["factor"]) for unit, entry in config.lexicon["units"]["money"].items()}


@derived
def _exact_step(config: Config) -> Decimal:
    return Decimal(str(config.settings["arithmetic"]["money"]["exact_step"]))


def unit_scale(config: Config, unit: str | None) -> Decimal | None:
    """What one `unit` is worth in yuan (or dollars): 万元 -> 10000. None for an unknown unit."""
    return _units(config).get(unit or "")


def money(config: Config, value: Decimal, unit: str | None, mode: str = ROUND) -> Measure | None:
    """A money figure printed in `unit`, in yuan (or dollars); None when the unit is unknown."""
    scale = unit_scale(config, unit)
    if scale is None:
        return None
    return printed(value, decimals_of(value), scale, mode, _exact_step(config))


def fact_money(config: Config, fact: Fact, mode: str = ROUND) -> Measure:
    """The measure of a money fact, in yuan (dollars for USD), from its printed decimals."""
    scale = unit_scale(config, fact.unit) or (fact.amount / fact.value if fact.value else Decimal(1))
    return printed(fact.value, fact.decimals, scale, mode, _exact_step(config))


class Comparison(NamedTuple):
    """A stated figure against the one computed from others, in the stated figure's unit."""

    holds: bool
    stated: Decimal
    computed: Decimal
    difference: Decimal  # stated − computed
    tolerance: Decimal  # the largest |difference| rounding allows in that direction


def compare(stated: Measure, computed: Measure, unit: Decimal = Decimal(1)) -> Comparison:
    """Whether `stated` can be `computed`; figures reported divided by `unit` (the stated figure's unit)."""
    difference = stated.value - computed.value
    if difference >= 0:
        slack = (stated.value - stated.bounds.low) + (computed.bounds.high - computed.value)
    else:
        slack = (stated.bounds.high - stated.value) + (computed.value - computed.bounds.low)
    return Comparison(
        holds=stated.bounds.meets(computed.bounds),
        stated=stated.value / unit,
        computed=_tidy(computed.value / unit),
        difference=_tidy(difference / unit),
        tolerance=_tidy(slack / unit),
    )


def _tidy(value: Decimal, places: int = 6) -> Decimal:
    """A computed value cut to `places` decimals, trailing zeros dropped; printed values keep their digits."""
    if decimals_of(value) > places:
        value = value.quantize(Decimal(1).scaleb(-places))
    return value.normalize() + 0  # + 0 turns 1E+3 back into 1000


def comparison_finding(config: Config, code: str, result: Comparison, **fields) -> Finding:
    """A finding of rule `code` that shows the stated and computed figures, the difference and the tolerance."""
    return make_finding(
        config,
        code,
        stated=result.stated,
        computed=result.computed,
        tolerance=result.tolerance,
        difference=result.difference,
        **fields,
    )
