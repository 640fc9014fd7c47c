"""extractor.patterns.lazy: a pattern compiled on first use behaves as `re.compile`, and importing the pipeline
compiles none of the module-level patterns (the cost a cold start no longer pays for patterns it never uses)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.cjk import to_halfwidth
from extractor.patterns import lazy

ROOT = Path(__file__).resolve().parent.parent
# made-up lines in the shapes the extractor's patterns read: amounts with units, rates, numbered headings
SAMPLES = [
    "支出合计 1,234.56万元，较上年增长 12.5%。",
    "（三）项目绩效目标完成情况",
    "a-b  c\td",
    "",
    "第 3 页 共 9 页",
]
CASES = [
    (r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|元|%)", 0),
    (r"^[（(][一二三四五六七八九十]+[）)]", re.M),
    (r"[\u4e00-\u9fff]+", 0),
    (r"\s+", 0),
    (r"PAGE|页", re.I),
]


@pytest.mark.parametrize(("source", "flags"), CASES)
def test_lazy_pattern_answers_as_the_compiled_one(source: str, flags: int) -> None:
    pattern, compiled = lazy(source, flags), re.compile(source, flags)
    for text in SAMPLES:
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in compiled.finditer(text)]
        assert pattern.sub("#", text) == compiled.sub("#", text)
        assert pattern.split(text) == compiled.split(text)
        assert pattern.findall(text) == compiled.findall(text)
        assert bool(pattern.search(text)) == bool(compiled.search(text))
        assert bool(pattern.match(text)) == bool(compiled.match(text))
        assert bool(pattern.fullmatch(text)) == bool(compiled.fullmatch(text))
    assert (pattern.pattern, pattern.flags, pattern.groups, pattern.groupindex) == (
        compiled.pattern,
        compiled.flags,
        compiled.groups,
        compiled.groupindex,
    )


def test_lazy_pattern_compiles_on_first_use_only() -> None:
    pattern = lazy(r"预算(?P<kind>执行率|调整)")
    assert "search" not in vars(pattern)  # nothing compiled yet
    assert pattern.search("预算执行率为98%")["kind"] == "执行率"  # type: ignore[index]
    assert vars(pattern)["search"].__self__ is vars(pattern)["match"].__self__  # one compiled pattern, kept
    with pytest.raises(AttributeError):
        pattern.no_such_method  # noqa: B018  (a typo stays an AttributeError, it does not compile anything)


def test_importing_the_pipeline_compiles_no_module_level_pattern() -> None:
    """Every module the pipeline imports keeps its module-level str patterns lazy and unused at import:
    a `re.Pattern` at module level, or a lazy one already compiled, is work every cold start pays."""
    probe = """
import json, re, sys
import extractor.pipeline
from extractor.patterns import _LazyPattern
eager, used = [], []
for name, module in sorted(sys.modules.items()):
    if not name.startswith("extractor"):
        continue
    for attribute, value in vars(module).items():
        if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
            eager.append(f"{name}.{attribute}")
        elif isinstance(value, _LazyPattern) and "search" in vars(value):
            used.append(f"{name}.{attribute}")
print(json.dumps({"eager": eager, "used": used}))
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert found == {"eager": [], "used": []}


# characters around the edges of the ranges the rewritten patterns test: CJK ideographs and their neighbours,
# full-width punctuation, ASCII letters and digits, spaces, line breaks
_ALPHABET = "预算数合计每人元\u4e00\u9fff\u4dff\ua000，。、（）/ aZ09.\n"


def _texts(count: int, longest: int, seed: int, alphabet: str = _ALPHABET) -> list[str]:
    """Short made-up strings over `alphabet`: the shapes a pattern and its rewriting might disagree on."""
    import random

    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)] + [
        "预 算 数",
        "合 计 数据",
        "a预 算b",
        " 预 算 ",
        "预  算",
        "预 算数",
        "预算 数 据",
    ]


def test_close_letter_spacing_is_the_letter_spacing_pattern() -> None:
    """The test before the pattern (a space between two Chinese characters) only skips texts it cannot change."""
    from extractor.readers.text_layout import close_letter_spacing

    spaced = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff](?: [\u4e00-\u9fff](?![\u4e00-\u9fff]))+")
    for text in _texts(20000, 12, seed=15):
        assert close_letter_spacing(text) == spaced.sub(lambda m: m.group(0).replace(" ", ""), text), text


