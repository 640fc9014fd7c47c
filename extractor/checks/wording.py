"""Words against figures (C110–C112): what a sentence says about its figures must fit them.

* C110 a comparison in words ("决算数小于预算数", "决算数大于预算数") against the 预算 and 决算 figures the
  paragraph states;
* C111 a change whose words disagree with themselves: "增加-5万元" (a rise printed negative), "增加2万元，
  下降3%" (amount and rate in opposite directions), "持平" with a non-zero change;
* C112 counts that must add up: a count and its parts ("绩效自评项目4个，其中优3个、良1个"; "公务用车总数12辆
  （其中：执法执勤用车8辆，其他用车4辆）"). Counts are whole numbers: a sum that misses is certain, but which
  count a list belongs to is read from the wording, hence a warning.

Words and patterns are data: `schemas/rules/consistency.toml` [wording].
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ..config import Config, derived
from ..figures.numbers import ARABIC, longest_first, normalize
from ..patterns import gated_all, lazy
from ..records import Document, Fact, Finding, Record
from .arithmetic import show, takes_part
from .engine import make_finding
from .intervals import compare, fact_money

_NUMBER = lazy(r"\d{1,3}(?:,\d{3})+|\d+")


def _settings(config: Config) -> dict:
    return config.settings["consistency"]["wording"]


def _integer(text: str) -> int:
    return int(text.replace(",", ""))


# ---------------------------------------------------------------- C110 决算数小于预算数


@derived
def _relation(config: Config) -> re.Pattern:
    words = _settings(config)["relations"]
    # compiled for a paragraph holding each part it needs
    return gated_all(
        [["决算"], words, ["预算"]], rf"决算(?:数|支出)?(?P<word>{longest_first(words)})(?:年初)?预算(?:数)?"
    )


def _budget_and_final(facts: list[Fact], position: int) -> tuple[Fact, Fact] | None:
    """The last 预算 figure and the last 决算 figure stated before `position` in the paragraph."""
    before = [f for f in facts if f.end <= position and f.change is None]
    budgets = [f for f in before if "预算" in (f.label or "") and "决算" not in (f.label or "")]
    finals = [f for f in before if "决算" in (f.label or "")]
    return (budgets[-1], finals[-1]) if budgets and finals else None


def relation_words(config: Config, record: Record, document: Document, mode: str) -> Iterator[Finding]:
    by_block = _prose_facts(record)
    expected = _settings(config)["relations"]
    for block in document.blocks:
        facts = by_block.get(block.index, [])
        for match in _relation(config).finditer(block.text):
            pair = _budget_and_final(facts, match.start())
            if pair is None:
                continue
            budget, final = pair
            comparison = compare(fact_money(config, final, mode), fact_money(config, budget, mode))
            sign = 0 if comparison.holds else (1 if comparison.difference > 0 else -1)
            if sign != expected[match["word"]]:
                yield make_finding(
                    config,
                    "C110",
                    section=final.section,
                    page=final.page,
                    block=block.index,
                    start=match.start(),
                    end=match.end(),
                    facts=[final.id, budget.id],
                    words=match.group(0),
                    final=show(final),
                    budget=show(budget),
                )


# ---------------------------------------------------------------- C111 change words


@derived
def _change_words(config: Config) -> re.Pattern:
    words = config.lexicon["label_words"]
    verb_words = words["change_up"] + words["change_down"]
    verbs = longest_first(verb_words)
    signed = gated_all(  # compiled for a paragraph holding a verb and a 元
        [verb_words, ["元"]],
        rf"(?P<verb>{verbs})了?\s*(?P<amount>-?{ARABIC})\s?(?:万元|亿元|千元|元)"
        rf"(?:\s*[，,]\s*(?P<verb2>{verbs})了?\s*(?P<percent>-?{ARABIC})\s*%)?",
    )
    return signed


def _direction(config: Config, verb: str) -> int:
    return 1 if verb in config.lexicon["label_words"]["change_up"] else -1


def change_words(config: Config, record: Record, document: Document, mode: str) -> Iterator[Finding]:
    signed = _change_words(config)
    by_block = _prose_facts(record)
    for block in document.blocks:
        if block.kind != "paragraph":
            continue
        text = normalize(block.text)
        for match in signed.finditer(text):
            amount = Decimal(match["amount"].replace(",", ""))
            percent = Decimal(match["percent"].replace(",", "")) if match["percent"] else None
            reason = None
            if amount < 0:
                reason = "amount"
            elif (
                match["verb2"]
                and amount != 0
                and percent
                and percent > 0
                and _direction(config, match["verb"]) != _direction(config, match["verb2"])
            ):
                reason = "rate"
            if reason:
                yield make_finding(
                    config,
                    "C111",
                    page=block.page,
                    block=block.index,
                    start=match.start(),
                    end=match.end(),
                    words=block.text[match.start() : match.end()],
                    reason=_settings(config)["change_reasons"][reason],
                )
        for fact in by_block.get(block.index, []):
            change = fact.change
            if change and change.direction == "flat" and change.amount not in (None, Decimal(0)):
                yield make_finding(
                    config,
                    "C111",
                    section=fact.section,
                    page=fact.page,
                    block=block.index,
                    start=fact.start,
                    end=fact.end,
                    facts=[fact.id],
                    words=f"{show(fact)}，{change.basis}",
                    reason=_settings(config)["change_reasons"]["flat"],
                )


# ---------------------------------------------------------------- C112 counts


@derived
def _count_patterns(config: Config) -> tuple[re.Pattern, re.Pattern]:
    settings = _settings(config)
    measures = longest_first(settings["count_measures"])
    grades = longest_first(settings["grade_words"])
    count = re.compile(
        rf"(?<![\d,.])(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+)\s*(?P<measure>{measures})(?P<rest>[^。；;\d]*?)(?:[。；;]\s*)?其中\s*[:：]?"
    )
    grade = re.compile(rf"(?:{grades})(?:等级|的)?(?:有|为)?\s*(?P<n>\d+)\s*(?P<measure>{measures})")
    return count, grade


def _bracket_end(text: str, start: int) -> int:
    """Where the list opened at `start` ends: its bracket closing, else the sentence's end."""
    depth = 0
    for position in range(start, len(text)):
        char = text[position]
        if char in "（(":
            depth += 1
        elif char in "）)":
            if depth == 0:
                return position
            depth -= 1
        elif char in "。；;" and depth == 0:
            return position
    return len(text)


