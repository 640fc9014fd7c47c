"""The 60 PDFs of the batch-vs-floor benchmark, built from the corpus into bench/data/pdf60 (gitignored).

Four corpus Word reports (a 17-page 部门整体 self-evaluation, a 6-page project self-evaluation, an
8-page 部门决算 and a 4-page 部门预算), 15 copies each, every copy with another department name, year
and figures (bench/make_batch.py's `vary`), converted to PDF by LibreOffice in one call, as the corpus
PDFs were made. No two files share text, so the copy pass sees a collection, not 15 clones.
Without LibreOffice (`--copies`), the four corpus PDFs are copied instead, each with one byte appended
after %%EOF (distinct files, identical text).

    .venv/bin/python bench/batch_pdfs.py [--out bench/data/pdf60] [--count 60] [--copies] [--force]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from make_batch import CORPUS, vary

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "data" / "pdf60"
SEED = 20261207
# Word source -> (the department name as it stands in the text, the corpus PDF made from it)
SOURCES = {
    "heshan_commerce_2024.docx": ("赫山区商务局", "heshan_commerce_2024.pdf"),
    "make/src/changsha_road_project_2024.docx": ("湘岳县交通运输局", "changsha_road_project_2024.pdf"),
    "fiscal/fiscal_final_accounts_2024.docx": ("青禾县档案馆", "fiscal/fiscal_final_accounts_2024.pdf"),
    "fiscal/fiscal_budget_2025.docx": ("青禾县档案馆", "fiscal/fiscal_budget_2025.pdf"),
}
MANIFEST = "manifest.json"


def varied_docx(source: str, rng: random.Random) -> bytes:
    """The Word package with its body text varied (a name split across runs stays as it was)."""
    department = SOURCES[source][0]
    out = io.BytesIO()
    with zipfile.ZipFile(CORPUS / source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/document.xml":
                data = vary(data.decode("utf-8"), department, rng).encode("utf-8")
            copy.writestr(item, data)
    return out.getvalue()


def names(count: int) -> list[tuple[str, str]]:
    """(Word source, output file name) of each benchmark PDF, the sources taken in turn."""
    sources = list(SOURCES)
    return [(sources[n % len(sources)], f"{n:03d}_{Path(sources[n % len(sources)]).stem}.pdf") for n in range(count)]


def build(out: Path, count: int, copies: bool) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    plan = names(count)
    if copies:
        for n, (source, name) in enumerate(plan):
            (out / name).write_bytes((CORPUS / SOURCES[source][1]).read_bytes() + b"\n%" + str(n).encode())
    else:
        if not shutil.which("soffice"):
            raise SystemExit("LibreOffice (soffice) is needed to build the PDFs; or pass --copies")
        rng = random.Random(SEED)
        with tempfile.TemporaryDirectory() as folder:
            words = []
            for source, name in plan:
                word = Path(folder) / Path(name).with_suffix(".docx")
                word.write_bytes(varied_docx(source, rng))
                words.append(str(word))
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), *words],
                check=True,
                capture_output=True,
                timeout=1800,
            )
    made = sorted(p.name for p in out.glob("*.pdf"))
    if made != sorted(name for _, name in plan):
        raise SystemExit(f"{out}: expected {count} PDFs, LibreOffice made {len(made)}")
    (out / MANIFEST).write_text(json.dumps({"count": count, "copies": copies, "seed": SEED}) + "\n")


def ensure(out: Path = DEFAULT_OUT, count: int = 60, copies: bool = False, force: bool = False) -> list[Path]:
    """The benchmark PDFs, built unless `out` already holds this very set."""
    wanted = {"count": count, "copies": copies, "seed": SEED}
    manifest = out / MANIFEST
    if force or not manifest.is_file() or json.loads(manifest.read_text()) != wanted:
        build(out, count, copies)
    return sorted(out.glob("*.pdf"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument(
        "--copies", action="store_true", help="copy the corpus PDFs instead of converting varied Word files"
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if the set is there")
    args = parser.parse_args()
    pdfs = ensure(args.out, args.count, args.copies, args.force)
    print(f"{len(pdfs)} PDFs in {args.out}")


if __name__ == "__main__":
    main()