def test_rates_are_read_only_where_their_words_stand() -> None:
    """A figure's rate patterns run only where a rate word stands next to it (after: at its end; before: in its
    clause). Every match of the patterns as they were, tried everywhere, is one the gated reading still finds."""
    from extractor.config import load_default
    from extractor.figures.numbers import _rate_words

    config = load_default()
    context = config.lexicon["units"]["context"]
    after_words, after, before_marks, before = _rate_words(config)
    after_alone = re.compile(r"(?:/|每)[\u4e00-\u9fff]{1,4}(?:/[\u4e00-\u9fff]{1,2})?")
    before_alone = re.compile(context["rate_before_pattern"])
    rates = "每均人亩户生日约超元/" + _ALPHABET
    for text in _texts(6000, 10, seed=16, alphabet=rates) + ["每生每天", "亩均投入约", "生均公用", "人均\n", "每吨/年"]:
        for position in range(len(text) + 1):
            gated = after.match(text, position) if text.startswith(after_words, position) else None
            alone = after_alone.match(text, position)
            assert (gated and gated.span()) == (alone and alone.span()), (text, position)
            for begin in range(position + 1):
                marked = any(text.find(mark, begin, position) >= 0 for mark in before_marks)
                gated = before.search(text, begin, position) if marked else None
                alone = before_alone.search(text, begin, position)
                assert (gated and gated.span()) == (alone and alone.span()), (text, begin, position)


def test_split_runs_is_jiebas_split() -> None:
    """The tagger's character tests split a sentence exactly as jieba.posseg's re_han_internal and
    re_han_detail do."""
    from extractor.figures.hmm import _is_han, _is_han_internal, _split_runs

    han_internal = re.compile(r"([\u4e00-\u9fd5a-zA-Z0-9+#&\._]+)")
    han_detail = re.compile("([\u4e00-\u9fd5]+)")
    tagged = "预算数\u9fd5\u9fd6\u4dff+#&._-aZ09 \r\n\t，。％"
    for text in _texts(5000, 12, seed=17, alphabet=tagged):
        assert _split_runs(text, _is_han_internal) == han_internal.split(text), text
        assert _split_runs(text, _is_han) == han_detail.split(text), text


@pytest.mark.parametrize("marks", ["。；;！？", "，,；;：:。（）()", "（()）", "。！？!?\n", "每", "", "。。"])
def test_offsets_and_first_of_answer_as_a_class_would(marks: str) -> None:
    from extractor.patterns import first_of, offsets_of

    marked = _ALPHABET + "；;！？：:()!?"
    any_of = re.compile(f"[{re.escape(marks)}]") if marks else None
    for text in _texts(3000, 14, seed=18, alphabet=marked):
        starts = [m.start() for m in any_of.finditer(text)] if any_of else []
        assert offsets_of(text, marks) == starts, text
        assert first_of(text, marks) == (starts[0] if starts else -1), text


def test_clause_and_label_rewritings_answer_as_the_patterns() -> None:
    """context.clause_before splits at clause ends by one translated mark, labels.normalize_label drops quotes and
    white space (`\\s`: every character str.isspace() accepts) without a pattern."""
    from extractor.figures.context import clause_before
    from extractor.figures.labels import _is_quote, normalize_label

    clause_end = re.compile(r"[，,；;：:]")
    quotes = re.compile(r"[“”\"‘’'「」『』\s]")
    class_suffix = re.compile(r"\((?:类|款|项)\)$")
    spaces = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())
    texts = _texts(4000, 14, seed=19, alphabet=_ALPHABET + "；;：:,“”\"‘’'「」『』(类)1" + spaces)
    texts += ["一般公共服务支出（类）", "行政运行(项)\n", "“机关服务”（款） ", "(类)(项)", "（类）支出", "(类"]
    for text in texts:
        cut = max(text.rfind("；"), text.rfind(";"))
        clauses = clause_end.split(text[cut + 1 :])
        expected = "，".join(c for c in clauses[:-1] if not re.search(r"\d", c)), clauses[-1]
        assert clause_before(text, len(text), 0) == expected, text
        assert normalize_label(text) == class_suffix.sub("", quotes.sub("", to_halfwidth(text))), text
    for character in _ALPHABET + "“”\"‘’'「」『』" + spaces:
        for word in (character, character * 2):
            assert _is_quote(word) == (bool(quotes.fullmatch(word)) and not word.isspace()), word


