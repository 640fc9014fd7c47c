"""The worst realistic inputs for time and memory: generated, then each checked alone with `jixiao check`.

    .venv/bin/python bench/hostile.py [--scale 1.0] [--only NAME ...] [--keep DIR] [--readme]

Each case is written to a temporary folder and checked by `/usr/bin/time -v jixiao check FILE` (wall seconds,
CPU seconds (user + system: what a loaded machine distorts least) and peak resident memory); the machine's
load average is printed with each figure, and a small corpus document is checked first as the baseline
(start-up and imports). With --readme, the table of README.md's "Limits" (its bench/hostile.py block) is
regenerated from what was just measured. `tests/test_hostile_scaling.py` builds the
same inputs at 1/8 and 1/64 size and asserts that the time grows linearly.

Every text here is our own words and figures (repeated corpus text at most), never the shared real excerpts.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
MB = 2**20

# One paragraph of report prose dense with figures: totals with their 其中 parts, shares, growth rates,
# counts and years, as a 部门整体支出绩效自评报告 writes them. `{n}` varies the figures from one copy to the next.
_PROSE = (
    "（{n}）第{n}项重点工作。本年度收入合计{total}万元，较上年增加{delta}万元，增长{rate}%。其中：财政拨款收入"
    "{a}万元，占收入合计的{share_a}%；事业收入{b}万元，占{share_b}%；其他收入{c}万元。本年度支出合计{total}万元，"
    "其中基本支出{basic}万元（人员经费{staff}万元、公用经费{office}万元），项目支出{project}万元，完成年初预算的"
    "{done}%。“三公”经费支出{three}万元，比上年下降{fall}%，其中公务接待费{host}万元，公务用车运行维护费{car}万元。"
    "全年共开展培训{count}期、培训人员{people}人次，完成检查{checks}家，整改问题{issues}个，项目验收合格率"
    "{passrate}%，群众满意度{satisfied}%，绩效自评得分{score}分。"
)


def _money(value: int) -> str:
    return f"{value // 100}.{value % 100:02d}"


def _prose(n: int) -> str:
    a, b, c = 100_000 + 37 * n, 20_000 + 11 * n, 5_000 + 3 * n
    total = a + b + c
    staff, office = 40_000 + 13 * n, 9_000 + 5 * n
    basic = staff + office
    host, car = 300 + n % 97, 700 + n % 89
    return _PROSE.format(
        n=n,
        total=_money(total),
        delta=_money(1_000 + n % 900),
        rate=_money(100 + n % 800),
        a=_money(a),
        b=_money(b),
        c=_money(c),
        share_a=_money(a * 10_000 // total),
        share_b=_money(b * 10_000 // total),
        basic=_money(basic),
        staff=_money(staff),
        office=_money(office),
        project=_money(total - basic),
        done=_money(9_000 + n % 999),
        three=_money(host + car),
        fall=_money(50 + n % 300),
        host=_money(host),
        car=_money(car),
        count=3 + n % 20,
        people=120 + n % 900,
        checks=10 + n % 50,
        issues=2 + n % 30,
        passrate=_money(9_500 + n % 500),
        satisfied=_money(9_000 + n % 1_000),
        score=_money(9_000 + n % 1_000),
    )


def _sized(unit: Callable[[int], str], size: int) -> str:
    """Units 1, 2, 3, … concatenated until `size` bytes of UTF-8."""
    parts, total, n = [], 0, 0
    while total < size:
        n += 1
        part = unit(n)
        parts.append(part)
        total += len(part.encode())
    return "".join(parts)


def dense_html(size: int) -> str:
    """A report page of `size` bytes made only of dense report prose: headings and paragraphs, no furniture."""

    def unit(n: int) -> str:
        heading = f"<h2>{_chinese_number(n)}、第{n}部分绩效情况</h2>" if n % 12 == 1 else ""
        return f"{heading}<p>{_prose(n)}</p>\n"

    head = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>某部门2024年度部门整体支出绩效自评报告</title></head><body>'
    return head + _sized(unit, size - len(head) - 20) + "</body></html>"


def figures_line(size: int, separators: bool = True) -> str:
    """One line of nothing but money figures, "1,234.56万元、" repeated (with or without thousands separators)."""

    def unit(n: int) -> str:
        value = 123_456 + n * 7
        yuan = f"{value // 100:,}" if separators else str(value // 100)
        return f"{yuan}.{value % 100:02d}万元、"

    return _sized(unit, size)


def percentages_line(size: int) -> str:
    """One line of nothing but percentages."""
    return _sized(lambda n: f"{(n * 37) % 10_000 / 100:.2f}%、", size)


def prose_line(size: int) -> str:
    """The dense report prose of `dense_html` on one line, no line break."""
    return _sized(_prose, size)


def short_lines(count: int) -> str:
    """`count` short lines, each a label and a figure (a text export with a line break after every cell)."""
    return "".join(f"第{n}项支出{_money(1_000 + n * 13)}万元\n" for n in range(1, count + 1))


def table_html(rows: int) -> str:
    """A page whose report is one table of `rows` rows: a 合计 row, then items with budget, actual and rate."""
    total_budget = sum(1_000 + n for n in range(1, rows + 1))
    total_actual = sum(900 + n for n in range(1, rows + 1))
    cells = [
        "<tr><th>项目</th><th>预算数（万元）</th><th>执行数（万元）</th><th>执行率</th></tr>",
        f"<tr><td>合计</td><td>{_money(total_budget)}</td><td>{_money(total_actual)}</td>"
        f"<td>{total_actual * 100 / total_budget:.2f}%</td></tr>",
    ]
    cells += [
        f"<tr><td>第{n}项</td><td>{_money(1_000 + n)}</td><td>{_money(900 + n)}</td>"
        f"<td>{(900 + n) * 100 / (1_000 + n):.2f}%</td></tr>"
        for n in range(1, rows + 1)
    ]
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>项目支出明细</title></head><body>'
        "<h2>一、项目支出情况</h2><p>单位：万元</p><table>" + "".join(cells) + "</table></body></html>"
    )


def corpus_line(size: int) -> str:
    """A corpus report on one line, repeated to `size` bytes (the case the first fix was for)."""
    line = " ".join((CORPUS / "heshan_commerce_2024.txt").read_text(encoding="utf-8").split())
    return (line * (size // len(line.encode()) + 1)).encode()[:size].decode("utf-8", "ignore")


def report_html(size: int) -> str:
    """The corpus's two web reports, their bodies repeated to `size` bytes in one page: as dense in figures as
    published reports are (one figure or KPI per 80-200 bytes; `dense_html` has one per 25)."""
    bodies = []
    for name in ("heshan_commerce_2024.html", "hubei_health_2024.html"):
        page = (CORPUS / name).read_text(encoding="utf-8")
        body = re.search(r"<body[^>]*>(.*)</body>", page, re.S)
        assert body, name
        bodies.append(body.group(1))
    head = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>报告汇编</title></head><body>'
    return head + _sized(lambda n: bodies[n % 2], size - len(head) - 20) + "</body></html>"


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10 % 10] + "十" + (digits[n % 10] if n % 10 else "")


# name -> (file suffix, generator of the full-size text given a scale factor 0 < s <= 1)
CASES: dict[str, tuple[str, Callable[[float], str]]] = {
    "corpus_line_1mb": (".txt", lambda s: corpus_line(int(MB * s))),
    "figures_line_1mb": (".txt", lambda s: figures_line(int(MB * s))),
    "figures_line_plain_1mb": (".txt", lambda s: figures_line(int(MB * s), separators=False)),
    "percentages_line_1mb": (".txt", lambda s: percentages_line(int(MB * s))),
    "prose_line_1mb": (".txt", lambda s: prose_line(int(MB * s))),
    "short_lines_50k": (".txt", lambda s: short_lines(int(50_000 * s))),
    "report_html_8mb": (".html", lambda s: report_html(int(8 * MB * s))),
    "dense_html_8mb": (".html", lambda s: dense_html(int(8 * MB * s))),
    "table_html_20k_rows": (".html", lambda s: table_html(int(20_000 * s))),
}


def write_case(name: str, folder: Path, scale: float = 1.0) -> Path:
    suffix, make = CASES[name]
    path = folder / f"{name}{suffix}"
    path.write_text(make(scale), encoding="utf-8")
    return path


def timed_check(path: Path) -> tuple[int, float, float, float]:
    """Exit code, wall seconds, CPU seconds and peak resident memory (MB) of `jixiao check PATH` under
    /usr/bin/time -v."""
    jixiao = Path(sys.executable).parent / "jixiao"
    result = subprocess.run(
        ["/usr/bin/time", "-v", str(jixiao), "check", str(path)], capture_output=True, text=True, timeout=900
    )
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    cpu = [re.search(rf"{kind} time \(seconds\): ([\d.]+)", result.stderr) for kind in ("User", "System")]
    assert wall and rss and all(cpu), result.stderr[-2000:]
    hours, minutes, seconds = wall.groups()
    elapsed = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return result.returncode, elapsed, sum(float(m.group(1)) for m in cpu if m), int(rss.group(1)) / 1024


# what each case is, for the README's table
DESCRIPTIONS = {
    "corpus_line_1mb": "a corpus report on one line",
    "figures_line_1mb": 'figures only, "1,234.56万元、" repeated, one line',
    "figures_line_plain_1mb": "the same without separators",
    "percentages_line_1mb": "percentages only, one line",
    "prose_line_1mb": "dense report prose (totals, 其中 parts, shares, growth, counts) on one line",
    "short_lines_50k": "50,000 short lines of one figure each (one paragraph)",
    "report_html_8mb": "the corpus's web reports repeated",
    "dense_html_8mb": "dense report prose as a web page, one figure per 25 bytes",
    "table_html_20k_rows": "a 20,000-row `<table>`",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (default 1)")
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), help="these cases only")
    parser.add_argument("--keep", type=Path, help="write the inputs here and keep them")
    parser.add_argument("--readme", action="store_true", help="regenerate README.md's table of these figures")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="jixiao-hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'case':<24} {'MB':>6} {'exit':>4} {'wall s':>7} {'CPU s':>7} {'RSS MB':>7} {'load 1m':>7}")
    baseline = CORPUS / "yunnan_edu_2024.txt"
    code, wall, cpu, rss = timed_check(baseline)
    loads = [os.getloadavg()[0]]
    print(
        f"{'baseline (small text)':<24} {baseline.stat().st_size / MB:>6.2f} {code:>4} {wall:>7.2f} {cpu:>7.2f}"
        f" {rss:>7.0f} {loads[-1]:>7.2f}"
    )
    rows = [
        f"| a small corpus report (start-up and imports) | {baseline.stat().st_size // 1024} KB | {cpu:.1f} | {wall:.1f} | {rss:.0f} |"
    ]
    for name in args.only or CASES:
        path = write_case(name, folder, args.scale)
        code, wall, cpu, rss = timed_check(path)
        loads.append(os.getloadavg()[0])
        size = path.stat().st_size / MB
        print(f"{name:<24} {size:>6.2f} {code:>4} {wall:>7.2f} {cpu:>7.2f} {rss:>7.0f} {loads[-1]:>7.2f}")
        rows.append(f"| {DESCRIPTIONS[name]} | {size:.1f} MB | {cpu:.1f} | {wall:.1f} | {rss:.0f} |")
        if not args.keep:
            path.unlink()
    if args.readme:
        from readme_block import replace_block

        table = [
            f"Measured by `.venv/bin/python bench/hostile.py --readme` (scale {args.scale:g}), load average "
            f"{min(loads):.1f}-{max(loads):.1f} on this machine's {os.cpu_count()} cores: `jixiao check FILE`, start-up included.",
            "",
            "| input (bench/hostile.py) | size | CPU s | wall s | peak MB |",
            "|---|---|---|---|---|",
            *rows,
        ]
        replace_block("hostile.py", "\n".join(table))


if __name__ == "__main__":
    main()
