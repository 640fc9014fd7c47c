"""How scanned pages are read (`OcrOptions`) and the cores to read them with: what every caller of the readers
sets, apart from the OCR code itself (`ocr`), which is imported only for a PDF with scanned pages."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class OcrOptions:
    """How scanned pages are read. `progress(page, done, total)` is told after each page is read, in page
    order. `workers` processes read the scanned pages of one document at once (1: this process reads them
    one after another); `threads` is how many threads each recogniser computes with (0: onnxruntime's
    choice, one per core). Keep workers × threads within the cores: `for_cores` shares them out."""

    dpi: int = 200
    progress: Callable[[int, int, int], None] | None = None
    workers: int = 1
    threads: int = 0

    def for_cores(self, cores: int, pages_at_once: bool) -> OcrOptions:
        """These options with `cores` shared out: among page workers (`pages_at_once`), or all to one
        recogniser's threads (a batch worker, whose neighbours take the other cores)."""
        cores = max(1, cores)
        return replace(self, workers=cores, threads=1) if pages_at_once else replace(self, workers=1, threads=cores)


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
