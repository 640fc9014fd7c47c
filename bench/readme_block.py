"""Regenerate a benchmark's block of README.md: the text between `<!-- bench/NAME: begin -->` and
`<!-- bench/NAME: end -->` is replaced by what the benchmark just measured; and the machine a block
names (its CPU, its load while measured)."""

from __future__ import annotations

import platform
import subprocess
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def replace_block(name: str, text: str, readme: Path = README) -> None:
    begin, end = f"<!-- bench/{name}: begin -->", f"<!-- bench/{name}: end -->"
    content = readme.read_text(encoding="utf-8")
    head, found, rest = content.partition(begin)
    _, found_end, tail = rest.partition(end)
    if not (found and found_end):
        raise SystemExit(f"{readme} has no {begin} … {end} block")
    readme.write_text(f"{head}{begin}\n{text.rstrip()}\n{end}{tail}", encoding="utf-8")
    print(f"{readme.name}: bench/{name} block updated")


def uptime() -> str:
    """`uptime`'s line: the machine's load average over 1, 5 and 15 minutes, printed beside each figure."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"
