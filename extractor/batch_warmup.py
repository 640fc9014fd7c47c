"""Imported by a batch's fork server only (last in batch._PRELOAD): runs the pipeline once on a short
report written here, so that what the first document of every worker would load on first use (the
tagger's model and the Config from the machine's cache, the compiled patterns, pyarrow's conversions,
which import pandas when it is installed) is loaded once, in the fork server, and shared by every worker
it forks. Measured with the caches warm: the warm-up costs the fork server ~0.55 s of CPU (0.35 s of it
pandas); without it each worker's first document pays ~0.45 s more than its second. So it pays from the
second worker on (2 workers: ~0.35 s of CPU saved a batch), and again for each recycled worker.

Then everything the fork server holds (modules, the rule set, the tagger's model) is frozen out of the
collector's reach (`gc.freeze`, for a process that forks without exec): a worker's collections walk only what
its documents make, and never write to the pages it shares with the fork server. The collector cost a worker
~0.5 s of CPU over 60 PDFs, 0.18 s with the freeze."""

import gc
from pathlib import Path

from .config import load_default
from .pipeline import build_record
from .readers import text
from .store.duckdb import block_rows, document_tables

_REPORT = """某县示例局2024年度部门整体支出绩效自评报告
一、部门基本情况
（一）部门职能
负责全县示例工作。
二、部门整体支出情况
2024年度收入合计120.50万元，其中：财政拨款收入100.00万元，其他收入20.50万元。
支出合计118.30万元，其中：基本支出80.30万元，项目支出38.00万元。
三、绩效目标完成情况
培训人数200人次，完成率100%，满意度95%。
"""


def warm_up() -> None:
    try:
        config = load_default()  # the rule set a batch runs with unless told otherwise, loaded once here
        document = text.read(Path("warm-up.txt"), _REPORT.encode("utf-8"))
        record = build_record(document, config)
        document_tables(config, record, block_rows(document, record.sections))
    except Exception:  # noqa: BLE001 - an optimisation only: the worker then loads on its first document
        pass


warm_up()
gc.collect()  # the warm-up's garbage, so that none is kept frozen
gc.freeze()