def _top_level_counts(text: str, measure: str) -> list[int]:
    """The counts in `measure` of a list, outside its nested brackets ("离退休人员1,206人（其中：离休9人…）")."""
    flat = re.sub(r"[（(][^（）()]*[)）]", lambda m: " " * len(m.group(0)), text)
    return [_integer(m.group(0)) for m in _NUMBER.finditer(flat) if flat.startswith(measure, m.end())]


def counts(config: Config, document: Document) -> Iterator[Finding]:
    count, grade = _count_patterns(config)
    for block in document.blocks:
        if block.kind != "paragraph":
            continue
        text = normalize(block.text)
        split: list[tuple[int, int]] = []  # the lists read as a count's parts
        for match in count.finditer(text):
            if len(match["rest"]) > _settings(config)["max_count_gap"]:
                continue
            end = _bracket_end(text, match.end())
            split.append((match.start(), end))
            listed = text[match.end() : end]
            parts = _top_level_counts(listed, match["measure"])
            stated = _integer(match["n"])
            # a 其中 list may pick out a few kinds ("其中外资项目2个、…"): it must add up only when it is complete
            # (it ends with 其他/其余, or splits by grade); its leading items may add up and a further one be a
            # count of its own ("财政供养人员共计…人。其中：行政编制…，事业编制…，离退休人员…")
            complete = any(word in listed for word in _settings(config)["complete_list_words"])
            sums = [sum(parts[: i + 1]) for i in range(len(parts))]
            wrong = sum(parts) > stated and stated not in sums or complete and stated not in sums[1:]
            if len(parts) >= 2 and wrong:
                yield _count_finding(config, block, match.start(), min(end + 1, len(text)), stated, sum(parts))
        grades = [g for g in grade.finditer(text) if not any(s <= g.start() < e for s, e in split)]
        if len(grades) >= 2:
            first = grades[0]
            counted = list(re.finditer(rf"(?P<n>\d+)\s*{re.escape(first['measure'])}", text[: first.start()]))
            if counted and first.start() - counted[-1].end() <= _settings(config)["max_count_gap"]:
                run = [g for g in grades if g.start() - first.start() <= _settings(config)["max_grade_span"]]
                stated, total = _integer(counted[-1]["n"]), sum(_integer(g["n"]) for g in run)
                if stated != total:
                    yield _count_finding(config, block, counted[-1].start(), run[-1].end(), stated, total)


def _count_finding(config: Config, block, start: int, end: int, stated: int, total: int) -> Finding:
    return make_finding(
        config,
        "C112",
        page=block.page,
        block=block.index,
        start=start,
        end=end,
        words=block.text[start:end][:80],
        stated=Decimal(stated),
        computed=Decimal(total),
    )


# ---------------------------------------------------------------- the stage


def _prose_facts(record: Record) -> dict[int, list[Fact]]:
    by_block: dict[int, list[Fact]] = {}
    for fact in record.facts:
        if takes_part(fact):
            by_block.setdefault(fact.block, []).append(fact)
    return by_block


def check(config: Config, record: Record, document: Document, mode: str) -> list[Finding]:
    return [
        *relation_words(config, record, document, mode),
        *change_words(config, record, document, mode),
        *counts(config, document),
    ]
