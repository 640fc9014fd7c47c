"""Linear time on the worst realistic inputs (bench/hostile.py makes them; README "Limits" gives the full-size
figures): each is read and checked at two sizes, 8x apart, in this process, and the CPU time per byte must
stay about flat (8x the input, about 8x the time, not 64x). CPU time, not wall time: CI shares its cores.
Sizes are small, so that the suite stays fast; a quadratic term too small to show at these sizes is for
bench/hostile.py to find."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from extractor import readers
from extractor.config import load_default
from extractor.pipeline import build_record

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import hostile  # noqa: E402

config = load_default()  # the installed rule set, validated once for these tests

# case -> the smaller of its two sizes, as a fraction of the full size; the larger is 8x that (~0.5 s of work)
SMALL = {
    "corpus_line_1mb": 1 / 128,
    "figures_line_1mb": 1 / 128,
    "figures_line_plain_1mb": 1 / 128,
    "percentages_line_1mb": 1 / 128,
    "prose_line_1mb": 1 / 64,
    "short_lines_50k": 1 / 256,
    "report_html_8mb": 1 / 64,  # whole reports repeated: at 1/128 the smaller is too short to time steadily
    "dense_html_8mb": 1 / 1024,
    "table_html_20k_rows": 1 / 128,
}
GROWTH = 8
LIMIT = 16  # time(8x) / time(x): 8 when linear, 64 when quadratic; room for the noise of a loaded machine


def _cpu_seconds(path: Path, runs: int) -> float:
    """The least CPU time of `runs` runs of reading and checking `path`."""
    times = []
    for _ in range(runs):
        started = time.process_time()
        build_record(readers.read(path), config)
        times.append(time.process_time() - started)
    return min(times)


def test_every_generated_case_is_timed_here():
    assert set(SMALL) == set(hostile.CASES)


@pytest.mark.parametrize("case", sorted(SMALL))
def test_time_grows_linearly(case, tmp_path):
    build_record(readers.read(hostile.CORPUS / "yunnan_edu_2024.txt"), config)  # warm: jieba, the data files
    small_folder, large_folder = tmp_path / "small", tmp_path / "large"
    small_folder.mkdir()
    large_folder.mkdir()
    small_path = hostile.write_case(case, small_folder, SMALL[case])
    large_path = hostile.write_case(case, large_folder, SMALL[case] * GROWTH)
    small_size, large_size = small_path.stat().st_size, large_path.stat().st_size
    # the input really grew (whole reports grow in steps: 1/64 to 1/8 of the repeated reports is 6x the bytes)
    assert large_size >= GROWTH / 2 * small_size, (small_size, large_size)
    small, large = _cpu_seconds(small_path, 3), _cpu_seconds(large_path, 1)  # noise weighs on the short run
    # per byte (whole reports repeated grow in steps): flat when linear, 8x when quadratic
    per_byte = (large / large_size) / (small / small_size)
    if per_byte >= LIMIT / GROWTH:  # a loaded machine can slow one long run: the least of two more decides
        large = min(large, _cpu_seconds(large_path, 2))
        per_byte = (large / large_size) / (small / small_size)
    assert per_byte < LIMIT / GROWTH, f"{case}: {small:.3f}s for {small_size} bytes, {large:.3f}s for {large_size}"


def test_generated_prose_states_its_sums(tmp_path):
    """The dense prose is a report's: its totals are the sums of their parts, so the checks find no error."""
    path = tmp_path / "dense.html"
    path.write_text(hostile.dense_html(20_000), encoding="utf-8")
    record = build_record(readers.read(path), config)
    assert len(record.facts) > 100
    assert not [f for f in record.findings if f.severity == "error"], [f.message for f in record.findings][:5]