def test_department_patterns_need_the_words_they_are_gated_on() -> None:
    """meta's title pattern is tried only on a text holding 年, its 名称 field pattern only on one holding 名称:
    neither matches a text without that word (made-up titles and fields, and the same with the word replaced)."""
    from extractor.config import load_default
    from extractor.figures.meta import _patterns

    title, name_field, _ = _patterns(load_default())
    titles = [
        "湘岳县财政局2024年度部门决算",
        "湘岳县交通运输局二〇二三年部门整体支出绩效自评报告",
        "某某中心2025年预算",
    ]
    fields = ["部门名称：湘岳县农业农村局", "单位名称 湘岳县实验学校", "部门（单位）名称:湘岳县档案馆"]
    assert all(title.search(text) for text in titles) and all(name_field.search(text) for text in fields)
    for text in titles + fields + _texts(3000, 24, seed=20, alphabet=_ALPHABET + "局县区市名称年度绩效决算中心202"):
        for word, pattern in (("年", title), ("名称", name_field)):
            for stand_in in ("", "月", "名"):
                assert not pattern.search(text.replace(word, stand_in)), (text, word)


def test_gated_pattern_answers_as_the_pattern() -> None:
    from extractor.patterns import gated

    source = r"(?:较|比)上年(?P<verb>增加|减少)了?(?P<n>\d+)"
    pattern, compiled = gated(["增加", "减少"], source), re.compile(source)
    texts = _texts(4000, 12, seed=21, alphabet="较比上年增加减少了12 ，")
    assert "search" not in vars(pattern._pattern)  # type: ignore[attr-defined]
    assert pattern.search("较上年持平") is None and "search" not in vars(pattern._pattern)  # type: ignore[attr-defined]
    for text in [*texts, "比上年增加12", "较上年减少了3，比上年增加4"]:
        for pos in range(len(text) + 1):
            for method in ("search", "match", "fullmatch"):
                found, expected = getattr(pattern, method)(text, pos), getattr(compiled, method)(text, pos)
                assert (found and found.span()) == (expected and expected.span()), (text, pos, method)
            assert [m.span() for m in pattern.finditer(text, pos)] == [m.span() for m in compiled.finditer(text, pos)]
            assert pattern.findall(text, pos) == compiled.findall(text, pos)
    assert gated([], "a?").match("") is not None  # no words: no gate (an empty alternation matches anywhere)


def test_gated_pattern_answers_each_text_when_searches_interleave() -> None:
    """A module-level gated pattern searched from several threads at once (a threaded batch): a thread may run
    a search of its own text while another thread is between looking at its text and answering. The text here
    runs the other search from inside that look (its `in` test), the interleaving a thread switch would make,
    every time; each text is still answered by its own gate, then and afterwards."""
    from extractor.patterns import gated

    pattern = gated(["增加"], r"增加(?P<n>\d+)")
    other = "较上年增加12"

    class SwitchingText(str):  # looking for the gate's word in it runs a search of the other text first
        def __contains__(self, word: object) -> bool:
            assert (found := pattern.search(other)) and found["n"] == "12"
            return str.__contains__(self, word)

    text = SwitchingText("较上年持平")
    assert pattern.search(text) is None
    # not answered with the gate of the text looked at in between
    assert (found := pattern.search(other)) and found["n"] == "12"


# made-up clauses in the shapes of the gated check patterns, with figures of their own
_CLAUSES = [
    "，比上年增加12.5万元，增长3.2%",
    "，较2023年预算减少8万元",
    "，同比基本持平",
    "收入下降7.5%，减收8236万元，较上年减少",
    "支出增加30万元（增长12%）",
    "完成年初预算的98.6%，预算执行率为101.2%",
    "占一般公共预算支出的45.3%",
    "较上年3.40减少0.25万元",
    "比去年同期120万元增长了5%，增加6万元",
    "年初预算为2.95万元，差值为0.9万元，节约资金1.2万元",
    "收入合计468万元，加上年结余11万元，减去专项结转3万元，总计476万元",
    "较上年增长",
    "决算数小于年初预算数，决算支出超过预算",
    "支出减少-5万元，下降3%",
]


def test_change_and_rate_clauses_need_the_words_they_are_gated_on() -> None:
    """Each gated pattern of the figures and checks finds exactly what it finds ungated, on clauses holding its
    words and on the same clauses with each word taken out."""
    from extractor.checks import rates, wording
    from extractor.config import load_default
    from extractor.figures.kpis import _comparison_pattern
    from extractor.figures.numbers import _change_pattern
    from extractor.figures.totals import _subtracting, _total_words

    config = load_default()
    patterns = [
        _change_pattern(config),
        _comparison_pattern(config),
        _total_words(config),
        _subtracting(config),
        wording._relation(config),
        wording._change_words(config),
        rates._change_clause(config),
        rates._completion(config),
        rates._share(),
        rates._prior_clause(config),
        rates._difference_clause(config),
    ]
    for pattern in patterns:
        words = [word for words in pattern._word_lists for word in words]  # type: ignore[attr-defined]
        compiled = re.compile(pattern.pattern, pattern.flags)
        texts = _CLAUSES + [clause.replace(word, "") for clause in _CLAUSES for word in words if word in clause]
        assert any(compiled.search(text) for text in texts), pattern.pattern  # the clauses exercise it
        for text in texts:
            assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in compiled.finditer(text)], text
            for pos in range(len(text) + 1):
                found, expected = pattern.match(text, pos), compiled.match(text, pos)
                assert (found and found.span()) == (expected and expected.span()), (text, pos)


