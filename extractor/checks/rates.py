"""Stated rates where real prose puts them (A120–A122 over the text itself): percentages recomputed from the
figures the sentence names, wherever they stand.

The figures stage attaches a change to the figure right before it; real reports also write the change after a
share or a bracket ("615240.5元，占支出总预算64.20%，同比减少38110.25元，下降5.83%"; "52.36亿元（县本级…），完成
调整预算的101.45%，同比增收3.12亿元，增长6.3%"), two changes after one figure (较年初预算数…，较上年支出数…), or
the percentage in a bracket ("较上年减少6.20万元（31.00%）"). Here:

* a change with its percentage is read from the text, and its base is the nearest figure before it in the
  sentence that is not itself a change or a bracketed part, with only a comparison phrase, shares and brackets
  between them: rate = change / (figure ∓ change);
* "完成预算的X%" / "执行率X%": the figure before it over the 预算 figure of the same sentence;
* "占X%" of a named whole ("占支出总预算4.04%"): the shares of one named whole are recomputed against the
  document's figure most of them agree with; a share whose whole is not stated is left alone.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, partial

from ..config import Config, derived
from ..figures.numbers import ARABIC, Marks, inside_bracket, longest_first
from ..patterns import gated, lazy
from ..records import Document, Fact, Finding, Record
from .arithmetic import (
    EXECUTION_RATE,
    GROWTH_RATE,
    SHARE,
    Identity,
    identities,
    is_difference,
    is_prior_figure,
    show,
    takes_part,
)
from .intervals import (
    HUNDRED,
    Comparison,
    Measure,
    compare,
    comparison_finding,
    fact_money,
    money,
    number,
    total,
    unit_scale,
)

CHANGE_SUM, CHANGE_FROM_PRIOR, DIFFERENCE = "A111", "A112", "A114"

_BRACKET = lazy(r"[（(][^（）()]*[)）]")
_OF_RATE = lazy(rf"\s*的\s*{ARABIC}\s*[%％]")


def _settings(config: Config) -> dict:
    return config.settings["arithmetic"]["stated_rates"]


@derived
def _change_clause(config: Config) -> re.Pattern:
    words = config.lexicon["label_words"]
    verb_words = words["change_up"] + words["change_down"]
    verbs = longest_first(verb_words)
    bases = longest_first(words["comparison_bases"])
    return gated(  # each of these clause patterns compiles where a paragraph holds the words it needs
        verb_words,
        rf"""(?:(?P<verb0>{verbs})了?\s*(?P<first>{ARABIC})\s*[%％]\s*[，,]\s*)?  # "下降7.5%，减收8236万元"
        (?P<verb>{verbs})了?\s*(?P<amount>{ARABIC})\s?(?P<unit>万元|亿元|千元|元)
        (?:\s*[（(]\s*(?P<bracketed>{ARABIC})\s*[%％]\s*[)）]
          |\s*[，,]\s*(?:{bases})?(?P<verb2>{verbs})了?\s*(?P<percent>{ARABIC})\s*[%％])?""",
        re.X,
    )


@derived
def _completion(config: Config) -> re.Pattern:
    words = _settings(config)["completion_words"]
    return gated(words, rf"(?:{longest_first(words)})[^，,。；;\d%％]{{0,6}}?(?P<pct>{ARABIC})\s*[%％]")


@cache
def _share() -> re.Pattern:
    return gated(
        ["占"], rf"占(?P<whole>[^，,。；;\d%％]{{0,16}}?)(?:的|比例为|比重为|比例|比重|为)?\s*(?P<pct>{ARABIC})\s*[%％]"
    )


_SENTENCE_BREAKS = "。；;！？!?"


class _Text:
    """One paragraph's prose facts (in text order, apart) and the spans of its change clauses (in order, apart),
    with the offsets that find those of a stretch by bisection: a scan of the paragraph for every clause is
    quadratic in a long one."""

    def __init__(self, config: Config, text: str, facts: list[Fact], changes: list[tuple[int, int]]) -> None:
        self.config, self.text, self.facts, self.changes = config, text, facts, changes
        self._ends = [f.end for f in facts]
        self._change_starts = [s for s, _ in changes]
        self._breaks = Marks(text, _SENTENCE_BREAKS)

    def is_change(self, fact: Fact) -> bool:
        index = bisect.bisect_right(self._change_starts, fact.start) - 1
        return index >= 0 and fact.start < self.changes[index][1]

    def in_sentence_before(self, position: int, end: int | None = None) -> list[Fact]:
        """The facts ending by `end` (else by `position`) with no sentence break between them and `position`."""
        sentence = self._breaks.last(0, position)  # a fact ending after this break is in the sentence
        low = bisect.bisect_right(self._ends, sentence)
        return self.facts[low : bisect.bisect_right(self._ends, position if end is None else end)]

    def changes_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The change clauses inside text[start:end], in order."""
        low, high = bisect.bisect_left(self._change_starts, start), bisect.bisect_right(self._change_starts, end)
        return [(s, e) for s, e in self.changes[low:high] if e <= end]

    def base_before(self, position: int, gap_ok: Callable[[str], bool]) -> Fact | None:
        """The nearest figure before `position` in its sentence that is no change amount and no bracketed
        part, when what stands between them passes `gap_ok`."""
        for fact in reversed(self.in_sentence_before(position)):
            if self.is_change(fact) or inside_bracket(self.text, fact.start, "。；;") or self.aside(fact):
                continue
            return fact if gap_ok(self.between(fact.end, position)) else None
        return None

    def aside(self, fact: Fact) -> bool:
        """A figure beside the subject: a difference ("超收8260万元") or the base of a rate ("为预算15000万元的
        131.4%")."""
        return is_difference(self.config, fact) or bool(_OF_RATE.match(self.text, fact.end))

    def between(self, start: int, end: int) -> str:
        """The text from `start` to `end` without the change clauses in it (a second change after a figure
        has the first between them)."""
        kept, position = [], start
        for s, e in self.changes_within(start, end):
            kept.append(self.text[position:s])
            position = e
        return "".join(kept) + self.text[position:end]


