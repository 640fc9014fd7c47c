"""The input files named on a command line: files as given, folders walked for report documents.

Nothing is skipped silently: a path that cannot be walked or read (a folder without permission, a
dangling link, a link loop) is yielded like a document, so that the reader names the problem
(`readers.check_path`) and it becomes an error line or an `errors` row.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .readers import SUPPORTED_SUFFIXES as DOCUMENT_SUFFIXES


def _is_document(name: str) -> bool:
    # "~$x.docx" is Word's lock file and dot files are hidden: neither is a report
    return Path(name).suffix.lower() in DOCUMENT_SUFFIXES and not name.startswith(("~$", "."))


def _walk(folder: Path) -> Iterator[Path]:
    """The documents under `folder`, and the paths that could not be walked, in sorted order. Links to
    folders are followed once: a link back to a folder already walked is a loop, reported as a path."""
    found: list[Path] = []
    walked: set[str] = set()

    def unreadable(error: OSError) -> None:
        found.append(Path(error.filename))

    for root, folders, files in os.walk(folder, onerror=unreadable, followlinks=True):
        real = os.path.realpath(root)
        if real in walked:
            found.append(Path(root))  # a link loop: readers.check_path names it
            folders.clear()
            continue
        walked.add(real)
        for name in files:
            path = Path(root, name)
            if _is_document(name) or (path.is_symlink() and not path.exists() and not name.startswith(".")):
                found.append(path)  # a dangling link is reported, whatever its name
    yield from sorted(found)


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Each path that is not a folder as given (a missing one too, so the reader can say so); each folder's
    documents (.docx .pdf .txt .html .htm), recursively, in sorted order, with the paths that could not be
    walked."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path
