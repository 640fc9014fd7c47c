"""One PDF, cold, side by side: the pdfium text floor, pdfplumber, markitdown and `jixiao extract`.

    .venv/bin/python bench/startup.py                  # 7 fresh processes of each tool on each file
    .venv/bin/python bench/startup.py --runs 15 --readme   # ... and rewrite README's table from the result
    .venv/bin/python bench/startup.py --instructions       # ... and count instructions (valgrind, slow)

Each tool runs in a new interpreter per run, on the same file, and the runs are interleaved (one of
each tool, then the next round), so a change in the machine's load falls on all of them alike; the
figure is the median wall time, with the median CPU time (user + system of the child) beside it, which
a loaded machine disturbs less. "Cold" is a new process on a machine that has run the tool before: the
OS file cache, compiled bytecode (in a private cache folder, so it is there even where
PYTHONDONTWRITEBYTECODE is set) and jixiao's per-machine caches (the validated Config, jieba's tagger
model: extractor/machine_cache.py) are warm, as for a user's second file. One warm-up run of each tool
precedes the timed ones (and makes those caches on a new machine).

- floor: pypdfium2 `get_text_range()` of every page, the least any reader of the text layer does;
- pdfplumber: `extract_text()` of every page;
- markitdown: `MarkItDown().convert(FILE)`, from the interpreter given by --markitdown-python, or this
  one if it can import markitdown (it is no dependency of jixiao; it needs its own environment:
  `python -m venv /tmp/md && /tmp/md/bin/pip install 'markitdown[pdf]'`); left out when neither has it;
- jixiao: `jixiao extract FILE` (read, segment, extract, check, the record printed as JSON).

On a loaded machine, --instructions adds what does not depend on the load: the instructions each tool
executes in one run (valgrind's cachegrind without cache simulation, ~50x slower than the run).

The files: the first 7 pages of corpus/heshan_commerce_2024.pdf (the report's prose, no ruled table;
written to bench/data/, gitignored) and the whole 17-page report (prose and three ruled tables), or
the PDFs given. The result goes to bench/results/startup.md with the machine's load (`uptime`) before
and after; --readme copies it into README.md between its `startup` markers.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from readme_block import cpu_model, uptime  # bench/ is the script's own folder, first on sys.path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpus" / "heshan_commerce_2024.pdf"
DATA = ROOT / "bench" / "data"
RESULT = ROOT / "bench" / "results" / "startup.md"
README = ROOT / "README.md"
BEGIN, END = "<!-- startup:begin (bench/startup.py --readme) -->", "<!-- startup:end -->"

FLOOR = (
    "import sys, pypdfium2\n"
    "pdf = pypdfium2.PdfDocument(sys.argv[1])\n"
    "[pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]"
)
PDFPLUMBER = (
    "import sys, pdfplumber\nwith pdfplumber.open(sys.argv[1]) as pdf:\n    [page.extract_text() for page in pdf.pages]"
)
MARKITDOWN = "import sys\nfrom markitdown import MarkItDown\nMarkItDown().convert(sys.argv[1])"


def pages(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def first_pages(source: Path, count: int, target: Path) -> Path:
    """A PDF of the first `count` pages of `source` (pdfium copies the pages as they are)."""
    import pypdfium2

    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf, out = pypdfium2.PdfDocument(source), pypdfium2.PdfDocument.new()
    out.import_pages(pdf, list(range(count)))
    out.save(target)
    return target


def markitdown_python(given: str | None) -> str | None:
    """The interpreter that runs markitdown: the one given, else this one if it has markitdown, else None."""
    for python in (given, sys.executable):
        if python and subprocess.run([python, "-c", "import markitdown"], capture_output=True).returncode == 0:
            return python
    return None


def markitdown_version(python: str) -> str:
    code = "import importlib.metadata as m; print(m.version('markitdown'))"
    return subprocess.run([python, "-c", code], capture_output=True, text=True).stdout.strip() or "(version unknown)"


def environment() -> dict[str, str]:
    """Bytecode cached in a private folder (written even where PYTHONDONTWRITEBYTECODE is set, as on a user's
    machine, where pip compiles it at install)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "jixiao-bench-pycache")
    return env


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one fresh process running `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # jixiao exits 1 when a document has an error finding
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def instructions(command: list[str], env: dict[str, str]) -> int:
    """Instructions one run of `command` executes (user space), by valgrind. jixiao's own time limit (120 s
    a document) is lifted: under valgrind on a loaded machine a run can take longer, and would stop early."""
    if Path(command[0]).name == "jixiao":
        command = [*command, "--timeout", "86400"]
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if not found or done.returncode not in (0, 1):
        raise SystemExit(f"valgrind gave no instruction count for {' '.join(command)}: {done.stderr[-500:]}")
    return int(found.group(1).replace(",", ""))


def measure(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each command: one warm-up each, then `runs` interleaved rounds."""
    for command in commands.values():
        run_once(command, env)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(run_once(command, env))
    return {
        name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        for name, values in times.items()
    }


def table(rows: list[dict], tools: list[str]) -> list[str]:
    head = ["file", "pages", *tools, "jixiao / pdfplumber"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [row["file"], str(row["pages"])]
        cells += [f"{row[t][0]:.2f} s ({row[t][1]:.2f})" if t in row else "—" for t in tools]
        ours, bare = row["jixiao extract"], row["pdfplumber"]
        cells.append(f"**{ours[0] / bare[0]:.2f}** ({ours[1] / bare[1]:.2f})")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def instruction_table(rows: list[dict], tools: list[str]) -> list[str]:
    """Instructions executed by one run of each tool (millions), independent of the machine's load."""
    head = ["file", "pages", *tools, "jixiao / pdfplumber"]
    lines = ["Instructions executed in one run (millions; valgrind):", "", "| " + " | ".join(head) + " |"]
    lines.append("|" + "---|" * len(head))
    for row in rows:
        counts = row["instructions"]
        cells = [row["file"], str(row["pages"])] + [f"{counts[t] / 1e6:,.0f}" if t in counts else "—" for t in tools]
        cells.append(f"**{counts['jixiao extract'] / counts['pdfplumber']:.2f}**")
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="PDFs (default: a 7-page and a 17-page report)")
    parser.add_argument("--runs", type=int, default=7, help="timed fresh processes per tool and file (median)")
    parser.add_argument("--markitdown-python", help="an interpreter that can import markitdown")
    parser.add_argument("--readme", action="store_true", help="copy the result into README.md between markers")
    parser.add_argument("--jixiao", help="the jixiao command to time (default: this environment's)")
    parser.add_argument("--instructions", action="store_true", help="also count instructions with valgrind")
    parser.add_argument("--out", type=Path, default=RESULT)
    args = parser.parse_args()
    files = args.files or [first_pages(REPORT, 7, DATA / "heshan_commerce_2024_p1-7.pdf"), REPORT]
    env = environment()
    md_python = markitdown_python(args.markitdown_python)
    jixiao = args.jixiao or shutil.which("jixiao", path=str(Path(sys.executable).parent)) or "jixiao"
    load_before = uptime()

    startup = measure(  # the start-up alone: the interpreter, jixiao's command line, the pipeline's imports
        {
            "python -c pass": [sys.executable, "-c", "pass"],
            "jixiao --help": [jixiao, "--help"],
            "import extractor.pipeline": [sys.executable, "-c", "import extractor.pipeline"],
        },
        args.runs,
        env,
    )
    rows = []
    for path in files:
        commands = {
            "floor (pypdfium2 text)": [sys.executable, "-c", FLOOR, str(path)],
            "pdfplumber": [sys.executable, "-c", PDFPLUMBER, str(path)],
        }
        if md_python:
            commands["markitdown"] = [md_python, "-c", MARKITDOWN, str(path)]
        commands["jixiao extract"] = [jixiao, "extract", str(path)]
        row: dict = {"file": path.name, "pages": pages(path)}
        row |= measure(commands, args.runs, env)
        if args.instructions:
            row["instructions"] = {name: instructions(command, env) for name, command in commands.items()}
        rows.append(row)
        print(f"{path.name}: " + ", ".join(f"{k} {v[0]:.2f} s" for k, v in row.items() if isinstance(v, tuple)))
    tools = ["floor (pypdfium2 text)", "pdfplumber", "markitdown", "jixiao extract"]
    lines = [
        f"Median of {args.runs} fresh processes per tool and file, interleaved; wall time, CPU time (user + system)"
        " in brackets. The ratio is jixiao's time over pdfplumber's (≤ 0.8 is the goal at 7 pages).",
        "",
        *table(rows, tools),
        "",
        *(instruction_table(rows, tools) if args.instructions else []),
        "Start-up alone: "
        + ", ".join(f"`{name}` {wall:.2f} s ({cpu:.2f})" for name, (wall, cpu) in startup.items())
        + ".",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} × {cpu_model()}, Python"
        f" {platform.python_version()}; markitdown {markitdown_version(md_python) if md_python else 'not installed (left out)'}.",
        f"Load before: `{load_before}`; after: `{uptime()}`.",
    ]
    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    if args.readme:
        readme = README.read_text(encoding="utf-8")
        start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
        README.write_text(readme[:start] + "\n" + text + readme[end:], encoding="utf-8")
        print(f"README.md: table replaced from {args.out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
