"""Regenerate every document of the corpus.

    python corpus/make/build.py            # everything (needs LibreOffice for the PDFs)
    python corpus/make/build.py --no-pdf   # skip the LibreOffice conversions

Outputs are committed, so tests never need LibreOffice.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MAKE = Path(__file__).resolve().parent
sys.path.insert(0, str(MAKE))

import htmllib  # noqa: E402
from docxlib import write_docx  # noqa: E402

CORPUS = MAKE.parent
SEED = Path("/work/shared/seeds/000_e5d0fab6d6b2ec2d.txt")


def to_pdf(docx_path: Path, pdf_path: Path) -> None:
    """Convert with LibreOffice headless (a private profile, so a running soffice does not interfere)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) is needed for the PDFs; or pass --no-pdf")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", tmp, str(docx_path)],
            check=True, capture_output=True, timeout=300)
        shutil.move(Path(tmp) / (docx_path.stem + ".pdf"), pdf_path)


def build_heshan(pdf: bool) -> None:
    import heshan

    # the seed, byte for byte (kept in corpus/ too, so the corpus stands alone)
    seed_copy = CORPUS / "heshan_commerce_2024.txt"
    if SEED.exists():
        shutil.copyfile(SEED, seed_copy)
    rep = heshan.build(seed_copy)
    write_docx(rep, CORPUS / "heshan_commerce_2024.docx")
    (CORPUS / "heshan_commerce_2024.html").write_text(htmllib.render(rep, heshan.SITE), encoding="utf-8")
    if pdf:
        to_pdf(CORPUS / "heshan_commerce_2024.docx", CORPUS / "heshan_commerce_2024.pdf")


def build_maoming(pdf: bool) -> None:
    import maoming

    write_docx(maoming.build(), CORPUS / "maoming_agri_2024.docx")


def build_changsha(pdf: bool) -> None:
    import changsha

    src = MAKE / "src" / "changsha_road_project_2024.docx"
    write_docx(changsha.build(), src)
    if pdf:
        to_pdf(src, CORPUS / "changsha_road_project_2024.pdf")


def build_yunnan(pdf: bool) -> None:
    import yunnan

    yunnan.write(CORPUS / "yunnan_edu_2024.txt")


def build_hubei(pdf: bool) -> None:
    import hubei

    (CORPUS / "hubei_health_2024.html").write_text(htmllib.render(hubei.build(), hubei.SITE), encoding="utf-8")


def build_fiscal(pdf: bool) -> None:
    import fiscal

    folder = CORPUS / "fiscal"
    folder.mkdir(exist_ok=True)
    base = folder / "fiscal_final_accounts_2024.docx"
    write_docx(fiscal.build(), base)
    if pdf:
        to_pdf(base, folder / "fiscal_final_accounts_2024.pdf")
    for name in fiscal.MUTATIONS:
        write_docx(fiscal.build(name), folder / f"fiscal_final_accounts_2024.{name}.docx")
    write_docx(fiscal.build_selfeval(), folder / "fiscal_selfeval_2024.docx")
    budget = folder / "fiscal_budget_2025.docx"
    write_docx(fiscal.build_budget(), budget)
    for name in fiscal.BUDGET_MUTATIONS:
        write_docx(fiscal.build_budget(name), folder / f"fiscal_budget_2025.{name}.docx")
    if pdf:
        to_pdf(budget, folder / "fiscal_budget_2025.pdf")


TARGETS = {
    "heshan": build_heshan,
    "maoming": build_maoming,
    "changsha": build_changsha,
    "yunnan": build_yunnan,
    "hubei": build_hubei,
    "fiscal": build_fiscal,
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("targets", nargs="*", choices=[[]] + list(TARGETS), help="default: all")
    ap.add_argument("--no-pdf", action="store_true")
    args = ap.parse_args()
    for name in args.targets or TARGETS:
        TARGETS[name](not args.no_pdf)
        print("built", name)


if __name__ == "__main__":
    main()
