"""The checks stage indexes a document once (bench/checks_scale.py shows the time per fact staying flat from
1× to 50× a report): the indexes answer what the block-by-block questions did, in linear time."""

from __future__ import annotations

import random
import time

from extractor.records import Section, innermost_section, innermost_sections


def _section(number: int, level: int, start: int, end: int) -> Section:
    return Section(
        id=str(number),
        parent=None,
        level=level,
        number="",
        title="",
        key=None,
        score=None,
        page=None,
        block=start,
        block_start=start,
        block_end=end,
    )


def test_the_section_index_answers_as_the_block_by_block_lookup():
    rng = random.Random(15)
    for _ in range(300):  # overlapping, nested, empty and equal-level ranges, in any order
        sections = []
        for number in range(rng.randint(0, 12)):
            start = rng.randint(0, 30)
            sections.append(_section(number, rng.randint(1, 4), start, start + rng.randint(-1, 15)))
        index = innermost_sections(sections)
        for block in range(50):
            assert index.get(block) is innermost_section(sections, block), (sections, block)


def test_the_section_index_of_a_deep_nesting_is_fast():
    # 10,000 sections each inside the one before (a long report whose numbering the outline reads as ever
    # deeper): filling every range would touch 50 million entries, seconds of work
    sections = [_section(n, n + 1, n, 10_000) for n in range(10_000)]
    start = time.process_time()
    index = innermost_sections(sections)
    assert time.process_time() - start < 1.0
    assert index[9999].id == "9999" and index[0].id == "0" and len(index) == 10_001
