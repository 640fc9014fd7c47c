"""Golden comparison (G1xx): a record against a hand-checked expected record, like `diff`.

The golden is the record JSON (see `schemas/rules/golden.toml` for naming and matching). Items are
matched by stable keys, never by list position: ids such as "F12" or section "2.1" are turned into
what a person sees (the section's title path, the parent figure's label and value), so inserting one
figure or heading does not shift every later item.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from ..config import Config
from ..records import Finding, Record
from .engine import make_finding
from .intervals import number

Item = dict[str, Any]
CODES = {"missing": "G101", "extra": "G102", "changed": "G103"}


def golden_path(directory: str | Path, file: str | Path) -> Path:
    """DIR/<file name with its extension>.json: golden/heshan_commerce_2024.txt.json."""
    return Path(directory) / f"{Path(file).name}.json"


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)


@dataclass(frozen=True)
class Difference:
    kind: Literal["missing", "extra", "changed"]
    collection: str
    key: str  # the matching key as a person reads it
    field: str | None = None
    expected: Any = None
    actual: Any = None

    @property
    def path(self) -> str:
        return f"{self.collection}[{self.key}]" + (f".{self.field}" if self.field else "")

    def lines(self) -> list[str]:
        """`diff`-style lines: `- path: expected` and/or `+ path: actual`."""
        out = [] if self.kind == "extra" else [f"- {self.path}: {_show(self.expected)}"]
        return out + ([] if self.kind == "missing" else [f"+ {self.path}: {_show(self.actual)}"])

    def finding(self, config: Config) -> Finding:
        return make_finding(
            config, CODES[self.kind], path=self.path, expected=_show(self.expected), actual=_show(self.actual)
        )


def _flatten(record: dict) -> dict[str, list[Item]]:
    """The record's collections with ids replaced by stable, readable references."""
    sections = {s["id"]: s for s in record.get("sections", [])}

    def path(section_id: str | None) -> str | None:
        titles = []
        while section_id in sections:
            titles.append(sections[section_id]["title"])
            section_id = sections[section_id]["parent"]
        return " / ".join(reversed(titles)) or None

    facts = {f["id"]: f for f in record.get("facts", [])}

    def figure(fact_id: str | None) -> str | None:
        # by name only: a total's value edited in the golden is one difference, not one more per part
        fact = facts.get(fact_id or "")
        return fact and (fact.get("label") or fact.get("key"))

    tables = {
        t["id"]: " · ".join(str(t.get(k) or "") for k in ("kind", "title", "project")) for t in record.get("tables", [])
    }
    out: dict[str, list[Item]] = {
        "document": [record.get("document", {})],
        "sections": [s | {"path": path(s["id"])} for s in sections.values()],
        "facts": [f | {"section": path(f.get("section")), "parent": figure(f.get("parent"))} for f in facts.values()],
        "kpis": [
            k | {"section": path(k.get("section")), "table": tables.get(k.get("table") or "")}
            for k in record.get("kpis", [])
        ],
        "tables": record.get("tables", []),
        "budget_rows": [
            r | {"table": tables[t["id"]]} for t in record.get("tables", []) for r in t.get("budget_rows", [])
        ],
        "findings": [f | {"section": path(f.get("section"))} for f in record.get("findings", [])],
    }
    return out


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None and not isinstance(value, bool) else None
    except InvalidOperation:
        return None


def _same(field: str, expected: Any, actual: Any, numbers: set[str]) -> bool:
    if field in numbers:
        left, right = _decimal(expected), _decimal(actual)
        if left is not None and right is not None:
            return number(left).bounds.meets(number(right).bounds)
    return expected == actual


def _key(item: Item, fields: list[str]) -> tuple:
    # numbers in keys normalised, so 717.790 finds 717.79
    return tuple(
        str(amount.normalize()) if (amount := _decimal(item.get(f))) is not None else item.get(f) for f in fields
    )


def _pair(
    expected: list[Item], actual: list[Item], fields: list[str]
) -> tuple[list[tuple[Item, Item]], list[Item], list[Item]]:
    """Items paired on `fields` in order (a multiset match), and those left on either side."""
    waiting: dict[tuple, list[Item]] = defaultdict(list)
    for item in actual:
        waiting[_key(item, fields)].append(item)
    pairs, unmatched = [], []
    for item in expected:
        bucket = waiting.get(_key(item, fields))
        if bucket:
            pairs.append((item, bucket.pop(0)))
        else:
            unmatched.append(item)
    left_over = {id(i) for bucket in waiting.values() for i in bucket}
    return pairs, unmatched, [i for i in actual if id(i) in left_over]


def diff_records(config: Config, expected: dict, actual: Record) -> list[Difference]:
    """Missing, extra and changed items of `actual` against the golden record `expected` (its JSON)."""
    settings = config.settings["golden"]
    numbers = set(settings["numbers"])
    want, have = _flatten(expected), _flatten(actual.model_dump(mode="json"))
    differences: list[Difference] = []
    for name, spec in settings["collections"].items():
        pairs, missing, extra = _pair(want[name], have[name], spec["key"])
        loose, missing, extra = _pair(missing, extra, spec["loose"])

        def label(item: Item, spec: dict = spec) -> str:
            return " | ".join(str(v) for v in _key(item, spec["key"]) if v is not None)

        for old, new in pairs + loose:
            differences += [
                Difference("changed", name, label(old), field, old.get(field), new.get(field))
                for field in spec["compare"]
                if not _same(field, old.get(field), new.get(field), numbers)
            ]
        differences += [
            Difference("missing", name, label(i), expected={f: i.get(f) for f in spec["compare"]}) for i in missing
        ]
        differences += [
            Difference("extra", name, label(i), actual={f: i.get(f) for f in spec["compare"]}) for i in extra
        ]
    return differences
