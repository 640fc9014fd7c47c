"""Make a benchmark collection of ≥1,000 reports from the corpus into bench/data/ (gitignored).

Text and Word files get another department name, year and figures (each money figure with two
decimals scaled by a per-document factor) so that no two files are byte-identical; PDFs are
copied as they are (one 7-page and one 17-page report); about 2% of the files are corrupt.

    .venv/bin/python bench/make_batch.py [--count 1000] [--out bench/data]
"""

from __future__ import annotations

import argparse
import io
import random
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
# source file -> (encoding, the department name as it stands in the text)
TEXT_SOURCES = {
    "heshan_commerce_2024.txt": ("utf-8", "赫山区商务局"),
    "yunnan_edu_2024.txt": ("gb18030", "思澜县教育体育局"),
}
WORD_SOURCES = {
    "heshan_commerce_2024.docx": "赫山区商务局",
    "maoming_agri_2024.docx": "鉴江区农业农村局",
    "make/src/changsha_road_project_2024.docx": "湘岳县交通运输局",
}
PDF_SOURCES = ["changsha_road_project_2024.pdf", "heshan_commerce_2024.pdf"]
PLACES = [
    "赫山区",
    "资阳区",
    "桃江县",
    "安化县",
    "南县",
    "沅江市",
    "鉴江区",
    "思澜县",
    "湘岳县",
    "郧川县",
    "茶陵县",
    "攸县",
]
AGENCIES = [
    "商务局",
    "农业农村局",
    "教育体育局",
    "交通运输局",
    "卫生健康局",
    "民政局",
    "财政局",
    "水利局",
    "林业局",
    "文旅广体局",
]
SHARES = {"docx": 0.45, "txt": 0.40, "pdf": 0.13}  # the rest is corrupt
MONEY = re.compile(r"(?<![\d.])(\d{1,6}\.\d{2})(?![\d.])")


def vary(text: str, old_department: str, rng: random.Random) -> str:
    """Another department, year and figures, everything else as it was."""
    department = rng.choice(PLACES) + rng.choice(AGENCIES)
    year = rng.choice([2021, 2022, 2023, 2024])
    factor = Decimal(rng.randint(800, 1200)) / 1000
    text = text.replace(old_department, department).replace("2024", str(year)).replace("2023", str(year - 1))
    return MONEY.sub(lambda m: str((Decimal(m.group(1)) * factor).quantize(Decimal("0.01"))), text)


def make_text(source: str, target: Path, rng: random.Random) -> None:
    encoding, department = TEXT_SOURCES[source]
    text = (CORPUS / source).read_bytes().decode(encoding)
    target.write_bytes(vary(text, department, rng).encode(encoding))


def make_word(source: str, target: Path, rng: random.Random) -> None:
    """The same package with word/document.xml varied (names split across runs stay as they are)."""
    out = io.BytesIO()
    with zipfile.ZipFile(CORPUS / source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/document.xml":
                data = vary(data.decode("utf-8"), WORD_SOURCES[source], rng).encode("utf-8")
            copy.writestr(item, data)
    target.write_bytes(out.getvalue())


def make_corrupt(n: int, target_dir: Path, rng: random.Random) -> Path:
    kind = n % 4
    if kind == 0:  # a Word file cut in half
        data = (CORPUS / "heshan_commerce_2024.docx").read_bytes()
        path, data = target_dir / f"corrupt_{n:05d}.docx", data[: len(data) // 2]
    elif kind == 1:  # a PDF cut short
        data = (CORPUS / PDF_SOURCES[0]).read_bytes()
        path, data = target_dir / f"corrupt_{n:05d}.pdf", data[: len(data) // 3]
    elif kind == 2:  # noise named .pdf
        path, data = target_dir / f"corrupt_{n:05d}.pdf", rng.randbytes(4096)
    else:
        path, data = target_dir / f"corrupt_{n:05d}.txt", b""
    path.write_bytes(data)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.out.exists():
        shutil.rmtree(args.out)
    folders = {name: args.out / name for name in (*SHARES, "corrupt")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    counts = {name: int(args.count * share) for name, share in SHARES.items()}
    counts["corrupt"] = args.count - sum(counts.values())
    for n in range(counts["txt"]):
        source = sorted(TEXT_SOURCES)[n % len(TEXT_SOURCES)]
        make_text(source, folders["txt"] / f"{n:05d}_{source}", rng)
    for n in range(counts["docx"]):
        source = sorted(WORD_SOURCES)[n % len(WORD_SOURCES)]
        make_word(source, folders["docx"] / f"{n:05d}_{Path(source).name}", rng)
    for n in range(counts["pdf"]):
        source = PDF_SOURCES[n % len(PDF_SOURCES)]
        # a copy with one byte appended (after %%EOF, ignored by readers) is a distinct document
        (folders["pdf"] / f"{n:05d}_{source}").write_bytes((CORPUS / source).read_bytes() + b"\n%" + str(n).encode())
    for n in range(counts["corrupt"]):
        make_corrupt(n, folders["corrupt"], rng)
    print(f"wrote {args.count} files to {args.out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
