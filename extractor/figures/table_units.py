"""How a table states the unit of its money: in a caption or a cell ("单位：万元", "金额单位：元") or bracketed in
a column header ("年度预算数（万元）"), in one of the money units of schemas/tables/common.json. Both the
self-evaluation tables (`tables`) and the generic ones (`table_facts`, also for a table flattened into a
paragraph) read it, so a report of prose alone needs only this, not the table readers."""

from __future__ import annotations

import re

from ..config import Config, derived
from ..patterns import lazy


def _units(config: Config) -> str:
    return "|".join(config.tables["common"]["money_units"])  # longest first in the data: 万元 before 元


@derived
def unit_stated(config: Config) -> re.Pattern[str]:
    """ "单位：万元", "金额单位：元" (on half-width text); its group is the unit."""
    return lazy(rf"单位:\s*({_units(config)})")


@derived
def unit_bracketed(config: Config) -> re.Pattern[str]:
    """ "年度预算数（万元）" (on half-width text); its group is the unit."""
    return lazy(rf"\(\s*({_units(config)})\s*\)")
