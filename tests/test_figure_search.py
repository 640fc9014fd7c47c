"""The figures stage looks for money, rates and counts only where a number starts (`numbers.figures_in`): it must
find exactly what the patterns' own `finditer` finds, on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.config import load_default
from extractor.figures.kpis import _count_pattern, _percent_pattern
from extractor.figures.numbers import _money_pattern, figures_in

config = load_default()  # the installed rule set, validated once for these tests
PATTERNS = {"money": _money_pattern(config), "percent": _percent_pattern(config), "count": _count_pattern(config)}

# the characters figures are made of and stand among: digits (full-width too), Chinese numerals, units, measure
# words, qualifiers, signs, separators, brackets and the lookbehinds' 第
ALPHABET = "0123456789０１.,，、-—~至第一二两十百千万亿零元美%个次人家余约超分之（）() 　年度收入支出合计为。"
EXAMPLES = [
    "本年度收入合计1,234.56万元，较上年增加12.5万元，增长3.2%。",
    "第一季度完成投资三千万元，培训二十期、600人次，满意度达百分之九十五以上。",
    "余额为-15.2万元；1 166.98万元；第12项；0737-4221234元；5-10万元；约3000元/人。",
    "１２，３４５元，２０余家（次），40余家（次），提高2个百分点，12.5.3版",
]


def _spans(matches) -> list[tuple[int, int, dict]]:
    return [(m.start(), m.end(), m.groupdict()) for m in matches]


def test_the_examples_give_the_same_matches():
    for text in EXAMPLES:
        for name, pattern in PATTERNS.items():
            assert _spans(figures_in(pattern, text)) == _spans(pattern.finditer(text)), (name, text)
    assert _spans(figures_in(PATTERNS["money"], EXAMPLES[0]))  # and they do find figures


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_any_text_gives_the_same_matches(text):
    for pattern in PATTERNS.values():
        assert _spans(figures_in(pattern, text)) == _spans(pattern.finditer(text))