def _strip_asides(config: Config, gap: str) -> str:
    """A gap without its brackets and its percentage clauses ("，占支出总预算78.33%"), punctuation dropped."""
    gap = _BRACKET.sub("", gap)
    gap = re.sub(rf"[，,][^，,。；;]*?{ARABIC}\s*[%％]", "", gap)
    gap = re.sub(rf"[，,](?:{longest_first(config.lexicon['label_words']['difference_words'])})[^，,。；;]*", "", gap)
    return re.sub(r"[\s，,：:]", "", gap)


def _comparison_gap(config: Config, gap: str) -> bool:
    """Only a comparison phrase ("较上年支出数", "与2020年度预算相比", "同比") between a figure and its change."""
    rest = _strip_asides(config, gap)
    return not rest or (
        len(rest) <= _settings(config)["max_comparison"]
        and rest.startswith(tuple(_settings(config)["comparison_heads"]))
    )


def _texts(config: Config, record: Record, document: Document, blocked: Collection[str]) -> Iterator[_Text]:
    by_block: dict[int, list[Fact]] = defaultdict(list)
    for fact in record.facts:
        if takes_part(fact) and fact.id not in blocked:
            by_block[fact.block].append(fact)
    for block in document.blocks:
        facts = sorted(by_block.get(block.index, []), key=lambda f: f.start)
        if block.kind == "paragraph" and facts:
            changes = [(m.start(), m.end()) for m in _change_clause(config).finditer(block.text)]
            yield _Text(config, block.text, facts, changes)


