"""Errors a user sees as one line: the file and the reason, never a traceback."""

from __future__ import annotations

from pathlib import Path


class ReadError(Exception):
    """An input that cannot be read. `reason` is a short phrase such as "corrupt PDF"."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
