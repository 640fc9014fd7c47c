"""Interval arithmetic on printed figures (prior-art.md §3.3, XBRL Calculations 1.1)."""

from decimal import Decimal as D

import pytest

from extractor.checks.intervals import Bounds, Measure, compare, decimals_of, money, number, printed, total
from extractor.config import load_default

config = load_default()  # the installed rule set, validated once for these tests


def test_printed_value_stands_for_its_rounding_interval():
    # 123.45万元 = 1 234 500 元 ± 50 元 (prior-art §3.3 worked example)
    m = money(config, D("123.45"), "万元")
    assert (m.value, m.bounds.low, m.bounds.high) == (D("1234500"), D("1234450"), D("1234550"))
    assert not m.bounds.low_open and not m.bounds.high_open


def test_integer_cells_in_wan_yuan_are_plus_minus_5000_yuan():
    m = money(config, D("12"), "万元")
    assert (m.bounds.low, m.bounds.high) == (D("115000"), D("125000"))


def test_yuan_to_the_fen_is_exact():
    # no coin smaller than the 分: 1,234,567.04元 is the amount itself
    m = money(config, D("1234567.04"), "元")
    assert m.bounds.low == m.bounds.high == D("1234567.04")
    # 9265.353442万元 is printed down to the 分 too
    m = money(config, D("9265.353442"), "万元")
    assert m.bounds.low == m.bounds.high == D("92653534.42")


def test_yuan_without_decimals_is_rounded_to_the_yuan():
    m = money(config, D("1234567"), "元")
    assert (m.bounds.low, m.bounds.high) == (D("1234566.5"), D("1234567.5"))


def test_truncation_interval_is_half_open_above():
    m = printed(D("38.28"), 2, mode="truncate")
    assert (m.bounds.low, m.bounds.high, m.bounds.low_open, m.bounds.high_open) == (D("38.28"), D("38.29"), False, True)
    negative = printed(D("-1.5"), 1, mode="truncate")
    assert (negative.bounds.low, negative.bounds.high, negative.bounds.low_open) == (D("-1.6"), D("-1.5"), True)


def test_decimals_as_printed():
    assert [decimals_of(D(s)) for s in ("100", "100.00", "0.06", "89.974")] == [0, 2, 2, 3]


def test_rounded_parts_do_not_make_a_false_inconsistency():
    # prior-art §3.3: 1 + 1 printed for 1.4 + 1.4, total printed 3 for 2.8: Calc 1.0 flags it, intervals do not
    parts = total([number(D("1")), number(D("1"))])
    result = compare(number(D("3")), parts)
    assert result.holds
    assert (result.difference, result.tolerance) == (D("1"), D("1.5"))


def test_sum_off_by_more_than_the_rounding_slack_fails_with_figures():
    # 基本支出 717.79 against 342.98 + 383.81 = 726.79 万元 (the design note's example)
    parts = total([money(config, D("342.98"), "万元"), money(config, D("383.81"), "万元")])
    result = compare(money(config, D("717.79"), "万元"), parts, D(10000))
    assert not result.holds
    assert (result.stated, result.computed, result.difference, result.tolerance) == (
        D("717.79"),
        D("726.79"),
        D("-9"),
        D("0.015"),
    )


def test_ratio_interval_meets_the_printed_percentage():
    # 执行数 95.67万元 / 预算数 100.00万元 = [0.95660, 0.95680] meets 95.67% ± 0.005
    ratio = (money(config, D("95.67"), "万元") / money(config, D("100.00"), "万元")).scaled(D(100))
    assert D("95.660") < ratio.bounds.low < D("95.661")
    assert D("95.679") < ratio.bounds.high < D("95.681")
    assert compare(number(D("95.67")), ratio).holds
    assert not compare(number(D("95.69")), ratio).holds


def test_truncated_percentage_passes_only_in_truncation_mode():
    # 382 877.00元 / 1 000 000.00元 = 38.2877 %, printed 38.28 by an issuer that truncates (大英)
    ratio = (money(config, D("382877.00"), "元") / money(config, D("1000000.00"), "元")).scaled(D(100))
    assert not compare(number(D("38.28")), ratio).holds
    assert compare(number(D("38.28"), "truncate"), ratio).holds


def test_open_endpoints_do_not_meet():
    assert Bounds(D(0), D(1), high_open=True).intersection(Bounds(D(1), D(2))) is None
    assert Bounds(D(0), D(1)).intersection(Bounds(D(1), D(2))) == Bounds(D(1), D(1))


def test_division_needs_a_positive_denominator():
    with pytest.raises(ZeroDivisionError):
        Measure.exact(D(1)) / number(D("0"))


def test_cap_and_product_for_budget_scores():
    # 分值 10 × min(执行率 104%, 1) = 10
    rate = number(D("104")).scaled(D("0.01")).capped(D(1))
    assert number(D("10")).times(rate).bounds == Bounds(D("9.5"), D("10.5"))


def test_scaling_by_a_negative_factor_swaps_the_ends():
    from extractor.checks.intervals import Bounds

    scaled = Bounds(D(1), D(2), low_open=True).scaled(D(-1))
    assert (scaled.low, scaled.high) == (D(-2), D(-1))
    assert scaled.high_open and not scaled.low_open