def _growth(config: Config, paragraph: _Text, mode: str) -> Iterator[Finding]:
    words = config.lexicon["label_words"]
    for match in _change_clause(config).finditer(paragraph.text):
        base = paragraph.base_before(match.start(), partial(_comparison_gap, config))
        stated = match["bracketed"] or match["percent"] or match["first"]
        if base is None or stated is None:
            continue
        amount = Decimal(match["amount"].replace(",", ""))
        attached = base.change
        if (
            attached
            and (attached.amount, attached.percent) == (amount, Decimal(stated))
            and not is_prior_figure(config, base)
        ):
            continue  # the figures stage attached it: the growth check has it
        delta = money(config, amount, match["unit"], mode)
        if delta is None:
            continue
        up = match["verb"] in words["change_up"]
        current = fact_money(config, base, mode)
        # "较上年同期6400万元减支800万元": the figure named is the prior one, the base itself
        previous = current if is_prior_figure(config, base) else current - delta if up else current + delta
        if previous.bounds.low <= 0:
            continue
        result = compare(number(Decimal(stated), mode), (delta / previous).scaled(HUNDRED))
        if result.holds:
            continue
        after = max([base.end, *(e for _, e in paragraph.changes_within(base.end, match.start()))])
        comparison = _strip_asides(config, paragraph.text[after : match.start()])  # the phrase of this change only
        yield comparison_finding(
            config,
            GROWTH_RATE,
            result,
            section=base.section,
            page=base.page,
            block=base.block,
            facts=[base.id],
            start=base.start,
            end=match.end(),
            figure=show(base),
            basis=comparison,
            direction="增加" if up else "减少",
            amount=f"{match['amount']}{match['unit']}",
        )


def _completion_rates(config: Config, paragraph: _Text, mode: str) -> Iterator[Finding]:
    budget_word = _settings(config)["budget_word"]
    for match in _completion(config).finditer(paragraph.text):
        executed = paragraph.base_before(match.start(), lambda gap: len(_strip_asides(config, gap)) <= 2)
        if executed is None or budget_word in (executed.label or ""):
            continue
        budgets = [
            f
            for f in paragraph.in_sentence_before(match.start(), executed.start)
            if budget_word in (f.label or "") and not paragraph.is_change(f) and f.value > 0
        ]
        if not budgets:
            continue
        budget = budgets[-1]
        result = compare(
            number(Decimal(match["pct"]), mode),
            (fact_money(config, executed, mode) / fact_money(config, budget, mode)).scaled(HUNDRED),
        )
        if result.holds:
            continue
        yield comparison_finding(
            config,
            EXECUTION_RATE,
            result,
            section=executed.section,
            page=executed.page,
            block=executed.block,
            facts=[executed.id, budget.id],
            start=budget.start,
            end=match.end(),
            executed=show(executed),
            budget=show(budget),
        )


@dataclass(frozen=True)
class _Share:
    part: Fact
    stated: Decimal
    end: int


def _shares(config: Config, paragraphs: list[_Text]) -> dict[str, list[_Share]]:
    """Shares of a named whole ("占支出总预算78.33%"), grouped by that name."""
    groups: dict[str, list[_Share]] = defaultdict(list)
    for paragraph in paragraphs:
        for match in _share().finditer(paragraph.text):
            name = match["whole"].strip().removesuffix("的")
            if not name:
                continue
            part = paragraph.base_before(match.start(), lambda gap: len(_strip_asides(config, gap)) <= 2)
            if part is not None:
                groups[name].append(_Share(part, Decimal(match["pct"]), match.end()))
    return groups


def _near(shares: list[_Share], reach: int) -> Iterator[list[_Share]]:
    """Shares of one name in runs of at most `reach` blocks: one report says "占支出合计" in many places, each
    time of another total, and a run's whole is looked for near it only (linear in the report's length)."""
    run: list[_Share] = []
    for share in shares:
        if run and share.part.block - run[0].part.block > reach:
            yield run
            run = []
        run.append(share)
    if run:
        yield run


