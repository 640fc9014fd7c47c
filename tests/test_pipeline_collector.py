"""A large document's record is built with what existed before out of the collector's full collections, and
the collector is left as it was found."""

from __future__ import annotations

import gc

from extractor import pipeline
from extractor.config import load_default

config = load_default()


def _frozen_while_building(monkeypatch) -> list[int]:
    seen: list[int] = []
    build = pipeline.build_record

    def spy(document, config, options=None):
        seen.append(gc.get_freeze_count())
        return build(document, config, options)

    monkeypatch.setattr(pipeline, "build_record", spy)
    return seen


def test_a_large_document_is_built_with_the_heap_frozen_then_unfrozen(tmp_path, monkeypatch):
    path = tmp_path / "doc.txt"
    path.write_text("一、基本情况\n本年度收入合计120.50万元。\n二、绩效目标\n完成培训3期。\n", encoding="utf-8")
    seen = _frozen_while_building(monkeypatch)
    monkeypatch.setattr(pipeline, "_FREEZE_FROM_BLOCKS", 1)
    assert gc.get_freeze_count() == 0
    frozen = pipeline.process(path, config)
    assert seen[0] > 0 and gc.get_freeze_count() == 0
    monkeypatch.setattr(pipeline, "_FREEZE_FROM_BLOCKS", 10**9)
    assert pipeline.process(path, config) == frozen  # the same record, the collector untouched
    assert seen[1] == 0 and gc.get_freeze_count() == 0


def test_a_heap_frozen_by_someone_else_is_left_frozen(tmp_path, monkeypatch):
    path = tmp_path / "doc.txt"
    path.write_text("一、基本情况\n本年度收入合计120.50万元。\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "_FREEZE_FROM_BLOCKS", 1)
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        pipeline.process(path, config)
        assert gc.get_freeze_count() > before // 2  # still frozen (a few frozen objects freed meanwhile)
    finally:
        gc.unfreeze()
