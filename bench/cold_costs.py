"""Where a cold `jixiao extract` of one PDF spends its instructions, against pdfplumber's `extract_text()`.

    .venv/bin/python bench/cold_costs.py [PDF] [--readme]

Each line is a fresh process counted by valgrind (cachegrind without cache simulation: instructions do not
depend on the machine's load). The lines add up from the interpreter to the whole command:

- the interpreter of this environment, `python -c pass`;
- pypdfium2 imported (the PDF library; the pdfium floor pays it too);
- pydantic imported and one model class built (the first class imports pydantic's schema machinery);
- the pipeline imported (`import extractor.pipeline`: jixiao's modules, its record models, its data classes);
- the whole command, `jixiao extract PDF` (what it adds: reading the pages, the analysis, the JSON output).

Apart, the regular expressions the command compiles: the patterns it compiled (recorded in one run) compiled
again in a fresh process, less that process without them. Python's `re` compiles in Python code, so this is
a cost every cold start pays for each pattern the document needs. Same bytecode cache and per-machine
caches as bench/startup.py (a user's second file). --readme copies the table into README.md.
"""

from __future__ import annotations

import argparse
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from readme_block import replace_block, uptime  # bench/ is the script's own folder, first on sys.path
from startup import DATA, REPORT, environment, first_pages, instructions, run_once

PDFPLUMBER = (
    "import sys, pdfplumber\nwith pdfplumber.open(sys.argv[1]) as pdf:\n    [page.extract_text() for page in pdf.pages]"
)
ONE_MODEL = "from pydantic import BaseModel\nclass One(BaseModel):\n    x: int"
# the command run in-process with each compile recorded (the bench's instrument, not jixiao's code)
RECORD_COMPILES = """
import pickle, sys
from re import _compiler
compiled = []
compile_pattern = _compiler.compile
def recording(pattern, flags=0):
    compiled.append((pattern, int(flags)))
    return compile_pattern(pattern, flags)
_compiler.compile = recording
import contextlib, io
from extractor.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["extract", sys.argv[2], "--timeout", "86400"])
with open(sys.argv[1], "wb") as out:
    pickle.dump(compiled, out)
"""
COMPILE_AGAIN = """
import pickle, sys
from re import _compiler
with open(sys.argv[1], "rb") as recorded:
    patterns = pickle.load(recorded)
if sys.argv[2] == "compile":
    for pattern, flags in patterns:
        _compiler.compile(pattern, flags)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, help="default: the first 7 pages of the corpus report")
    parser.add_argument("--readme", action="store_true", help="copy the table into README.md")
    args = parser.parse_args()
    pdf = args.pdf or first_pages(REPORT, 7, DATA / f"{REPORT.stem}_p1-7.pdf")
    env = environment()
    python = sys.executable
    jixiao = shutil.which("jixiao", path=str(Path(python).parent)) or "jixiao"
    before = uptime()
    steps = {
        "interpreter (`python -c pass`)": [python, "-c", "pass"],
        "+ pypdfium2 imported": [python, "-c", "import pypdfium2"],
        "+ pydantic imported, one model built": [python, "-c", f"import pypdfium2\n{ONE_MODEL}"],
        "+ the pipeline imported": [python, "-c", "import pypdfium2, extractor.pipeline"],
        "+ reading, analysis, output: the whole `jixiao extract`": [jixiao, "extract", str(pdf)],
    }
    for command in steps.values():  # bytecode and per-machine caches made before anything is counted
        run_once(command, env)
    counts = {name: instructions(command, env) for name, command in steps.items()}
    bare = instructions([python, "-c", PDFPLUMBER, str(pdf)], env)
    with tempfile.TemporaryDirectory() as folder:
        recorded = Path(folder) / "patterns.pickle"
        done = subprocess.run([python, "-c", RECORD_COMPILES, str(recorded), str(pdf)], env=env, capture_output=True)
        if done.returncode or not recorded.exists():
            raise SystemExit(f"recording the compiled patterns failed: {done.stderr.decode()[-500:]}")
        patterns = len(pickle.loads(recorded.read_bytes()))
        compiling = instructions([python, "-c", COMPILE_AGAIN, str(recorded), "compile"], env) - instructions(
            [python, "-c", COMPILE_AGAIN, str(recorded), "load"], env
        )
    lines = [
        f"Cold `jixiao extract {pdf.name}`, instructions (millions; valgrind), each line a fresh process:",
        "",
        "| step | instructions | added by the step | share of the command |",
        "|---|---|---|---|",
    ]
    total, previous = list(counts.values())[-1], 0
    for name, count in counts.items():
        lines.append(
            f"| {name} | {count / 1e6:,.0f} | {(count - previous) / 1e6:,.0f} | {(count - previous) / total:.0%} |"
        )
        previous = count
    lines += [
        f"| of which compiling {patterns} regular expressions (import and run) | | {compiling / 1e6:,.0f} | "
        f"{compiling / total:.0%} |",
        f"| pdfplumber `extract_text()` of every page | {bare / 1e6:,.0f} | | **ratio {total / bare:.2f}** |",
        "",
        f"Load before: `{before}`; after: `{uptime()}`.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.readme:
        replace_block("cold_costs", text)


if __name__ == "__main__":
    main()
