"""Regenerate a benchmark's block of README.md: the text between `<!-- bench/NAME: begin -->` and
`<!-- bench/NAME: end -->` is replaced by what the benchmark just measured."""

from __future__ import annotations

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
