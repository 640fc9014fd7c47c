"""Scanned copies of the corpus PDFs, as a county office makes them: printed, stamped, scanned.

    .venv/bin/python corpus/make/scanned.py OUT_DIR [--dpi 200] [--pages 1-3]

Each page of a text-layer PDF is rendered to an image (pdfium, the renderer our reader uses), then
degraded the way a scanner degrades paper: a red official seal stamped over the text, the sheet
fed in 1° askew, sensor noise and JPEG compression; one page is scanned sideways (rotated 90°).
The images go into a PDF with no text layer. `mixed` keeps some pages' text layer and puts scans
in place of the others, as a report whose signed last pages were scanned and appended.

The outputs are large (≈100 KB a page), so they are never committed: tests and bench/ocr.py make
them in a temporary folder, which takes well under a second a page.
"""

from __future__ import annotations

import argparse
import io
import math
import random
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

SEAL_RED = (220, 30, 40)
_FONT_CANDIDATES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/arphic/uming.ttc")


def render(pdf_path: Path, dpi: int, pages: list[int] | None = None) -> list[Image.Image]:
    """Pages (1-based; all when None) of a PDF as RGB images at `dpi`."""
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        numbers = pages or list(range(1, len(pdf) + 1))
        return [pdf[n - 1].render(scale=dpi / 72).to_pil().convert("RGB") for n in numbers]
    finally:
        pdf.close()


def _font(size: int) -> ImageFont.ImageFont:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default()


def seal(image: Image.Image, centre: tuple[int, int], radius: int, name: str = "湘岳县交通运输局") -> Image.Image:
    """The page with a round red seal stamped on it: ring, star and name, the ink multiplied over the text."""
    stamp = Image.new("RGB", image.size, "white")
    draw = ImageDraw.Draw(stamp)
    cx, cy = centre
    width = max(3, radius // 14)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=SEAL_RED, width=width)
    star = [(cx + radius * 0.3 * math.cos(math.pi / 2 + k * 4 * math.pi / 5),
             cy - radius * 0.3 * math.sin(math.pi / 2 + k * 4 * math.pi / 5)) for k in range(5)]
    draw.polygon(star, fill=SEAL_RED)
    font = _font(max(10, radius // 4))
    for index, char in enumerate(name):  # the name round the upper arc
        angle = math.pi * (5 / 6 - 4 / 6 * index / max(1, len(name) - 1))  # 150° to 30°
        x = cx + radius * 0.72 * math.cos(angle)
        y = cy - radius * 0.72 * math.sin(angle)
        draw.text((x, y), char, fill=SEAL_RED, font=font, anchor="mm")
    return ImageChops.multiply(image, stamp)


def skew(image: Image.Image, degrees: float) -> Image.Image:
    return image.rotate(degrees, resample=Image.BICUBIC, expand=False, fillcolor="white")


def noise(image: Image.Image, rng: random.Random, speckles: int = 1500) -> Image.Image:
    """Scanner grain (a slight blur) and dust specks."""
    out = image.filter(ImageFilter.GaussianBlur(0.6))
    draw = ImageDraw.Draw(out)
    for _ in range(speckles):
        x, y = rng.randrange(out.width), rng.randrange(out.height)
        shade = rng.choice((40, 90, 150))
        draw.point((x, y), fill=(shade, shade, shade))
    return out


def scan_page(image: Image.Image, rng: random.Random, stamped: bool, sideways: bool) -> Image.Image:
    """One page through the office: stamped (a seal over the body text), fed 1° askew, scanned."""
    if stamped:
        image = seal(image, (int(image.width * 0.68), int(image.height * 0.42)), int(image.width * 0.13))
    image = skew(image, rng.choice((-1.0, 1.0)))
    image = noise(image, rng)
    return image.rotate(90, expand=True) if sideways else image


def _jpeg(image: Image.Image) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return Image.open(io.BytesIO(buffer.getvalue()))


def images_to_pdf(images: list[Image.Image], out: Path, dpi: int) -> Path:
    """A PDF of JPEG page images and nothing else: no text layer."""
    pages = [_jpeg(image) for image in images]
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return out


def scanned(pdf_path: Path, out: Path, dpi: int = 200, pages: list[int] | None = None,
            sideways: int | None = 2, seed: int = 12) -> Path:
    """A scanned copy of `pdf_path` (the given pages): every page stamped on the first, the page at
    position `sideways` (1-based within the copy) scanned rotated by 90°."""
    rng = random.Random(seed)
    images = render(pdf_path, dpi, pages)
    scans = [scan_page(image, rng, stamped=index in (0, len(images) - 1), sideways=index + 1 == sideways)
             for index, image in enumerate(images)]
    return images_to_pdf(scans, out, dpi)


def mixed(pdf_path: Path, out: Path, scanned_pages: list[int], dpi: int = 200, seed: int = 12) -> Path:
    """`pdf_path` with the pages `scanned_pages` (1-based) replaced by their scans, the rest kept as text."""
    scans = scanned(pdf_path, out.with_suffix(".scans.pdf"), dpi, scanned_pages, sideways=None, seed=seed)
    source, images, result = pdfium.PdfDocument(pdf_path), pdfium.PdfDocument(scans), pdfium.PdfDocument.new()
    try:
        for number in range(1, len(source) + 1):
            if number in scanned_pages:
                result.import_pages(images, [scanned_pages.index(number)])
            else:
                result.import_pages(source, [number - 1])
        result.save(out)
    finally:
        for pdf in (source, images, result):
            pdf.close()
    scans.unlink()
    return out


def _pages(spec: str | None) -> list[int] | None:
    if not spec:
        return None
    first, _, last = spec.partition("-")
    return list(range(int(first), int(last or first) + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--pages", help="e.g. 1-3 (default: all)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    corpus = Path(__file__).resolve().parent.parent
    for pdf in sorted(corpus.glob("*.pdf")):
        print(scanned(pdf, args.out / f"{pdf.stem}.scanned.pdf", args.dpi, _pages(args.pages)))
    heshan = corpus / "heshan_commerce_2024.pdf"
    print(mixed(heshan, args.out / "heshan_commerce_2024.mixed.pdf", [2, 3], args.dpi))


if __name__ == "__main__":
    main()
