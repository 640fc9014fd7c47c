"""The input files named on a command line: files as given, folders walked for report documents."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .readers import SUPPORTED_SUFFIXES as DOCUMENT_SUFFIXES


def _is_document(path: Path) -> bool:
    # "~$x.docx" is Word's lock file and dot files are hidden: neither is a report
    return path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES and not path.name.startswith(("~$", "."))


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Each path that is not a folder as given (a missing one too, so the reader can say so); each folder's
    documents (.docx .pdf .txt .html .htm), recursively, in sorted order."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if _is_document(p))
        else:
            yield path
