"""The figures and checks stages against document size: they must stay linear.

    .venv/bin/python bench/scaling.py [--sizes 50 100 200 400]

A synthetic report (our own words and figures, every real-phrasing shape: text tables, 其中 across
paragraphs, totals after parts, parallel categories, changes and shares, direction words, counts) is
repeated N times; the text is read once, then segmentation, figures and checks are timed in one warm
process. Linear means the time per repeated unit stays flat as N grows.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from extractor.config import load_default

config = load_default()  # the installed rule set, validated once for this benchmark

UNIT = """（{n}）第{n}项工作情况
本年支出合计1532.60万元，较上年减少34.35万元（2.19%）。其中：
基本支出980.10万元，占支出合计的63.95%。
项目支出552.50万元，占支出合计的36.05%。
一批项目批复投资300.00万元，二批项目批复投资200.50万元，合计批复总投资500.50万元。
送审金额12.00亿元，审定金额11.00亿元，其中预算类送审金额8.00亿元，审定金额7.50亿元，结算类送审金额4.00亿元，审定金额3.50亿元。
“三公”经费预算为20.00万元，决算为18.00万元，完成预算的90.00%，决算数小于预算数。
开展绩效自评项目5个，其中优3个、良2个。
单位：万元
| 项目 | 2023年预算数 | 2024年预算数 | 增减 |
|---|---|---|---|
| 合计 | 120.00 | 110.00 | -10.00 |
| 公务接待费 | 50.00 | 45.00 | -5.00 |
| 公务用车购置及运行维护费 | 70.00 | 65.00 | -5.00 |
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="*", type=int, default=[50, 100, 200, 400])
    args = parser.parse_args()
    from extractor import checks, figures, readers, sections
    from extractor.pipeline import build_record

    build_record(readers.read(_write(1)), config)  # warm: jieba, schemas
    print(f"{'units':>6} {'blocks':>7} {'facts':>6} {'segment s':>10} {'figures s':>10} {'checks s':>9} {'ms/unit':>8}")
    for size in args.sizes:
        document = readers.read(_write(size))
        start = time.perf_counter()
        outline = sections.segment(document, config)
        segmented = time.perf_counter()
        found = figures.extract(document, outline.sections, config)
        extracted = time.perf_counter()
        record = build_record(document, config)
        check_start = time.perf_counter()
        checks.run(record, document, config)
        check_seconds = time.perf_counter() - check_start
        per_unit = (extracted - start + check_seconds) / size * 1000
        print(
            f"{size:>6} {len(document.blocks):>7} {len(found.facts):>6} {segmented - start:>10.3f} "
            f"{extracted - segmented:>10.3f} {check_seconds:>9.3f} {per_unit:>8.2f}"
        )


def _write(size: int) -> Path:
    path = Path(tempfile.mkdtemp(prefix="jixiao-scaling-")) / "report.md"
    path.write_text("\n\n".join(UNIT.format(n=n) for n in range(1, size + 1)), encoding="utf-8")
    return path


if __name__ == "__main__":
    main()