def test_context_patterns_need_the_words_the_lexicon_gates_them_on() -> None:
    """schemas/lexicon/context.toml [pattern_words]: each gated pattern finds what it finds ungated, on made-up
    clauses that print it, the same clauses with a gate word taken out, and made-up strings of their characters."""
    from extractor.config import load_default
    from extractor.figures.context import _vocabulary

    config = load_default()
    vocabulary = _vocabulary(config)
    gated_patterns = dict((name, pattern) for pattern, name in vocabulary["period_patterns"])
    gated_patterns |= {name: vocabulary[name] for name in ("functional_class", "functional_code")}
    gated_patterns["region_pattern"] = vocabulary["region"]  # the activity words alone where 引进 is not printed
    assert set(gated_patterns) == set(config.lexicon["context"]["pattern_words"])
    clauses = [
        "一般公共服务支出（类）财政事务（款）行政运行(项)支出12万元",
        "2010101 行政运行", "201 一般公共服务支出", "2130599其他扶贫支出", "年份2024年度",
        "1-6月", "1至12月份", "3月末", "上半年", "下半年", "前三季度", "第三季度", "二季度", "第4季度",
        "引进外资5000万元", "全年引进项目资金到位资金3亿元", "社会消费品零售总额增长8%", "引进省外投资",
    ]  # fmt: skip
    words = [word for pattern in gated_patterns.values() for group in pattern._word_lists for word in group]
    texts = clauses + [clause.replace(word, "") for clause in clauses for word in words if word in clause]
    texts += _texts(
        4000, 14, seed=22, alphabet="（(）)类款项2013 行政运支出月份末半年季度第一二三四-至引进外资金投" + _ALPHABET
    )
    for name, pattern in gated_patterns.items():
        compiled = re.compile(pattern.pattern, pattern.flags)
        assert any(compiled.search(clause) for clause in clauses), name
        for text in texts:
            assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in compiled.finditer(text)], text


def test_rare_label_schemes_need_the_words_they_are_gated_on() -> None:
    """sections.grammar tries its part (第…部分) and attachment (附件/附表/附:) patterns only on a text holding 部分
    / 附: on made-up label starts, each gated pattern matches where the pattern alone does."""
    from extractor.sections.grammar import _PATTERNS

    starts = ["第一部分 单位概况", "第3部分:", "附件1", "附表 2", "附:", "附件：", "附件中的表格", "第十部分、"]
    starts += _texts(3000, 8, seed=23, alphabet="第一二三12部分附件表:、. ")
    for scheme, pattern in _PATTERNS:
        if scheme in ("part", "attachment"):
            compiled = re.compile(pattern.pattern, pattern.flags)
            assert any(compiled.match(text) for text in starts), scheme
            for text in starts:
                found, expected = pattern.match(text), compiled.match(text)
                assert (found and found.span()) == (expected and expected.span()), (scheme, text)


def test_kind_title_patterns_need_their_title_words() -> None:
    """schemas/kinds.toml: a title pattern matches only a title holding one of its kind's title_words (the
    patterns are tried only on such titles), on made-up titles and the same titles with the words taken out."""
    from extractor.config import load_default

    titles = [
        "湘岳县交通运输局2024年度项目支出绩效自评报告", "2024年度专项资金绩效评价", "部门整体支出绩效自评报告",
        "单位整体绩效评价", "项目绩效自评表", "绩效自评表（2024年度）", "项目绩效目标申报表", "整体绩效目标",
        "关于2024年预算执行情况和2025年预算草案的报告", "全县2024年决算草案的报告", "湘岳县人民政府决算",
        "湘岳县财政局2024年度部门决算", "2024年度决算", "湘岳县教育局部门预算", "单位预算（草案）", "2025年度部门预算公开",
    ]  # fmt: skip
    for rule in load_default().kinds.kind:
        variants = titles + [title.replace(word, "") for title in titles for word in rule.title_words]
        variants += _texts(2000, 12, seed=25, alphabet="".join(set("".join(titles))))
        assert any(re.search(p, title) for p in rule.title for title in titles), rule.kind
        for title in variants:
            if any(re.search(p, title) for p in rule.title):
                assert any(word in title for word in rule.title_words), (rule.kind, title)