def _share_rates(config: Config, paragraphs: list[_Text], facts: list[Fact], mode: str) -> Iterator[Finding]:
    """Each named whole's shares against the figure most of them agree with (at least two and half)."""
    reach = _settings(config)["share_whole_reach"]
    blocks = [f.block for f in facts]
    for shares in (cluster for named in _shares(config, paragraphs).values() for cluster in _near(named, reach)):
        if len(shares) < 2:
            continue
        parts = {s.part.id for s in shares}
        largest = max(abs(s.part.amount) for s in shares)
        best: tuple[int, Fact, list[tuple[_Share, Comparison]]] | None = None
        # the whole is stated near its shares: looking further would make the check quadratic in a long report
        low, high = min(s.part.block for s in shares) - reach, max(s.part.block for s in shares) + reach
        for whole in facts[bisect.bisect_left(blocks, low) : bisect.bisect_right(blocks, high)]:
            if whole.id in parts or whole.amount < largest or whole.currency != shares[0].part.currency:
                continue
            results = [
                (
                    s,
                    compare(
                        number(s.stated, mode),
                        (fact_money(config, s.part, mode) / fact_money(config, whole, mode)).scaled(HUNDRED),
                    ),
                )
                for s in shares
            ]
            agreeing = sum(r.holds for _, r in results)
            if agreeing >= 2 and 2 * agreeing >= len(shares) and (best is None or agreeing > best[0]):
                best = (agreeing, whole, results)
        if best is None:
            continue
        _, whole, results = best
        for share, result in results:
            if not result.holds:
                yield comparison_finding(
                    config,
                    SHARE,
                    result,
                    section=share.part.section,
                    page=share.part.page,
                    block=share.part.block,
                    facts=[share.part.id, whole.id],
                    start=share.part.start,
                    end=share.end,
                    part=show(share.part),
                    whole=show(whole),
                )


@derived
def _prior_clause(config: Config) -> re.Pattern:
    words = config.lexicon["label_words"]
    verbs = longest_first(words["change_up"] + words["change_down"])
    return gated(
        ["上年", "去年"],
        rf"(?P<basis>较|比)(?:上年|去年)(?:同期)?(?P<prior>{ARABIC})\s?(?P<unit>万元|亿元|元)?"
        rf"(?:(?:{verbs})了?\s*{ARABIC}\s*[%％]\s*[，,]\s*)?"  # "下降7.5%，减收8236万元"
        rf"(?P<verb>{verbs})了?\s*(?P<amount>{ARABIC})\s?(?P<unit2>万元|亿元|元)",
    )


def _from_prior(config: Config, paragraph: _Text, mode: str) -> Iterator[Finding]:
    """ "支出3.15万元，较上年3.40减少0.25万元": this year − the prior figure printed = the change stated."""
    for match in _prior_clause(config).finditer(paragraph.text):
        current = paragraph.base_before(match.start(), partial(_comparison_gap, config))
        if current is None:
            continue
        unit = match["unit"] or match["unit2"]
        prior, delta = (
            money(config, Decimal(match["prior"]), unit, mode),
            money(config, Decimal(match["amount"]), match["unit2"], mode),
        )
        if prior is None or delta is None:
            continue
        up = match["verb"] in config.lexicon["label_words"]["change_up"]
        result = compare(
            delta if up else -delta,
            fact_money(config, current, mode) - prior,
            unit_scale(config, current.unit) or Decimal(1),
        )
        if result.holds:
            continue
        yield comparison_finding(
            config,
            CHANGE_FROM_PRIOR,
            result,
            section=current.section,
            page=current.page,
            block=current.block,
            facts=[current.id],
            start=current.start,
            end=match.end(),
            figure=show(current),
            prior=f"{match['prior']}{unit}",
            change=paragraph.text[match.start("verb") : match.end()],
            unit=current.unit,
        )


@derived
def _difference_clause(config: Config) -> re.Pattern:
    words = _settings(config)["stated_difference_words"]
    return gated(
        words, rf"(?P<word>{longest_first(words)})(?:为|是|了)?\s*(?P<amount>{ARABIC})\s?(?P<unit>万元|亿元|元)"
    )


