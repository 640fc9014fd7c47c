"""Linear time on the worst realistic inputs (bench/hostile.py makes them; README "Limits" gives the full-size
figures): each is read and checked at two sizes, 8x apart, in this process, and the CPU time must grow about
8x, not 64x. CPU time, not wall time: CI shares its cores. Sizes are small, so that the suite stays fast."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from extractor import readers
from extractor.pipeline import build_record

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import hostile  # noqa: E402

# case -> the smaller of its two sizes, as a fraction of the full size; the larger is 8x that (~0.5 s of work)
SMALL = {
    "corpus_line_1mb": 1 / 128,
    "figures_line_1mb": 1 / 128,
    "figures_line_plain_1mb": 1 / 128,
    "percentages_line_1mb": 1 / 128,
    "prose_line_1mb": 1 / 64,
    "short_lines_50k": 1 / 256,
    "report_html_8mb": 1 / 512,
    "dense_html_8mb": 1 / 1024,
    "table_html_20k_rows": 1 / 128,
}
GROWTH = 8
LIMIT = 12  # time(8x) / time(x): 8 when linear, 64 when quadratic; room for noise and for caches warming


def _cpu_seconds(path: Path) -> tuple[float, int]:
    """The least CPU time of two runs of reading and checking `path`, and how many facts it gave."""
    times, facts = [], 0
    for _ in range(2):
        started = time.process_time()
        record = build_record(readers.read(path))
        times.append(time.process_time() - started)
        facts = len(record.facts) + len(record.kpis)
    return min(times), facts


def test_every_generated_case_is_timed_here():
    assert set(SMALL) == set(hostile.CASES)


@pytest.mark.parametrize("case", sorted(SMALL))
def test_time_grows_linearly(case, tmp_path):
    build_record(readers.read(hostile.CORPUS / "yunnan_edu_2024.txt"))  # warm: jieba, the data files
    small_folder, large_folder = tmp_path / "small", tmp_path / "large"
    small_folder.mkdir()
    large_folder.mkdir()
    small, small_facts = _cpu_seconds(hostile.write_case(case, small_folder, SMALL[case]))
    large, large_facts = _cpu_seconds(hostile.write_case(case, large_folder, SMALL[case] * GROWTH))
    assert large_facts >= GROWTH * small_facts * 0.8, (small_facts, large_facts)  # the input really grew
    assert large / small < LIMIT, f"{case}: {small:.3f}s -> {large:.3f}s for {GROWTH}x the input"


def test_generated_prose_states_its_sums(tmp_path):
    """The dense prose is a report's: its totals are the sums of their parts, so the checks find no error."""
    path = tmp_path / "dense.html"
    path.write_text(hostile.dense_html(20_000), encoding="utf-8")
    record = build_record(readers.read(path))
    assert len(record.facts) > 100
    assert not [f for f in record.findings if f.severity == "error"], [f.message for f in record.findings][:5]