def _differences(config: Config, paragraph: _Text, mode: str) -> Iterator[Finding]:
    """ "支出2.05万元，年初预算为2.95万元，差值为0.9万元"; "采购计划金额A万元，实际采购金额B万元，节约资金C万元": the
    difference stated is that of the two figures before it in its sentence."""
    for match in _difference_clause(config).finditer(paragraph.text):
        before = [
            f
            for f in paragraph.in_sentence_before(match.start())
            if not paragraph.is_change(f)
            and not inside_bracket(paragraph.text, f.start, "。；;")
            and f.start < match.start("word")
        ]
        if len(before) < 2 or before[-1].unit != before[-2].unit:
            continue
        first, second = before[-2], before[-1]
        stated = money(config, Decimal(match["amount"]), match["unit"], mode)
        if stated is None:
            continue
        gap = fact_money(config, first, mode) - fact_money(config, second, mode)
        computed = gap if gap.value >= 0 else -gap
        result = compare(stated, computed, unit_scale(config, first.unit) or Decimal(1))
        if result.holds:
            continue
        yield comparison_finding(
            config,
            DIFFERENCE,
            result,
            section=first.section,
            page=first.page,
            block=first.block,
            facts=[first.id, second.id],
            start=first.start,
            end=match.end(),
            first=show(first),
            second=show(second),
            difference_words=paragraph.text[match.start() : match.end()],
            unit=first.unit,
        )


def _signed_change(config: Config, fact: Fact, mode: str):
    change = fact.change
    if change is None or change.amount is None or change.direction == "flat":
        return None
    if change.amount == 0:
        return Measure.exact(Decimal(0))  # "同比减少0万元": nothing changed, not a rounded small change
    delta = money(config, change.amount, change.unit or fact.unit, mode)
    return None if delta is None else (delta if change.direction == "up" else -delta)


def _change_sums(config: Config, found: list[Identity], mode: str) -> Iterator[Finding]:
    """A total and all its parts with their changes stated: the changes add up as the figures do."""
    for identity in found:
        changes = [_signed_change(config, f, mode) for f in identity.facts]
        if any(c is None for c in changes) or any(w < 0 for w, _ in identity.parts):
            continue
        whole, parts = changes[0], changes[1:]
        result = compare(whole, total(parts), unit_scale(config, identity.total.unit) or Decimal(1))
        if result.holds:
            continue

        def show_change(f: Fact) -> str:
            assert f.change is not None  # a fact without a change was skipped above
            return f"{f.label or ''}{f.change.basis}{'增加' if f.change.direction == 'up' else '减少'}{format(f.change.amount, 'f')}{f.change.unit or f.unit}"

        yield comparison_finding(
            config,
            CHANGE_SUM,
            result,
            section=identity.total.section,
            page=identity.total.page,
            block=identity.total.block,
            facts=[f.id for f in identity.facts],
            total=show(identity.total),
            total_change=show_change(identity.total),
            parts=" + ".join(show_change(f) for _, f in identity.parts),
            unit=identity.total.unit,
        )


def check(
    config: Config, record: Record, document: Document, mode: str, blocked: Collection[str], earlier: list[Finding]
) -> list[Finding]:
    """The rates the other arithmetic checks cannot place, recomputed; none that repeats an `earlier` finding."""
    paragraphs = list(_texts(config, record, document, blocked))
    usable = [f for p in paragraphs for f in p.facts if not p.is_change(f)]
    found = [
        *(finding for p in paragraphs for finding in _growth(config, p, mode)),
        *(finding for p in paragraphs for finding in _completion_rates(config, p, mode)),
        *(finding for p in paragraphs for finding in _from_prior(config, p, mode)),
        *(finding for p in paragraphs for finding in _differences(config, p, mode)),
        *_share_rates(config, paragraphs, usable, mode),
        *_change_sums(config, identities(config, record, document, blocked), mode),
    ]
    said = {(f.rule, f.block, f.stated) for f in earlier}
    kept = []
    for finding in found:  # one finding per stated figure of a block, the earlier checks' first
        if (finding.rule, finding.block, finding.stated) not in said:
            said.add((finding.rule, finding.block, finding.stated))
            kept.append(finding)
    return kept
